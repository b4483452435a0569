"""Keys that make the same human and the same company match across files.

Pure string functions, no store: canonical LinkedIn profile URLs, folded names,
organisation keys with legal suffixes off, e-mail addresses and web domains.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from unidecode import unidecode

__all__ = [
    "GROUP_WORDS",
    "canonical_linkedin",
    "fold",
    "group_variants",
    "name_key",
    "normalise_domain",
    "normalise_email",
    "org_key",
]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LINKEDIN_HOST = re.compile(r"^(?:[a-z0-9-]+\.)?linkedin\.com$")
_PUB_SEGMENT = re.compile(r"^[0-9a-f]{1,4}$")
# The common shape, handled without parsing: https://www.linkedin.com/in/slug/?query
_FAST_PROFILE = re.compile(
    r"https?://(?:[a-z]{2,3}\.|www\.)?linkedin\.com/in/([A-Za-z0-9_-]+)/?(?:[?#].*)?", re.ASCII
)


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Accents, case and punctuation folded away, words separated by one space.

    >>> fold("  Begoña  ETXEBERRIA-Goikoetxea ")
    'begona etxeberria goikoetxea'
    >>> fold("O'Connor")
    'oconnor'
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = unidecode(text)
    text = text.lower().replace("'", "").replace("’", "").replace("&", " and ")
    return _NON_ALNUM.sub(" ", text).strip()


@lru_cache(maxsize=1 << 18)
def name_key(first: str | None, last: str | None = None) -> str:
    """The folded full name used to compare people.

    >>> name_key("María José", "García-Pérez")
    'maria jose garcia perez'
    >>> name_key("MARIA JOSE", "Garcia Perez") == name_key("María José", "García-Pérez")
    True
    """
    return fold(f"{first or ''} {last or ''}")


@lru_cache(maxsize=1 << 20)
def canonical_linkedin(url: str | None) -> str | None:
    """The canonical path of a LinkedIn profile URL, or None if ``url`` is not one.

    Scheme, locale subdomains, trailing slashes, query strings, fragments, case and
    percent-encoding are folded; old ``/pub/name/c/b/a`` URLs become ``in/name-abc``,
    as LinkedIn redirects them.

    >>> canonical_linkedin("https://fr.linkedin.com/in/JLMoreau/?trk=people-guest")
    'in/jlmoreau'
    >>> canonical_linkedin("linkedin.com/pub/krzysztof-marzec/a7/576/b50")
    'in/krzysztof-marzec-b50576a7'
    >>> canonical_linkedin("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa")
    'in/josé-garcía'
    >>> canonical_linkedin("https://example.com/in/someone") is None
    True
    """
    if not url:
        return None
    url = url.strip()
    fast = _FAST_PROFILE.fullmatch(url)
    if fast is not None:
        return "in/" + fast.group(1).lower()
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if not _LINKEDIN_HOST.match(host):
        return None
    segments = [s for s in unquote(parts.path).split("/") if s]
    if len(segments) < 2:
        return None
    head = segments[0].lower()
    slug = unicodedata.normalize("NFC", segments[1]).lower().strip()
    if not slug:
        return None
    if head == "in":
        return f"in/{slug}"
    if head == "pub":
        tail = [s.lower() for s in segments[2:5]]
        if len(tail) == 3 and all(_PUB_SEGMENT.match(s) for s in tail):
            return f"in/{slug}-{''.join(reversed(tail))}"
        return f"pub/{slug}"
    return None


def normalise_email(email: str | None) -> str | None:
    """A lower-cased address, or None if ``email`` does not look like one.

    >>> normalise_email(" Tomas.Ruiz@Example.ORG ")
    'tomas.ruiz@example.org'
    >>> normalise_email("n/a") is None
    True
    """
    if not email:
        return None
    email = email.strip().lower()
    local, at, domain = email.rpartition("@")
    if not at or not local or "." not in domain or " " in email:
        return None
    return email


@lru_cache(maxsize=1 << 16)
def normalise_domain(value: str | None) -> str | None:
    """The registrable web domain of a URL, host or e-mail address, without ``www.``.

    >>> normalise_domain("https://WWW.Telefonica.com/es/home")
    'telefonica.com'
    >>> normalise_domain("ana@iberdrola.es")
    'iberdrola.es'
    """
    if not value:
        return None
    value = value.strip().lower()
    if "@" in value and "/" not in value:
        value = value.rpartition("@")[2]
    if "://" not in value:
        value = "http://" + value
    try:
        host = urlsplit(value).hostname or ""
    except ValueError:
        return None
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    if "." not in host or not re.fullmatch(r"[a-z0-9.-]+", host):
        return None
    return host


# Legal forms folded off the end of organisation names (Spanish, English, French, German,
# and a few neighbours). Multi-word forms are listed folded, as ``fold`` leaves them.
_LEGAL_FORMS = {
    # Spanish
    "sa", "sl", "slu", "sau", "sll", "slne", "scoop", "s coop", "coop", "sc", "scp", "sae",
    "sal",
    "sociedad anonima", "sociedad limitada", "sociedad cooperativa", "s en c", "sa de cv",
    "sociedad anonima unipersonal", "sociedad limitada unipersonal", "sa u", "sl u",
    # English
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc", "corp",
    "corporation", "co", "company", "pty ltd", "pty", "lllp",
    # French
    "sas", "sasu", "sarl", "eurl", "snc", "sca", "sa a directoire",
    # German
    "gmbh", "ag", "kg", "kgaa", "mbh", "ev", "ug", "ohg", "gbr", "se",
    "ug haftungsbeschrankt", "gmbh and co kg", "and co kg", "and co",
    # Neighbours that often appear in Spanish and European CRMs
    "bv", "nv", "spa", "srl", "ab", "oy", "asa", "lda",
}  # fmt: skip
_MAX_FORM_WORDS = max(len(f.split()) for f in _LEGAL_FORMS)
# Dotted abbreviations are one word: "S.A.", "S.L.U.", "e.V."; spaced ones ("S. A. U.")
# only at the end of the name, where legal forms live ("Grupo A S.A." keeps its "A").
_DOTTED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.)+[^\W\d_]\.?(?![^\W\d_])")
_SPACED_TAIL = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.\s+)+[^\W\d_]\.?\s*$")
_DOTS_AND_SPACES = re.compile(r"[.\s]")


def _joined(match: re.Match[str]) -> str:
    return " " + _DOTS_AND_SPACES.sub("", match.group(0)) + " "


@lru_cache(maxsize=1 << 18)
def org_key(name: str | None) -> str:
    """The folded name of an organisation, legal form removed.

    >>> org_key("Telefónica, S.A.") == org_key("TELEFONICA SA") == org_key("Telefonica")
    True
    >>> org_key("Siemens Aktiengesellschaft"), org_key("Bosch GmbH & Co. KG")
    ('siemens aktiengesellschaft', 'bosch')
    >>> org_key("The Coca-Cola Company")
    'coca cola'
    >>> org_key("Sistemas X S.L."), org_key("Grupo A S.A."), org_key("Acme S. A. U.")
    ('sistemas x', 'grupo a', 'acme')
    """
    if not name:
        return ""
    text = _DOTTED.sub(_joined, _SPACED_TAIL.sub(_joined, name))
    words = fold(text).split()
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in range(min(_MAX_FORM_WORDS, len(words) - 1), 0, -1):
            if " ".join(words[-n:]) in _LEGAL_FORMS:
                words = words[:-n]
                changed = True
                break
    return " ".join(words)


# "Grupo Iberlux" is how a CRM names the holding of "Iberlux S.A.", which is how its people
# write their employer: the same account to anyone selling to it.
GROUP_WORDS = ("grupo", "group", "groupe", "gruppo", "gruppe", "grup")


def group_variants(key: str) -> list[str]:
    """The other spellings of an organisation key with or without a "group" word in front.

    >>> group_variants("grupo iberlux seguros")
    ['iberlux seguros']
    >>> group_variants("iberlux")[:3]
    ['grupo iberlux', 'group iberlux', 'groupe iberlux']
    >>> group_variants("grupo"), group_variants("")
    ([], [])
    """
    words = key.split()
    if not words:
        return []
    if words[0] in GROUP_WORDS:
        return [" ".join(words[1:])] if len(words) > 1 else []
    return [f"{word} {key}" for word in GROUP_WORDS]
