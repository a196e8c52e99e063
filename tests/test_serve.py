"""`crm serve` from a fresh data folder: migrates, serves GraphQL, GraphiQL and the app shell."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import Served, crm_environment, crm_serve, free_port


@pytest.fixture
def server(serving: Served) -> str:
    return serving.url


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[Served]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>CRM app</title>")
    (dist / "assets" / "app.js").write_text("console.log('crm')")
    with crm_serve(tmp_path, capture_output=True, CRM_FRONTEND_DIR=str(dist)) as served:
        yield served


def test_serve_migrates_and_answers_graphql(server: str) -> None:
    response = httpx.post(f"{server}/graphql", json={"query": "{ me { __typename } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"me": None}}
    assert response.headers["x-request-id"]


def test_anonymous_list_is_unauthenticated(server: str) -> None:
    response = httpx.post(f"{server}/graphql", json={"query": "{ contacts { totalCount } }"})
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_graphiql_is_served_in_development(server: str) -> None:
    response = httpx.get(f"{server}/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_the_browser_app_is_served_with_history_fallback(server: str) -> None:
    assert "CRM app" in httpx.get(f"{server}/").text
    assert "CRM app" in httpx.get(f"{server}/contacts/some/deep/link").text
    assert httpx.get(f"{server}/assets/app.js").text == "console.log('crm')"
    assert httpx.get(f"{server}/assets/missing.js").status_code == 404


def test_a_fresh_install_prints_a_setup_link_on_its_own_port(serving: Served) -> None:
    # given `crm serve --port N` on a fresh data folder, nobody has an account
    base, process = serving
    assert process.stdout is not None
    lines = []
    while not any("/setup?token=" in line for line in lines):
        line = process.stdout.readline()
        assert line, "".join(lines)
        lines.append(line)
    # then it says where links point, and prints a setup link on that port
    output = "".join(lines)
    assert f"Links in emails start with {base}" in output
    link = next(line.strip() for line in lines if "/setup?token=" in line)
    assert link.startswith(f"{base}/setup?token=")
    # and the link is valid for the app's first-run page
    token = link.rsplit("=", 1)[1]
    response = httpx.post(
        f"{base}/graphql",
        json={
            "query": "query ($t: String) { firstRun(token: $t) { needed tokenValid } }",
            "variables": {"t": token},
        },
    )
    assert response.json()["data"]["firstRun"] == {"needed": True, "tokenValid": True}


def test_production_needs_a_public_url_to_serve(tmp_path: Path) -> None:
    env = crm_environment(tmp_path, CRM_ENV="production", CRM_SECRET_KEY="k" * 64)
    result = subprocess.run(
        [sys.executable, "-m", "crm", "serve", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "CRM_PUBLIC_URL is not set" in result.stderr
