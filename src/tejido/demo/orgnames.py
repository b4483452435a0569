"""Countries, industries and the names of invented organisations, in all their spellings.

An organisation's canonical name is a brand plus a legal form ("Nortia Energía, S.A.");
:func:`company_variants` gives the other ways people and CRMs write the same company.
"""

from __future__ import annotations

import numpy as np

from tejido.demo.names import SURNAMES, ascii_fold

__all__ = [
    "CITIES",
    "COUNTRIES",
    "COUNTRY_NAMES",
    "COUNTRY_WEIGHTS",
    "INDUSTRIES",
    "canonical_name",
    "company_variants",
    "draw_org_name",
    "school_names",
]

COUNTRIES = ("ES", "PT", "FR", "DE", "GB", "US", "MX", "IT", "NL")
COUNTRY_WEIGHTS = (0.55, 0.06, 0.07, 0.06, 0.06, 0.07, 0.07, 0.03, 0.03)
COUNTRY_NAMES = {
    "ES": "Spain", "PT": "Portugal", "FR": "France", "DE": "Germany",
    "GB": "United Kingdom", "US": "United States", "MX": "Mexico", "IT": "Italy",
    "NL": "Netherlands",
}  # fmt: skip
CITIES = {
    "ES": ("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Málaga", "Zaragoza",
           "A Coruña", "Valladolid", "San Sebastián"),
    "PT": ("Lisboa", "Porto", "Braga", "Coimbra"),
    "FR": ("Paris", "Lyon", "Toulouse", "Marseille", "Nantes", "Bordeaux"),
    "DE": ("Berlin", "München", "Hamburg", "Frankfurt", "Köln", "Stuttgart"),
    "GB": ("London", "Manchester", "Edinburgh", "Bristol", "Leeds"),
    "US": ("New York", "San Francisco", "Boston", "Chicago", "Austin", "Miami"),
    "MX": ("Ciudad de México", "Monterrey", "Guadalajara", "Puebla"),
    "IT": ("Milano", "Roma", "Torino", "Bologna"),
    "NL": ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"),
}  # fmt: skip

INDUSTRIES = (
    "Banking", "Energy", "Telecommunications", "Software", "Retail", "Healthcare",
    "Manufacturing", "Logistics", "Insurance", "Public Sector", "Education", "Consulting",
    "Media", "Automotive", "Tourism",
)  # fmt: skip

# Sector words by industry: Spanish, English, French, German.
_SECTOR_WORDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "Banking": (("Banco", "Finanzas", "Capital"), ("Bank", "Capital", "Finance"),
                ("Banque", "Finance"), ("Bank", "Finanz")),
    "Energy": (("Energía", "Renovables", "Eléctrica"), ("Energy", "Power", "Renewables"),
               ("Énergie", "Électricité"), ("Energie", "Strom")),
    "Telecommunications": (("Telecom", "Comunicaciones", "Redes"), ("Telecom", "Networks"),
                           ("Télécom", "Réseaux"), ("Telekom", "Netze")),
    "Software": (("Software", "Sistemas", "Digital", "Tecnologías"),
                 ("Software", "Systems", "Digital", "Labs", "Data"),
                 ("Logiciels", "Numérique"), ("Software", "Systeme", "Digital")),
    "Retail": (("Distribución", "Retail", "Supermercados"), ("Retail", "Stores", "Market"),
               ("Distribution", "Magasins"), ("Handel", "Markt")),
    "Healthcare": (("Salud", "Farma", "Clínicas"), ("Health", "Pharma", "Care"),
                   ("Santé", "Pharma"), ("Gesundheit", "Pharma", "Kliniken")),
    "Manufacturing": (("Industrias", "Metalúrgica", "Componentes"),
                      ("Manufacturing", "Industries", "Components"),
                      ("Industries", "Composants"), ("Werke", "Maschinenbau")),
    "Logistics": (("Logística", "Transportes"), ("Logistics", "Freight"),
                  ("Logistique", "Transports"), ("Logistik", "Spedition")),
    "Insurance": (("Seguros", "Mutua"), ("Insurance", "Assurance"), ("Assurances", "Mutuelle"),
                  ("Versicherung", "Versicherungen")),
    "Public Sector": (("Agencia", "Instituto", "Consorcio"), ("Agency", "Authority"),
                      ("Agence", "Office"), ("Agentur", "Amt")),
    "Education": (("Formación", "Academia"), ("Learning", "Academy"), ("Formation",),
                  ("Akademie", "Bildung")),
    "Consulting": (("Consultores", "Consulting", "Asesores"), ("Consulting", "Advisory"),
                   ("Conseil",), ("Beratung", "Consulting")),
    "Media": (("Medios", "Comunicación", "Ediciones"), ("Media", "Publishing"),
              ("Médias", "Éditions"), ("Medien", "Verlag")),
    "Automotive": (("Automoción", "Motor"), ("Automotive", "Motors"), ("Automobiles",),
                   ("Automobil", "Fahrzeugbau")),
    "Tourism": (("Hoteles", "Viajes"), ("Travel", "Hotels", "Resorts"), ("Voyages", "Hôtels"),
                ("Reisen", "Hotels")),
}  # fmt: skip
_LANG_OF = {"ES": 0, "MX": 0, "PT": 0, "GB": 1, "US": 1, "NL": 1, "IT": 1, "FR": 2, "DE": 3}
_LEGAL_FORMS = {
    "ES": ("S.A.", "S.L.", "S.L.U.", "S.A.U.", "SL", "SA"),
    "PT": ("S.A.", "Lda."),
    "FR": ("SAS", "SA", "SARL"),
    "DE": ("GmbH", "AG", "SE", "GmbH & Co. KG"),
    "GB": ("Ltd", "PLC", "Limited"),
    "US": ("Inc.", "LLC", "Corp."),
    "MX": ("S.A. de C.V.", "S.A."),
    "IT": ("S.p.A.", "S.r.l."),
    "NL": ("B.V.", "N.V."),
}
_PREFIXES = (
    "Iber", "Nort", "Sur", "Medi", "Atlan", "Cantá", "Galá", "Alto", "Aqua", "Terra", "Lux",
    "Sol", "Tele", "Data", "Inno", "Eco", "Euro", "Hispa", "Astur", "Nava", "Ebro", "Duero",
    "Tajo", "Vérti", "Orbi", "Quan", "Zeni", "Nexo", "Vita", "Prisma", "Cobal", "Árti",
    "Bóre", "Celti", "Deva", "Elca", "Fénix", "Gala", "Helio", "Indi", "Jara", "Kora",
    "Lumi", "Mira", "Noval", "Óp", "Pira", "Rive", "Sigma", "Tala", "Umbra", "Vela",
    "Xeno", "Yuca", "Zafi", "Alba", "Brisa", "Cima", "Dalia", "Estre", "Fara", "Grana",
)  # fmt: skip
_SUFFIXES = (
    "tec", "nova", "lia", "ria", "cor", "via", "gest", "net", "mar", "tel", "ora", "ica",
    "ona", "anza", "ética", "ex", "lux", "dis", "ón", "ía", "sys", "tica", "verde", "lab",
    "polis", "tia", "dra", "mis", "quia", "bera", "sur", "norte",
)  # fmt: skip
_SCHOOL_PATTERNS = {
    "ES": ("Universidad de {c}", "Universidad Politécnica de {c}", "{c} Business School",
           "Universidad Autónoma de {c}", "Escuela de Negocios de {c}"),
    "PT": ("Universidade de {c}", "Universidade Nova de {c}"),
    "FR": ("Université de {c}", "École de Management de {c}"),
    "DE": ("Technische Universität {c}", "Universität {c}"),
    "GB": ("University of {c}", "{c} Business School"),
    "US": ("University of {c}", "{c} Institute of Technology"),
    "MX": ("Universidad de {c}", "Instituto Tecnológico de {c}"),
    "IT": ("Università di {c}", "Politecnico di {c}"),
    "NL": ("Universiteit {c}",),
}  # fmt: skip


def _pick(options: tuple[str, ...], rng: np.random.Generator) -> str:
    return options[int(rng.integers(len(options)))]


def draw_org_name(country: str, industry: str, rng: np.random.Generator) -> tuple[str, str]:
    """A (brand, legal form) pair for a company of ``industry`` in ``country``.

    Public-sector bodies carry no legal form (an empty string).

    >>> brand, form = draw_org_name("ES", "Energy", np.random.default_rng(1))
    >>> isinstance(brand, str) and form in ("S.A.", "S.L.", "S.L.U.", "S.A.U.", "SL", "SA")
    True
    """
    lang = _LANG_OF[country]
    words = _SECTOR_WORDS[industry][lang]
    prefix, suffix = _pick(_PREFIXES, rng), _pick(_SUFFIXES, rng)
    if not prefix.isascii():
        suffix = ascii_fold(suffix)
    stem = prefix + suffix
    stem = stem[0] + stem[1:].lower()
    roll = rng.random()
    if industry == "Public Sector":
        return f"{_pick(words, rng)} {stem}", ""
    if roll < 0.42:
        brand = f"{stem} {_pick(words, rng)}"
    elif roll < 0.67:
        brand = stem
    elif roll < 0.80 and lang == 0:
        brand = f"{_pick(words, rng)} {stem}"
    elif roll < 0.90:
        surnames = SURNAMES[("es", "en", "fr", "de")[lang]]
        tail = ("Asociados", "Partners", "Associés", "Partner")[lang]
        if rng.random() < 0.5:
            tail = _pick(surnames, rng)
        brand = f"{_pick(surnames, rng)} & {tail}"
    elif roll < 0.95:
        brand = f"Grupo {_pick(SURNAMES['es'], rng)}" if lang == 0 else f"{stem} Group"
    else:
        letters = "".join(chr(65 + int(i)) for i in rng.integers(26, size=3))
        brand = f"{letters} {_pick(words, rng)}"
    return brand, _pick(_LEGAL_FORMS[country], rng)


def canonical_name(brand: str, form: str, comma: bool) -> str:
    """How the organisation writes its own name: brand, then legal form."""
    if not form:
        return brand
    return f"{brand}, {form}" if comma else f"{brand} {form}"


def school_names(rng: np.random.Generator) -> list[tuple[str, str]]:
    """Every (school name, country) pair the patterns give, shuffled by ``rng``."""
    out = [
        (pattern.format(c=city), country)
        for country, patterns in _SCHOOL_PATTERNS.items()
        for pattern in patterns
        for city in CITIES[country]
    ]
    order = rng.permutation(len(out))
    return [out[int(i)] for i in order]


def company_variants(brand: str, form: str, canonical: str) -> tuple[str, ...]:
    """Six spellings of one organisation, canonical first, as people write it.

    >>> company_variants("Telefónica", "S.A.", "Telefónica, S.A.")
    ('Telefónica, S.A.', 'Telefónica', 'Telefonica', 'TELEFONICA SA', 'Telefónica SA', \
'Telefónica, S.A')
    >>> company_variants("Smith & Jones", "Ltd", "Smith & Jones Ltd")[4]
    'Smith and Jones Ltd'
    """
    plain = ascii_fold(brand)
    bare_form = form.replace(".", "").replace(",", "")
    upper = f"{plain} {bare_form}".upper().strip()
    if "&" in canonical:
        swapped = canonical.replace("&", "and")
    elif " and " in canonical:
        swapped = canonical.replace(" and ", " & ")
    elif form:
        swapped = f"{brand} {bare_form}"
    else:
        swapped = plain.upper()
    if form:
        messy = f"{brand}, {form.rstrip('.')}" if form.endswith(".") else f"{brand}  {form}"
    else:
        messy = brand.replace(" ", "  ", 1) if " " in brand else f"{brand}."
    return (canonical, brand, plain, upper, swapped, messy)
