"""`reader-service serve --workers 2` (issue 13): the workers share rate limits, batches and
metrics through the database and prometheus-client's multiprocess files."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import SAMPLE_PAGE, running_service, serve_folder
from reader_service.settings import Settings
from reader_service.tenants import TenantRegistry


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    folder = tmp_path / "site"
    folder.mkdir()
    for i in range(4):
        (folder / f"bai-{i}.html").write_bytes(SAMPLE_PAGE.read_bytes())
    with serve_folder(folder) as base:
        yield base


def _call(url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_two_workers_share_limits_batches_and_metrics(tmp_path: Path, site: str) -> None:
    host = site.removeprefix("http://")
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "READER_ANONYMOUS_PER_MINUTE": "100",
        "READER_ANONYMOUS_CONCURRENCY": "100",  # every request here comes from one address
        "READER_ALLOWED_HOSTS": host,
        "READER_ALLOW_LOOPBACK": "true",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    settings = Settings(
        data_dir=tmp_path / "d" / "reader-service", database_url=env.get("READER_DATABASE_URL")
    )
    _, secret = TenantRegistry.from_settings(settings).create_key("so-a", [host])
    with running_service(env, "--workers", "2") as base:
        preview = {"title": "T", "text": "Xin chào."}
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: _call(f"{base}/v1/preview", preview)[0], range(150)))
        auth = {"Authorization": f"Bearer {secret}"}
        status, body = _call(
            f"{base}/v1/batches", {"urls": [f"{site}/bai-{i}.html" for i in range(4)]}, auth
        )
        assert status == 202, body
        batch_id = json.loads(body)["id"]
        progress = []
        for _ in range(400):  # each poll may land on either worker
            state = json.loads(_call(f"{base}/v1/batches/{batch_id}", headers=auth)[1])
            progress.append(state["done"])
            if state["status"] == "done":
                break
            time.sleep(0.05)
        metrics = _call(f"{base}/metrics")[1].decode()
    assert statuses.count(200) == 100 and statuses.count(429) == 50
    assert state["counts"]["made"] == 4 and progress == sorted(progress)
    served = sum(
        float(line.split()[-1])
        for line in metrics.splitlines()
        if line.startswith("reader_requests_total{") and 'route="/v1/preview"' in line
    )
    assert served == 150  # whichever worker answered /metrics counted both workers' requests
