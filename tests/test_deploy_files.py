"""docker-compose.yml and deploy/Caddyfile, read by real Compose and real Caddy (no container
engine needed). Skipped, with the reason, where the tools are not installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
SECRET_KEY = "k" * 64


def _compose_command() -> list[str] | None:
    """`docker compose` (v2) when the plugin is there, else `docker-compose` (v1)."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


COMPOSE = _compose_command()
CADDY = shutil.which("caddy")
needs_compose = pytest.mark.skipif(
    COMPOSE is None, reason="no Compose here (apt-get install docker-compose)"
)
needs_caddy = pytest.mark.skipif(CADDY is None, reason="no Caddy here (apt-get install caddy)")


def compose_config(**environment: str) -> subprocess.CompletedProcess[str]:
    assert COMPOSE is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")} | environment
    return subprocess.run(
        [*COMPOSE, "-f", str(COMPOSE_FILE), "config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )


def compose_services() -> dict[str, dict]:
    result = compose_config(CRM_SECRET_KEY=SECRET_KEY)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


def caddy_proxy_handler() -> dict:
    """The reverse_proxy handler of the Caddyfile, as Caddy's JSON config."""
    assert CADDY is not None
    result = subprocess.run(
        [CADDY, "adapt", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (server,) = json.loads(result.stdout)["apps"]["http"]["servers"].values()
    return server["routes"][0]["handle"][0]


@needs_compose
def test_compose_file_is_valid_with_a_secret_key():
    # given a secret key in the environment, as the README says to start the stack
    # when
    result = compose_config(CRM_SECRET_KEY=SECRET_KEY)
    # then
    assert result.returncode == 0, result.stderr


@needs_compose
def test_compose_refuses_to_start_without_a_secret_key():
    # given no CRM_SECRET_KEY
    # when
    result = compose_config()
    # then
    assert result.returncode != 0
    assert "set CRM_SECRET_KEY" in result.stderr


@needs_compose
def test_database_counts_as_healthy_only_once_it_listens_on_tcp():
    # given the database service's health check
    check = " ".join(compose_services()["db"]["healthcheck"]["test"])
    # then it asks over TCP: on a fresh volume, the postgres image's setup server answers on
    # the Unix socket while port 5432 is still closed, and `migrate` would start too early
    assert "pg_isready" in check
    assert "-h 127.0.0.1" in check


@needs_caddy
def test_caddyfile_is_valid():
    # when
    result = subprocess.run(
        [CADDY, "validate", "--adapter", "caddyfile", "--config", str(CADDYFILE)],
        capture_output=True,
        text=True,
    )
    # then
    assert result.returncode == 0, result.stderr


@needs_caddy
@needs_compose
def test_proxy_health_checks_every_app_server_of_the_compose_file():
    # given the app servers compose starts (each health-checked on /readyz)
    services = compose_services()
    app_servers = {
        name
        for name, service in services.items()
        if "serve" in service.get("command", []) and "healthcheck" in service
    }
    # when Caddy reads the Caddyfile
    proxy = caddy_proxy_handler()
    # then it sends requests to exactly those, and checks /readyz on each: Caddy runs no
    # active health checks on dynamic upstreams, so they must be listed
    assert "dynamic_upstreams" not in proxy
    upstream_hosts = {upstream["dial"].rsplit(":", 1)[0] for upstream in proxy["upstreams"]}
    assert upstream_hosts == app_servers
    assert proxy["health_checks"]["active"]["uri"] == "/readyz"
    assert set(services["proxy"]["depends_on"]) == app_servers
