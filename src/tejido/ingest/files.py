"""Reading uploaded files safely: zip archives, text encodings and CSV tables with a header row.

Everything here raises ``BadInputError`` naming the file, the line and the field.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tejido.errors import BadInputError
from tejido.ingest.normalise import fold

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_FIELD_BYTES",
    "Archive",
    "Table",
    "decode",
    "gunzip",
    "read_table",
]

# A cell larger than this is not data a person typed: refuse it rather than store it.
# Each field has its own, smaller limit (see Row.text); the csv reader is given a much
# larger one, only while it reads, so that the error can name the field.
MAX_FIELD_BYTES = 1 << 20
_READER_FIELD_LIMIT = 256 << 20

# A member that inflates more than this many times is treated as a zip bomb.
MAX_RATIO = 200
# What one upload may inflate to, unless the workspace's max_upload_bytes says otherwise.
DEFAULT_MAX_BYTES = 2 * 1024**3
MIN_BOMB_BYTES = 1 << 20


class Archive:
    """A zip archive read in memory, checked against traversal names and bombs.

    Members are found by name case-insensitively, at the root or under one folder
    (people re-zip the folder they unpacked).
    """

    def __init__(self, data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.name = name
        self.max_bytes = max_bytes
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, EOFError, ValueError, OSError) as exc:
            raise BadInputError(f"not a readable zip archive ({exc})", file=name) from None
        total = 0
        self._members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            _check_member_name(info, name)
            total += info.file_size
            if info.compress_size > len(data):
                raise BadInputError(
                    f"member claims {info.compress_size:,} compressed bytes in an archive of "
                    f"{len(data):,}: refused (corrupt or forged header)",
                    file=f"{name}/{info.filename}",
                )
            if info.file_size > MIN_BOMB_BYTES and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise BadInputError(
                    f"member inflates {info.file_size:,} bytes from {info.compress_size:,} "
                    f"(over {MAX_RATIO}x): refused as a zip bomb",
                    file=f"{name}/{info.filename}",
                )
            if info.is_dir():
                continue
            self._members.setdefault(info.filename.lower(), info)
        if total > max_bytes:
            raise BadInputError(
                f"archive inflates to {total:,} bytes, over the limit of {max_bytes:,}", file=name
            )

    def names(self) -> list[str]:
        return [info.filename for info in self._members.values()]

    def find(self, member: str) -> str | None:
        """The stored name of ``member`` (e.g. ``"Connections.csv"``), or None."""
        wanted = member.lower()
        if wanted in self._members:
            return self._members[wanted].filename
        for key, info in self._members.items():
            parts = PurePosixPath(key).parts
            if len(parts) >= 2 and "/".join(parts[1:]) == wanted:
                return info.filename
        return None

    def read(self, member: str) -> bytes:
        """The bytes of a member, never more than its declared size (declared sizes can lie)."""
        info = self._members[member.lower()]
        limit = min(info.file_size, self.max_bytes)
        ceiling = max(MAX_RATIO * max(info.compress_size, 1), MIN_BOMB_BYTES)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as handle:
                # In chunks: stop as soon as the member outgrows what it declared or
                # inflates past the bomb ratio, before it is all in memory.
                while chunk := handle.read(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        raise BadInputError(
                            "member is larger than declared", file=self.label(member)
                        )
                    if size > ceiling:
                        raise BadInputError(
                            f"member inflates over {MAX_RATIO}x: refused as a zip bomb",
                            file=self.label(member),
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, ValueError, OSError, RuntimeError) as exc:
            raise BadInputError(f"cannot read member ({exc})", file=self.label(member)) from None
        return b"".join(chunks)

    def label(self, member: str) -> str:
        return f"{self.name}/{member}"


def gunzip(data: bytes, file: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """``data`` itself, or inflated when it is gzip (SNAP ships ``.txt.gz``).

    Inflated in steps and refused as a gzip bomb as soon as it passes ``max_bytes`` or
    the ratio a zip member may have: a bomb is never inflated whole.

    >>> import gzip
    >>> gunzip(gzip.compress(b"1 2\\n"), "e.txt.gz")
    b'1 2\\n'
    """
    if data[:2] != b"\x1f\x8b":
        return data
    ceiling = min(max_bytes, max(MAX_RATIO * len(data), MIN_BOMB_BYTES))
    inflater = zlib.decompressobj(wbits=47)
    parts: list[bytes] = []
    size = 0
    pending = data
    try:
        while pending and not inflater.eof:
            part = inflater.decompress(pending, 1 << 20)
            pending = inflater.unconsumed_tail
            size += len(part)
            if size > ceiling:
                raise BadInputError(
                    f"inflates past {ceiling:,} bytes ({MAX_RATIO}x its size, at most "
                    f"{max_bytes:,}): refused as a gzip bomb",
                    file=file,
                )
            parts.append(part)
    except zlib.error as exc:
        raise BadInputError(f"not a readable gzip file ({exc})", file=file) from None
    if not inflater.eof:
        raise BadInputError("truncated gzip file", file=file)
    return b"".join(parts)


def _check_member_name(info: zipfile.ZipInfo, archive: str) -> None:
    raw = info.filename
    parts = PurePosixPath(raw.replace("\\", "/")).parts
    unsafe = (
        raw.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", raw) is not None
        or ".." in parts
        or "\x00" in raw
        or stat.S_ISLNK(info.external_attr >> 16)
    )
    if unsafe:
        raise BadInputError(
            f"member name {raw!r} points outside the archive (path traversal): refused",
            file=archive,
        )


_BOMS: Sequence[tuple[bytes, str]] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, file: str, encoding: str | None = None) -> str:
    """Text of ``data``: UTF-8 (with or without BOM), or UTF-16/32 with a BOM.

    Without a BOM, anything that is not valid UTF-8 is refused with the line where it
    stops being UTF-8: guessing Latin-1 silently would store mojibake.

    >>> decode(b"\\xef\\xbb\\xbfName\\n", "a.csv")
    'Name\\n'
    >>> decode("Nombre\\nBego\\u00f1a\\n".encode("latin-1"), "a.csv")
    Traceback (most recent call last):
    ...
    tejido.errors.BadInputError: a.csv, line 2: not UTF-8 text (byte 0xf1 at column 5); \
save the file as UTF-8 or give its encoding (e.g. --encoding latin-1)
    """
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise BadInputError(f"cannot decode as {encoding} ({exc})", file=file) from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise BadInputError(f"invalid {codec} text ({exc.reason})", file=file) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BadInputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column}); "
            "save the file as UTF-8 or give its encoding (e.g. --encoding latin-1)",
            file=file,
            line=line,
        ) from None


@dataclass(frozen=True, slots=True)
class Row:
    """One record of a table: its file, the line where it starts and its cells."""

    file: str
    line: int
    cells: Sequence[str]
    index: Mapping[str, int]  # canonical field -> column
    headers: Mapping[str, str]  # canonical field -> the header as the file wrote it

    def text(self, field: str, max_len: int = 512) -> str | None:
        """The stripped cell, None when blank; refused when longer than ``max_len``."""
        column = self.index.get(field)
        if column is None:
            return None
        value = self.cells[column].strip()
        if len(value) > max_len:
            raise self.error(field, f"{len(value):,} characters long, at most {max_len:,} accepted")
        return value or None

    def error(self, field: str, message: str) -> BadInputError:
        return BadInputError(
            message, file=self.file, line=self.line, field=self.headers.get(field, field)
        )


@dataclass
class Table:
    """A CSV table located by its header row: fields mapped to canonical names."""

    file: str
    header_line: int
    fields: dict[str, int]  # canonical field -> column index
    headers: dict[str, str]  # canonical field -> the header as the file wrote it
    lines: list[int]  # line where each record starts
    records: list[list[str]]  # cells of each record, padded to the header's width
    skipped_blank: int = 0

    def __len__(self) -> int:
        return len(self.records)

    def row(self, i: int) -> Row:
        return Row(self.file, self.lines[i], self.records[i], self.fields, self.headers)

    def rows(self) -> Iterator[Row]:
        for i in range(len(self.records)):
            yield self.row(i)

    def texts(self, field: str, max_len: int = 512) -> list[str | None]:
        """One column, stripped, None for blanks; refused past ``max_len`` (whole-column fast)."""
        column = self.fields.get(field)
        if column is None:
            return [None] * len(self.records)
        values = [cells[column].strip() or None for cells in self.records]
        if values and max(map(len, filter(None, values)), default=0) > max_len:
            for i, v in enumerate(values):
                if v and len(v) > max_len:
                    raise self.row(i).error(
                        field, f"{len(v):,} characters long, at most {max_len:,} accepted"
                    )
        return values

    def error(self, i: int, field: str, message: str) -> BadInputError:
        return self.row(i).error(field, message)


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_table(
    text: str,
    file: str,
    columns: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str],
    scan_lines: int = 50,
) -> Table:
    """Parse CSV ``text``, find its header row and map columns to canonical fields.

    ``columns`` maps each canonical field to the header spellings that mean it (compared
    folded: case, accents and punctuation ignored). The header is the first record, among
    the first ``scan_lines`` lines, that holds every ``required`` field: preambles such as
    LinkedIn's "Notes:" are skipped. Blank records are skipped; records with more cells
    than the header keep the first ones.
    """
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise BadInputError("NUL byte in the text (binary file?)", file=file, line=line)
    previous = csv.field_size_limit(_READER_FIELD_LIMIT)
    try:
        return _read_table(text, file, columns, required, scan_lines)
    finally:
        csv.field_size_limit(previous)


def _read_table(
    text: str,
    file: str,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str],
    scan_lines: int,
) -> Table:
    aliases = {fold(a): canon for canon, names in columns.items() for a in (canon, *names)}
    first_line = next((ln for ln in text[:8192].splitlines() if ln.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    records = _records(reader, file)
    header: dict[str, int] | None = None
    written: dict[str, str] = {}
    header_line = 0
    for line, cells in records:
        if line > scan_lines:
            break
        mapped: dict[str, int] = {}
        for index, cell in enumerate(cells):
            canon = aliases.get(fold(cell))
            if canon is not None and canon not in mapped:
                mapped[canon] = index
        if all(field in mapped for field in required):
            header, header_line = mapped, line
            written = {field: cells[index].strip() for field, index in mapped.items()}
            break
    if header is None:
        wanted = ", ".join(f'"{f}"' for f in required)
        raise BadInputError(
            f"no header row with the columns {wanted} in the first {scan_lines} lines", file=file
        )
    width = max(header.values()) + 1
    lines: list[int] = []
    kept: list[list[str]] = []
    blank = 0
    for line, cells in records:
        if len(cells) < width:
            if not any(c.strip() for c in cells):
                blank += 1
                continue
            cells = cells + [""] * (width - len(cells))
        elif not any(cells) and not any(c.strip() for c in cells):
            blank += 1
            continue
        lines.append(line)
        kept.append(cells)
    return Table(file, header_line, header, written, lines, kept, blank)


def _records(reader: Iterator[list[str]], file: str) -> Iterator[tuple[int, list[str]]]:
    """(start line, cells) for each CSV record; csv errors become BadInputError."""
    line_num = 0
    while True:
        start = line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = str(exc)
            if "field larger than field limit" in reason:
                reason = f"a field is larger than {_READER_FIELD_LIMIT:,} characters"
            raise BadInputError(reason, file=file, line=start) from None
        line_num = reader.line_num  # type: ignore[attr-defined]
        yield start, cells


def file_label(path: Path | str) -> str:
    """The name an upload is known by: its base name (never the uploader's full path)."""
    return Path(path).name
