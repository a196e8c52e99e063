"""RFC 4180 CSV of the export: CRLF lines, quoted as needed, formula cells escaped."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator, Iterable

from crm.core.spreadsheet import escape_formula
from crm.exports.columns import HEADERS, iso_utc, table_row
from crm.exports.query import ExportRecord

BOM = "\ufeff".encode()
_YES_NO = {False: "no", True: "yes"}  # also 0 and 1: SQLite's booleans


# A line needs csv's quoting if a cell holds a quote, a line break or a comma (more commas
# than the separators); most do not, and joining them is several times faster than csv.
_QUOTE_NEEDED = re.compile(r'["\r\n]').search
_SEPARATORS = len(HEADERS) - 1


def csv_row(record: ExportRecord) -> list[str]:
    return table_row(record, escape_formula, _YES_NO.__getitem__, iso_utc, "")


def csv_lines(records: Iterable[ExportRecord]) -> str:
    """The records as CSV lines, exactly as `csv.writer(lineterminator="\\r\\n")` writes them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for record in records:
        cells = csv_row(record)
        line = ",".join(cells)
        if line.count(",") != _SEPARATORS or _QUOTE_NEEDED(line):
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    yield (BOM if bom else b"") + buffer.getvalue().encode()
    async for records in pages:
        yield csv_lines(records).encode()
