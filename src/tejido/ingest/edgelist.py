"""Importing a generic edge list (CSV, TSV, SNAP text or Parquet): any network can be analysed."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import polars as pl
from sqlalchemy import Connection as SqlConnection

from tejido.errors import BadInputError
from tejido.ingest.files import DEFAULT_MAX_BYTES, decode, file_label, gunzip
from tejido.ingest.identity import PersonMention, Resolver
from tejido.ingest.normalise import fold
from tejido.ingest.upload import Written
from tejido.store.bulk import Bulk
from tejido.store.models import UploadKind

__all__ = ["SOURCE", "TARGET", "WEIGHT", "EdgeListUpload", "prepare_edges", "read_edges"]


SOURCE = ("source", "src", "from", "u", "node1", "id1", "source id", "from id", "a", "origen")
TARGET = ("target", "dst", "to", "v", "node2", "id2", "target id", "to id", "b", "destino")
WEIGHT = ("weight", "w", "strength", "value", "peso")

_COMMENT = re.compile(r"^\s*[#%]")
_SPACES = re.compile(r"\s+")


def _frame_from_text(data: bytes, file: str, encoding: str | None) -> pl.DataFrame:
    """The file's columns as strings, with the physical line of each row in ``line``."""
    text = decode(data, file, encoding)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise BadInputError("NUL byte in the text (binary file?)", file=file, line=line)
    numbered = [
        (number, line)
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not _COMMENT.match(line)
    ]
    if not numbered:
        raise BadInputError("no edges in the file", file=file)
    first = numbered[0][1]
    separator = next((s for s in (",", ";") if s in first), None)
    if separator is None:
        # Whitespace-separated (tabs or spaces, SNAP style).
        separator = "\t"
        numbered = [(n, _SPACES.sub("\t", line.strip())) for n, line in numbered]
        first = numbered[0][1]
    cells = [fold(c) for c in first.split(separator)]
    # A header names both first columns, and not with one letter: "a,b" or "u v" is an edge.
    has_header = (
        len(cells) > 1
        and cells[0] in SOURCE
        and cells[1] in TARGET
        and min(len(cells[0]), len(cells[1])) > 1
    )
    rows = numbered[1:] if has_header else numbered
    if not rows:
        raise BadInputError("no edges in the file, only a header", file=file)
    body = "\n".join(line for _, line in numbered)
    try:
        frame = pl.read_csv(
            io.StringIO(body),
            separator=separator,
            has_header=has_header,
            infer_schema=False,
            truncate_ragged_lines=True,
            quote_char='"',
        )
    except pl.exceptions.PolarsError as exc:
        raise BadInputError(f"cannot be read as an edge list ({exc})", file=file) from None
    if frame.height != len(rows):
        raise BadInputError(
            "rows could not be told apart (unbalanced quotes?)", file=file, line=rows[0][0]
        )
    return frame.with_columns(pl.Series("line", [n for n, _ in rows], dtype=pl.Int64))


def read_edges(data: bytes, file: str, *, encoding: str | None = None) -> pl.DataFrame:
    """The edges of a file: string columns source and target, float weight, int line."""
    if data[:4] == b"PAR1" or PurePath(file).suffix.lower() == ".parquet":
        try:
            frame = pl.read_parquet(io.BytesIO(data))
        except Exception as exc:  # pyarrow and polars raise many kinds
            raise BadInputError(f"not a readable Parquet file ({exc})", file=file) from None
        # A Parquet "line" is the row number, counted from 1.
        frame = frame.select(pl.all().cast(pl.Utf8)).with_row_index("line", offset=1)
        for column in frame.columns[1:]:
            nul = frame.filter(pl.col(column).str.contains("\x00", literal=True))
            if nul.height:
                raise BadInputError(
                    "NUL byte in a value", file=file, line=int(nul["line"][0]), field=column
                )
        frame = frame.with_columns(pl.col("line").cast(pl.Int64))
    else:
        frame = _frame_from_text(data, file, encoding)
    data_columns = [c for c in frame.columns if c != "line"]
    names = {fold(c): c for c in data_columns}
    source = next((names[a] for a in SOURCE if a in names), None)
    target = next((names[a] for a in TARGET if a in names), None)
    weight = next((names[a] for a in WEIGHT if a in names), None)
    if source is None or target is None:
        if len(data_columns) < 2:
            raise BadInputError(
                f"needs two columns (source and target), found {len(data_columns)}", file=file
            )
        source, target = data_columns[0], data_columns[1]
        if weight is None and len(data_columns) >= 3:
            weight = data_columns[2]
    columns = [
        pl.col(source).str.strip_chars().alias("source"),
        pl.col(target).str.strip_chars().alias("target"),
        pl.col("line"),
    ]
    if weight is not None:
        columns.append(pl.col(weight).str.strip_chars().alias("weight_text"))
    edges = frame.select(columns)
    for field, label in ((("source"), source), ("target", target)):
        bad = edges.filter(pl.col(field).is_null() | (pl.col(field) == ""))
        if bad.height:
            raise BadInputError("missing node id", file=file, line=int(bad["line"][0]), field=label)
        too_long = edges.filter(pl.col(field).str.len_chars() > 256)
        if too_long.height:
            raise BadInputError(
                "node id longer than 256 characters",
                file=file,
                line=int(too_long["line"][0]),
                field=label,
            )
    if weight is None:
        return edges.with_columns(pl.lit(None, dtype=pl.Float64).alias("weight"))
    edges = edges.with_columns(pl.col("weight_text").cast(pl.Float64, strict=False).alias("weight"))
    written = pl.col("weight_text").is_not_null() & (pl.col("weight_text") != "")
    bad = edges.filter(
        (pl.col("weight").is_null() & written)
        | pl.col("weight").is_nan()
        | pl.col("weight").is_infinite()
    )
    if bad.height:
        raise BadInputError(
            f"{bad['weight_text'][0][:80]!r} is not a number",
            file=file,
            line=int(bad["line"][0]),
            field=weight,
        )
    return edges.drop("weight_text")


@dataclass
class EdgeListUpload:
    """A parsed edge list, ready to be written as one upload."""

    file: str
    edges: pl.DataFrame  # deduplicated, without self-loops: source, target, weight, line
    nodes: list[str]  # every node of the file, self-loop-only ones included
    directed: bool
    namespace: str
    self_loops: int
    repeated: int
    kind: UploadKind = UploadKind.EDGES

    def write(self, conn: SqlConnection, upload_id: int, resolver: Resolver) -> Written:
        ids = resolver.people(
            [
                PersonMention(display=node, external=f"{self.namespace}:{node}")
                for node in self.nodes
            ]
        )
        person_of = dict(zip(self.nodes, ids, strict=True))
        bulk = Bulk(conn)
        columns = ("upload_id", "line", "kind", "source_id", "target_id", "directed", "weight")
        for part in self.edges.iter_slices(50_000):
            bulk.insert(
                "connection",
                columns,
                [
                    (upload_id, line, "edge", person_of[s], person_of[t], self.directed, w)
                    for s, t, w, line in part.select(
                        "source", "target", "weight", "line"
                    ).iter_rows()
                ],
            )
        counts: dict[str, Any] = {
            "edges": self.edges.height,
            "nodes": len(self.nodes),
            "self_loops_skipped": self.self_loops,
            "repeated_edges_skipped": self.repeated,
            "people_new": resolver.stats.created,
            "directed": int(self.directed),
            "namespace": self.namespace,
        }
        warnings = []
        if self.self_loops:
            warnings.append(f"skipped {self.self_loops} self-loops")
        if self.repeated:
            warnings.append(f"skipped {self.repeated} repeated edges (the first one is kept)")
        return Written(counts, warnings)


def prepare_edges(
    data: bytes,
    file: str,
    *,
    directed: bool = False,
    namespace: str | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> EdgeListUpload:
    """Parse an edge list. Node ids are kept (namespaced by file) to name results."""
    file = file_label(file)
    edges = read_edges(gunzip(data, file, max_bytes=max_bytes), file, encoding=encoding)
    # Every node of the file is a person, even one whose only edge is a self-loop.
    nodes = pl.concat([edges["source"], edges["target"]]).unique(maintain_order=True).to_list()
    loops = edges.filter(pl.col("source") == pl.col("target")).height
    edges = edges.filter(pl.col("source") != pl.col("target"))
    if directed:
        key = [pl.col("source"), pl.col("target")]
    else:
        key = [pl.min_horizontal("source", "target"), pl.max_horizontal("source", "target")]
    deduped = edges.with_columns(key[0].alias("_a"), key[1].alias("_b")).unique(
        subset=["_a", "_b"], keep="first", maintain_order=True
    )
    return EdgeListUpload(
        file=file,
        edges=deduped.drop("_a", "_b"),
        nodes=nodes,
        directed=directed,
        namespace=namespace or PurePath(file).name.split(".")[0],
        self_loops=loops,
        repeated=edges.height - deduped.height,
    )
