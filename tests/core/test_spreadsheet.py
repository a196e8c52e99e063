"""The formula guard the export writes and the importer reads back."""

from __future__ import annotations

from crm.core.spreadsheet import FORMULA_TRIGGERS, escape_formula
from crm.imports.rows import unescape


def test_escape_formula_covers_tab_and_carriage_return() -> None:
    # (the API strips these from fields, so they are checked here directly)
    for text in ("=1+1", "-2+3", "+cmd|' /C calc'!A0", "@A1", "\tx", "\rx"):
        assert escape_formula(text) == "'" + text
    # a phone number or an amount is data no spreadsheet would run: written as it is
    for text in ("Ann", "'quoted", " =spaced", "a=b", "", "+1", "-1", "+46701119906", "-12.50"):
        assert escape_formula(text) == text


def test_the_importer_reads_back_every_escaped_cell() -> None:
    # given cells starting with each trigger, as the export escapes them
    cells = [f"{trigger}x" for trigger in FORMULA_TRIGGERS]
    # when the importer reads them
    # then it gets the text back
    assert [unescape(escape_formula(cell)) for cell in cells] == cells
