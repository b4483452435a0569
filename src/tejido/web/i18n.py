"""English and Spanish: the catalogues (gettext ``.po`` files, read as they are), and the
language of each request: the user's choice, else the browser's Accept-Language.

Texts are written in English and marked with ``_()``; ``scripts/i18n`` extracts them into
``locale/messages.pot`` and merges them into ``locale/es/LC_MESSAGES/messages.po``.
"""

from __future__ import annotations

import io
from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

__all__ = ["DEFAULT", "LANGUAGES", "choose", "translations"]

LANGUAGES = ("en", "es")
DEFAULT = "en"
LOCALE = Path(__file__).resolve().parent / "locale"


@cache
def translations(lang: str) -> NullTranslations:
    """The translations of ``lang`` (English is the text itself)."""
    po = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.exists():
        return NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def choose(accept_language: str | None, preferred: str | None = None) -> str:
    """The language to answer in: the user's own choice, else the browser's best match.

    >>> choose("es-ES,es;q=0.9,en;q=0.8"), choose("de-DE, en;q=0.5"), choose(None, "es")
    ('es', 'en', 'es')
    >>> choose("fr, es;q=0.3, en;q=0.2")
    'es'
    """
    if preferred in LANGUAGES:
        return str(preferred)
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > 0:
            weighted.append((-q, position, primary))
    return min(weighted)[2] if weighted else DEFAULT
