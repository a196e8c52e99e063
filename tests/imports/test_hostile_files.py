"""Uploads built to hurt the server: a quadratic delimiter guess, a zip bomb, files over the
memory and time ceilings. Each is refused with a message on the `file` field (or fails its
job, saying why) while the server goes on answering and keeps its memory."""

from __future__ import annotations

import asyncio
import contextlib
import io
import threading
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import openpyxl
import pytest

from crm.imports import bounded, reading
from crm.settings import reset_settings
from tests.imports.helpers import csv_bytes, preview, upload, uploaded_job

SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def xlsx_with_shared_strings(entries: Iterable[bytes]) -> bytes:
    """A valid xlsx (a header and one row) whose shared-strings part holds `entries`, written
    as they come: the part may unpack to far more than the test ever holds."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["First name", "Last name", "Email"])
    workbook.active.append(["Ada", "Lovelace", "ada@example.com"])
    plain = io.BytesIO()
    workbook.save(plain)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "[Content_Types].xml":
                override = (
                    f'<Override PartName="/xl/sharedStrings.xml" '
                    f'ContentType="{SHARED_STRINGS_TYPE}"/></Types>'
                )
                data = data.replace(b"</Types>", override.encode())
            target.writestr(part, data)
        with target.open("xl/sharedStrings.xml", "w") as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for entry in entries:
                strings.write(entry)
            strings.write(b"</sst>")
    return output.getvalue()


def zip_bomb() -> bytes:
    """60 MB of one repeated shared string, packed about 400 to 1 (150 kB)."""
    chunk = b"<si><t>Lovelace</t></si>" * 40_000  # 1 MB
    return xlsx_with_shared_strings(chunk for _ in range(64))


def many_names(count: int = 300_000) -> bytes:
    """An honest xlsx (packed ~10 to 1) whose shared strings take openpyxl ~2 s of CPU and
    ~50 MB to read."""
    step = 10_000
    return xlsx_with_shared_strings(
        b"".join(b"<si><t>Person %d</t></si>" % n for n in range(start, start + step))
        for start in range(0, count, step)
    )


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/self/status")


@contextlib.contextmanager
def peak_memory_growth() -> Iterator[Callable[[], float]]:
    """How far this process's resident memory rose (MiB) above where it stood: its peak
    when Linux lets the peak be reset, else where it ended."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        mark = "VmHWM"
    except OSError:
        mark = "VmRSS"
    before = _status_kib("VmRSS")
    yield lambda: (_status_kib(mark) - before) / 1024


@pytest.fixture
def parse_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Lets a test lower the CRM_IMPORT_PARSE_* ceilings; the real ones come back after."""

    def lower(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        reset_settings()

    yield lower
    monkeypatch.undo()
    reset_settings()


def refusal(response) -> dict:
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["field"] == "file"
    return error


async def test_a_quoted_comma_flood_is_refused_at_once_while_other_requests_are_served(
    staff,
) -> None:
    # given 80 kB of `,"`: guessing its delimiter took csv.Sniffer 50 s of held GIL
    flood = b',"' * 40_000
    loop = asyncio.get_running_loop()
    started = loop.time()
    # when it is uploaded while someone else keeps asking the server if it is alive
    sending = asyncio.create_task(upload(staff, flood, "flood.csv"))
    waits = []
    while not sending.done():
        asked = loop.time()
        assert (await staff.http.get("/healthz")).status_code == 200
        waits.append(loop.time() - asked)
        await asyncio.sleep(0.01)
    response = await sending
    # then the file is refused within a couple of seconds, and the server answered meanwhile
    assert "more than 200 columns" in refusal(response)["message"]
    assert loop.time() - started < 3
    assert max(waits) < 0.5


async def test_an_xlsx_zip_bomb_is_refused_and_the_server_keeps_its_memory(staff) -> None:
    # given an xlsx of 150 kB whose shared strings unpack to 60 MB (the server's memory
    # grew by 420 MB and stayed there, and the upload took 36 s, before it was refused)
    bomb = zip_bomb()
    assert len(bomb) < 200_000
    # when it is uploaded
    with peak_memory_growth() as growth:
        response = await upload(staff, bomb, "contacts.xlsx")
    # then it is refused, saying why, and the server's memory did not rise for it
    message = refusal(response)["message"]
    assert "This spreadsheet is too large to read" in message
    assert "xl/sharedStrings.xml" in message
    assert growth() < 40


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(tmp_path, monkeypatch) -> None:
    # given a zip bomb, and openpyxl watched
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(zip_bomb())
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *args, **kw: opened.append(args))
    # when it is inspected
    with pytest.raises(reading.FileProblem, match="too large to read"):
        reading.inspect(path)
    # then openpyxl never saw it
    assert opened == []


def test_a_sheet_over_the_size_ceiling_is_refused(tmp_path, monkeypatch) -> None:
    # given a ceiling of 1 MB a part and an honest xlsx with 8 MB of shared strings
    monkeypatch.setattr(reading, "MAX_XLSX_PART_BYTES", 1024**2)
    path = tmp_path / "names.xlsx"
    path.write_bytes(many_names())
    # when it is inspected, then it is refused before it is opened
    with pytest.raises(reading.FileProblem, match="unpacks to at least 8 MB"):
        reading.inspect(path)


async def test_a_file_over_the_time_ceiling_is_stopped_and_reported(staff, parse_limits) -> None:
    # given a ceiling of 0.2 s and a file that takes ~2 s to read
    parse_limits(CRM_IMPORT_PARSE_SECONDS="0.2")
    loop = asyncio.get_running_loop()
    started = loop.time()
    # when it is uploaded
    response = await upload(staff, many_names(), "names.xlsx")
    # then reading it was stopped, and the user is told why
    assert "takes too long to read" in refusal(response)["message"]
    assert loop.time() - started < 1.5


async def test_an_import_over_the_time_ceiling_fails_saying_why(staff, parse_limits) -> None:
    # given an upload read under the usual ceilings, which are then lowered
    job = await uploaded_job(staff, many_names(), "names.xlsx")
    parse_limits(CRM_IMPORT_PARSE_SECONDS="0.2")
    # when it is previewed
    previewed = await preview(staff, job)
    # then the job failed, saying why
    assert previewed["state"] == "FAILED"
    assert "takes too long to read" in previewed["errorMessage"]


async def test_a_file_over_the_memory_ceiling_is_refused(staff, parse_limits) -> None:
    # given a ceiling of 64 MB and a file whose reading needs ~80 MB
    parse_limits(CRM_IMPORT_PARSE_MEMORY_MB="64")
    names = many_names()
    # when it is uploaded
    with peak_memory_growth() as growth:
        response = await upload(staff, names, "names.xlsx")
    # then it is refused, saying why, and the server's own memory did not rise for it
    message = refusal(response)["message"]
    assert "too large to read" in message
    assert "64 MB" in message
    assert growth() < 40


def test_closing_the_rows_stops_the_child_even_while_another_thread_reads(db, tmp_path) -> None:
    # given a file's rows streamed from a child to a thread reading them one by one
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes([["Last name"], *([f"Person {n}"] for n in range(200_000))]))
    rows = bounded.ChildRows(path, reading.FileInfo("csv", "utf-8", ",", 1, ["Last name"]))
    read: list[reading.Row] = []
    reader = threading.Thread(target=lambda: read.extend(rows))
    reader.start()
    while not read:
        time.sleep(0.001)
    # when the rows are closed meanwhile (a runner cancelled mid-batch)
    rows.close()
    reader.join(timeout=5)
    # then the reading thread stopped quietly, well short of the end
    assert not reader.is_alive()
    assert 0 < len(read) < 100_000


async def test_uploads_arriving_together_take_turns_to_be_read(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a reader that notes how many files it reads at once
    from crm.imports import services

    reading_now, most = 0, 0
    lock = threading.Lock()
    real_inspect = bounded.inspect

    def counting_inspect(path: Path) -> reading.Inspection:
        nonlocal reading_now, most
        with lock:
            reading_now += 1
            most = max(most, reading_now)
        try:
            time.sleep(0.2)
            return real_inspect(path)
        finally:
            with lock:
                reading_now -= 1

    monkeypatch.setattr(bounded, "inspect", counting_inspect)
    files = []
    for index in range(5):
        path = tmp_path / f"list{index}.csv"
        path.write_bytes(csv_bytes([["Last name"], [f"Name {index}"]]))
        files.append(path)

    # when five uploads arrive at once
    jobs = await asyncio.gather(*(services.create_job(path, path.name, None) for path in files))

    # then all are read, at most two at a time (each reader may take a lot of memory)
    assert len(jobs) == 5
    assert most == services.MAX_INSPECTIONS_AT_ONCE == 2
