"""CRM_LOG_FORMAT=json: one JSON object per line, with the request id of the response."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from crm.core.observability import RequestIdFilter, log_formatter
from tests.logs import attached


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """What the server writes, as CRM_LOG_FORMAT=json has it, for the loggers under crm."""
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(log_formatter("json"))
    with attached("crm", handler, logging.INFO):
        yield output


def records(output: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.getvalue().splitlines()]


async def test_the_access_line_names_the_request_id_the_response_carries(
    app, json_log: io.StringIO
) -> None:
    # when
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        response = await http.get("/unsubscribe", params={"token": "a-secret-unsubscribe-token"})

    # then
    (line,) = [r for r in records(json_log) if r["logger"] == "crm.access"]
    assert line["request_id"] == response.headers["x-request-id"]
    assert line["level"] == "INFO"
    assert str(line["time"]).endswith("+00:00")
    assert '"GET /unsubscribe"' in str(line["message"])
    assert "a-secret-unsubscribe-token" not in json_log.getvalue()


def test_a_traceback_stays_inside_its_one_line(json_log: io.StringIO) -> None:
    # when
    try:
        raise ValueError("broken\non two lines")
    except ValueError:
        logging.getLogger("crm.test").exception("it failed")

    # then
    (line,) = records(json_log)
    assert line["message"] == "it failed"
    assert line["request_id"] is None
    assert "ValueError: broken\non two lines" in str(line["exception"])
