"""The export as an Excel workbook (xlsx), written by openpyxl without holding it in memory."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from crm.core.spreadsheet import escape_formula
from crm.exports.columns import HEADERS, naive_utc, table_row
from crm.exports.companies import COMPANY_HEADERS, company_row


def xlsx_headers(headers: list[str] = HEADERS) -> list[str]:
    return [f"{c} (UTC)" if c.endswith(" at") else c for c in headers]


@dataclass(frozen=True)
class Sheet:
    """What a workbook holds: its title, its headers and how a record becomes cells."""

    title: str
    headers: list[str]
    row: Callable[..., list[Any]]


CONTACTS_SHEET = Sheet("Contacts", HEADERS, table_row)
COMPANIES_SHEET = Sheet("Companies", COMPANY_HEADERS, company_row)


class XlsxWriter:
    """openpyxl in write-only mode: rows go to a temporary file as they come, never to memory.

    The zip is assembled at `finish()` into an anonymous temporary file that the caller
    streams; a worksheet cannot be zipped before its last row, so an xlsx download starts
    when the file is complete. Each call is blocking: run it in a worker thread.
    """

    def __init__(self, sheet: Sheet = CONTACTS_SHEET) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
        from openpyxl.styles import Font

        strip_illegal = ILLEGAL_CHARACTERS_RE.sub

        def text(value: str) -> str:
            return escape_formula(strip_illegal("", value))

        self.text = text
        self.row = sheet.row
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(sheet.title)
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for text in xlsx_headers(sheet.headers):
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)
        self.saved = False

    def add(self, records: list[Any]) -> None:
        append, text, row = self.sheet.append, self.text, self.row
        for record in records:
            # Excel has no time zones: UTC, said in the header.
            append(row(record, text, bool, naive_utc, None))

    def finish(self) -> IO[bytes]:
        output = tempfile.TemporaryFile()  # noqa: SIM115 - the caller streams and closes it
        try:
            self.workbook.save(output)  # removes the sheet's temporary file
        except BaseException:
            output.close()
            raise
        self.saved = True
        output.seek(0)
        return output

    def discard(self) -> None:
        """Remove the sheet's temporary file when the export stops early (client gone)."""
        writer = getattr(self.sheet, "_writer", None)  # openpyxl keeps it private
        if self.saved or writer is None:
            return
        self.saved = True
        with contextlib.suppress(Exception):
            writer.close()
        with contextlib.suppress(Exception):
            writer.cleanup()
