"""Topics of people and topic-sensitive PageRank: words on the demo, folding and stop words,
empty texts, determinism, and a hand-made graph whose topic hub is not its overall hub."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import normalized_mutual_info_score
from sqlalchemy import update

from tejido.errors import BadInputError
from tejido.influence.graph import Network
from tejido.influence.topics import (
    STOP_WORDS,
    Topics,
    fit_topics,
    industry_topics,
    person_texts,
    person_topics,
    sent_messages,
    topic_pagerank,
    topic_pageranks,
)
from tejido.snapshot.model import Snapshot
from tejido.store.models import ConsentLevel, Employee, table_of
from tejido.workspace import Workspace


@pytest.fixture(scope="module")
def demo_snap(demo_map: Workspace) -> Snapshot:
    return demo_map.contact_map.snapshot()


@pytest.fixture(scope="module")
def demo_topics(demo_map: Workspace, demo_snap: Snapshot) -> Topics:
    return person_topics(demo_map, demo_snap, seed=0)


# -- the demo ----------------------------------------------------------------------------


def test_topics_of_the_demo_are_named_in_words(demo_topics: Topics, demo_snap: Snapshot) -> None:
    assert demo_topics.n_topics == 10
    assert demo_topics.weights.shape == (demo_snap.n_nodes, 10)
    words = [w for terms in demo_topics.terms for w in terms]
    for label, terms in zip(demo_topics.labels, demo_topics.terms, strict=True):
        assert terms and label == ", ".join(terms[:3])
        assert all(w.isalpha() and w.lower() == w for w in terms), terms
    assert not set(words) & STOP_WORDS
    assert {"engineer", "sales", "marketing"} <= set(words)
    assert not {"tejido", "demo"} & set(words)  # our own name says nothing of a topic
    assert int(demo_topics.sizes.sum()) == int((demo_topics.main() >= 0).sum())


def test_topics_recover_the_demo_departments(demo_topics: Topics, demo_snap: Snapshot) -> None:
    """The generator gives each department its own titles: topics must find them again."""
    employees = np.flatnonzero(demo_snap.department >= 0)
    main = demo_topics.main()[employees]
    assert (main >= 0).all()
    nmi = normalized_mutual_info_score(demo_snap.department[employees], main)
    assert nmi >= 0.5, nmi


def test_rows_are_mixes_and_people_without_text_are_zero(
    demo_map: Workspace, demo_snap: Snapshot, demo_topics: Topics
) -> None:
    texts = person_texts(demo_map, demo_snap)
    empty = np.array([not t for t in texts])
    assert 0 < empty.sum() < len(texts)
    sums = demo_topics.weights.sum(axis=1)
    assert (sums[empty] == 0).all()
    assert (demo_topics.main()[empty] == -1).all()
    with_topic = sums > 0
    np.testing.assert_allclose(sums[with_topic], 1.0, rtol=1e-5)
    assert (demo_topics.weights >= 0).all()


def test_results_are_deterministic(demo_map: Workspace, demo_snap: Snapshot) -> None:
    texts = person_texts(demo_map, demo_snap)
    first, again = fit_topics(texts, seed=3), fit_topics(list(texts), seed=3)
    assert first.labels == again.labels
    np.testing.assert_array_equal(first.weights, again.weights)


def test_messages_are_read_only_from_named_employees_exports(demo_copy: Workspace) -> None:
    snap = demo_copy.contact_map.snapshot()
    said = sent_messages(demo_copy, snap)
    assert sum(bool(s) for s in said) > 10
    mixed = person_topics(demo_copy, snap, messages=True)
    assert mixed.n_topics == 10 and all(mixed.labels)
    with demo_copy.store.write() as conn:
        conn.execute(update(table_of(Employee)).values(consent=ConsentLevel.EXISTENCE_ONLY))
    assert not any(sent_messages(demo_copy, snap))


def test_industry_topics_are_the_snapshot_industries(demo_snap: Snapshot) -> None:
    topics = industry_topics(demo_snap)
    assert topics.labels == demo_snap.industries
    known = demo_snap.industry >= 0
    assert known.any()
    np.testing.assert_array_equal(topics.main(), np.where(known, demo_snap.industry, -1))
    assert topics.sizes.sum() == known.sum()


# -- words -------------------------------------------------------------------------------


def test_accents_case_and_stop_words_of_both_languages() -> None:
    texts = [
        "Diseño de Producto",
        "DISEÑO DEL PRODUCTO",
        "diseno y producto",
        "Product design for the web",
        "Design of the product",
        "de la y the and of",
    ]
    topics = fit_topics(texts, n_topics=1, n_terms=20, min_df=1, max_df=1.0)
    # One word per spelling, shown as most people write it; "producto" is "product".
    assert sorted(topics.terms[0]) == ["design", "diseño", "product", "web"]
    assert topics.weights[-1].tolist() == [0.0]  # nothing but stop words
    assert topics.weights[:-1].sum(axis=1).tolist() == [1.0] * 5


def test_extra_stop_words_and_rank_words_are_dropped() -> None:
    texts = ["Senior Manager, Acme Banking", "Head of Banking at Acme", "Directora, Banca Acme"]
    topics = fit_topics(texts, n_topics=1, n_terms=20, min_df=1, max_df=1.0, stop_words=["ACME"])
    assert sorted(topics.terms[0]) == ["banca", "banking"]


def test_nothing_to_learn_gives_no_topics() -> None:
    topics = fit_topics(["", "de la", ""], n_topics=3)
    assert topics.n_topics == 0 and topics.weights.shape == (3, 0)
    assert topics.main().tolist() == [-1, -1, -1]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"n_topics": 0}, "The 'n_topics' parameter of fit_topics must be an int >= 1. Got 0"),
        ({"max_df": 1.5}, "The 'max_df' parameter of fit_topics must be a number in (0, 1]."),
        ({"messages": ["a"]}, "must hold one text per person (2). Got 1 texts instead."),
    ],
)
def test_bad_parameters_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(BadInputError) as error:
        fit_topics(["Data Engineer", "Data Scientist"], **options)  # type: ignore[arg-type]
    assert message in str(error.value)


# -- PageRank within a topic -------------------------------------------------------------

HUB, TOPIC_HUB = 0, 9
CROWD = list(range(1, 9))  # point to the overall hub
MEMBERS = [10, 11, 12]  # the topic's people: point to the topic's hub


def _graph(directed: bool) -> tuple[Network, np.ndarray]:
    src = [*CROWD, *MEMBERS, TOPIC_HUB, 10]
    dst = [HUB] * len(CROWD) + [TOPIC_HUB] * len(MEMBERS) + [HUB, 11]
    net = Network.from_edges(src, dst, directed=directed)
    weights = np.zeros((net.n, 2))
    weights[:, 0] = 1.0
    weights[MEMBERS] = [0.0, 1.0]
    return net, weights


@pytest.mark.parametrize("directed", [True, False])
def test_a_topics_hub_is_not_the_overall_hub(directed: bool) -> None:
    net, weights = _graph(directed)
    plain = np.asarray(net.igraph().pagerank(directed=directed, weights="weight"))
    assert int(np.argmax(plain)) == HUB
    ranks = topic_pagerank(net, weights, 1)
    assert int(np.argmax(ranks)) == TOPIC_HUB
    assert ranks.sum() == pytest.approx(1.0)
    if directed:  # the crowd is out of the members' reach
        assert (ranks[CROWD] == 0).all()
    everyone = topic_pageranks(net, weights)
    np.testing.assert_allclose(everyone[:, 1], ranks)
    assert int(np.argmax(everyone[:, 0])) == HUB


def test_topic_pagerank_of_a_topic_nobody_has_is_zero() -> None:
    net, weights = _graph(True)
    weights[:, 1] = 0.0
    assert not topic_pagerank(net, weights, 1).any()


def test_topic_pagerank_wants_a_row_per_vertex_and_a_known_topic() -> None:
    net, weights = _graph(True)
    with pytest.raises(BadInputError, match="one row per vertex"):
        topic_pagerank(net, weights[:-1], 0)
    with pytest.raises(BadInputError, match=r"must be an int in \[0, 2\). Got 2 instead"):
        topic_pagerank(net, weights, 2)
    with pytest.raises(BadInputError, match=r"'damping' parameter"):
        topic_pagerank(net, weights, 0, damping=1.0)
