"""Importing a CRM accounts CSV: what each organisation is to us (customer, prospect...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, update

from tejido.ingest.files import DEFAULT_MAX_BYTES, decode, file_label, gunzip, read_table
from tejido.ingest.identity import Resolver
from tejido.ingest.normalise import fold, normalise_domain
from tejido.ingest.upload import Written
from tejido.store.models import Organisation, RelationType, UploadKind, table_of

__all__ = ["COLUMNS", "CrmUpload", "prepare_crm", "relation_of"]

O = table_of(Organisation)

# Canonical field -> header spellings of Salesforce, HubSpot, Pipedrive, Dynamics and Spanish CRMs.
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "Account Name", "Company name", "Company", "Organization", "Organisation",
        "Organization - Name", "Nombre", "Nombre de la cuenta", "Empresa", "Razón social",
    ),
    "domain": (
        "Website", "Company Domain Name", "Domain", "Web", "Website URL", "Dominio",
        "Sitio web", "Página web",
    ),
    "type": (
        "Type", "Account Type", "Relationship", "Relation", "Lifecycle Stage", "Tipo",
        "Relación", "Tipo de cuenta", "Organization - Type",
    ),
    "country": (
        "Billing Country", "Country", "Country/Region", "Shipping Country", "País", "Pais",
        "Address 1: Country/Region",
    ),
    "industry": ("Industry", "Sector", "Industria", "Organization - Industry"),
    "crm_id": (
        "Account ID", "Record ID", "Company ID", "ID", "Id de registro", "Organization - ID",
    ),
}  # fmt: skip

_RELATIONS: dict[str, RelationType] = {
    **{k: RelationType.CUSTOMER for k in (
        "customer", "customer direct", "customer channel", "client", "cliente", "customers",
        "clientes", "evangelist", "opportunity won", "closed won")},
    **{k: RelationType.PROSPECT for k in (
        "prospect", "prospecto", "potencial", "cliente potencial", "lead",
        "marketing qualified lead", "sales qualified lead", "opportunity", "subscriber",
        "oportunidad", "target")},
    **{k: RelationType.COMPETITOR for k in ("competitor", "competidor", "competencia")},
    **{k: RelationType.PARTNER for k in (
        "partner", "socio", "reseller", "distribuidor", "integrator", "technology partner",
        "channel partner", "revendedor", "aliado", "channel partner reseller",
        "installation partner", "consultant", "consultor")},
    **{k: RelationType.SUPPLIER for k in (
        "supplier", "vendor", "proveedor", "provider", "suministrador")},
    **{k: RelationType.OTHER for k in (
        "other", "otro", "otros", "analyst", "press", "investor")},
}  # fmt: skip


def relation_of(value: str | None) -> RelationType | None:
    """What a CRM's type or lifecycle value means to Tejido; None when blank or unknown.

    >>> relation_of("Customer - Direct"), relation_of("VENDOR"), relation_of("Cliente")
    (<RelationType.CUSTOMER: 'customer'>, <RelationType.SUPPLIER: 'supplier'>, \
<RelationType.CUSTOMER: 'customer'>)
    """
    if not value:
        return None
    return _RELATIONS.get(fold(value))


@dataclass
class CrmUpload:
    """Parsed CRM accounts, ready to be written as one upload."""

    file: str
    accounts: list[dict[str, Any]]
    warnings: list[str]
    kind: UploadKind = UploadKind.CRM

    def write(self, conn: Connection, upload_id: int, resolver: Resolver) -> Written:
        accounts, warnings = self.accounts, list(self.warnings)
        orgs = resolver.organisations(
            [a["name"] for a in accounts], [a["domain"] for a in accounts]
        )
        seen: dict[int, int] = {}
        duplicates = 0
        for account, org in zip(accounts, orgs, strict=True):
            if org is None:
                warnings.append(
                    f"line {account['line']}: {account['name']!r} matches several organisations "
                    "of that name: give its web domain to tell them apart"
                )
                continue
            if org in seen:
                duplicates += 1
                warnings.append(
                    f"line {account['line']}: same organisation as line {seen[org]}; "
                    "the later row wins"
                )
            seen[org] = account["line"]
            values = {
                k: account[k]
                for k in ("name", "relation", "country", "industry", "crm_id")
                if account[k] is not None
            }
            conn.execute(update(O).where(O.c.id == org).values(crm_upload_id=upload_id, **values))
        counts: dict[str, Any] = {
            "accounts": len(accounts),
            "organisations_new": resolver.stats.org_created,
            "organisations_matched": len(seen) - resolver.stats.org_created,
            "duplicate_rows": duplicates,
            "ambiguous": sum(1 for o in orgs if o is None),
        }
        return Written(counts, warnings)


def prepare_crm(
    data: bytes,
    file: str,
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> CrmUpload:
    """Parse a CRM accounts CSV; accounts will update the organisations they match."""
    file = file_label(file)
    table = read_table(
        decode(gunzip(data, file, max_bytes=max_bytes), file, encoding),
        file,
        COLUMNS,
        required=("name",),
    )
    accounts: list[dict[str, Any]] = []
    unknown_types: dict[str, int] = {}
    for row in table.rows():
        name = row.text("name")
        if name is None:
            raise row.error("name", "an account needs a name")
        raw_domain = row.text("domain", 2048)
        domain = normalise_domain(raw_domain)
        if raw_domain and domain is None:
            raise row.error("domain", f"{raw_domain[:80]!r} is not a web domain")
        raw_type = row.text("type", 128)
        relation = relation_of(raw_type)
        if raw_type and relation is None:
            unknown_types[raw_type] = unknown_types.get(raw_type, 0) + 1
            relation = RelationType.OTHER
        accounts.append(
            {
                "line": row.line,
                "name": name,
                "domain": domain,
                "relation": relation,
                "country": row.text("country", 64),
                "industry": row.text("industry", 256),
                "crm_id": row.text("crm_id", 128),
            }
        )
    warnings = [
        f"{n} accounts of unknown type {raw_type!r} recorded as 'other'"
        for raw_type, n in sorted(unknown_types.items())
    ]
    return CrmUpload(file, accounts, warnings)
