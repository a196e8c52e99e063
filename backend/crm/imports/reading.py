"""Reading an uploaded CSV or xlsx file: encoding, delimiter, header row, data rows.

Files are read as streams, one row at a time, so a million-row upload never sits in
memory. Every row comes out as a list of strings (missing cells are "") with its row
number as a spreadsheet shows it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import IO, Any

SNIFF_BYTES = 256 * 1024
DELIMITERS = ",;\t|"
# Rows looked at to find the header (a title or blank rows may come first).
HEADER_SEARCH_ROWS = 20
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000


class FileProblem(Exception):
    """The file cannot be read as a contact list; the message says why."""


@dataclass
class FileInfo:
    format: str  # "csv" | "xlsx"
    encoding: str | None
    delimiter: str | None
    header_row: int  # 1-based row number of the header
    headers: list[str]


@dataclass
class Row:
    number: int  # as a spreadsheet numbers it: the header is usually row 1
    cells: list[str]


def detect_format(path: Path) -> str:
    with path.open("rb") as handle:
        start = handle.read(4)
    # xlsx is a zip archive; anything else is read as delimited text.
    return "xlsx" if start.startswith(b"PK\x03\x04") else "csv"


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or the NUL pattern of ASCII text), else
    Windows-1252, the encoding Excel on Windows saves "CSV" in."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    even, odd = sample[0:200:2], sample[1:200:2]
    if sample and odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if sample and even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def detect_delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        # The Sniffer wants a consistent count per line; the header line decides instead.
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _open_text(path: Path, encoding: str) -> IO[str]:
    # cp1252 leaves five bytes undefined: read them as Latin-1 rather than fail. A UTF
    # file that stops being valid fails the job at that row: guessing would garble names.
    if encoding == "cp1252":
        return io.TextIOWrapper(
            path.open("rb"), encoding="cp1252", errors="_crm_latin1", newline=""
        )
    return path.open(encoding=encoding, errors="strict", newline="")


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("latin-1"), error.end


codecs.register_error("_crm_latin1", _latin1_fallback)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        # A phone number typed into Excel arrives as 447700900123.0.
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _fit(cells: list[str]) -> list[str]:
    if len(cells) > MAX_COLUMNS:
        raise FileProblem(f"The file has more than {MAX_COLUMNS} columns")
    return [cell[:MAX_CELL_CHARS] for cell in cells]


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _csv_rows(path: Path, encoding: str, delimiter: str) -> Iterator[Row]:
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        number = 0
        try:
            for cells in reader:
                number += 1
                yield Row(number, _fit(cells))
        except csv.Error as error:
            raise FileProblem(f"row {number + 1} cannot be read: {error}") from None
        except UnicodeDecodeError:
            raise FileProblem(
                f"the text near row {number + 1} is not valid {encoding}; "
                "save the file as UTF-8 and import the rest"
            ) from None


def _xlsx_rows(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    # A file object, not a path: openpyxl would judge a path by its extension.
    with path.open("rb") as handle:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise FileProblem(
                f"This is not an Excel (xlsx) file that can be read: {error}"
            ) from None
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(min_row=1, values_only=True)
            for number, values in enumerate(rows, start=1):
                yield Row(number, _fit([_cell_text(value) for value in values]))
        finally:
            workbook.close()


def raw_rows(path: Path, info: FileInfo) -> Iterator[Row]:
    if info.format == "xlsx":
        return _xlsx_rows(path)
    assert info.encoding and info.delimiter
    return _csv_rows(path, info.encoding, info.delimiter)


def _find_header(rows: Iterator[Row]) -> Row:
    """The first row as wide as the widest of the first rows: a title row merged over the
    columns, or notes above the table, come before it."""
    seen: list[Row] = []
    for row in rows:
        if not _is_blank(row.cells):
            seen.append(row)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise FileProblem("The file is empty: there is no header row")
    widest = max(sum(1 for c in row.cells if c.strip()) for row in seen)
    for row in seen:
        if sum(1 for c in row.cells if c.strip()) * 2 >= widest:
            return row
    return seen[0]


def _used_width(cells: list[str]) -> int:
    return max((index + 1 for index, cell in enumerate(cells) if cell.strip()), default=0)


def _header_names(cells: list[str], format: str) -> list[str]:
    from openpyxl.utils import get_column_letter

    names = []
    for index, cell in enumerate(cells):
        name = " ".join(cell.split())
        if not name:
            label = get_column_letter(index + 1) if format == "xlsx" else str(index + 1)
            name = f"Column {label}"
        names.append(name)
    return names


def inspect(path: Path) -> FileInfo:
    format = detect_format(path)
    encoding = delimiter = None
    if format == "csv":
        with path.open("rb") as handle:
            sample = handle.read(SNIFF_BYTES)
        if not sample.strip():
            raise FileProblem("The file is empty")
        if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = detect_encoding(sample)
            if not encoding.startswith("utf-16"):
                raise FileProblem("This looks like a binary file, not a CSV or Excel file")
        else:
            encoding = detect_encoding(sample)
        text = sample.decode(encoding.replace("-sig", ""), errors="ignore").lstrip("\ufeff")
        delimiter = detect_delimiter(text)
    info = FileInfo(format, encoding, delimiter, 1, [])
    header = _find_header(raw_rows(path, info))
    info.header_row = header.number
    # Columns reach as far as a header or a value in the first rows does.
    width = _used_width(header.cells)
    for row in islice(data_rows(path, info), 200):
        width = max(width, _used_width(row.cells))
    info.headers = _header_names(header.cells[:width] + [""] * (width - len(header.cells)), format)
    if not info.headers:
        raise FileProblem("The header row is empty")
    return info


def data_rows(path: Path, info: FileInfo) -> Iterator[Row]:
    """The rows after the header, blank rows included (callers count and skip them)."""
    for row in raw_rows(path, info):
        if row.number > info.header_row:
            yield row


def samples(path: Path, info: FileInfo, per_column: int = 5, rows: int = 200) -> list[list[str]]:
    """Up to `per_column` distinct non-empty values per column from the first `rows` rows."""
    found: list[list[str]] = [[] for _ in info.headers]
    for count, row in enumerate(data_rows(path, info)):
        if count >= rows:
            break
        for index, cell in enumerate(row.cells[: len(found)]):
            value = cell.strip()
            if value and len(found[index]) < per_column and value not in found[index]:
                found[index].append(value[:100])
    return found


def count_rows(path: Path, info: FileInfo) -> int:
    """Data rows that hold something (blank rows are not counted), up to any unreadable
    part: the import itself stops there and says so."""
    count = 0
    with contextlib.suppress(FileProblem):
        for row in data_rows(path, info):
            count += not _is_blank(row.cells)
    return count


def is_blank(row: Row) -> bool:
    return _is_blank(row.cells)
