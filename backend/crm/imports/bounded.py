"""Reading uploads in a child process with a memory and a time ceiling.

An upload is hostile until read: a spreadsheet can unpack to gigabytes, a parser can meet
an input it is slow on, and a thread that parses holds the GIL the event loop needs. So
the server never parses an upload itself. `inspect`, `count_rows` and `ChildRows` run
`crm.imports.reading` in `python -m crm.imports.bounded`, whose address space is capped
(RLIMIT_AS, CRM_IMPORT_PARSE_MEMORY_MB) and whose every step (opening the file and reading
its first row, then each further row; an inspection is one step) gets
CRM_IMPORT_PARSE_SECONDS of CPU before SIGPROF ends it. A file over a ceiling becomes a
`reading.FileProblem` saying so, and the memory the child took goes with it.

The child answers in JSON lines on its stdout: a row is `[number, cells]`; the last line is
an object, the result or `{"problem": message}`. A child that stops without that last
line was stopped by a ceiling (or crashed: a RuntimeError). Starting a child costs about
0.05 s (0.15 s when it reads an xlsx: openpyxl's import).
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import crm
from crm.imports import reading
from crm.imports.reading import FileInfo, FileProblem, Inspection, Row

if TYPE_CHECKING:
    from crm.settings import Settings

CHILD = [sys.executable, "-m", "crm.imports.bounded"]
# The child's exit status when it ran out of memory: it leaves without a word, since
# saying one needs memory.
EXIT_OUT_OF_MEMORY = 3
# Signals a child ends with when over its time ceiling (SIGKILL: the inspection's
# deadline, which the parent enforces in wall-clock time).
_TIME_SIGNALS = {-signal.SIGPROF, -signal.SIGXCPU}


# --- the server's side -------------------------------------------------------------------------


def inspect(path: Path) -> Inspection:
    """`reading.inspect` in a child; the server waits twice the time ceiling at most (the
    child's CPU may lag the clock on a busy machine)."""
    seconds = _settings().import_parse_seconds
    try:
        done = subprocess.run(
            CHILD,
            input=_order("inspect", path, None),
            stdout=subprocess.PIPE,
            env=_child_env(),
            timeout=2 * seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise FileProblem(_too_slow()) from None
    answer = _outcome(_last_line(done.stdout), done.returncode)
    return Inspection(FileInfo(**answer["info"]), answer["samples"])


def count_rows(path: Path, info: FileInfo) -> int:
    """`reading.count_rows` of the data rows, in a child."""
    done = subprocess.run(
        CHILD,
        input=_order("count", path, info),
        stdout=subprocess.PIPE,
        env=_child_env(),
        check=False,
    )
    return _outcome(_last_line(done.stdout), done.returncode)["count"]


class ChildRows(Iterator[Row]):
    """`reading.data_rows`, read by a child and streamed: the child runs ahead by what the
    pipe holds. `close()` stops it from any thread, even while another waits for a row (a
    runner cancelled mid-batch leaves its worker thread reading): that one gets no more."""

    def __init__(self, path: Path, info: FileInfo) -> None:
        self._child = subprocess.Popen(
            CHILD, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_child_env()
        )
        self._lock = threading.Lock()
        self._stopped = self._ended = False
        assert self._child.stdin is not None
        try:
            with self._child.stdin as order:
                order.write(_order("rows", path, info))
        except OSError:  # the child died before it read its order
            self.close()
            raise

    def __next__(self) -> Row:
        with self._lock:
            if self._ended:
                raise StopIteration
            assert self._child.stdout is not None
            line = self._child.stdout.readline()
            # A line cut short: the child was stopped while writing it.
            item = json.loads(line) if line.endswith(b"\n") else None
            if isinstance(item, list):
                return Row(*item)
            self._end()
            if not self._stopped:
                _outcome(item, self._child.returncode)
            raise StopIteration

    def close(self) -> None:
        self._stopped = True
        if self._child.poll() is None:
            self._child.kill()
        with self._lock:
            self._end()

    def _end(self) -> None:
        if not self._ended:
            self._ended = True
            assert self._child.stdout is not None
            self._child.stdout.close()
            self._child.wait()


def _order(task: str, path: Path, info: FileInfo | None) -> bytes:
    """What the child is to do, sent on its stdin (a command line is capped at 128 kB a
    word, and others on the machine may read it)."""
    settings = _settings()
    order = {
        "task": task,
        "path": str(path),
        "info": asdict(info) if info else None,
        "memory_bytes": settings.import_parse_memory_mb * 1024 * 1024,
        "seconds": settings.import_parse_seconds,
    }
    return json.dumps(order).encode() + b"\n"


def _last_line(output: bytes) -> dict[str, Any] | None:
    """The child's answer, unless it was stopped before it wrote that line whole."""
    return json.loads(output.splitlines()[-1]) if output.endswith(b"\n") else None


def _settings() -> Settings:
    # Imported here: crm.settings loads phonenumbers (30 ms), which the child has no use for.
    from crm.settings import get_settings

    return get_settings()


def _child_env() -> dict[str, str]:
    """The server's environment without its CRM_* settings (secrets among them: the child
    gets its limits on its command line), and a path to this package, installed or not."""
    backend = str(Path(crm.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (backend, os.environ.get("PYTHONPATH")) if p)
    kept = {name: value for name, value in os.environ.items() if not name.startswith("CRM_")}
    return {**kept, "PYTHONPATH": path}


def _outcome(last: dict[str, Any] | None, status: int) -> dict[str, Any]:
    if last is not None and "problem" in last:
        raise FileProblem(last["problem"])
    if last is not None and status == 0:
        return last
    if status in _TIME_SIGNALS:
        raise FileProblem(_too_slow())
    if status == EXIT_OUT_OF_MEMORY or status < 0:
        # Killed otherwise: by the kernel's OOM killer, or a library that could not
        # allocate and aborted.
        raise FileProblem(_too_big())
    raise RuntimeError(f"the child reading an upload exited with status {status}")


def _too_big() -> str:
    megabytes = _settings().import_parse_memory_mb
    return (
        f"This file is too large to read: reading it needs more than {megabytes} MB of "
        "memory. Save it as CSV (UTF-8) and upload that, or split it"
    )


def _too_slow() -> str:
    seconds = _settings().import_parse_seconds
    return (
        f"This file takes too long to read: a step of reading it took more than {seconds:g} "
        "seconds. Save it as CSV (UTF-8) and upload that, or split it"
    )


# --- the child's side --------------------------------------------------------------------------


def _arm(seconds: float) -> None:
    """Give the next step `seconds` of CPU: SIGPROF (whose default action ends the
    process, even inside C code) comes after that. A child blocked writing to a full pipe
    uses no CPU, so a slow reader of its rows does not count."""
    signal.setitimer(signal.ITIMER_PROF, seconds)


def _paced(rows: Iterator[Row], seconds: float) -> Iterator[Row]:
    _arm(seconds)  # opening the file and reading the first row
    for row in rows:
        yield row
        _arm(seconds)


def _inspect(path: Path, info: FileInfo | None, seconds: float, out: IO[bytes]) -> Any:
    _arm(seconds)
    inspection = reading.inspect(path)
    return {"info": asdict(inspection.info), "samples": inspection.samples}


def _count(path: Path, info: FileInfo | None, seconds: float, out: IO[bytes]) -> Any:
    assert info is not None
    return {"count": reading.count_rows(_paced(reading.data_rows(path, info), seconds))}


def _rows(path: Path, info: FileInfo | None, seconds: float, out: IO[bytes]) -> Any:
    assert info is not None
    for row in _paced(reading.data_rows(path, info), seconds):
        out.write(_line([row.number, row.cells]))
    return {"end": True}


_TASKS: dict[str, Callable[[Path, FileInfo | None, float, IO[bytes]], Any]] = {
    "inspect": _inspect,
    "count": _count,
    "rows": _rows,
}


def _line(item: Any) -> bytes:
    # ASCII: a lone surrogate a decoder let through survives the trip as an escape.
    return json.dumps(item).encode() + b"\n"


def _cap_memory(limit: int) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    # Linux caps the address space; macOS refuses to, and there only the time ceiling holds.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def main() -> None:
    order = json.loads(sys.stdin.buffer.readline())
    _cap_memory(order["memory_bytes"])
    warnings.simplefilter("ignore")  # openpyxl warns of features it drops; rows are what we read
    info = FileInfo(**order["info"]) if order["info"] else None
    out = sys.stdout.buffer
    try:
        task = _TASKS[order["task"]]
        answer = task(Path(order["path"]), info, order["seconds"], out)
    except (FileProblem, OSError) as problem:  # OSError: the file went away meanwhile
        answer = {"problem": str(problem)}
    except MemoryError:
        os._exit(EXIT_OUT_OF_MEMORY)
    signal.setitimer(signal.ITIMER_PROF, 0)
    out.write(_line(answer))
    out.flush()


if __name__ == "__main__":
    main()
