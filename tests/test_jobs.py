"""Batches on the job queue (dramatiq on a real Redis): the worker command, `pregenerate
--queue`, and batches that end with their reason when a source or a URL cannot be done."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_PAGE, serve_folder
from reader_service.api.service import Service
from reader_service.cli import cli
from reader_service.jobs import OPERATOR, batch_request, run_worker
from reader_service.settings import Settings


@pytest.fixture
def queued(tmp_path: Path, redis_server: str) -> dict[str, str]:
    """Settings of a service whose batches go to the queue (an empty Redis), on its own files."""
    import redis

    redis.Redis.from_url(redis_server).flushdb()
    return {
        "READER_REDIS_URL": redis_server,
        "READER_CACHE_DIR": str(tmp_path / "cache"),
        "READER_DATA_DIR": str(tmp_path / "data"),
        "READER_ALLOW_LOOPBACK": "true",
        "READER_QUEUE_HEARTBEAT_S": "2",
    }


@pytest.fixture
def worker_in_process(queued: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    """A service and a worker taking its queue in a thread of this process."""
    for name, value in queued.items():
        monkeypatch.setenv(name, value)
    service = Service(Settings())
    stop = threading.Event()
    thread = threading.Thread(target=run_worker, args=(service, 2, stop))
    thread.start()
    yield service
    stop.set()
    thread.join(30)


def _wait_done(service: Service, batch_id: str, timeout_s: float = 60) -> dict[str, Any]:
    import time

    deadline = time.monotonic() + timeout_s
    while (record := service.batch_records.get(batch_id)) is None or record["status"] != "done":
        assert time.monotonic() < deadline, record
        time.sleep(0.1)
    return record


def test_pregenerate_queue_hands_urls_to_a_worker_and_follows_them(
    tmp_path: Path, queued: dict[str, str]
) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "bai.html").write_bytes(SAMPLE_PAGE.read_bytes())
    env = {**os.environ, **queued}
    with serve_folder(folder) as site:
        worker = subprocess.Popen(
            [sys.executable, "-m", "reader_service", "worker", "--threads", "1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            done = subprocess.run(
                [sys.executable, "-m", "reader_service", "pregenerate", "--queue"]
                + [f"{site}/bai.html", f"{site}/khong-co.html", "--report", str(tmp_path / "r")],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            worker.terminate()
            _, stderr = worker.communicate(timeout=30)
    assert "đã vào hàng đợi" in done.stdout
    assert "[2/2] tạo mới 1, không đổi 0, lỗi 1" in done.stderr
    assert done.returncode == 1  # one URL failed: said by the exit status, as without --queue
    report = (tmp_path / "r").read_text("utf-8")
    assert "bai.html" in report and "khong-co.html" in report
    assert worker.returncode == 0 and "máy làm lô đã dừng" in stderr.decode()  # SIGTERM: clean


def test_queue_commands_say_what_they_need() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["worker"], env={"READER_REDIS_URL": ""})
    assert result.exit_code == 2 and "READER_REDIS_URL" in result.output
    result = runner.invoke(cli, ["pregenerate", "--queue", "https://a.gov.vn/x"], env={})
    assert result.exit_code == 2 and "READER_REDIS_URL" in result.output
    result = runner.invoke(cli, ["pregenerate", "--no-wait", "https://a.gov.vn/x"])
    assert result.exit_code == 2 and "--queue" in result.output


def test_a_batch_whose_sitemap_cannot_be_read_ends_with_the_reason(
    worker_in_process: Service,
) -> None:
    service = worker_in_process
    assert service.queue is not None
    service.batch_records.create("a" * 24, OPERATOR, "r1")
    service.queue.submit(
        "a" * 24, OPERATOR, batch_request([], "http://127.0.0.1:9/sitemap.xml", None, None)
    )
    record = _wait_done(service, "a" * 24)
    assert record["total"] == 0 and "sitemap" in str(record["error"]).lower()


def test_a_url_that_keeps_failing_on_our_side_is_recorded_as_failed(
    worker_in_process: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A URL whose work raises (a database or storage outage, not a bad page) is tried again
    with back-off, then recorded as failed with the reason: the batch still ends."""
    import reader_service.jobs

    tries: list[str] = []

    def outage(url: str, *_: object) -> object:
        tries.append(url)
        raise RuntimeError("storage away")

    monkeypatch.setattr(reader_service.jobs, "pregenerate_one", outage)
    service = worker_in_process
    assert service.queue is not None
    service.batch_records.create("b" * 24, OPERATOR, "r2")
    service.batch_records.set_total("b" * 24, 1)
    service.queue.url.send_with_options(
        args=("b" * 24, OPERATOR, 0, "https://a.gov.vn/x"), max_retries=1, min_backoff=100
    )
    record = _wait_done(service, "b" * 24)
    assert len(tries) == 2  # the first try and one more
    [result] = record["results"]
    assert result["status"] == "failed" and "lần thử" in result["error"]


def test_a_queued_batch_nobody_takes_says_a_worker_is_needed(
    queued: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a worker the batch stays queued (a worker started later still makes it), and
    after 10 minutes without progress its editor is told why."""
    from datetime import UTC, datetime, timedelta

    from fastapi.testclient import TestClient
    from sqlalchemy import update

    from reader_service.api import create_app
    from reader_service.db.schema import batches

    for name, value in queued.items():
        monkeypatch.setenv(name, value)
    app = create_app(Settings())
    service = app.state.service
    _, secret = service.tenants.create_key("so-a", ["a.gov.vn"])
    client = TestClient(app)
    auth = {"Authorization": f"Bearer {secret}"}
    created = client.post("/v1/batches", json={"urls": ["https://a.gov.vn/x"]}, headers=auth)
    assert created.status_code == 202
    batch_id = created.json()["id"]
    assert service.queue.broker.do_qsize("reader-batches") == 1  # waiting for a worker
    long_ago = (datetime.now(UTC) - timedelta(minutes=11)).isoformat()
    with service.database.transaction() as connection:
        connection.execute(update(batches).where(batches.c.id == batch_id).values(updated=long_ago))
    state = client.get(f"/v1/batches/{batch_id}", headers=auth).json()
    assert state["status"] == "running" and "reader-service worker" in state["error"]
