"""Topics of people from what they say of themselves, and PageRank within one topic.

Influence by topic (seed 003): the hubs of a sector or community of interest, not those
with the most followers. Each person gets a text (job titles, headline, summary), the
texts a topic model (TF-IDF, then non-negative matrix factorisation into topics named by
their top words), and a topic's PageRank teleports to the people of that topic only, so
that its hubs are whom the topic's members point to, not the network's hubs overall.
Sectors are the industries the data already names (:func:`industry_topics`).

Most people's text is a job title shared by thousands, so the model runs on the distinct
texts, each weighted by how many people have it: the same fit as on every person, in a
fraction of the time (a Frobenius NMF fits ``c`` copies of a row exactly as it fits the
row scaled by ``sqrt(c)``). See docs/influence.md for the choices and the figures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray
from sqlalchemy import select

from tejido.errors import BadInputError
from tejido.ingest.normalise import fold
from tejido.store.models import (
    ConsentLevel,
    Employee,
    Interaction,
    Organisation,
    Person,
    Position,
    Upload,
    UploadStatus,
    table_of,
)
from tejido.store.session import Store

if TYPE_CHECKING:
    from tejido.influence.graph import Network
    from tejido.snapshot.model import Snapshot
    from tejido.workspace import Workspace

__all__ = [
    "LEVEL_WORDS",
    "SPANISH_STOP_WORDS",
    "STOP_WORDS",
    "SYNONYMS",
    "Topics",
    "fit_topics",
    "industry_topics",
    "our_names",
    "person_texts",
    "person_topics",
    "sent_messages",
    "topic_pagerank",
    "topic_pageranks",
]

# Spanish function words, accents folded: articles, prepositions, conjunctions, pronouns,
# the commonest verbs, and the greetings of messages.
SPANISH_STOP_WORDS = frozenset([
    "a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes",
    "aqui", "asi", "aun", "bien", "cada", "como", "con", "contra", "cual", "cuales",
    "cuando", "de", "del", "desde", "donde", "durante", "e", "el", "ella", "ellas", "ellos",
    "en", "entre", "era", "eres", "es", "esa", "esas", "ese", "eso", "esos", "esta",
    "estamos", "estan", "estar", "estas", "este", "esto", "estos", "estoy", "fue",
    "fueron", "ha", "hace", "hacer", "han", "has", "hasta", "hay", "he", "la", "las", "le",
    "les", "lo", "los", "mas", "me", "mi", "mis", "mucho", "muchos", "muy", "nada", "ni",
    "no", "nos", "nosotros", "nuestra", "nuestro", "o", "os", "otra", "otras", "otro",
    "otros", "para", "pero", "poco", "por", "porque", "puede", "que", "quien", "se", "sea",
    "ser", "si", "sin", "sobre", "somos", "son", "soy", "su", "sus", "tambien", "te",
    "tener", "tengo", "tiene", "tienen", "todo", "todos", "tu", "tus", "un", "una", "unas",
    "uno", "unos", "usted", "vamos", "y", "ya", "yo", "hola", "gracias", "saludo",
    "saludos", "buenas", "buenos", "dias", "abrazo",
])  # fmt: skip
# Words of rank, not of field: left in, they gather the managers and directors of every
# field into one topic of seniority (role recovery on the demo: NMI 0.39 with, 0.56 without).
LEVEL_WORDS = frozenset([
    "manager", "director", "directora", "head", "lead", "senior", "junior", "jefe", "jefa",
    "responsable", "vp", "chief", "officer", "gerente", "specialist", "especialista",
    "tecnico", "tecnica", "coordinator", "coordinador", "coordinadora", "staff", "principal",
])  # fmt: skip
# Spanish words of trade -> their English, so that "Ingeniera de Datos" and "Data
# Engineer" share their words: titles in Spain come in both languages, and without this
# every field splits into a Spanish and an English topic.
SYNONYMS = {
    "ventas": "sales", "comercial": "sales", "compras": "procurement",
    "aprovisionamiento": "procurement", "operaciones": "operations", "ingeniero": "engineer",
    "ingeniera": "engineer", "ingenieria": "engineering", "datos": "data",
    "finanzas": "finance", "financiero": "financial", "financiera": "financial",
    "tesoreria": "treasury", "personas": "people", "rrhh": "hr", "seleccion": "recruiting",
    "calidad": "quality", "comunicacion": "communication", "sistemas": "systems",
    "ciberseguridad": "cybersecurity", "juridico": "legal", "juridica": "legal",
    "abogado": "lawyer", "abogada": "lawyer", "cumplimiento": "compliance",
    "normativo": "regulatory", "cuentas": "accounts", "cuenta": "account",
    "proyecto": "project", "proyectos": "projects", "desarrollo": "development",
    "negocio": "business", "soporte": "support", "cliente": "customer",
    "clientes": "customers", "transformacion": "transformation", "planta": "plant",
    "logistica": "logistics", "producto": "product", "productos": "products",
    "auditora": "auditor", "analista": "analyst", "arquitecta": "architect",
    "arquitecto": "architect", "soluciones": "solutions", "ejecutivo": "executive",
    "ejecutiva": "executive", "implantacion": "implementation", "servicio": "service",
    "presidente": "president", "socio": "partner", "socia": "partner",
    "administrador": "administrator", "administradora": "administrator",
    "asesor": "counsel", "asesora": "counsel", "asesoria": "counsel",
}  # fmt: skip
_GREETINGS = frozenset(["hi", "hello", "thanks", "cheers", "dear"])


def _english() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | _GREETINGS


STOP_WORDS = SPANISH_STOP_WORDS | _english() | LEVEL_WORDS
_WORD = re.compile(r"\b[a-z][a-z0-9]+\b")  # of folded text: words, not bare numbers
_RAW_WORD = re.compile(r"[^\W\d_][^\W_]+")  # of text as written


@dataclass(frozen=True, eq=False)
class Topics:
    """Topics and each person's mix of them.

    ``weights[i, k]`` is the share of topic ``k`` in snapshot node ``i``: a row sums to
    1, or is all 0 for a person without text (or with stop words only). ``terms[k]`` are
    topic ``k``'s top words as people write them, ``labels[k]`` its first three,
    ``sizes[k]`` the people whose main topic it is.
    """

    labels: list[str]
    terms: list[list[str]]
    weights: NDArray[np.float32]
    sizes: NDArray[np.int64]

    @property
    def n_topics(self) -> int:
        return len(self.labels)

    def main(self) -> NDArray[np.int64]:
        """Each node's main topic, -1 for a person without any."""
        if self.n_topics == 0:
            return np.full(len(self.weights), -1, dtype=np.int64)
        top = np.argmax(self.weights, axis=1)
        out: NDArray[np.int64] = np.where(self.weights.sum(axis=1) > 0, top, -1).astype(np.int64)
        return out

    def of_vertices(self, net: Network) -> NDArray[np.float32]:
        """The rows of ``net``'s vertices (vertex ``i`` is snapshot node ``net.nodes[i]``)."""
        out: NDArray[np.float32] = self.weights[np.asarray(net.nodes, dtype=np.int64)]
        return out


# -- the people's texts ------------------------------------------------------------------


def _store(source: Workspace | Store) -> Store:
    return source if isinstance(source, Store) else source.store


def _lookup(values: list[str], codes: Any) -> NDArray[np.object_]:
    """``values[code]`` per code, "" where the code is -1."""
    table = np.array([*values, ""], dtype=object)
    out: NDArray[np.object_] = table[np.asarray(codes, dtype=np.int64)]
    return out


def person_texts(
    source: Workspace | Store, snap: Snapshot, *, careers: bool = True, industry: bool = False
) -> list[str]:
    """What each snapshot node says of themselves, one text per node ("" for none).

    The current job title comes from the snapshot; headline and summary from the
    person's profile (Profile.csv); with ``careers``, every title and description of
    their career (Positions.csv) and their title in the roster. ``industry`` adds the
    snapshot's industry (their own, else their organisation's in the CRM): off by
    default, as a second facet in the same text blurs both (use :func:`industry_topics`).
    The department is left out: the company's label, not the person's words. Messages
    are too: see :func:`sent_messages`. Three queries and one pass over the nodes.
    """
    extra: dict[int, list[str]] = {}

    def add(rows: Sequence[Any]) -> None:
        if not rows:
            return
        nodes = snap.index_of(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
        for node, row in zip(nodes.tolist(), rows, strict=True):
            if node >= 0:
                extra.setdefault(node, []).extend(" ".join(t.split()) for t in row[1:] if t)

    P, J, E = table_of(Person), table_of(Position), table_of(Employee)
    with _store(source).read() as conn:
        add(conn.execute(
            select(P.c.id, P.c.headline, P.c.summary)
            .where(P.c.headline.is_not(None) | P.c.summary.is_not(None))
        ).all())  # fmt: skip
        if careers:
            add(conn.execute(
                select(J.c.person_id, J.c.title, J.c.description).order_by(J.c.id)
            ).all())  # fmt: skip
            add(conn.execute(select(E.c.person_id, E.c.title).order_by(E.c.id)).all())

    title = _lookup(snap.positions, snap.position).tolist()
    if industry:
        sector = _lookup(snap.industries, snap.industry).tolist()
        texts = [f"{t}\n{s}".strip() for t, s in zip(title, sector, strict=True)]
    else:
        texts = [str(t) for t in title]
    for node, parts in extra.items():
        # A title stated by the snapshot, the career and the roster alike counts once.
        texts[node] = "\n".join(p for p in dict.fromkeys([texts[node], *parts]) if p)
    return texts


def sent_messages(source: Workspace | Store, snap: Snapshot) -> list[str]:
    """The messages each snapshot node wrote, one text per node ("" for none).

    Messages are third-party data (a contact's words in an employee's export): topics
    leave them out unless asked (``person_topics(..., messages=True)``), and only the
    exports of employees who consented to a named network are read.
    """
    I, U, E = table_of(Interaction), table_of(Upload), table_of(Employee)
    with _store(source).read() as conn:
        rows = conn.execute(
            select(I.c.source_id, I.c.content)
            .join(U, U.c.id == I.c.upload_id)
            .join(E, E.c.person_id == U.c.owner_person_id)
            .where(
                I.c.channel == "message",
                I.c.content.is_not(None),
                U.c.status == UploadStatus.ACTIVE,
                E.c.consent == ConsentLevel.NAMED,
            )
            .distinct()
        ).all()
    texts = [""] * snap.n_nodes
    frame = pd.DataFrame(rows, columns=["person", "content"])
    frame["node"] = snap.index_of(frame["person"].to_numpy(dtype=np.int64))
    frame = frame[frame["node"] >= 0].sort_values(["node", "content"], kind="stable")
    if frame.empty:
        return texts
    nodes, said = frame["node"].to_numpy(), frame["content"].tolist()
    starts = np.flatnonzero(np.r_[True, nodes[1:] != nodes[:-1]])
    for start, end in zip(starts.tolist(), [*starts[1:].tolist(), len(nodes)], strict=True):
        texts[int(nodes[start])] = "\n".join(" ".join(str(c).split()) for c in said[start:end])
    return texts


def our_names(source: Workspace | Store) -> set[str]:
    """The folded words of our own company's name (every employee's headline says it)."""
    O = table_of(Organisation)
    with _store(source).read() as conn:
        names = conn.execute(select(O.c.name).where(O.c.is_ours.is_(True))).scalars().all()
    return {word for name in names for word in _WORD.findall(fold(name))}


# -- the topic model ---------------------------------------------------------------------


class _Analyser:
    """A text's words: folded, stop words out, Spanish words of trade in English."""

    def __init__(self, stop: frozenset[str], synonyms: dict[str, str]) -> None:
        self.stop, self.synonyms = stop, synonyms

    def __call__(self, text: str) -> list[str]:
        get = self.synonyms.get
        return [get(w, w) for w in _WORD.findall(fold(text)) if w not in self.stop]


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return _is_int(value) or isinstance(value, float | np.floating)


def _check(name: str, value: object, ok: bool, expected: str) -> None:
    if not ok:
        raise BadInputError(
            f"The '{name}' parameter of fit_topics must be {expected}. Got {value!r} instead."
        )


def _sublinear(counts: Any) -> sp.csr_matrix:
    out = sp.csr_matrix(counts, dtype=np.float64)
    out.data = 1.0 + np.log(out.data)
    return out


def _display(words: set[str], docs: Iterable[str]) -> dict[str, str]:
    """Folded word -> its commonest spelling in ``docs`` (lower case, accents kept)."""
    seen: Counter[str] = Counter()
    for doc in docs:
        seen.update(_RAW_WORD.findall(doc.lower()))
    best: dict[str, tuple[int, str]] = {}
    for word, count in seen.items():
        key = fold(word)
        if key in words and count > best.get(key, (0, ""))[0]:
            best[key] = (count, word)
    return {key: word for key, (_, word) in best.items()}


def fit_topics(
    texts: Sequence[str],
    *,
    n_topics: int = 10,
    messages: Sequence[str] | None = None,
    message_weight: float = 0.2,
    stop_words: Iterable[str] = (),
    n_terms: int = 6,
    min_df: int = 2,
    max_df: float = 0.3,
    seed: int = 0,
) -> Topics:
    """Topics of ``texts`` (one per person) and each person's mix of them.

    Words are folded (case, accents), Spanish and English stop words and words of rank
    dropped (:data:`STOP_WORDS`, and ``stop_words``), Spanish words of trade put in
    English (:data:`SYNONYMS`); a word is kept when at least ``min_df`` people and at
    most a ``max_df`` share of the people with text use it. TF-IDF (sublinear counts,
    smoothed idf over people, unit rows), then NMF into ``n_topics`` topics (fewer when
    there are fewer distinct texts or words); ``seed`` seeds its start (nndsvda).
    ``messages``, one per person like ``texts``, add their words at ``message_weight``
    times the weight of the person's own.

    >>> t = fit_topics(["Ingeniera de Software", "Software Engineer", "Data Engineer",
    ...                 "Directora de Ventas", "Sales Director, Iberia", "Ventas", ""],
    ...                n_topics=2, min_df=1, max_df=1.0)
    >>> t.labels
    ['sales, iberia', 'engineer, software, data']
    >>> t.weights[-1].tolist()
    [0.0, 0.0]
    """
    for name, value in (("n_topics", n_topics), ("n_terms", n_terms), ("min_df", min_df)):
        _check(name, value, _is_int(value) and value >= 1, "an int >= 1")
    _check("max_df", max_df, _is_number(max_df) and 0 < max_df <= 1, "a number in (0, 1]")
    _check("message_weight", message_weight, _is_number(message_weight) and message_weight >= 0,
           "a number >= 0")  # fmt: skip
    n = len(texts)
    if messages is not None and len(messages) != n:
        raise BadInputError(
            f"The 'messages' parameter of fit_topics must hold one text per person ({n}). "
            f"Got {len(messages)} texts instead."
        )
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import CountVectorizer

    # The distinct (text, messages) pairs, how many people have each, and who.
    text_codes, text_values = pd.factorize(pd.Series(texts, dtype=object), sort=True)
    key = text_codes.astype(np.int64)
    msg_codes: Any = np.zeros(n, dtype=np.int64)
    msg_values: Any = [""]
    if messages is not None:
        msg_codes, msg_values = pd.factorize(pd.Series(messages, dtype=object), sort=True)
        key = key * len(msg_values) + msg_codes
    _, first, row_of = np.unique(key, return_index=True, return_inverse=True)
    people = np.bincount(row_of.ravel()).astype(np.float64)
    row_of = row_of.ravel()

    stop = STOP_WORDS | {w for s in stop_words for w in _WORD.findall(fold(s))}
    docs = [str(t) for t in text_values]
    notes = [str(m) for m in msg_values] if messages is not None else []
    vectoriser = CountVectorizer(analyzer=_Analyser(stop, SYNONYMS), dtype=np.float64)
    try:
        vectoriser.fit(docs + notes)
    except ValueError as exc:
        if "empty vocabulary" not in str(exc):
            raise
        return _empty(n)  # no text, or stop words only
    tf = _sublinear(vectoriser.transform(docs))[text_codes[first]]
    if notes and message_weight > 0:
        said = _sublinear(vectoriser.transform(notes))[msg_codes[first]]
        tf = sp.csr_matrix(tf + message_weight * said)

    # Document frequencies and idf over people, not over distinct texts.
    df = np.asarray((tf > 0).T @ people).ravel()
    with_text = float(people[tf.getnnz(axis=1) > 0].sum())
    keep = (df >= min_df) & (df <= max_df * with_text)
    if not keep.any():
        return _empty(n)
    idf = np.log((1.0 + with_text) / (1.0 + df[keep])) + 1.0
    x = sp.csr_matrix(tf[:, keep] @ sp.diags(idf))
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    x = sp.csr_matrix(sp.diags(inverse) @ x)
    vocabulary = vectoriser.get_feature_names_out()[keep]

    k = min(n_topics, *x.shape)
    model = NMF(n_components=k, init="nndsvda", max_iter=500, random_state=seed)
    scale = np.sqrt(people)
    w = model.fit_transform(sp.csr_matrix(sp.diags(scale) @ x)) / scale[:, None]
    totals = w.sum(axis=1, keepdims=True)
    mix = np.divide(w, totals, out=np.zeros_like(w), where=totals > 0)
    weights = mix[row_of].astype(np.float32)

    tops = [[j for j in np.argsort(-row, kind="stable")[:n_terms] if row[j] > 0]
            for row in model.components_]  # fmt: skip
    words = {str(vocabulary[j]) for top in tops for j in top}
    spelt = _display(words, docs)
    terms = [[spelt.get(str(vocabulary[j]), str(vocabulary[j])) for j in top] for top in tops]
    main = np.where(totals.ravel() > 0, w.argmax(axis=1), -1)[row_of]
    return Topics(
        labels=[", ".join(t[:3]) for t in terms],
        terms=terms,
        weights=weights,
        sizes=np.bincount(main[main >= 0], minlength=k).astype(np.int64),
    )


def _empty(n: int) -> Topics:
    """No words to learn from: no topics, every row empty."""
    return Topics(labels=[], terms=[], weights=np.zeros((n, 0), dtype=np.float32),
                  sizes=np.zeros(0, dtype=np.int64))  # fmt: skip


def person_topics(
    source: Workspace | Store,
    snap: Snapshot,
    *,
    n_topics: int = 10,
    messages: bool = False,
    message_weight: float = 0.2,
    seed: int = 0,
) -> Topics:
    """Topics of the snapshot's people: :func:`person_texts`, then :func:`fit_topics`.

    Our own company's name is a stop word. ``messages`` adds what people wrote
    (third-party data, off by default; see :func:`sent_messages`) at ``message_weight``
    times the weight of their own words.
    """
    texts = person_texts(source, snap)
    sent = sent_messages(source, snap) if messages else None
    return fit_topics(
        texts, n_topics=n_topics, messages=sent, message_weight=message_weight,
        stop_words=our_names(source), seed=seed,
    )  # fmt: skip


def industry_topics(snap: Snapshot) -> Topics:
    """One topic per industry of the snapshot (a sector is a label, not a word to learn).

    A person's industry is their own (Profile.csv), else their organisation's (CRM).
    """
    k = len(snap.industries)
    codes = np.asarray(snap.industry, dtype=np.int64)
    has = np.flatnonzero(codes >= 0)
    weights = np.zeros((snap.n_nodes, k), dtype=np.float32)
    weights[has, codes[has]] = 1.0
    return Topics(
        labels=list(snap.industries),
        terms=[[name] for name in snap.industries],
        weights=weights,
        sizes=np.bincount(codes[has], minlength=k).astype(np.int64),
    )


# -- PageRank within a topic -------------------------------------------------------------


def _reset(net: Network, weights: Any, caller: str) -> NDArray[np.float64]:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != net.n:
        raise BadInputError(
            f"The 'weights' parameter of {caller} must have one row per vertex ({net.n}; "
            f"topics.of_vertices(net) gives them). Got shape {w.shape} instead."
        )
    return np.clip(np.nan_to_num(w), 0.0, None)


def _check_damping(damping: float, caller: str) -> None:
    if not (_is_number(damping) and 0 <= damping < 1):
        raise BadInputError(
            f"The 'damping' parameter of {caller} must be a number in [0, 1). "
            f"Got {damping!r} instead."
        )


def _ranks(g: Any, net: Network, reset: NDArray[np.float64], damping: float) -> Any:
    total = float(reset.sum())
    if total <= 0:  # nobody of the topic here
        return np.zeros(net.n)
    return g.personalized_pagerank(
        directed=net.directed, damping=damping, reset=(reset / total).tolist(), weights="weight"
    )


def topic_pagerank(
    net: Network, weights: Any, topic: int, *, damping: float = 0.85
) -> NDArray[np.float64]:
    """PageRank of ``net``'s vertices that teleports to the people of ``topic``.

    ``weights`` has one row per vertex (``topics.of_vertices(net)``). The walk follows
    ties by their strength (an arc ``u -> v``: ``u`` follows or wrote to ``v``) and, with
    probability ``1 - damping``, and from people without ties out, jumps to a person drawn
    in proportion to their share of ``topic`` (Haveliwala's topic-sensitive PageRank,
    with soft membership). A hub of the topic is whom its members point to, whatever
    their own topic; people the topic's members do not reach score 0. The scores sum to
    1 (all 0 when nobody has the topic).

    >>> from tejido.influence.graph import Network
    >>> net = Network.from_edges([0, 1, 2], [1, 2, 3], directed=True)
    >>> w = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]])
    >>> topic_pagerank(net, w, 0).round(3).tolist()
    [0.174, 0.321, 0.273, 0.232]
    """
    reset = _reset(net, weights, "topic_pagerank")
    if not (_is_int(topic) and 0 <= topic < reset.shape[1]):
        raise BadInputError(
            f"The 'topic' parameter of topic_pagerank must be an int in [0, {reset.shape[1]}). "
            f"Got {topic!r} instead."
        )
    _check_damping(damping, "topic_pagerank")
    return np.asarray(_ranks(net.igraph(), net, reset[:, int(topic)], damping), dtype=np.float64)


def topic_pageranks(net: Network, weights: Any, *, damping: float = 0.85) -> NDArray[np.float64]:
    """:func:`topic_pagerank` of every topic (one column each), on one graph built once."""
    reset = _reset(net, weights, "topic_pageranks")
    _check_damping(damping, "topic_pageranks")
    out = np.zeros(reset.shape)
    if reset.shape[1]:
        g = net.igraph()
        for k in range(reset.shape[1]):
            out[:, k] = _ranks(g, net, reset[:, k], damping)
    return out
