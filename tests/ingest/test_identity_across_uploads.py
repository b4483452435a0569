"""How uploads meet in the store: whose export it is, one person per human across employees'
exports, one organisation per company across spellings and files."""

from __future__ import annotations

import gzip
from pathlib import Path

import polars as pl
import pytest
from store_dump import dump_store
from uploads_kit import (
    CARMEN,
    LINKEDIN_HEADER,
    LINKEDIN_ZIP,
    LUCIA,
    PEDRO,
    X_ZIP,
    connections,
    contact,
    csv_text,
    employee,
    link,
    person_with,
    roster,
    rows,
    targets,
    write,
    zip_bytes,
)

from tejido.errors import NotFoundError
from tejido.workspace import Workspace

# -- owners ----------------------------------------------------------------------------------------


def test_owner_found_by_email_addresses_against_the_roster(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    roster(workspace, tmp_path, ("Carmen Ortega", CARMEN), ("Lucía Fernández", LUCIA))
    result = workspace.import_linkedin(samples / LINKEDIN_ZIP)
    (upload,) = rows(workspace, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == employee(workspace, CARMEN)
    assert result.owner == "Carmen Ortega"
    assert len(rows(workspace, "employee")) == 2


def test_owner_found_by_profile_name(workspace: Workspace, samples: Path, tmp_path: Path) -> None:
    roster(workspace, tmp_path, ("Carmen Ortega Vidal", "c.ortega@corp.example"))
    export = samples / "linkedin-export"
    members: dict[str, bytes | str] = {
        p.name: p.read_bytes() for p in export.iterdir() if p.name != "Email Addresses.csv"
    }
    result = workspace.import_linkedin(write(tmp_path, "export.zip", zip_bytes(members)))
    (upload,) = rows(workspace, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == employee(workspace, "c.ortega@corp.example")
    assert len(rows(workspace, "employee")) == 1


def test_unknown_owner_becomes_a_private_employee(
    workspace: Workspace, samples: Path, tmp_path: Path
) -> None:
    roster(workspace, tmp_path, ("Lucía Fernández", LUCIA))
    result = workspace.import_linkedin(samples / LINKEDIN_ZIP)
    assert result.owner == "Carmen Ortega Vidal"
    (new,) = [e for e in rows(workspace, "employee") if e["email"] != LUCIA]
    assert new["consent"] == "private"
    assert new["email"] == CARMEN  # the primary address of Email Addresses.csv
    (upload,) = rows(workspace, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == new["person_id"]
    (person,) = rows(workspace, "person", id=new["person_id"])
    assert (person["first_name"], person["last_name"]) == ("Carmen", "Ortega Vidal")


def test_employee_option_not_in_roster_is_not_found(staffed: Workspace, samples: Path) -> None:
    before = dump_store(staffed)
    with pytest.raises(NotFoundError, match=r"nobody@tejido-sample\.example"):
        staffed.import_linkedin(samples / LINKEDIN_ZIP, employee="nobody@tejido-sample.example")
    assert dump_store(staffed) == before


def test_employee_option_names_the_owner(staffed: Workspace, samples: Path) -> None:
    result = staffed.import_linkedin(
        samples / "linkedin-export" / "Connections.csv", employee=PEDRO.upper()
    )
    (upload,) = rows(staffed, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == employee(staffed, PEDRO)
    assert result.counts["connections"] == 7


def test_x_archive_owner_found_by_email_a_linkedin_export_gave(
    staffed: Workspace, samples: Path
) -> None:
    """account.js has carmen.ov@example.net, which only her Email Addresses.csv names."""
    staffed.import_linkedin(samples / LINKEDIN_ZIP)
    result = staffed.import_x(samples / X_ZIP)
    (upload,) = rows(staffed, "upload", id=result.upload_id)
    assert upload["owner_person_id"] == employee(staffed, CARMEN)
    assert len(rows(staffed, "employee")) == 3


# -- identity across employees' exports ------------------------------------------------------------


def test_url_variants_of_one_contact_are_one_person(staffed: Workspace, tmp_path: Path) -> None:
    variants = {
        CARMEN: (
            "https://es.linkedin.com/in/tomasruiz82/",
            "https://www.linkedin.com/pub/krzysztof-marzec/a7/576/b50",
        ),
        LUCIA: (
            "http://www.linkedin.com/in/TomasRuiz82?trk=people-guest_people_search-card",
            "https://pl.linkedin.com/in/krzysztof-marzec-b50576a7/",
        ),
        PEDRO: (
            "linkedin.com/in/tomasruiz82#experience",
            "https://www.linkedin.com/in/Krzysztof-Marzec-B50576A7?originalSubdomain=pl",
        ),
    }
    uploads = []
    for email, (tomas, krzysztof) in variants.items():
        text = connections(
            contact("Tomás", "Ruiz", tomas, "Banco Santander"),
            contact("Krzysztof", "Marzec", krzysztof, "Comarch"),
        )
        path = write(tmp_path / email, "Connections.csv", text)
        uploads.append(staffed.import_linkedin(path, employee=email).upload_id)
    tomas_id = person_with(staffed, "linkedin", "in/tomasruiz82")
    krzysztof_id = person_with(staffed, "linkedin", "in/krzysztof-marzec-b50576a7")
    for upload in uploads:
        assert targets(staffed, upload) == {2: tomas_id, 3: krzysztof_id}
    people = rows(staffed, "person")
    assert sum(p["last_name"] == "Ruiz" for p in people) == 1
    assert sum(p["last_name"] == "Marzec" for p in people) == 1


def test_same_name_same_company_different_urls_stay_two_people(
    staffed: Workspace, tmp_path: Path
) -> None:
    for email, slug in ((CARMEN, "ana-garcia-1a2b"), (LUCIA, "ana-garcia-9z8y")):
        text = connections(contact("Ana", "García", link(slug), "Banco Santander"))
        staffed.import_linkedin(write(tmp_path / email, "Connections.csv", text), employee=email)
    one = person_with(staffed, "linkedin", "in/ana-garcia-1a2b")
    two = person_with(staffed, "linkedin", "in/ana-garcia-9z8y")
    assert one != two
    assert len([p for p in rows(staffed, "person") if p["name_key"] == "ana garcia"]) == 2


def test_old_format_contacts_match_by_email_then_by_name_and_company(
    staffed: Workspace, samples: Path, tmp_path: Path
) -> None:
    staffed.import_linkedin(samples / LINKEDIN_ZIP)  # Carmen's: Tomás (with e-mail), Priya...
    # two Ana Garcías at the same bank, told apart by their URLs
    text = connections(
        contact("Ana", "García", link("ana-garcia-1a2b"), "Banco Santander"),
        contact("Ana", "García", link("ana-garcia-9z8y"), "Banco Santander"),
    )
    staffed.import_linkedin(write(tmp_path / "lucia", "Connections.csv", text), employee=LUCIA)
    old_format = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "TOMAS,Ruiz Perez,Tomas.Ruiz@Example.org,BBVA,Director,03 Oct 2015\n"
        'Priya,Natarajan,,"Northwind Traders, Inc",VP Sales,21 Jun 2018\n'
        "Ana,Garcia,,Banco Santander S.A.,Analista,01 Jan 2017\n"
        "Mark,O'Connor,,Another Company,CTO,02 Mar 2012\n"
    )
    result = staffed.import_linkedin(
        write(tmp_path / "pedro", "Connections.csv", old_format), employee=PEDRO
    )
    found = targets(staffed, result.upload_id)
    assert found[2] == person_with(staffed, "linkedin", "in/tomasruiz82")  # by e-mail
    assert found[3] == person_with(staffed, "linkedin", "in/priya-natarajan-4b1a2c")  # by name
    # two Ana Garcías at the bank: no guess, a person of her own
    anas = {
        person_with(staffed, "linkedin", f"in/{slug}")
        for slug in ("ana-garcia-1a2b", "ana-garcia-9z8y")
    }
    assert found[4] not in anas
    assert result.counts["people_ambiguous"] == 1
    # Mark O'Connor works elsewhere in this file: a name alone is not enough
    assert found[5] != person_with(staffed, "linkedin", "in/markoconnor")
    assert result.counts["people_matched_by_name"] == 1


# -- organisations ---------------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["connections-first", "crm-first"])
def test_spellings_and_domain_of_one_company_are_one_organisation(
    staffed: Workspace, tmp_path: Path, order: str
) -> None:
    conn_path = write(
        tmp_path,
        "Connections.csv",
        connections(
            contact("Ana", "Ruiz", link("ana-ruiz"), "Telefónica, S.A."),
            contact("Bea", "Gil", link("bea-gil"), "TELEFONICA SA"),
            contact("Ciro", "Paz", link("ciro-paz"), "Telefonica"),
        ),
    )
    crm_path = write(
        tmp_path,
        "accounts.csv",
        "Account Name,Website,Type,Billing Country,Industry\n"
        "Telefónica,https://www.telefonica.com/es/,Customer - Direct,Spain,Telecommunications\n",
    )
    steps = [
        lambda: staffed.import_linkedin(conn_path, employee=CARMEN),
        lambda: staffed.import_crm(crm_path),
    ]
    for step in steps if order == "connections-first" else steps[::-1]:
        step()
    orgs = [o for o in rows(staffed, "organisation") if "telef" in o["key"]]
    assert len(orgs) == 1, [o["name"] for o in orgs]
    (org,) = orgs
    assert org["relation"] == "customer"
    assert org["industry"] == "Telecommunications"
    assert {t["organisation_id"] for t in rows(staffed, "connection")} == {org["id"]}
    aliases = {(a["kind"], a["value"]) for a in rows(staffed, "org_alias")}
    assert ("domain", "telefonica.com") in aliases


@pytest.mark.parametrize("order", ["connections-first", "crm-first"])
def test_a_group_and_its_company_are_one_account(
    staffed: Workspace, tmp_path: Path, order: str
) -> None:
    """The CRM names the holding ("Grupo Iberlux Seguros"), its people the company
    ("Iberlux Seguros S.A."): one account to sell to. A company whose name only shares
    words with it stays apart."""
    conn_path = write(
        tmp_path,
        "Connections.csv",
        connections(
            contact("Ana", "Ruiz", link("ana-ruiz"), "Iberlux Seguros S.A."),
            contact("Bea", "Gil", link("bea-gil"), "IBERLUX SEGUROS"),
            contact("Ciro", "Paz", link("ciro-paz"), "Iberlux Seguros Vida"),
        ),
    )
    crm_path = write(
        tmp_path,
        "accounts.csv",
        "Account Name,Website,Type,Billing Country,Industry\n"
        "Grupo Iberlux Seguros,https://www.iberluxseguros.example,Prospect,ES,Insurance\n",
    )
    steps = [
        lambda: staffed.import_linkedin(conn_path, employee=CARMEN),
        lambda: staffed.import_crm(crm_path),
    ]
    for step in steps if order == "connections-first" else steps[::-1]:
        step()
    orgs = {o["key"]: o for o in rows(staffed, "organisation") if "iberlux" in o["key"]}
    assert set(orgs) == {"iberlux seguros", "iberlux seguros vida"} or set(orgs) == {
        "grupo iberlux seguros",
        "iberlux seguros vida",
    }, sorted(orgs)
    account = next(o for k, o in orgs.items() if k != "iberlux seguros vida")
    assert account["relation"] == "prospect"
    by_target = {t["target_id"]: t["organisation_id"] for t in rows(staffed, "connection")}
    ana, bea, ciro = (
        person_with(staffed, "linkedin", f"in/{s}") for s in ("ana-ruiz", "bea-gil", "ciro-paz")
    )
    assert by_target[ana] == by_target[bea] == account["id"]
    assert by_target[ciro] == orgs["iberlux seguros vida"]["id"]


SALESFORCE = [
    ["Account Name", "Website", "Type", "Billing Country", "Industry"],
    ["Iberdrola, S.A.", "https://www.iberdrola.es", "Customer - Direct", "Spain", "Utilities"],
    ["Indra Sistemas", "indra.es", "Vendor", "Spain", "IT Services"],
    ["Accenture", "www.accenture.com", "Competitor", "Ireland", "Consulting"],
    ["Northwind Traders", "northwind.example", "Prospect", "United States", "Retail"],
    ["Contoso Ltd", "contoso.example", "Channel Partner / Reseller", "United Kingdom", "Software"],
    ["Fabrikam", "fabrikam.example", "Customer - Channel", "France", "Manufacturing"],
]
HUBSPOT = [
    ["Company name", "Company Domain Name", "Type", "Country/Region", "Industry"],
    ["Iberdrola, S.A.", "iberdrola.es", "Customer", "Spain", "Utilities"],
    ["Indra Sistemas", "indra.es", "Vendor", "Spain", "IT Services"],
    ["Accenture", "accenture.com", "Competitor", "Ireland", "Consulting"],
    ["Northwind Traders", "northwind.example", "Prospect", "United States", "Retail"],
    ["Contoso Ltd", "contoso.example", "Reseller", "United Kingdom", "Software"],
    ["Fabrikam", "fabrikam.example", "Partner", "France", "Manufacturing"],
]
EXPECTED_RELATIONS = {
    "iberdrola": ("customer", "Spain", "iberdrola.es"),
    "indra sistemas": ("supplier", "Spain", "indra.es"),
    "accenture": ("competitor", "Ireland", "accenture.com"),
    "northwind traders": ("prospect", "United States", "northwind.example"),
    "contoso": ("partner", "United Kingdom", "contoso.example"),
    "fabrikam": (None, "France", "fabrikam.example"),  # customer or partner, see below
}


@pytest.mark.parametrize(
    ("style", "table", "delimiter"),
    [
        ("salesforce", SALESFORCE, ","),
        ("hubspot", HUBSPOT, ","),
        ("salesforce-semicolon", SALESFORCE, ";"),
        ("hubspot-tab", HUBSPOT, "\t"),
    ],
)
def test_crm_exports_in_salesforce_and_hubspot_columns(
    workspace: Workspace, tmp_path: Path, style: str, table: list[list[str]], delimiter: str
) -> None:
    path = write(tmp_path, f"{style}.csv", csv_text(table, delimiter))
    result = workspace.import_crm(path)
    assert result.counts["accounts"] == 6
    assert result.warnings == []
    orgs = {o["key"]: o for o in rows(workspace, "organisation")}
    assert set(orgs) == set(EXPECTED_RELATIONS)
    domains = {
        (a["organisation_id"], a["value"]) for a in rows(workspace, "org_alias", kind="domain")
    }
    for key, (relation, country, domain) in EXPECTED_RELATIONS.items():
        org = orgs[key]
        if relation is not None:
            assert org["relation"] == relation, key
        assert org["country"] == country
        assert (org["id"], domain) in domains
    fabrikam = "customer" if "salesforce" in style else "partner"
    assert orgs["fabrikam"]["relation"] == fabrikam
    assert orgs["iberdrola"]["industry"] == "Utilities"


def test_semicolon_roster_and_connections(workspace: Workspace, tmp_path: Path) -> None:
    """European spreadsheets save CSV with semicolons."""
    text = csv_text(
        [["Nombre completo", "Correo", "Departamento"], ["Carmen Ortega Vidal", CARMEN, "Ventas"]],
        ";",
    )
    workspace.import_roster(write(tmp_path, "plantilla.csv", text))
    conns = csv_text(
        [LINKEDIN_HEADER, contact("Ana", "Ruiz", link("ana-ruiz"), "Acme, S.L.", position="CTO")],
        ";",
    )
    result = workspace.import_linkedin(write(tmp_path, "Connections.csv", conns), employee=CARMEN)
    assert result.counts["connections"] == 1
    (tie,) = rows(workspace, "connection")
    assert (tie["company"], tie["position"]) == ("Acme, S.L.", "CTO")
    (emp,) = rows(workspace, "employee")
    assert emp["department"] == "Ventas"


# -- X archives ------------------------------------------------------------------------------------


def test_x_follows_become_directed_ties(workspace: Workspace, samples: Path) -> None:
    result = workspace.import_x(samples / X_ZIP)
    x_id = {r["person_id"]: r["value"] for r in rows(workspace, "person_identifier", kind="x_id")}
    me = "1183726354"
    ties = rows(workspace, "connection", upload_id=result.upload_id)
    assert all(t["directed"] and t["kind"] == "x_follow" for t in ties)
    assert {(x_id[t["source_id"]], x_id[t["target_id"]]) for t in ties} == {
        ("1456789012345678901", me),
        ("22334455", me),
        ("987654321", me),
        ("1600000000000000042", me),
        (me, "22334455"),
        (me, "783214"),
        (me, "1349149096909668363"),
    }
    assert len(ties) == 7
    assert result.counts["followers"] == 4
    assert result.counts["following"] == 3
    assert workspace.stats().connections == 7  # a mutual follow is two directed ties


# -- edge lists ------------------------------------------------------------------------------------


def edge_pairs(ws: Workspace, upload_id: int) -> dict[tuple[str, str], float | None]:
    names = {r["id"]: r["display_name"] for r in rows(ws, "person")}
    return {
        (names[r["source_id"]], names[r["target_id"]]): r["weight"]
        for r in rows(ws, "connection", upload_id=upload_id)
    }


def test_snap_text_with_comments_and_whitespace(workspace: Workspace, tmp_path: Path) -> None:
    text = (
        "# Directed graph (each unordered pair of nodes is saved once): test.txt\n"
        "# Nodes: 5 Edges: 4\n"
        "# FromNodeId\tToNodeId\n"
        "\n"
        "1   2\n"
        "  2 3  \n"
        "% another comment style\n"
        "3\t4\n"
        "4 5\n"
    )
    result = workspace.import_edges(write(tmp_path, "snap.txt", text))
    assert edge_pairs(workspace, result.upload_id) == {
        ("1", "2"): None,
        ("2", "3"): None,
        ("3", "4"): None,
        ("4", "5"): None,
    }
    assert result.counts["nodes"] == 5
    ids = {r["value"] for r in rows(workspace, "person_identifier", kind="external")}
    assert ids == {f"snap:{n}" for n in range(1, 6)}


@pytest.mark.parametrize("first", ["a b", "u v", "A\tB"])
def test_first_edge_named_like_header_words_is_an_edge(
    workspace: Workspace, tmp_path: Path, first: str
) -> None:
    """Without a comma-separated header, a first line "a b" is an edge between a and b."""
    result = workspace.import_edges(write(tmp_path, "toy.txt", f"{first}\nb c\nc d\n"))
    assert result.counts["edges"] == 3, result.counts


def test_csv_with_source_target_weight(workspace: Workspace, tmp_path: Path) -> None:
    text = "source,target,weight\nana,bea,1.5\nbea,ciro,2\nciro,ana,\n"
    result = workspace.import_edges(write(tmp_path, "team.csv", text))
    assert edge_pairs(workspace, result.upload_id) == {
        ("ana", "bea"): 1.5,
        ("bea", "ciro"): 2.0,
        ("ciro", "ana"): None,
    }
    lines = sorted(r["line"] for r in rows(workspace, "connection"))
    assert lines == [2, 3, 4]


def test_parquet_edge_list(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "graph.parquet"
    pl.DataFrame(
        {"src": [1, 2, 3], "dst": [2, 3, 1], "weight": [0.5, 1.0, 2.0]},
        schema={"src": pl.Int64, "dst": pl.Int64, "weight": pl.Float64},
    ).write_parquet(path)
    result = workspace.import_edges(path)
    assert edge_pairs(workspace, result.upload_id) == {
        ("1", "2"): 0.5,
        ("2", "3"): 1.0,
        ("3", "1"): 2.0,
    }


@pytest.mark.parametrize(
    ("directed", "edges", "repeated"),
    [(False, {("1", "2"), ("2", "3")}, 2), (True, {("1", "2"), ("2", "1"), ("2", "3")}, 1)],
)
def test_directed_and_undirected_dedupe(
    workspace: Workspace, tmp_path: Path, directed: bool, edges: set[tuple[str, str]], repeated: int
) -> None:
    text = "source,target\n1,2\n2,1\n1,2\n2,3\n"
    result = workspace.import_edges(write(tmp_path, "e.csv", text), directed=directed)
    assert set(edge_pairs(workspace, result.upload_id)) == edges
    assert result.counts["repeated_edges_skipped"] == repeated
    assert all(r["directed"] is directed for r in rows(workspace, "connection"))
    assert workspace.stats().connections == len(edges)


def test_self_loops_are_skipped_and_counted(workspace: Workspace, tmp_path: Path) -> None:
    text = "source,target\n1,1\n1,2\n2,2\n2,2\n"
    result = workspace.import_edges(write(tmp_path, "loops.csv", text))
    assert set(edge_pairs(workspace, result.upload_id)) == {("1", "2")}
    assert result.counts["self_loops_skipped"] == 3
    assert any("self-loop" in w for w in result.warnings)


def test_namespace_keeps_node_ids_of_two_files_apart(workspace: Workspace, tmp_path: Path) -> None:
    one = workspace.import_edges(write(tmp_path, "one.csv", "source,target\n1,2\n"))
    two = workspace.import_edges(write(tmp_path, "two.csv", "source,target\n1,2\n3,4\n"))
    shared = workspace.import_edges(
        write(tmp_path, "three.csv", "source,target\n2,5\n"), namespace="one"
    )
    assert one.counts["people_new"] == 2
    assert two.counts["people_new"] == 4
    assert shared.counts["people_new"] == 1  # node 2 of "one" is known
    assert len(rows(workspace, "person")) == 7


def test_gzipped_snap_edge_list(workspace: Workspace, tmp_path: Path) -> None:
    """SNAP ships its edge lists as .txt.gz."""
    data = gzip.compress(b"# Undirected graph\n# FromNodeId\tToNodeId\n1\t2\n2\t3\n")
    result = workspace.import_edges(write(tmp_path, "ca-GrQc.txt.gz", data))
    assert set(edge_pairs(workspace, result.upload_id)) == {("1", "2"), ("2", "3")}
    assert sorted(r["line"] for r in rows(workspace, "connection")) == [3, 4]


# -- an employee's own X account, named by a colleague's archive first ---------------------------


def _x_archive(account: str, email: str, followers: list[str], following: list[str]) -> bytes:
    import json

    def listing(name: str, ids: list[str]) -> str:
        items = [{name: {"accountId": i, "userLink": f"https://x.com/i/{i}"}} for i in ids]
        return f"window.YTD.{name}.part0 = " + json.dumps(items)

    me = [{"account": {"email": email, "accountId": account, "username": f"u{account}",
                       "accountDisplayName": email.split("@")[0]}}]  # fmt: skip
    return zip_bytes({"data/account.js": "window.YTD.account.part0 = " + json.dumps(me),
                      "data/follower.js": listing("follower", followers),
                      "data/following.js": listing("following", following)})  # fmt: skip


def test_an_archive_owner_claims_the_account_colleagues_followed(
    staffed: Workspace, tmp_path: Path
) -> None:
    """Lucía's archive follows Pedro's account before Pedro's archive is in: the account is
    a placeholder person until Pedro's own archive says it is his."""
    lucia = write(tmp_path, "lucia.zip", _x_archive("7001", LUCIA, ["7002", "9"], ["7002"]))
    pedro = write(tmp_path, "pedro.zip", _x_archive("7002", PEDRO, ["7001"], ["7001", "9"]))
    first = staffed.import_x(lucia)
    placeholder = person_with(staffed, "x_id", "7002")
    assert placeholder != employee(staffed, PEDRO)
    second = staffed.import_x(pedro)
    assert second.counts["placeholders_merged"] == 1
    assert person_with(staffed, "x_id", "7002") == employee(staffed, PEDRO)
    assert not rows(staffed, "person", id=placeholder)
    # Lucía's follows now join her and Pedro, both ways; the stranger "9" stays one person.
    pedro_id, lucia_id = employee(staffed, PEDRO), employee(staffed, LUCIA)
    stated = rows(staffed, "connection", upload_id=first.upload_id)
    mine = {(r["source_id"], r["target_id"]) for r in stated}
    assert {(pedro_id, lucia_id), (lucia_id, pedro_id)} <= mine
    assert len(rows(staffed, "person_identifier", kind="x_id", value="9")) == 1
    # Erasing Pedro's archive leaves what Lucía's said of his account.
    staffed.erase_upload(second.upload_id)
    assert {(pedro_id, lucia_id), (lucia_id, pedro_id)} <= {
        (r["source_id"], r["target_id"]) for r in rows(staffed, "connection")}  # fmt: skip
