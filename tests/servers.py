"""Running the `crm` command in a subprocess, as an administrator would: a free port, an
environment of its own, and `crm serve` for as long as a test needs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import httpx


class Served(NamedTuple):
    url: str
    process: subprocess.Popen[str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def crm_environment(root: Path, **env: str) -> dict[str, str]:
    """This environment without its CRM_* variables (a developer's own must not leak in),
    the data directory root/data, and `env` over them."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    environment.update(CRM_DATA_DIR=str(root / "data"), **env)
    return environment


def wait_for(condition: Callable[[], bool], failure: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, failure
        time.sleep(0.1)


@contextmanager
def crm_serve(root: Path, *args: str, capture_output: bool = False, **env: str) -> Iterator[Served]:
    """`crm serve` on a free port with `crm_environment(root, **env)`, once it answers.

    With `capture_output`, what it prints can be read from `process.stdout`."""
    port = free_port()
    output = subprocess.PIPE if capture_output else subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", "crm", "serve", "--port", str(port), *args],
        env=crm_environment(root, **env),
        stdout=output,
        stderr=subprocess.STDOUT if capture_output else subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(url), "crm serve did not start", seconds=60)
        yield Served(url, process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
