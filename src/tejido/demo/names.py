"""Hand-made lists of personal names by language, and the helpers that spell them.

The demo world draws Spanish, Portuguese, English, French, German and Italian names
from these lists; Spanish people often carry two surnames and compound first names.
"""

from __future__ import annotations

import re

import numpy as np
from numpy.typing import NDArray
from unidecode import unidecode

__all__ = [
    "COMPOUND_FIRST",
    "FIRST_NAMES",
    "LOCALES",
    "SURNAMES",
    "ascii_fold",
    "draw_names",
    "slug_words",
    "unique_names",
]

LOCALES = ("es", "pt", "en", "fr", "de", "it")

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "es": (
        "María", "Carmen", "Ana", "Laura", "Lucía", "Marta", "Elena", "Cristina", "Paula",
        "Sara", "Raquel", "Beatriz", "Begoña", "Nuria", "Pilar", "Rocío", "Silvia", "Irene",
        "Patricia", "Alicia", "Inés", "Lorena", "Noelia", "Ainhoa", "Itziar", "Montserrat",
        "Sonia", "Verónica", "Yolanda", "Esther", "Mónica", "Rosa", "Teresa", "Julia",
        "Andrea", "Natalia", "Miren", "Leire", "Aurora", "Ángela", "Antonio", "José",
        "Manuel", "Francisco", "David", "Javier", "Daniel", "Carlos", "Jesús", "Alejandro",
        "Miguel", "Rafael", "Pablo", "Sergio", "Fernando", "Jorge", "Alberto", "Luis",
        "Álvaro", "Adrián", "Diego", "Raúl", "Iván", "Rubén", "Óscar", "Andrés", "Ignacio",
        "Íñigo", "Joaquín", "Ramón", "Tomás", "Víctor", "Gonzalo", "Mikel", "Unai", "Jordi",
        "Xavier", "Borja", "Guillermo", "Héctor", "Hugo", "Emilio", "Nicolás", "Ricardo",
    ),
    "pt": (
        "João", "Tiago", "Rui", "Pedro", "Nuno", "Gonçalo", "André", "Bruno", "Duarte",
        "Filipe", "Inês", "Beatriz", "Mariana", "Sofia", "Catarina", "Joana", "Rita",
        "Leonor", "Margarida", "Conceição",
    ),
    "en": (
        "James", "John", "Robert", "Michael", "William", "David", "Richard", "Thomas",
        "Mark", "Paul", "Andrew", "Steven", "Kevin", "Brian", "George", "Oliver", "Harry",
        "Jack", "Charlie", "Daniel", "Matthew", "Ryan", "Sean", "Patrick", "Mary", "Sarah",
        "Emma", "Olivia", "Sophie", "Emily", "Charlotte", "Jessica", "Hannah", "Lucy",
        "Rachel", "Rebecca", "Laura", "Claire", "Jennifer", "Elizabeth", "Karen", "Amy",
        "Priya", "Aisha", "Megan", "Chloe", "Grace", "Zoe",
    ),
    "fr": (
        "Jean", "Pierre", "Michel", "Philippe", "Nicolas", "François", "Julien", "Thomas",
        "Antoine", "Mathieu", "Sébastien", "Olivier", "Étienne", "Jérôme", "Benoît",
        "Laurent", "Guillaume", "Aurélien", "Cédric", "Rémi", "Marie", "Sophie", "Camille",
        "Céline", "Julie", "Nathalie", "Isabelle", "Aurélie", "Émilie", "Chloé", "Élodie",
        "Hélène", "Claire", "Anaïs", "Mélanie", "Margaux", "Léa", "Manon",
    ),
    "de": (
        "Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus", "Matthias",
        "Jürgen", "Jörg", "Uwe", "Klaus", "Frank", "Tobias", "Florian", "Sebastian",
        "Lukas", "Maximilian", "Jonas", "Felix", "Moritz", "Sabine", "Petra", "Andrea",
        "Claudia", "Katrin", "Susanne", "Anja", "Nicole", "Julia", "Anna", "Lena", "Jana",
        "Katharina", "Sandra", "Birgit", "Jutta", "Björn", "Sören", "Jens", "Dörte",
    ),
    "it": (
        "Marco", "Luca", "Giuseppe", "Giovanni", "Alessandro", "Francesco", "Matteo",
        "Andrea", "Stefano", "Davide", "Giulia", "Francesca", "Chiara", "Sara", "Valentina",
        "Elisa", "Federica", "Silvia", "Martina", "Niccolò",
    ),
}  # fmt: skip

# Spanish compound first names, as people write them on LinkedIn.
COMPOUND_FIRST = (
    "María José", "María Jesús", "María Luisa", "María Ángeles", "María del Mar",
    "María Teresa", "Ana Belén", "Ana Isabel", "Juan Carlos", "Juan Antonio",
    "José Luis", "José Antonio", "José Manuel", "José María", "Juan José", "Francisco Javier",
    "Luis Miguel", "Miguel Ángel", "Jesús María", "Mari Carmen",
)  # fmt: skip

SURNAMES: dict[str, tuple[str, ...]] = {
    "es": (
        "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
        "Pérez", "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno",
        "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres",
        "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina",
        "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz", "Rubio", "Marín",
        "Sanz", "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo", "Santos",
        "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Cruz", "Calvo", "Gallego",
        "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores", "Cabrera", "Campos",
        "Vega", "Fuentes", "Carrasco", "Diez", "Caballero", "Reyes", "Nieto", "Aguilar",
        "Pascual", "Santana", "Herrero", "Montero", "Lorenzo", "Hidalgo", "Giménez",
        "Ibáñez", "Ferrer", "Durán", "Santiago", "Benítez", "Mora", "Vicente", "Vargas",
        "Arias", "Carmona", "Crespo", "Román", "Pastor", "Soto", "Sáez", "Velasco", "Moya",
        "Soler", "Parra", "Esteban", "Bravo", "Gallardo", "Rojas", "Etxeberria",
        "Goikoetxea", "Aguirre", "Urrutia", "Zubiri", "Arrieta", "Bilbao", "Echevarría",
        "Puig", "Vilà", "Casals", "Font", "Roig", "Pujol", "Sala", "Batlle", "Castells",
        "Figueras", "Rovira", "Carballo", "Souto", "Otero", "Varela", "Castiñeira",
        "Piñeiro", "de la Fuente", "del Río", "de la Torre", "Peñalver", "Zúñiga",
    ),
    "pt": (
        "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues",
        "Martins", "Jesus", "Sousa", "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques",
        "Almeida", "Ribeiro", "Pinto", "Carvalho", "Teixeira", "Moreira", "Correia",
        "Mendes", "Nunes", "Soares", "Vieira", "Monteiro", "Cardoso", "Rocha", "Magalhães",
    ),
    "en": (
        "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson",
        "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White",
        "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel",
        "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore",
        "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott",
        "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths",
        "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell",
        "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson",
        "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman",
        "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hunt", "Hussain", "Campbell",
        "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd",
        "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon",
        "O'Connor", "O'Brien", "McDonald", "MacLeod", "Natarajan", "Nguyen", "Chen",
    ),
    "fr": (
        "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
        "Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David",
        "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
        "Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure", "André", "Mercier",
        "Blanc", "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand",
        "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel",
        "Mathieu", "Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie",
        "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud",
        "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martínez",
    ),
    "de": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf",
        "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann",
        "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann",
        "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer",
        "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung",
        "Hahn", "Schubert", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger",
        "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht", "Schuster",
        "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin", "Schumacher", "Krämer",
        "van der Berg", "de Vries", "Jansen", "Bakker", "Visser", "Smit", "de Jong",
    ),
    "it": (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
        "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa",
        "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro",
        "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo",
        "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis",
        "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri",
        "Bianco", "Marini", "Grasso", "Valentini", "Messina", "Sala", "De Angelis", "Gatti",
    ),
}  # fmt: skip

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """``text`` without accents or other non-ASCII letters.

    >>> ascii_fold("Begoña Müller-Lüdenscheidt Ñoño")
    'Begona Muller-Ludenscheidt Nono'
    """
    return text if text.isascii() else str(unidecode(text))


def slug_words(text: str) -> str:
    """The lower-case ASCII words of ``text`` joined by hyphens, as LinkedIn slugs are.

    >>> slug_words("María José García-López")
    'maria-jose-garcia-lopez'
    >>> slug_words("O'Connor")
    'oconnor'
    """
    folded = ascii_fold(text).lower().replace("'", "")
    return _NON_SLUG.sub("-", folded).strip("-")


def draw_names(
    locales: NDArray[np.int64], rng: np.random.Generator, *, double: bool = False
) -> tuple[list[str], list[str]]:
    """First and last names for people whose locale indices (into LOCALES) are ``locales``.

    Spanish people get a compound first name 15% of the time and two surnames 45% of the
    time; Portuguese people two surnames 35% of the time.

    >>> firsts, lasts = draw_names(np.array([0, 2, 4]), np.random.default_rng(3))
    >>> len(firsts), len(lasts)
    (3, 3)
    """
    n = len(locales)
    firsts = [""] * n
    lasts = [""] * n
    for code, locale in enumerate(LOCALES):
        idx = np.flatnonzero(locales == code)
        if idx.size == 0:
            continue
        pool_first = FIRST_NAMES[locale]
        pool_last = SURNAMES[locale]
        f = rng.integers(len(pool_first), size=idx.size)
        compound = rng.random(idx.size) < (0.15 if locale == "es" else 0.0)
        c = rng.integers(len(COMPOUND_FIRST), size=idx.size)
        a = rng.integers(len(pool_last), size=idx.size)
        b = rng.integers(len(pool_last), size=idx.size)
        share = 1.0 if double else {"es": 0.45, "pt": 0.35}.get(locale, 0.0)
        two = rng.random(idx.size) < share
        joint = " " if locale in ("es", "pt") else "-"
        for k, i in enumerate(idx.tolist()):
            firsts[i] = COMPOUND_FIRST[c[k]] if compound[k] else pool_first[f[k]]
            last = pool_last[a[k]]
            if two[k] and b[k] != a[k]:
                last = f"{last}{joint}{pool_last[b[k]]}"
            lasts[i] = last
    return firsts, lasts


def unique_names(
    locales: NDArray[np.int64], rng: np.random.Generator
) -> tuple[list[str], list[str]]:
    """Like :func:`draw_names`, but no two people share a full name.

    Clashes are drawn again with two surnames (hyphenated outside Spain and Portugal),
    and as a last resort with a Spanish name.

    >>> firsts, lasts = unique_names(np.full(3000, 5), np.random.default_rng(0))
    >>> len({(f, s) for f, s in zip(firsts, lasts)})
    3000
    """
    firsts, lasts = draw_names(locales, rng)
    locales = locales.copy()
    seen: set[str] = set()
    clash: list[int] = []
    for i, (f, s) in enumerate(zip(firsts, lasts, strict=True)):
        key = f"{f} {s}"
        if key in seen:
            clash.append(i)
        else:
            seen.add(key)
    for attempt in range(40):
        if not clash:
            break
        idx = np.array(clash, dtype=np.int64)
        if attempt >= 20:
            locales[idx] = 0
        f2, l2 = draw_names(locales[idx], rng, double=attempt > 0)
        clash = []
        for k, i in enumerate(idx.tolist()):
            key = f"{f2[k]} {l2[k]}"
            if key in seen:
                clash.append(i)
            else:
                seen.add(key)
                firsts[i], lasts[i] = f2[k], l2[k]
    return firsts, lasts
