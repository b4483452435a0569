"""Our employees: departments, titles, consent, e-mail, past jobs and schools.

Months are counted as ``year * 12 + month - 1``; the export date is November 2026.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tejido.demo.names import slug_words
from tejido.demo.orgnames import CITIES, COUNTRIES, COUNTRY_NAMES, INDUSTRIES
from tejido.demo.texts import (
    DEGREES,
    DEPARTMENT_ROLE,
    DEPARTMENT_SHARES,
    DEPARTMENT_TITLES,
    DEPARTMENTS,
    DESCRIPTION_BULLETS,
    ROLE_FAMILIES,
    TITLES,
)
from tejido.demo.world import OUR_DOMAIN, Organisations, People

__all__ = ["EXPORT_MONTH", "Employees", "Job", "Study", "build_employees", "department_counts"]

EXPORT_MONTH = 2026 * 12 + 10
_CONSENTS = ("named", "existence_only", "private")
_ACTIVITIES = ("", "", "", "Consulting club", "Equipo de baloncesto", "Erasmus en Lyon", "")
# Industries each department's people come from (weights over INDUSTRIES, rest 1).
_HOME_BOOST = {
    "sales": {"Banking": 4, "Energy": 4, "Telecommunications": 4, "Insurance": 3, "Retail": 3},
    "engineering": {"Software": 10, "Telecommunications": 3, "Consulting": 3},
    "marketing": {"Media": 6, "Software": 3, "Retail": 2},
    "support": {"Software": 5, "Telecommunications": 4},
    "executives": {"Consulting": 5, "Software": 5, "Banking": 2},
}


@dataclass(frozen=True)
class Job:
    """One position: organisation index, title, description, location and months."""

    org: int
    title: str
    description: str
    location: str
    start: int
    end: int | None


@dataclass(frozen=True)
class Study:
    """One line of Education.csv: school index, years, degree and activities."""

    school: int
    start: int
    end: int
    degree: str
    activities: str


@dataclass
class Employees:
    """Column arrays, one entry per employee (employee i is person i)."""

    dept: list[str]
    title: list[str]
    consent: list[str]
    work_email: list[str]
    personal_email: list[str]
    roster_url: NDArray[np.bool_]
    has_zip: NDArray[np.bool_]
    home_industry: NDArray[np.int64]
    jobs: list[list[Job]]
    studies: list[list[Study]]

    def __len__(self) -> int:
        return len(self.dept)


def department_counts(n: int) -> list[int]:
    """Head counts per department (largest remainder, at least one each).

    >>> department_counts(300)
    [75, 105, 36, 60, 24]
    >>> department_counts(5)
    [1, 1, 1, 1, 1]
    """
    raw = [s * n for s in DEPARTMENT_SHARES]
    counts = [max(1, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    k = 0
    while sum(counts) < n:
        counts[order[k % len(order)]] += 1
        k += 1
    while sum(counts) > n:
        counts[counts.index(max(counts))] -= 1
    return counts


def _location(country: int, rng: np.random.Generator) -> str:
    code = COUNTRIES[country]
    cities = CITIES[code]
    return f"{cities[int(rng.integers(len(cities)))]}, {COUNTRY_NAMES[code]}"


def _description(rng: np.random.Generator) -> str:
    roll = rng.random()
    picks = rng.choice(len(DESCRIPTION_BULLETS), size=3, replace=False)
    if roll < 0.35:
        return ""
    if roll < 0.7:
        return f"{DESCRIPTION_BULLETS[picks[0]]}."
    return "\n".join(f"• {DESCRIPTION_BULLETS[p]}" for p in picks[: 2 + int(roll > 0.85)])


def build_employees(people: People, orgs: Organisations, rng: np.random.Generator) -> Employees:
    """Fill in the first ``people.n_employees`` people as our staff, with careers."""
    n = people.n_employees
    dept = [d for d, c in zip(DEPARTMENTS, department_counts(n), strict=True) for _ in range(c)]
    dept = [dept[int(i)] for i in rng.permutation(n)]
    companies = np.flatnonzero(~orgs.is_school)[1:]
    by_ind = [companies[orgs.industry[companies] == i] for i in range(len(INDUSTRIES))]
    pw = [orgs.weight[c] ** 0.7 for c in by_ind]
    schools = np.flatnonzero(orgs.is_school)
    title, work, personal, home, jobs, studies = [], [], [], [], [], []
    used: set[str] = set()
    for e in range(n):
        d = dept[e]
        titles = DEPARTMENT_TITLES[d]
        title.append(titles[int(rng.integers(len(titles)))])
        role = ROLE_FAMILIES.index(DEPARTMENT_ROLE[d])
        people.role[e] = role
        people.position[e] = title[-1]
        first = slug_words(people.first[e]).replace("-", ".")
        last = slug_words(people.last[e].split(" ")[0]).replace("-", "")
        local, k = f"{first}.{last}", 2
        while local in used:
            local, k = f"{first}.{last}{k}", k + 1
        used.add(local)
        work.append(f"{local}@{OUR_DOMAIN}")
        people.email[e] = work[-1]
        personal.append(f"{local.replace('.', '')}{int(rng.integers(10, 99))}@gmail.example")
        boost = _HOME_BOOST[d]
        w = np.array([boost.get(ind, 1.0) for ind in INDUSTRIES]) * [c.size > 0 for c in by_ind]
        ind = int(rng.choice(len(INDUSTRIES), p=w / w.sum()))
        home.append(ind)
        jobs.append(_career(e, d, ind, people, orgs, by_ind, pw, companies, rng))
        studies.append(_studies(e, jobs[-1][-1].start // 12, people, orgs, schools, rng))
        people.school[e] = studies[-1][0].school
    consent = [_CONSENTS[int(i)] for i in rng.choice(3, size=n, p=np.array([0.7, 0.2, 0.1]))]
    has_zip = rng.random(n) < 0.92
    has_zip[: min(n, 2)] = True
    return Employees(
        dept, title, consent, work, personal, rng.random(n) >= 0.10, has_zip,
        np.array(home, dtype=np.int64), jobs, studies,
    )  # fmt: skip


def _career(
    e: int,
    dept: str,
    home: int,
    people: People,
    orgs: Organisations,
    by_ind: list[NDArray[np.int64]],
    pw: list[NDArray[np.float64]],
    companies: NDArray[np.int64],
    rng: np.random.Generator,
) -> list[Job]:
    """Current job at our company first, then 1-5 past jobs, newest first."""
    if dept == "executives":
        start = int(rng.integers(2013 * 12, 2022 * 12))
    else:
        start = max(2013 * 12, EXPORT_MONTH - 1 - int(rng.exponential(40)))
    country = int(people.country[e])
    jobs = [Job(0, people.position[e], _description(rng), _location(country, rng), start, None)]
    role = DEPARTMENT_ROLE[dept]
    n_past = int(rng.choice(5, p=np.array([0.25, 0.3, 0.2, 0.15, 0.1]))) + 1
    end = start - int(rng.integers(0, 4))
    seen: set[int] = set()
    for _ in range(n_past):
        if rng.random() < 0.7 and by_ind[home].size:
            pool, p = by_ind[home], pw[home]
            org = int(pool[np.searchsorted(np.cumsum(p), rng.random() * p.sum())])
        else:
            org = int(companies[int(rng.integers(companies.size))])
        if org in seen:
            continue
        seen.add(org)
        dur = int(rng.integers(10, 72))
        begin = end - dur
        opts = TITLES[role][int(rng.random() < 0.5)]
        title = opts[int(rng.integers(len(opts)))]
        place = _location(int(orgs.country[org]), rng)
        jobs.append(Job(org, title, _description(rng), place, begin, end))
        end = begin - int(rng.integers(0, 6))
    return jobs


def _studies(
    e: int,
    career_year: int,
    people: People,
    orgs: Organisations,
    schools: NDArray[np.int64],
    rng: np.random.Generator,
) -> list[Study]:
    local = schools[orgs.country[schools] == people.country[e]]
    pool = local if local.size and rng.random() < 0.75 else schools
    first = int(pool[int(rng.integers(pool.size))])
    end = career_year - int(rng.integers(0, 2))
    acts = _ACTIVITIES[int(rng.integers(len(_ACTIVITIES)))]
    out = [Study(first, end - 4 - int(rng.random() < 0.3), end, _degree(rng), acts)]
    if rng.random() < 0.45:
        other = int(schools[int(rng.integers(schools.size))])
        year = end + int(rng.integers(1, 8))
        out.insert(0, Study(other, year - 1, year, "MBA" if rng.random() < 0.5 else "Máster", ""))
    return out


def _degree(rng: np.random.Generator) -> str:
    first_degrees = [d for d in DEGREES if d not in ("MBA", "Master in Management")]
    return first_degrees[int(rng.integers(len(first_degrees)))]
