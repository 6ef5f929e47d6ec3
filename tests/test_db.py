"""The metadata database (issue 13): what the service hands out survives a cache pruned to
nothing, a restart and concurrent writers; on SQLite and on a real PostgreSQL alike."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import SAMPLE_PAGE, ToneEngine, serve_folder
from reader_service.api import create_app
from reader_service.db import open_database
from reader_service.errors import UnauthorizedError
from reader_service.settings import Settings
from reader_service.tenants import TenantRegistry


def _settings(tmp_path: Path, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "cache_dir": tmp_path / "cache",
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "anonymous_per_minute": 10_000,
        "anonymous_concurrency": 1_000,
        "engine": "tone",
        "voice": "a",
        "fallback_engines": "",
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


def test_records_and_clips_answer_after_the_cache_is_pruned_to_nothing_and_a_restart(
    tmp_path: Path, database_url: str, tone_engine: ToneEngine
) -> None:
    settings = _settings(tmp_path, database_url)
    _, secret = TenantRegistry.from_settings(settings).create_key("so-a", ["a.example.vn"])
    client = TestClient(create_app(settings))
    listened = client.get("/v1/listen", params={"url": "/demo/article"}).json()
    made = client.post(
        "/v1/articles",
        json={"title": "Thông báo", "text": "Ngày 14/5/2021, UBND tỉnh họp. Có 42 hộ dân."},
        headers={"Authorization": f"Bearer {secret}"},
    ).json()
    manifests = [listened, made]
    for manifest in manifests:
        for cue in manifest["cues"]:
            assert client.get(cue["clip"]).status_code == 200
    service = client.app.state.service  # type: ignore[attr-defined]
    removed, _ = service.store.prune(0)
    assert removed > 0 and service.store.stats().entries == 0
    calls = len(tone_engine.calls)

    restarted = TestClient(create_app(settings))  # nothing in memory either
    for manifest in manifests:
        again = restarted.get(f"/v1/articles/{manifest['id']}")
        assert again.status_code == 200 and again.json()["cues"] == manifest["cues"]
        for cue in manifest["cues"]:
            clip = restarted.get(cue["clip"])
            assert clip.status_code == 200 and clip.content
        assert restarted.get(manifest["audio"]).status_code == 200
    assert len(tone_engine.calls) > calls  # the clips were made again, not found somewhere
    assert restarted.app.state.service.records.count() == 2  # type: ignore[attr-defined]


CREATE_KEY = """
import sys
from reader_service.db import open_database
from reader_service.tenants import TenantRegistry
registry = TenantRegistry(open_database(sys.argv[1]))
key, secret = registry.create_key(sys.argv[2], [sys.argv[2] + ".example.vn"])
print(key.id, secret)
"""


def test_sixteen_processes_creating_keys_at_once_lose_nothing(database_url: str) -> None:
    open_database(database_url).dispose()  # the schema exists before the race
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE_KEY, database_url, f"so-{i:02d}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(16)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert all(process.returncode == 0 for process in processes), [e for _, e in outputs]
    keys = [out.split() for out, _ in outputs]
    registry = TenantRegistry(open_database(database_url))
    assert len(registry.tenants()) == 16
    for i, (_, secret) in enumerate(keys):
        assert registry.authenticate(secret).name == f"so-{i:02d}"
    # A key revoked through one process is refused by another at once.
    other_worker = TenantRegistry(open_database(database_url))
    assert other_worker.authenticate(keys[3][1]).name == "so-03"
    registry.revoke(keys[3][0])
    with pytest.raises(UnauthorizedError, match="thu hồi"):
        other_worker.authenticate(keys[3][1])


def test_hosts_added_at_once_to_one_tenant_are_all_kept(database_url: str) -> None:
    open_database(database_url).dispose()
    script = CREATE_KEY.replace('[sys.argv[2] + ".example.vn"]', "[sys.argv[3]]")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, database_url, "so-chung", f"h{i}.example.vn"],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(8)
    ]
    for process in processes:
        process.communicate(timeout=120)
    tenant = TenantRegistry(open_database(database_url)).tenant("so-chung")
    assert tenant is not None and len(tenant.hosts) == 8 and len(tenant.keys) == 8


def test_an_earlier_tenants_json_is_imported_once(tmp_path: Path) -> None:
    secret = "rs_cu-mot-khoa-da-phat"
    legacy = {
        "tenants": {
            "so-cu": {
                "hosts": ["cu.example.vn"],
                "keys": [
                    {
                        "id": "abcd1234",
                        "hash": hashlib.sha256(secret.encode()).hexdigest(),
                        "created": "2026-01-01T00:00:00+00:00",
                        "revoked": None,
                    }
                ],
                "webhook": None,
            }
        }
    }
    data = tmp_path / "data"
    data.mkdir()
    (data / "tenants.json").write_text(json.dumps(legacy), "utf-8")
    settings = Settings(cache_dir=tmp_path / "c", data_dir=data)
    assert TenantRegistry.from_settings(settings).authenticate(secret).name == "so-cu"
    assert not (data / "tenants.json").exists() and (data / "tenants.json.imported").exists()
    again = TenantRegistry.from_settings(settings)
    assert [t.name for t in again.tenants()] == ["so-cu"]


def test_a_batch_started_through_one_worker_is_followed_through_another(
    tmp_path: Path, database_url: str, tone_engine: ToneEngine
) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    for i in range(3):
        (folder / f"bai-{i}.html").write_bytes(SAMPLE_PAGE.read_bytes())
    with serve_folder(folder) as base:
        settings = _settings(tmp_path, database_url, allow_loopback=True)
        _, secret = TenantRegistry.from_settings(settings).create_key(
            "so-a", [base.removeprefix("http://")]
        )
        auth = {"Authorization": f"Bearer {secret}"}
        first, second = TestClient(create_app(settings)), TestClient(create_app(settings))
        urls = [f"{base}/bai-{i}.html" for i in range(3)]
        started = first.post("/v1/batches", json={"urls": urls}, headers=auth)
        assert started.status_code == 202
        batch_id = started.json()["id"]
        seen = []
        for _ in range(300):
            state = second.get(f"/v1/batches/{batch_id}", headers=auth).json()
            seen.append(state["done"])
            if state["status"] == "done":
                break
            time.sleep(0.05)
    assert state["counts"] == {"made": 3, "unchanged": 0, "failed": 0}
    assert [r["status"] for r in state["results"]] == ["made"] * 3
    assert seen == sorted(seen)  # progress only goes forward


def test_db_upgrade_command_and_a_clear_error_for_a_bad_database(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "XDG_DATA_HOME": str(tmp_path),
    }
    command = [sys.executable, "-m", "reader_service", "db", "upgrade"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "reader-service" / "reader-service.db").is_file()
    bad = env | {"READER_DATABASE_URL": "postgresql+psycopg://x@127.0.0.1:1/khongco"}
    failed = subprocess.run(command, capture_output=True, text=True, env=bad, timeout=60)
    assert failed.returncode == 1
    assert "cơ sở dữ liệu" in failed.stderr and "Traceback" not in failed.stderr
