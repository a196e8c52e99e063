"""A real `crm serve --workers 2` as an operator runs it: JSON logs (CRM_LOG_FORMAT=json), and
/metrics that adds up both server processes whichever one answers the scrape."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.servers import crm_environment, free_port
from tests.test_cli import run_crm

TOKEN = "serve-metrics-token-0123456789abcdefgh"
SECRET = "unsubscribe-secret-9f8e7d6c5b4a"
REQUESTS = 12
PROBE = "query OpsProbe { me { id } }"


class Served:
    def __init__(self, base: str, output: Path) -> None:
        self.base = base
        self.output = output

    def log_lines(self) -> list[str]:
        return self.output.read_text().splitlines()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp_path = tmp_path_factory.mktemp("served")
    assert run_crm(tmp_path, "migrate").returncode == 0
    port = free_port()
    output = tmp_path / "server.log"
    env = crm_environment(
        tmp_path,
        CRM_LOG_FORMAT="json",
        CRM_LOG_LEVEL="INFO",
        CRM_METRICS_TOKEN=TOKEN,
        CRM_RUN_WORKER="0",
    )
    with output.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "crm", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while not _both_workers_started(output):
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.2)
        yield Served(base, output)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _both_workers_started(output: Path) -> bool:
    return output.read_text().count("Application startup complete") >= 2


def _probe_count(text: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if (
                sample.name == "crm_graphql_request_duration_seconds_count"
                and sample.labels.get("operation") == "OpsProbe"
            ):
                return sample.value
    return 0.0


def test_json_logs_carry_the_request_id_and_no_token(served: Served) -> None:
    # when
    with httpx.Client(base_url=served.base) as http:
        answered = http.post("/graphql", json={"query": PROBE})
        http.get("/unsubscribe", params={"token": SECRET})
    time.sleep(0.5)  # the access line is written as the response ends

    # then every log line is one JSON object, the request's line names its id
    lines = [line for line in served.log_lines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    assert records
    assert all({"time", "level", "logger", "message", "request_id"} <= set(r) for r in records)
    request_id = answered.headers["x-request-id"]
    access = [r for r in records if r["logger"] == "crm.access" and r["request_id"] == request_id]
    assert len(access) == 1
    assert '"POST /graphql" 200' in access[0]["message"]
    assert SECRET not in served.output.read_text()


def test_metrics_add_up_both_server_processes(served: Served) -> None:
    # given requests spread over the two processes (a new connection each)
    headers = {"authorization": f"Bearer {TOKEN}"}
    already = _probe_count(httpx.get(f"{served.base}/metrics", headers=headers).text)
    for _ in range(REQUESTS):
        response = httpx.post(
            f"{served.base}/graphql", json={"query": "query OpsProbe { me { id } }"}
        )
        assert response.status_code == 200

    # when the metrics are scraped several times, each maybe by the other process
    scrapes = [httpx.get(f"{served.base}/metrics", headers=headers) for _ in range(6)]

    # then each scrape counts every request
    assert all(scrape.status_code == 200 for scrape in scrapes)
    assert [_probe_count(scrape.text) for scrape in scrapes] == [already + REQUESTS] * 6
    assert httpx.get(f"{served.base}/metrics").status_code == 401
