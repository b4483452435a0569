"""Properties of the matching keys: LinkedIn URLs, folded names and organisation keys.

The alphabet of names is the Latin script of European languages (Basic Latin, Latin-1,
Latin Extended-A, Romanian comma letters) with combining accents: that is what names in
LinkedIn exports, rosters and CRMs are written in, and where "accent-insensitive" has one
meaning. Transliterating other scripts is unidecode's business, not a property of ours.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tejido.ingest.normalise import canonical_linkedin, fold, name_key, org_key

PROPERTY = settings(max_examples=200, deadline=None)

# -- strategies ------------------------------------------------------------------------------------

LATIN_LETTERS = st.characters(
    min_codepoint=0x41, max_codepoint=0x17F, categories=("Lu", "Ll", "Lt", "Lo")
) | st.sampled_from("ȘșȚț")
COMBINING = st.characters(min_codepoint=0x300, max_codepoint=0x328)
LATIN_TEXT = st.text(
    LATIN_LETTERS
    | COMBINING
    | st.characters(min_codepoint=0x20, max_codepoint=0x40)
    | st.sampled_from(" -'.,&¡¿«»’"),
    max_size=24,
)
PUNCTUATION = st.text(st.sampled_from(' \t\n.,;:!?-_()[]"/«»¿¡—'), max_size=4)
FOLDED = re.compile(r"(?:[a-z0-9]+(?: [a-z0-9]+)*)?")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def flip_case(text: str, mask: list[bool]) -> str:
    return "".join(c.upper() if m else c.lower() for c, m in zip(text, mask, strict=False))


# LinkedIn slugs: ASCII letters, digits and hyphens, sometimes accented letters. Only letters
# whose upper case maps back to the same lower case, so "the case of the slug" is defined.
SLUG_CHAR = st.sampled_from(
    "abcdefghijklmnopqrstuvwxyz0123456789-" + "áéíóúñçüàèìòùâêôäöëïøåłśźżčšžăîș"
).filter(lambda c: len(c.upper()) == 1 and c.upper().lower() == c)
SLUG = st.text(SLUG_CHAR, min_size=1, max_size=30)
HOST = st.sampled_from(
    [
        "linkedin.com",
        "www.linkedin.com",
        "es.linkedin.com",
        "fr.linkedin.com",
        "uk.linkedin.com",
        "de.linkedin.com",
        "pl.linkedin.com",
        "mx.linkedin.com",
        "WWW.LinkedIn.com",
        "ES.LINKEDIN.COM",
    ]
)
SCHEME = st.sampled_from(["https://", "http://", "", "HTTPS://"])
QUERY = st.sampled_from(
    ["", "?trk=people-guest_people_search-card", "?originalSubdomain=es&trk=x", "?"]
)
FRAGMENT = st.sampled_from(["", "#experience", "#"])
TRAILING = st.sampled_from(["", "/"])


@st.composite
def profile_urls(draw: st.DrawFn, slug: str) -> str:
    """Some URL of the profile ``slug`` as people and exports write it."""
    written = flip_case(slug, draw(st.lists(st.booleans(), min_size=len(slug), max_size=len(slug))))
    if draw(st.booleans()):
        written = quote(written, safe="-")  # percent-encoded, as browsers copy it
    return f"{draw(SCHEME)}{draw(HOST)}/in/{written}{draw(TRAILING)}{draw(QUERY)}{draw(FRAGMENT)}"


# -- canonical_linkedin ----------------------------------------------------------------------------


@PROPERTY
@given(data=st.data(), slug=SLUG)
def test_canonical_linkedin_is_the_folded_slug_whatever_the_writing(
    data: st.DataObject, slug: str
) -> None:
    url = data.draw(profile_urls(slug))
    assert canonical_linkedin(url) == f"in/{slug}"


@PROPERTY
@given(data=st.data(), slug=SLUG)
def test_canonical_linkedin_is_idempotent(data: st.DataObject, slug: str) -> None:
    canonical = canonical_linkedin(data.draw(profile_urls(slug)))
    assert canonical is not None
    for prefix in ("https://www.linkedin.com/", "linkedin.com/", "http://es.linkedin.com/"):
        assert canonical_linkedin(prefix + canonical) == canonical


@PROPERTY
@given(data=st.data(), slug=SLUG)
def test_two_writings_of_one_profile_have_one_key(data: st.DataObject, slug: str) -> None:
    one, two = data.draw(profile_urls(slug)), data.draw(profile_urls(slug))
    assert canonical_linkedin(one) == canonical_linkedin(two)


HEX = st.text(st.sampled_from("0123456789abcdefABCDEF"), min_size=1, max_size=3)
HEX3 = st.text(st.sampled_from("0123456789abcdef"), min_size=3, max_size=3)
NAME_SLUG = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-"), min_size=2)


@PROPERTY
@given(name=NAME_SLUG, a=HEX, b=HEX3, c=HEX3, host=HOST, scheme=SCHEME, query=QUERY)
@example(
    name="krzysztof-marzec", a="a7", b="576", c="b50", host="linkedin.com", scheme="", query=""
)
def test_legacy_pub_urls_map_to_their_in_url(
    name: str, a: str, b: str, c: str, host: str, scheme: str, query: str
) -> None:
    """``/pub/name/a/b/c`` is ``/in/name-cba``, as LinkedIn redirects it."""
    legacy = f"{scheme}{host}/pub/{name}/{a}/{b}/{c}/{query}"
    expected = f"in/{name}-{(c + b + a).lower()}"
    assert canonical_linkedin(legacy) == expected
    assert canonical_linkedin(f"https://www.linkedin.com/in/{name}-{c}{b}{a}") == expected


LABEL = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789-"), min_size=1, max_size=12)


@PROPERTY
@given(
    labels=st.lists(LABEL, min_size=1, max_size=3),
    tld=st.sampled_from(["com", "es", "net", "org", "co", "io", "example"]),
    slug=SLUG,
    scheme=SCHEME,
)
@example(labels=["linkedin", "com", "evil"], tld="example", slug="ana", scheme="https://")
@example(labels=["notlinkedin"], tld="com", slug="ana", scheme="https://")
@example(labels=["evil-linkedin"], tld="com", slug="ana", scheme="")
@example(labels=["linkedin"], tld="co", slug="ana", scheme="https://")
def test_canonical_linkedin_is_none_for_other_hosts(
    labels: list[str], tld: str, slug: str, scheme: str
) -> None:
    host = ".".join([*labels, tld])
    assume(host != "linkedin.com" and not host.endswith(".linkedin.com"))
    assert canonical_linkedin(f"{scheme}{host}/in/{slug}") is None
    assert canonical_linkedin(f"https://www.linkedin.com@{host}/in/{slug}") is None


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/company/telefonica",
        "https://www.linkedin.com/feed/",
        "https://www.linkedin.com/in/",
        "https://www.linkedin.com/",
        "https://evil.example/www.linkedin.com/in/ana",
        "",
        None,
        "not a url at all",
    ],
)
def test_canonical_linkedin_is_none_for_non_profiles(url: str | None) -> None:
    assert canonical_linkedin(url) is None


# -- fold and name_key -----------------------------------------------------------------------------


@PROPERTY
@given(LATIN_TEXT)
def test_fold_is_idempotent_and_lowercase_ascii(text: str) -> None:
    folded = fold(text)
    assert FOLDED.fullmatch(folded), folded
    assert fold(folded) == folded


@PROPERTY
@given(text=LATIN_TEXT, data=st.data())
def test_fold_ignores_case(text: str, data: st.DataObject) -> None:
    mask = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    assert fold(text.upper()) == fold(text) == fold(text.lower()) == fold(flip_case(text, mask))


@PROPERTY
@given(LATIN_TEXT)
@example("Begoña Etxeberria")
@example("Łukasz Żółć")
@example("Ștefan Țurcanu")
def test_fold_ignores_accents_and_their_encoding(text: str) -> None:
    nfc, nfd = unicodedata.normalize("NFC", text), unicodedata.normalize("NFD", text)
    assert fold(nfc) == fold(nfd) == fold(text) == fold(strip_accents(text))


@PROPERTY
@given(text=LATIN_TEXT, before=PUNCTUATION, after=PUNCTUATION)
def test_fold_ignores_surrounding_whitespace_and_punctuation(
    text: str, before: str, after: str
) -> None:
    assume(not text or not unicodedata.combining(text[0]))  # an accent needs its letter
    assert fold(before + text + after) == fold(text)


@PROPERTY
@given(first=LATIN_TEXT, last=LATIN_TEXT, before=PUNCTUATION, after=PUNCTUATION)
def test_name_key_is_fold_of_the_full_name(first: str, last: str, before: str, after: str) -> None:
    key = name_key(first, last)
    assert key == fold(f"{first} {last}")
    assert FOLDED.fullmatch(key)
    assert name_key(key) == key
    assume(not last or not unicodedata.combining(last[0]))
    assume(not first or not unicodedata.combining(first[0]))
    assert name_key(before + first.upper(), strip_accents(last) + after) == key


@pytest.mark.parametrize(
    ("first", "last", "same_as"),
    [
        ("María José", "García-Pérez", ("MARIA JOSE", "Garcia Perez")),
        ("  Begoña ", "Etxeberria", ("BEGONA", "ETXEBERRIA")),
        ("Mark", "O'Connor", ("mark", "OConnor")),
        ("Mark", "O’Connor", ("Mark", "O'Connor")),
        ("Jean-Luc", "Moreau", ("jean luc", "moreau")),
        ("Lucía", None, ("lucia", "")),
    ],
)
def test_name_key_examples(first: str, last: str | None, same_as: tuple[str, str]) -> None:
    assert name_key(first, last) == name_key(*same_as)


# -- org_key ---------------------------------------------------------------------------------------

LEGAL_FORMS = [
    "S.A.",
    "SA",
    "S. A.",
    "S.L.",
    "SL",
    "S.L.U.",
    "S.A.U.",
    "Inc.",
    "Inc",
    "Incorporated",
    "Ltd",
    "Ltd.",
    "Limited",
    "LLC",
    "L.L.C.",
    "GmbH",
    "GmbH & Co. KG",
    "SAS",
    "S.A.S.",
    "SARL",
    "AG",
    "PLC",
    "plc",
    "B.V.",
    "N.V.",
    "S.p.A.",
    "S.r.l.",
    "Corp.",
    "Co.",
    "Oy",
    "AB",
    "Sociedad Anónima",
    "Sociedad Limitada",
]
# Words of at least two letters: a single letter before a dotted form is another matter
# (test_org_key_legal_form_after_a_single_letter).
WORD = st.text(LATIN_LETTERS, min_size=2, max_size=12).filter(
    lambda w: len(fold(w)) >= 2 and " " not in fold(w)  # "Ŀa" folds to two letters, "l a"
)
ORG_NAME = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


@PROPERTY
@given(
    name=ORG_NAME,
    forms=st.lists(st.sampled_from(LEGAL_FORMS), min_size=1, max_size=1),
    comma=st.booleans(),
)
@example(name="Telefónica", forms=["S.A."], comma=True)
@example(name="Bosch", forms=["GmbH & Co. KG"], comma=False)
def test_org_key_ignores_legal_forms_at_the_end(name: str, forms: list[str], comma: bool) -> None:
    words = fold(name).split()
    assume(words[0] != "the" and words[-1] != "and")  # "The" and "& Co." are part of a form
    written = name + (", " if comma else " ") + " ".join(forms)
    assert org_key(written) == org_key(name)
    assert org_key(written) != ""


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Sistemas X", "S.L."),
        ("H & M", "S.A."),
        ("Grupo A", "S.A."),
        ("Vitamina C", "S.L."),
        ("Banco Z", "S.A.U."),
    ],
)
def test_org_key_legal_form_after_a_single_letter(name: str, form: str) -> None:
    """A company name ending in a letter keeps it; the dotted form still comes off."""
    assert org_key(f"{name} {form}") == org_key(name) == fold(name)


@PROPERTY
@given(name=ORG_NAME, data=st.data())
def test_org_key_ignores_case_and_accents(name: str, data: st.DataObject) -> None:
    mask = data.draw(st.lists(st.booleans(), min_size=len(name), max_size=len(name)))
    key = org_key(name)
    assert org_key(name.upper()) == key
    assert org_key(flip_case(name, mask)) == key
    assert org_key(strip_accents(name)) == key
    assert org_key(unicodedata.normalize("NFD", name)) == key
    assert org_key(f"  {name}. ") == key


@PROPERTY
@given(LATIN_TEXT)
@example("S.A.")
@example("The Inc.")
@example("& Co.")
@example("Ltd")
def test_org_key_is_never_empty_for_a_name_with_a_letter(name: str) -> None:
    assume(any(c.isalpha() for c in name))
    key = org_key(name)
    assert key != ""
    assert FOLDED.fullmatch(key)


@pytest.mark.parametrize(
    "spellings",
    [
        ("Telefónica, S.A.", "TELEFONICA SA", "Telefonica", "telefónica s. a."),
        ("Iberdrola, S.A.", "IBERDROLA", "Iberdrola SA"),
        ("Northwind Traders, Inc.", "Northwind Traders Inc", "northwind traders"),
        ("Bosch GmbH & Co. KG", "BOSCH GMBH", "Bosch"),
        ("Société Générale", "Societe Generale S.A.", "SOCIÉTÉ GÉNÉRALE SA"),
        ("The Coca-Cola Company", "Coca-Cola", "COCA COLA CO."),
        ("Contoso Ltd", "Contoso Limited", "CONTOSO LTD."),
    ],
)
def test_org_key_spellings_of_one_company(spellings: tuple[str, ...]) -> None:
    assert len({org_key(s) for s in spellings}) == 1
