"""Reading an uploaded CSV or xlsx file: encoding, delimiter, header row, data rows.

Files are read as streams, one row at a time, so a million-row upload never sits in
memory. Every row comes out as a list of strings (missing cells are "") with its row
number as a spreadsheet shows it. The server runs these functions in a child process with
a memory and a time ceiling (`crm.imports.bounded`), never in its own.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice
from pathlib import Path
from typing import IO, Any

SNIFF_BYTES = 256 * 1024
DELIMITERS = ",;\t|"
# Records of the sample that decide the delimiter.
DELIMITER_RECORDS = 50
# Rows looked at to find the header (a title or blank rows may come first).
HEADER_SEARCH_ROWS = 20
# Rows after the header that decide the width and give each column's sample values.
SAMPLE_ROWS = 200
SAMPLES_PER_COLUMN = 5
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000
# An xlsx is a zip; its parts' sizes are checked before openpyxl unpacks any. A sheet of
# a million rows and a dozen columns is 500-650 MB of XML packed about 10:1, so 1 GiB a
# part lets the largest real contact lists through; a zip bomb packs 1,000:1. Small parts
# (styles, theme) may pack tighter and cost nothing to read.
MAX_XLSX_PART_BYTES = 1024**3
MAX_XLSX_UNPACKED_BYTES = 2 * 1024**3
MAX_XLSX_PACKING_RATIO = 100
PACKING_CHECKED_ABOVE = 1024**2
TOO_LARGE = "This spreadsheet is too large to read"


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


@dataclass
class Inspection:
    info: FileInfo
    samples: list[list[str]]  # per column, up to SAMPLES_PER_COLUMN distinct values


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
    """The candidate that most often splits the sample's first records into the same number
    (two or more) of fields; on a tie the earlier in DELIMITERS; "," when none splits them.
    csv's reader splits (quotes understood, linear time): csv.Sniffer takes time quadratic
    in a line's length (80 kB of `,"` took 50 s)."""
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        score = _split_score(text, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _split_score(text: str, delimiter: str) -> tuple[int, int]:
    """(how many records have the commonest width, that width), or (0, 0) below two."""
    widths: Counter[int] = Counter()
    # A field over csv's size limit ends the sample: the records before it decide.
    with contextlib.suppress(csv.Error):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for cells in islice(reader, DELIMITER_RECORDS):
            if not _is_blank(cells):
                widths[len(cells)] += 1
    count, width = max(((count, width) for width, count in widths.items()), default=(0, 0))
    return (count, width) if width >= 2 else (0, 0)


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


@contextlib.contextmanager
def _excel_errors() -> Iterator[None]:
    """zipfile and openpyxl raise many kinds of error for a damaged file: a FileProblem."""
    try:
        yield
    except (FileProblem, MemoryError):
        raise  # MemoryError: over the memory ceiling, not a damaged file
    except Exception as error:
        raise FileProblem(f"This is not an Excel (xlsx) file that can be read: {error}") from None


def _check_unpacked_sizes(handle: IO[bytes]) -> None:
    """Refuse an xlsx whose parts would unpack to more than a contact list needs, judged by
    the sizes its zip directory declares: zipfile never unpacks a part past its declared
    size (a part holding more fails its CRC check)."""
    with zipfile.ZipFile(handle) as archive:
        parts = archive.infolist()
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_XLSX_PART_BYTES or total > MAX_XLSX_UNPACKED_BYTES:
            raise FileProblem(
                f"{TOO_LARGE}: it unpacks to at least {_mb(total)}, over the limit of "
                f"{_mb(MAX_XLSX_PART_BYTES)} a part and {_mb(MAX_XLSX_UNPACKED_BYTES)} in all. "
                "Save the sheet as CSV and upload that, or split it"
            )
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > PACKING_CHECKED_ABOVE and ratio > MAX_XLSX_PACKING_RATIO:
            raise FileProblem(
                f"{TOO_LARGE}: its part {part.filename} would unpack to {_mb(part.file_size)}, "
                f"{ratio:,.0f} times its packed size; real spreadsheets pack about 10 to 1 "
                f"and the limit is {MAX_XLSX_PACKING_RATIO} to 1"
            )


def _mb(size: int) -> str:
    return f"{size / 1024**2:,.0f} MB"


def _xlsx_rows(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    # A file object, not a path: openpyxl would judge a path by its extension.
    with path.open("rb") as handle, _excel_errors():
        _check_unpacked_sizes(handle)
        workbook = load_workbook(handle, read_only=True, data_only=True)
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


def _leading_rows(rows: Iterator[Row]) -> list[Row]:
    """The first HEADER_SEARCH_ROWS rows that hold something."""
    seen: list[Row] = []
    for row in rows:
        if not _is_blank(row.cells):
            seen.append(row)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise FileProblem("The file is empty: there is no header row")
    return seen


def _pick_header(leading: list[Row]) -> Row:
    """The first row as wide as the widest of the first rows: a title row merged over the
    columns, or notes above the table, come before it."""
    widest = max(sum(1 for c in row.cells if c.strip()) for row in leading)
    for row in leading:
        if sum(1 for c in row.cells if c.strip()) * 2 >= widest:
            return row
    return leading[0]


def _sample_rows(header: Row, leading: list[Row], rest: Iterator[Row]) -> list[Row]:
    """The rows that hold something among the SAMPLE_ROWS after the header."""
    last = header.number + SAMPLE_ROWS
    found = [row for row in leading if header.number < row.number <= last]
    if leading[-1].number < last:
        for row in rest:
            if row.number > last:
                break
            if not _is_blank(row.cells):
                found.append(row)
    return found


def _used_width(cells: list[str]) -> int:
    return max((index + 1 for index, cell in enumerate(cells) if cell.strip()), default=0)


def _header_names(cells: list[str], format: str) -> list[str]:
    names = []
    for index, cell in enumerate(cells):
        name = " ".join(cell.split())
        names.append(name or f"Column {_column_label(index, format)}")
    return names


def _column_label(index: int, format: str) -> str:
    if format != "xlsx":
        return str(index + 1)
    from openpyxl.utils import get_column_letter  # imported for xlsx only: 60 ms

    return get_column_letter(index + 1)


def _samples(rows: list[Row], width: int) -> list[list[str]]:
    found: list[list[str]] = [[] for _ in range(width)]
    for row in rows:
        for index, cell in enumerate(row.cells[:width]):
            value = cell.strip()
            if value and len(found[index]) < SAMPLES_PER_COLUMN and value not in found[index]:
                found[index].append(value[:100])
    return found


def _text_layout(path: Path) -> tuple[str, str]:
    """The encoding and delimiter of a delimited text file, from its first SNIFF_BYTES."""
    with path.open("rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    if not sample.strip():
        raise FileProblem("The file is empty")
    encoding = detect_encoding(sample)
    if b"\x00" in sample and not encoding.startswith("utf-16"):
        raise FileProblem("This looks like a binary file, not a CSV or Excel file")
    text = sample.decode(encoding.replace("-sig", ""), errors="ignore").lstrip("\ufeff")
    return encoding, detect_delimiter(text)


def inspect(path: Path) -> Inspection:
    """Format, encoding, delimiter, header row, column names and sample values, from one
    pass over the file's first rows."""
    format = detect_format(path)
    encoding, delimiter = _text_layout(path) if format == "csv" else (None, None)
    info = FileInfo(format, encoding, delimiter, 1, [])
    with contextlib.closing(raw_rows(path, info)) as rows:
        leading = _leading_rows(rows)
        header = _pick_header(leading)
        following = _sample_rows(header, leading, rows)
    info.header_row = header.number
    # Columns reach as far as a header or a value in the first rows does.
    width = max(_used_width(row.cells) for row in [header, *following])
    info.headers = _header_names(header.cells[:width] + [""] * (width - len(header.cells)), format)
    if not info.headers:
        raise FileProblem("The header row is empty")
    return Inspection(info, _samples(following, width))


def data_rows(path: Path, info: FileInfo) -> Iterator[Row]:
    """The rows after the header, blank rows included (callers count and skip them)."""
    for row in raw_rows(path, info):
        if row.number > info.header_row:
            yield row


def count_rows(rows: Iterable[Row]) -> int:
    """The rows that hold something (blank rows are not counted), up to any unreadable
    part: the import itself stops there and says so."""
    count = 0
    with contextlib.suppress(FileProblem):
        for row in rows:
            count += not _is_blank(row.cells)
    return count


def is_blank(row: Row) -> bool:
    return _is_blank(row.cells)
