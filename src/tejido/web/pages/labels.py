"""The names pages show for stored values (consent levels, job states, relation classes…),
in the reader's language."""

from __future__ import annotations

from gettext import NullTranslations
from typing import Any

__all__ = ["influence_reasons", "labels", "reason_text", "reasons_text", "stage_text"]


def labels(t: NullTranslations) -> dict[str, dict[str, str]]:
    """Every value → its name, by kind of value."""
    _ = t.gettext
    return {
        "consent": {
            "private": _("Private"),
            "existence_only": _("Existence only"),
            "named": _("Named"),
        },
        "consent_help": {
            "private": _("Nobody but you sees your contacts; they are not counted."),
            "existence_only": _(
                "Your contacts are counted, and colleagues may be told to ask you for an "
                "introduction, but nobody sees who they are."
            ),
            "named": _("Analysts see your contacts by name, with how well you know them."),
        },
        "status": {
            "queued": _("Waiting"),
            "running": _("Running"),
            "done": _("Done"),
            "failed": _("Failed"),
            "active": _("Active"),
            "superseded": _("Replaced by a newer export"),
            "imported": _("Imported"),
            "unchanged": _("Already imported"),
        },
        "kind": {
            "linkedin": _("LinkedIn export"),
            "x": _("X archive"),
            "crm": _("CRM accounts"),
            "roster": _("Employee roster"),
            "edges": _("Edge list"),
            "shares": _("Share log"),
            "import": _("Import"),
            "contact-map": _("Contact map"),
        },
        "role": {
            "admin": _("Administrator"),
            "analyst": _("Analyst"),
            "reviewer": _("Reviewer"),
            "employee": _("Employee"),
        },
        "relation": {
            "colleague": _("Colleague"),
            "ex_colleague": _("Former colleague"),
            "classmate": _("Classmate"),
            "customer": _("Customer"),
            "prospect": _("Prospect"),
            "partner": _("Partner"),
            "supplier": _("Supplier"),
            "competitor": _("Competitor"),
            "other": _("Other"),
        },
        "count": {
            "connections": _("connections"),
            "messages": _("messages"),
            "positions": _("jobs"),
            "education": _("schools"),
            "followers": _("followers"),
            "following": _("accounts followed"),
            "people_new": _("new people"),
            "people_matched": _("people already known"),
            "organisations_new": _("new organisations"),
            "accounts": _("accounts"),
            "employees": _("employees"),
            "edges": _("edges"),
            "nodes": _("nodes"),
            "placeholders_merged": _("X accounts merged into their owner"),
            "rows": _("rows"),
            "shares": _("shares"),
            "posts": _("posts"),
            "people": _("people"),
            "unknown_people_skipped": _("rows of unknown people skipped"),
            "repeated_rows_skipped": _("repeated rows skipped"),
        },
        "measure": {
            "degree": _("Ties (degree)"),
            "followers": _("Followers"),
            "pagerank": _("PageRank"),
            "eigenvector": _("Eigenvector"),
            "coreness": _("Core (k-core)"),
            "betweenness": _("Betweenness"),
            "participation": _("Participation"),
            "communities_reached": _("Communities reached"),
            "constraint": _("Constraint (Burt)"),
            "effective_size": _("Effective size"),
            "bridge_score": _("Bridging"),
        },
        "sign": {
            "burst": _("made in a batch of accounts within hours"),
            "block": _("followed within a block of batch-made followers"),
            "empty_profile": _("no profile: only an X id"),
            "duplicate_name": _("its name is on several accounts"),
            "never_followed_back": _("none of our people it follows follows it back"),
            "follow_ratio": _("follows several of our people and nobody follows it"),
            "low_clustering": _("the colleagues it follows do not know each other"),
        },
        "method": {
            "leiden": _("Leiden"),
            "louvain": _("Louvain"),
            "label_propagation": _("Label propagation"),
            "infomap": _("Infomap"),
        },
    }


def stage_text(t: NullTranslations, stage: str | None) -> str:
    """A job's stage (``parsing:Connections.csv``) as a sentence."""
    _ = t.gettext
    key, _sep, file = (stage or "").partition(":")
    names = {
        "starting": _("Starting"),
        "reading": _("Reading %(file)s"),
        "parsing": _("Checking and reading %(file)s"),
        "writing": _("Saving %(file)s"),
        "contact-map": _("Updating the contact map"),
        "done": _("Done"),
        "failed": _("Failed"),
    }
    text = names.get(key, _("Waiting"))
    return text % {"file": file} if "%(file)s" in text else text


def _ago(t: NullTranslations, days: int) -> str:
    if days < 14:
        return t.ngettext("%(num)s day ago", "%(num)s days ago", days) % {"num": days}
    if days < 60:
        return t.gettext("%(num)s weeks ago") % {"num": days // 7}
    if days < 730:
        return t.gettext("%(num)s months ago") % {"num": days // 30}
    return t.gettext("%(num)s years ago") % {"num": days // 365}


def reason_text(t: NullTranslations, part: dict[str, Any]) -> str:
    """One reason of a tie's strength in the reader's language (its English text else)."""
    _ = t.gettext
    f, signal = part.get("facts") or {}, part.get("signal")
    if not f:
        return str(part.get("text", ""))
    if signal == "messages":
        sent, received = f["sent"], f["received"]
        way = _("both ways") if sent and received else _("one way only")
        text = _("%(total)s messages %(way)s (%(sent)s sent, %(received)s received), "
                 "last %(ago)s")  # fmt: skip
        return text % {"total": sent + received, "way": way, "sent": sent,
                       "received": received, "ago": _ago(t, f["last_days_ago"])}  # fmt: skip
    if signal == "group":
        return _("%(n)s messages in group conversations") % {"n": f["group"]}
    if signal == "work":
        where = f.get("where") or (
            _("the same company") if f["shared_orgs"] == 1
            else _("%(n)s companies") % {"n": f["shared_orgs"]}
        )  # fmt: skip
        text = _("worked at %(where)s") % {"where": where}
        if f["months"] > 0:
            text += _(", %(years)s years %(months)s months together") % {
                "years": f["months"] // 12, "months": f["months"] % 12}  # fmt: skip
        if f.get("met_at_work"):
            text += _("; connected while working there")
        return text
    if signal == "school":
        return _("studied at %(school)s") % {"school": f.get("school") or _("the same school")}
    if signal == "mutual":
        text = _("%(n)s contacts in common "
                 "(%(share)s of the less connected one's other contacts)")  # fmt: skip
        return text % {"n": f["mutual"], "share": f"{f['share']:.0%}"}
    if signal == "age":
        return _("connected since %(day)s (%(years)s years)") % {"day": f["since"],
                                                                "years": f["years"]}  # fmt: skip
    return str(part.get("text", ""))


def influence_reasons(
    t: NullTranslations, values: dict[str, Any], ranks: dict[str, int], total: int
) -> list[str]:
    """Why a person ranks where they do on influence, in the reader's language, most
    telling first (``InfluenceService`` gives the same in English)."""
    _ = t.gettext
    out = []
    of = {"total": f"{total:,}"}
    if "pagerank" in ranks:
        out.append(_("PageRank %(rank)s of %(total)s") % {"rank": f"{ranks['pagerank']:,}", **of})
    between = values.get("betweenness")
    if between:
        text = _("on %(share)s of shortest paths (betweenness %(rank)s of %(total)s)")
        out.append(text % {"share": f"{between:.2%}", "rank": f"{ranks['betweenness']:,}", **of})
    if values.get("coreness") is not None:
        out.append(_("in the %(k)s-core") % {"k": int(values["coreness"])})
    if values.get("degree") is not None:
        text = _("%(n)s ties (degree %(rank)s of %(total)s)")
        n = f"{int(values['degree']):,}"
        out.append(text % {"n": n, "rank": f"{ranks['degree']:,}", **of})
    if values.get("followers") is not None and values.get("followers") != values.get("degree"):
        out.append(_("%(n)s followers") % {"n": f"{int(values['followers']):,}"})
    if (values.get("communities_reached") or 0) > 1:
        out.append(_("ties into %(n)s communities (participation %(p)s)")
                   % {"n": int(values["communities_reached"]),
                      "p": f"{values.get('participation') or 0:.2f}"})  # fmt: skip
    return out


def reasons_text(t: NullTranslations, parts: list[dict[str, Any]] | None) -> str:
    """Every reason of a tie, strongest first, joined."""
    return "; ".join(reason_text(t, p) for p in parts or [])
