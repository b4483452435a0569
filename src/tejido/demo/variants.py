"""How one person or company gets written differently in different people's exports.

Rates (per written row) are module constants so that reports and tests can quote them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from tejido.demo.names import ascii_fold
from tejido.demo.orgnames import COUNTRIES
from tejido.demo.world import People

__all__ = [
    "ACCENT_DROP_RATE",
    "BLANK_COMPANY_RATE",
    "COMPANY_VARIANT_WEIGHTS",
    "PUB_URL_RATE",
    "UPPER_LAST_RATE",
    "canonical_url",
    "company_written",
    "names_written",
    "urls_written",
]

ACCENT_DROP_RATE = 0.04
UPPER_LAST_RATE = 0.02
BLANK_COMPANY_RATE = 0.03
# canonical, brand only, brand without accents, UPPER + bare form, &/and or bare form, messy
COMPANY_VARIANT_WEIGHTS = (0.42, 0.25, 0.09, 0.06, 0.07, 0.11)
PUB_URL_RATE = 0.7  # of the rows about a person whose profile has a legacy /pub/ URL
_LOCALE_HOST = {"ES": "es", "FR": "fr", "GB": "uk", "DE": "de", "MX": "mx", "PT": "pt",
                "IT": "it", "NL": "nl", "US": "www"}  # fmt: skip
_TRK = ("?trk=people-guest_people_search-card", "?trk=public_profile_browsemap",
        "?trk=org-employees")  # fmt: skip


def canonical_url(slug: str) -> str:
    """The URL LinkedIn itself writes for a profile (messages, the roster).

    >>> canonical_url("begona-etxeberria")
    'https://www.linkedin.com/in/begona-etxeberria'
    """
    return f"https://www.linkedin.com/in/{slug}"


def urls_written(
    contacts: NDArray[np.int64], people: People, rng: np.random.Generator
) -> list[str]:
    """One profile URL per contact as it appears in a Connections.csv row.

    Scheme http (6%); host www (68%), bare linkedin.com (8%) or the country's locale host
    (24%); trailing slash (25%); ``?trk=`` (4%) or ``?originalSubdomain=`` (3%) query;
    capitalised slug words (1.5%); legacy ``/pub/name/c/b/a`` for people who have one.
    """
    k = contacts.size
    r = rng.random((k, 6))
    trk = rng.integers(len(_TRK), size=k)
    out: list[str] = []
    for i, c in enumerate(contacts.tolist()):
        country = COUNTRIES[int(people.country[c])]
        scheme = "http" if r[i, 0] < 0.06 else "https"
        locale = _LOCALE_HOST[country]
        if r[i, 1] < 0.68:
            host = "www.linkedin.com"
        elif r[i, 1] < 0.76:
            host = "linkedin.com"
        else:
            host = f"{locale}.linkedin.com"
        pub = people.pub.get(c)
        if pub is not None and r[i, 2] < PUB_URL_RATE:
            name, pc, pb, pa = pub
            path = f"/pub/{name}/{pc}/{pb}/{pa}"
        else:
            slug = people.slug[c]
            if r[i, 3] < 0.015:
                slug = "-".join(w[:1].upper() + w[1:] for w in slug.split("-"))
            path = f"/in/{slug}"
        if r[i, 4] < 0.25:
            path += "/"
        if r[i, 5] < 0.04:
            path += _TRK[int(trk[i])]
        elif r[i, 5] < 0.07:
            path += f"?originalSubdomain={locale if locale != 'www' else 'us'}"
        out.append(f"{scheme}://{host}{path}")
    return out


def names_written(
    contacts: NDArray[np.int64], people: People, rng: np.random.Generator
) -> tuple[list[str], list[str]]:
    """First and last names as written: accents dropped (4%), last name upper-cased (2%)."""
    r = rng.random((contacts.size, 2))
    firsts: list[str] = []
    lasts: list[str] = []
    for i, c in enumerate(contacts.tolist()):
        first, last = people.first[c], people.last[c]
        if r[i, 0] < ACCENT_DROP_RATE:
            first, last = ascii_fold(first), ascii_fold(last)
        if r[i, 1] < UPPER_LAST_RATE:
            last = last.upper()
        firsts.append(first)
        lasts.append(last)
    return firsts, lasts


def company_written(
    orgs_of_rows: NDArray[np.int64],
    variants: list[tuple[str, ...]],
    rng: np.random.Generator,
    *,
    blank_rate: float = BLANK_COMPANY_RATE,
) -> list[str]:
    """One spelling of each row's organisation (empty for ``blank_rate`` of the rows)."""
    k = orgs_of_rows.size
    pick = rng.choice(len(COMPANY_VARIANT_WEIGHTS), size=k, p=np.array(COMPANY_VARIANT_WEIGHTS))
    blank = rng.random(k) < blank_rate
    return [
        "" if blank[i] else variants[o][int(pick[i])] for i, o in enumerate(orgs_of_rows.tolist())
    ]
