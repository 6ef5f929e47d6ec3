"""deploy/compose.yaml cannot be run here (no container engine): what can be checked is that
it starts the commands and settings the cluster tests run, and fits deploy/nginx.conf and the
Dockerfile."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from reader_service.cli import cli
from reader_service.settings import Settings

ROOT = Path(__file__).parent.parent
COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text("utf-8"))
SERVICES: dict[str, Any] = COMPOSE["services"]
READERS = [name for name, service in SERVICES.items() if service.get("build") == ".."]


def test_the_compose_file_runs_reader_service_as_replicas_a_worker_and_a_migration() -> None:
    assert {"postgres", "redis", "s3", "nginx", "replica-a", "replica-b", "worker"} <= set(SERVICES)
    assert {"replica-a", "replica-b", "worker", "migrate"} <= set(READERS)
    assert SERVICES["worker"]["command"][:2] == ["reader-service", "worker"]
    assert SERVICES["migrate"]["command"] == ["reader-service", "db", "upgrade"]
    # The replicas run the image's own command: `reader-service serve` on port 8000.
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    assert 'CMD ["reader-service", "serve", "--host", "0.0.0.0", "--port", "8000"]' in dockerfile


@pytest.mark.parametrize("name", READERS)
def test_every_command_and_setting_exists(name: str) -> None:
    service = SERVICES[name]
    command = service.get("command")
    if command:
        assert command[0] == "reader-service"
        result = CliRunner().invoke(cli, [*command[1:], "--help"])
        assert result.exit_code == 0, result.output
    environment: dict[str, str] = service["environment"]
    fields = set(Settings.model_fields)
    for variable in environment:
        if variable.startswith("READER_"):
            assert variable.removeprefix("READER_").lower() in fields, variable
    # Everything a replica needs to share state: the three engines, all set.
    assert {"READER_DATABASE_URL", "READER_REDIS_URL", "READER_STORE_URL"} <= set(environment)
    assert environment["READER_STORE_URL"].startswith("s3://")


def test_nginx_in_compose_runs_the_deployed_file_in_front_of_the_replicas() -> None:
    nginx = SERVICES["nginx"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in nginx["volumes"]
    conf = (ROOT / "deploy" / "nginx.conf").read_text("utf-8")
    upstreams = re.findall(r"^\s*server ([\w-]+):(\d+)", conf, re.MULTILINE)
    assert upstreams == [("replica-a", "8000"), ("replica-b", "8000")]
    assert all(name in SERVICES for name, _ in upstreams)
    # The replicas believe nginx's X-Forwarded-For, and only its.
    address = nginx["networks"]["reader"]["ipv4_address"]
    for name in ("replica-a", "replica-b"):
        assert SERVICES[name]["environment"]["READER_TRUSTED_PROXIES"] == address
    assert "listen 8080;" in conf and nginx["ports"] == ["8080:8080"]
