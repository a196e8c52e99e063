"""RFC 4180 CSV of the export: CRLF lines, quoted as needed, formula cells escaped."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

from crm.core.spreadsheet import escape_formula
from crm.exports.columns import HEADERS, iso_utc, table_row
from crm.exports.companies import COMPANY_HEADERS, CompanyRecord, company_row
from crm.exports.query import ExportRecord

BOM = "\ufeff".encode()
_YES_NO = {False: "no", True: "yes"}  # also 0 and 1: SQLite's booleans


# A line needs csv's quoting if a cell holds a quote, a line break or a comma (more commas
# than the separators); most do not, and joining them is several times faster than csv.
_QUOTE_NEEDED = re.compile(r'["\r\n]').search
_SEPARATORS = len(HEADERS) - 1


def csv_row(record: ExportRecord) -> list[str]:
    return table_row(record, escape_formula, _YES_NO.__getitem__, iso_utc, "")


def company_csv_row(record: CompanyRecord) -> list[str]:
    return company_row(record, escape_formula, _YES_NO.__getitem__, iso_utc, "")


def csv_lines(
    records: Iterable[Any],
    cells_of: Callable[[Any], list[str]] = csv_row,
    separators: int = _SEPARATORS,
) -> str:
    """The records as CSV lines, exactly as `csv.writer(lineterminator="\\r\\n")` writes them;
    `cells_of` gives a record's cells, `separators` is one less than their number."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for record in records:
        cells = cells_of(record)
        line = ",".join(cells)
        if line.count(",") != separators or _QUOTE_NEEDED(line):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(cells)
            lines.append(buffer.getvalue())
        else:
            lines.append(line + "\r\n")
    return "".join(lines)


async def csv_chunks(
    pages: AsyncIterator[list[ExportRecord]], *, bom: bool = False
) -> AsyncIterator[bytes]:
    """RFC 4180 CSV (CRLF, quoted as needed), one chunk per page; header first, at once."""
    async for chunk in _chunks(pages, HEADERS, csv_row, bom):
        yield chunk


async def company_csv_chunks(
    pages: AsyncIterator[list[CompanyRecord]], *, bom: bool = False
) -> AsyncIterator[bytes]:
    async for chunk in _chunks(pages, COMPANY_HEADERS, company_csv_row, bom):
        yield chunk


async def _chunks(
    pages: AsyncIterator[list[Any]],
    headers: list[str],
    cells_of: Callable[[Any], list[str]],
    bom: bool,
) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    yield (BOM if bom else b"") + buffer.getvalue().encode()
    separators = len(headers) - 1
    async for records in pages:
        yield csv_lines(records, cells_of, separators).encode()
