"""Countries as ISO 3166 alpha-2 codes, from whatever a file wrote ("Spain", "España", "ES",
"Madrid, Community of Madrid, Spain")."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from tejido.ingest.normalise import fold

__all__ = ["country_code"]

# Names people write that are neither ISO names nor their Spanish translations.
_EXTRA = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "usa": "US",
    "u.s.a.": "US",
    "u.s.": "US",
    "america": "US",
    "eeuu": "US",
    "ee.uu.": "US",
    "holland": "NL",
    "the netherlands": "NL",
    "holanda": "NL",
    "catalunya": "ES",
    "catalonia": "ES",
}


@cache
def _names() -> dict[str, str]:
    spanish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    names: dict[str, str] = {}
    for c in pycountry.countries:
        code = str(c.alpha_2)
        for name in (c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)):
            if name:
                names[fold(name)] = code
                names[fold(spanish.gettext(name))] = code
        names[str(c.alpha_3).lower()] = code
        names[code.lower()] = code
    for name, code in _EXTRA.items():
        names[fold(name)] = code
    return names


@cache
def country_code(text: str | None) -> str | None:
    """The ISO alpha-2 code of a country name, code or "City, Region, Country" location.

    >>> country_code("España"), country_code("ES"), country_code("Madrid, Spain")
    ('ES', 'ES', 'ES')
    >>> country_code("Estados Unidos"), country_code("United Kingdom"), country_code("Narnia")
    ('US', 'GB', None)
    """
    if not text:
        return None
    names = _names()
    whole = fold(text)
    if whole in names:
        return names[whole]
    for part in reversed(text.split(",")):
        code = names.get(fold(part))
        if code:
            return code
    return None
