"""The organisations of the demo world and the people who work at them.

Organisation 0 is our own company, Tejido Demo S.L.; people 0..N-1 are its employees
(their details are filled in by :mod:`tejido.demo.careers`). Truth ids are index + 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from tejido.demo.names import LOCALES, slug_words, unique_names
from tejido.demo.orgnames import (
    COUNTRIES,
    COUNTRY_WEIGHTS,
    INDUSTRIES,
    canonical_name,
    company_variants,
    draw_org_name,
    school_names,
)
from tejido.demo.texts import ROLE_FAMILIES, ROLE_WEIGHTS, TITLES

__all__ = [
    "OUR_DOMAIN",
    "OUR_NAME",
    "Organisations",
    "People",
    "build_organisations",
    "build_people",
    "locale_for",
]

OUR_NAME = "Tejido Demo S.L."
OUR_DOMAIN = "tejido-demo.example"
_CRM_RELATIONS = ("customer", "prospect", "supplier", "partner", "other", "competitor")
_PERSONAL_DOMAINS = ("gmail.example", "hotmail.example", "yahoo.example", "outlook.example")
# Locale of a person's name by country (indices into LOCALES): main locale, then others.
_COUNTRY_LOCALE = {"ES": 0, "MX": 0, "PT": 1, "GB": 2, "US": 2, "FR": 3, "DE": 4, "NL": 4}


@dataclass
class Organisations:
    """Column arrays, one entry per organisation; index 0 is our company."""

    brand: list[str]
    form: list[str]
    name: list[str]
    domain: list[str]
    country: NDArray[np.int64]
    industry: NDArray[np.int64]
    is_school: NDArray[np.bool_]
    weight: NDArray[np.float64]
    relation: list[str]
    variants: list[tuple[str, ...]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.name)


@dataclass
class People:
    """Column arrays, one entry per person of the pool; employees come first."""

    first: list[str]
    last: list[str]
    slug: list[str]
    email: list[str]
    shares_email: NDArray[np.bool_]
    org: NDArray[np.int64]
    position: list[str]
    role: NDArray[np.int64]
    country: NDArray[np.int64]
    locale: NDArray[np.int64]
    school: NDArray[np.int64]
    popularity: NDArray[np.float64]
    x_id: list[str]
    n_employees: int
    pub: dict[int, tuple[str, str, str, str]] = field(default_factory=dict)
    same_org_homonyms: list[tuple[int, int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.first)


def locale_for(countries: NDArray[np.int64], rng: np.random.Generator) -> NDArray[np.int64]:
    """The locale (index into LOCALES) of names of people living in ``countries``."""
    main = np.array([_COUNTRY_LOCALE.get(c, 5) for c in COUNTRIES])[countries]
    other = rng.integers(len(LOCALES), size=len(countries))
    return np.where(rng.random(len(countries)) < 0.92, main, other).astype(np.int64)


def build_organisations(n: int, rng: np.random.Generator) -> Organisations:
    """``n`` organisations: ours, ~3% schools, the rest companies, about 12% in the CRM."""
    schools = school_names(rng)[: max(20, min(n // 30, 120))]
    n_comp = n - 1 - len(schools)
    country = rng.choice(len(COUNTRIES), size=n_comp, p=np.array(COUNTRY_WEIGHTS))
    industry = rng.choice(len(INDUSTRIES), size=n_comp)
    edu = INDUSTRIES.index("Education")
    brand, form, name = ["Tejido Demo"], ["S.L."], [OUR_NAME]
    seen = {slug_words("Tejido Demo")}
    for c, i in zip(country.tolist(), industry.tolist(), strict=True):
        while True:
            b, f = draw_org_name(COUNTRIES[c], INDUSTRIES[i], rng)
            if slug_words(b) not in seen:
                break
        seen.add(slug_words(b))
        brand.append(b)
        form.append(f)
        comma = COUNTRIES[c] in ("ES", "PT", "MX", "US") and rng.random() < 0.45
        name.append(canonical_name(b, f, bool(comma)))
    for school, _ in schools:
        brand.append(school)
        form.append("")
        name.append(school)
    countries = np.concatenate([[0], country, [COUNTRIES.index(c) for _, c in schools]]).astype(
        np.int64
    )
    industries = np.concatenate([[INDUSTRIES.index("Software")], industry, [edu] * len(schools)])
    is_school = np.zeros(n, dtype=bool)
    is_school[1 + n_comp :] = True
    # Heavy-tailed sizes: a few giants employ much of the pool.
    weight = rng.lognormal(0.0, 1.6, size=n)
    weight[0] = 0.0
    weight[is_school] *= 0.1
    domains = _domains(brand)
    domains[0] = OUR_DOMAIN
    relation = _relations(weight, industries.astype(np.int64), is_school, rng)
    orgs = Organisations(
        brand, form, name, domains, countries, industries.astype(np.int64), is_school, weight,
        relation,
    )  # fmt: skip
    orgs.variants = [company_variants(b, f, nm) for b, f, nm in zip(brand, form, name, strict=True)]
    return orgs


def _domains(brands: list[str]) -> list[str]:
    out: list[str] = []
    used: set[str] = set()
    for b in brands:
        words = slug_words(b.replace("&", " "))
        base = words.replace("-", "") if len(words) <= 16 else words
        d, k = f"{base}.example", 2
        while d in used:
            d, k = f"{base}{k}.example", k + 1
        used.add(d)
        out.append(d)
    return out


def _relations(
    weight: NDArray[np.float64],
    industry: NDArray[np.int64],
    is_school: NDArray[np.bool_],
    rng: np.random.Generator,
) -> list[str]:
    n = len(weight)
    eligible = np.flatnonzero(~is_school)[1:]
    k = max(5, round(0.12 * n))
    p = np.sqrt(weight[eligible])
    chosen = rng.choice(eligible, size=min(k, eligible.size), replace=False, p=p / p.sum())
    rivals = {INDUSTRIES.index("Software"), INDUSTRIES.index("Consulting")}
    out = [""] * n
    for o in np.sort(chosen).tolist():
        if int(industry[o]) in rivals:
            probs = (0.15, 0.15, 0.05, 0.25, 0.05, 0.35)
        else:
            probs = (0.40, 0.38, 0.10, 0.07, 0.05, 0.0)
        out[o] = _CRM_RELATIONS[int(rng.choice(6, p=np.array(probs)))]
    return out


def build_people(n: int, n_employees: int, orgs: Organisations, rng: np.random.Generator) -> People:
    """``n`` people; the first ``n_employees`` work at our company, the rest at others."""
    n_other = n - n_employees
    p_org = orgs.weight / orgs.weight.sum()
    org = np.concatenate([np.zeros(n_employees, np.int64), rng.choice(len(orgs), n_other, p=p_org)])
    home = np.where(rng.random(n) < 0.85, orgs.country[org], -1)
    drawn = rng.choice(len(COUNTRIES), size=n, p=np.array(COUNTRY_WEIGHTS))
    staff_country = rng.choice([0, 0, 0, 0, 0, 0, 1, 2, 4, 6], size=n_employees)
    country = np.where(home >= 0, home, drawn).astype(np.int64)
    country[:n_employees] = staff_country
    locale = locale_for(country, rng)
    first, last = unique_names(locale, rng)
    role = rng.choice(len(ROLE_FAMILIES), size=n, p=np.array(ROLE_WEIGHTS)).astype(np.int64)
    pairs = _plant_homonyms(first, last, org, country, n_employees, rng)
    spanish = np.isin(country, [COUNTRIES.index("ES"), COUNTRIES.index("MX")])
    lang = np.where(spanish & (rng.random(n) < 0.65), 0, 1)
    pick = rng.integers(1 << 30, size=n)
    position = [
        (opts := TITLES[ROLE_FAMILIES[r]][g])[k % len(opts)]
        for r, g, k in zip(role.tolist(), lang.tolist(), pick.tolist(), strict=True)
    ]
    schools = np.flatnonzero(orgs.is_school)
    school_w = rng.pareto(1.5, size=schools.size) + 0.2
    school = rng.choice(schools, size=n, p=school_w / school_w.sum()).astype(np.int64)
    people = People(
        first=first, last=last, slug=[""] * n, email=[""] * n,
        shares_email=np.zeros(n, dtype=bool), org=org.astype(np.int64), position=position,
        role=role, country=country, locale=locale, school=school,
        popularity=rng.lognormal(0.0, 1.0, size=n), x_id=[""] * n, n_employees=n_employees,
    )  # fmt: skip
    people.same_org_homonyms = pairs
    _assign_slugs(people, rng)
    _assign_emails(people, orgs, rng)
    return people


def _plant_homonyms(
    first: list[str],
    last: list[str],
    org: NDArray[np.int64],
    country: NDArray[np.int64],
    n_employees: int,
    rng: np.random.Generator,
) -> list[tuple[int, int]]:
    """Copy names onto other people: ~1% name-only twins, a few dozen name-and-org twins."""
    n = len(first)
    pool = np.arange(n_employees, n)
    n_name = round(0.005 * pool.size)
    n_both = int(np.clip(pool.size // 1500, 12, 40))
    picked = rng.choice(pool, size=2 * (n_name + n_both), replace=False)
    pairs: list[tuple[int, int]] = []
    for k in range(n_name + n_both):
        src, dst = int(picked[2 * k]), int(picked[2 * k + 1])
        first[dst], last[dst] = first[src], last[src]
        if k >= n_name:
            org[dst] = org[src]
            country[dst] = country[src]
            pairs.append((min(src, dst), max(src, dst)))
    return sorted(pairs)


def _assign_slugs(people: People, rng: np.random.Generator) -> None:
    n = len(people)
    style = rng.choice(6, size=n, p=np.array([0.45, 0.30, 0.10, 0.08, 0.02, 0.05]))
    hexes = rng.integers(1 << 32, size=(n, 2))
    digits = rng.integers(10, 99, size=n)
    used: set[str] = set()
    for i in range(n):
        full = slug_words(f"{people.first[i]} {people.last[i]}")
        first = slug_words(people.first[i]).replace("-", "")
        particle = people.last[i].startswith(("de ", "del ", "van ", "De ", "D'"))
        last1 = slug_words(people.last[i] if particle else people.last[i].split(" ")[0])
        h = f"{int(hexes[i, 0]):08x}{int(hexes[i, 1]):08x}"
        s = int(style[i])
        if s == 4:
            la, lb = 2 + int(h[13], 16) % 2, 2 + int(h[14], 16) % 2
            lc = 1 + int(h[15], 16) % 3
            hx = h[: la + lb + lc]
            slug = f"{full}-{hx}"
            if slug not in used:
                a, b, c = hx[:la], hx[la : la + lb], hx[la + lb :]
                people.pub[i] = (full, c, b, a)
        elif s == 0:
            slug = full
        elif s == 1:
            slug = f"{full}-{h[:6]}"
        elif s == 2:
            slug = f"{first}{last1.replace('-', '')}{int(digits[i])}"
        elif s == 3:
            slug = f"{first[:1]}{last1.replace('-', '')}"
        else:
            slug = f"{full}-{h[:8]}"
        k = 0
        while slug in used:
            slug = f"{full}-{h[k : k + 6]}{k or ''}"
            k += 1
            people.pub.pop(i, None)
        used.add(slug)
        people.slug[i] = slug


def _assign_emails(people: People, orgs: Organisations, rng: np.random.Generator) -> None:
    """Employees get work addresses later; 45% of the others have one, a third share it."""
    n = len(people)
    has = rng.random(n) < 0.45
    work = rng.random(n) < 0.5
    dom = rng.integers(len(_PERSONAL_DOMAINS), size=n)
    num = rng.integers(1, 999, size=n)
    used: set[str] = set()
    for i in range(people.n_employees, n):
        if not has[i]:
            continue
        first = slug_words(people.first[i]).replace("-", "")
        last = slug_words(people.last[i]).replace("-", "")
        domain = orgs.domain[people.org[i]] if work[i] else _PERSONAL_DOMAINS[dom[i]]
        email = f"{first}.{last}@{domain}"
        if email in used:
            email = f"{first}.{last}{int(num[i])}@{domain}"
        if email in used:
            continue
        used.add(email)
        people.email[i] = email
    people.shares_email[:] = rng.random(n) < 0.34
