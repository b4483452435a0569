"""Importing a generic edge list (CSV, TSV, SNAP text or Parquet): any network can be analysed."""

from __future__ import annotations

import io
import re
from pathlib import PurePath
from typing import Any

import polars as pl
from sqlalchemy import insert

from tejido.errors import BadInputError
from tejido.ingest.files import decode
from tejido.ingest.identity import PersonMention, Resolver, chunks
from tejido.ingest.normalise import fold
from tejido.ingest.upload import ImportResult, find_duplicate, finish_upload, record_upload
from tejido.store.models import Connection, UploadKind, table_of
from tejido.store.session import Store

__all__ = ["SOURCE", "TARGET", "WEIGHT", "import_edges_bytes", "read_edges"]

T = table_of(Connection)

SOURCE = ("source", "src", "from", "u", "node1", "id1", "source id", "from id", "a", "origen")
TARGET = ("target", "dst", "to", "v", "node2", "id2", "target id", "to id", "b", "destino")
WEIGHT = ("weight", "w", "strength", "value", "peso")

_COMMENT = re.compile(rb"^\s*[#%]")


def _frame_from_text(data: bytes, file: str, encoding: str | None) -> tuple[pl.DataFrame, int]:
    """(source, target[, weight]) columns as strings, and the physical line of the first row."""
    text = decode(data, file, encoding)
    lines = text.splitlines()
    skip = 0
    while skip < len(lines) and (not lines[skip].strip() or _COMMENT.match(lines[skip].encode())):
        skip += 1
    if skip == len(lines):
        raise BadInputError("no edges in the file", file=file)
    body = "\n".join(
        ln for ln in lines[skip:] if ln.strip() and not ln.lstrip().startswith(("#", "%"))
    )
    first = lines[skip]
    separator = next((s for s in ("\t", ",", ";") if s in first), None)
    if separator is None:
        separator = "\t"
        body = re.sub(r"[ ]+", "\t", body)
        first = re.sub(r"[ ]+", "\t", first.strip())
    cells = [fold(c) for c in first.split(separator)]
    has_header = (bool(cells) and cells[0] in SOURCE) or (len(cells) > 1 and cells[1] in TARGET)
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
    return frame, skip + 1 + (1 if has_header else 0)


def read_edges(data: bytes, file: str, *, encoding: str | None = None) -> tuple[pl.DataFrame, int]:
    """The edges of a file as a frame with string columns source, target and float weight."""
    if data[:4] == b"PAR1" or PurePath(file).suffix.lower() == ".parquet":
        try:
            frame = pl.read_parquet(io.BytesIO(data))
        except Exception as exc:  # pyarrow and polars raise many kinds
            raise BadInputError(f"not a readable Parquet file ({exc})", file=file) from None
        first_line = 1
        frame = frame.select(pl.all().cast(pl.Utf8))
    else:
        frame, first_line = _frame_from_text(data, file, encoding)
    names = {fold(c): c for c in frame.columns}
    source = next((names[a] for a in SOURCE if a in names), None)
    target = next((names[a] for a in TARGET if a in names), None)
    weight = next((names[a] for a in WEIGHT if a in names), None)
    if source is None or target is None:
        if frame.width < 2:
            raise BadInputError(
                "needs two columns (source and target), found " + str(frame.width), file=file
            )
        source, target = frame.columns[0], frame.columns[1]
        if weight is None and frame.width >= 3:
            weight = frame.columns[2]
    columns = [
        pl.col(source).str.strip_chars().alias("source"),
        pl.col(target).str.strip_chars().alias("target"),
    ]
    if weight is not None:
        columns.append(pl.col(weight).str.strip_chars().alias("weight_text"))
    edges = frame.select(columns).with_row_index("row")
    for field, label in (("source", source), ("target", target)):
        bad = edges.filter(pl.col(field).is_null() | (pl.col(field) == ""))
        if bad.height:
            raise BadInputError(
                "missing node id", file=file, line=first_line + int(bad["row"][0]), field=label
            )
        too_long = edges.filter(pl.col(field).str.len_chars() > 256)
        if too_long.height:
            raise BadInputError(
                "node id longer than 256 characters",
                file=file,
                line=first_line + int(too_long["row"][0]),
                field=label,
            )
    if weight is not None:
        edges = edges.with_columns(
            pl.col("weight_text").cast(pl.Float64, strict=False).alias("weight")
        )
        bad = edges.filter(
            pl.col("weight").is_null()
            & pl.col("weight_text").is_not_null()
            & (pl.col("weight_text") != "")
            | pl.col("weight").is_nan()
            | pl.col("weight").is_infinite()
        )
        if bad.height:
            value = bad["weight_text"][0]
            raise BadInputError(
                f"{value!r} is not a number",
                file=file,
                line=first_line + int(bad["row"][0]),
                field=weight,
            )
        edges = edges.drop("weight_text")
    else:
        edges = edges.with_columns(pl.lit(None, dtype=pl.Float64).alias("weight"))
    return edges.with_columns((pl.col("row") + first_line).alias("line")).drop("row"), first_line


def import_edges_bytes(
    store: Store,
    data: bytes,
    sha256: str,
    file: str,
    *,
    directed: bool = False,
    namespace: str | None = None,
    encoding: str | None = None,
    uploaded_by: str | None = None,
) -> ImportResult:
    """Import an edge list as one upload. Node ids are kept (namespaced by file) to name results."""
    edges, _ = read_edges(data, file, encoding=encoding)
    space = namespace or PurePath(file).stem
    loops = edges.filter(pl.col("source") == pl.col("target")).height
    edges = edges.filter(pl.col("source") != pl.col("target"))
    if directed:
        key = [pl.col("source"), pl.col("target")]
    else:
        key = [pl.min_horizontal("source", "target"), pl.max_horizontal("source", "target")]
    deduped = edges.with_columns(key[0].alias("_a"), key[1].alias("_b")).unique(
        subset=["_a", "_b"], keep="first", maintain_order=True
    )
    repeated = edges.height - deduped.height
    nodes = pl.concat([deduped["source"], deduped["target"]]).unique(maintain_order=True).to_list()
    with store.write() as conn:
        duplicate = find_duplicate(conn, UploadKind.EDGES, sha256)
        if duplicate is not None:
            return ImportResult(
                "edges", file, duplicate.id, "unchanged", counts=dict(duplicate.counts)
            )
        upload_id = record_upload(conn, UploadKind.EDGES, file, sha256, uploaded_by=uploaded_by)
        resolver = Resolver(conn, upload_id)
        ids = resolver.people(
            [PersonMention(display=node, external=f"{space}:{node}") for node in nodes]
        )
        person_of = dict(zip(nodes, ids, strict=True))
        rows: list[dict[str, Any]] = [
            {
                "upload_id": upload_id,
                "line": line,
                "kind": "edge",
                "source_id": person_of[s],
                "target_id": person_of[t],
                "directed": directed,
                "weight": w,
            }
            for s, t, w, line in deduped.select("source", "target", "weight", "line").iter_rows()
        ]
        for part in chunks(rows, 50_000):
            conn.execute(insert(T), list(part))
        counts: dict[str, Any] = {
            "edges": len(rows),
            "nodes": len(nodes),
            "self_loops_skipped": loops,
            "repeated_edges_skipped": repeated,
            "people_new": resolver.stats.created,
            "directed": int(directed),
        }
        warnings = []
        if loops:
            warnings.append(f"skipped {loops} self-loops")
        if repeated:
            warnings.append(f"skipped {repeated} repeated edges (the first one is kept)")
        finish_upload(conn, upload_id, {**counts, "namespace": space}, warnings)
    return ImportResult("edges", file, upload_id, "imported", counts=counts, warnings=warnings)
