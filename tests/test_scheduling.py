"""Listeners first (issue 13): bounded synthesis slots, first sentences before prefetched
ones, batches only between listeners, health never waiting. Times are compared as ratios
measured in the same test, never against fixed limits."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient

from conftest import ToneEngine, serve_folder, wait_until
from reader_service.api import create_app
from reader_service.models import Clip, SynthesisOptions
from reader_service.scheduling import SynthesisScheduler
from reader_service.settings import Settings
from reader_service.tenants import TenantRegistry

SYNTHESIS_S = 0.05  # what one clip costs the slow engine below (sleeping, not burning CPU)


class SlowTone(ToneEngine):
    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
        time.sleep(SYNTHESIS_S)
        return super().synthesize(text, voice, options)


def test_a_freed_slot_goes_to_the_most_urgent_waiter() -> None:
    scheduler = SynthesisScheduler(1)
    order: list[int] = []

    async def main() -> None:
        async def clip(priority: int, delay: float) -> None:
            await anyio.sleep(delay)
            async with scheduler.listener(priority):
                order.append(priority)
                await anyio.sleep(0.05)

        async with anyio.create_task_group() as group:
            group.start_soon(clip, 9, 0.0)  # takes the only slot
            for priority in (7, 0, 3):  # wait in this order
                group.start_soon(clip, priority, 0.01)

    anyio.run(main)
    assert order == [9, 0, 3, 7]


def test_background_work_waits_while_a_listener_is_served() -> None:
    scheduler = SynthesisScheduler(1)
    events: list[str] = []
    inside = threading.Event()

    async def listener() -> None:
        async with scheduler.listener(0):
            inside.set()
            await anyio.sleep(0.3)
            events.append("listener done")

    def batch() -> None:
        inside.wait()
        scheduler.background_turn()
        events.append("batch clip")

    worker = threading.Thread(target=batch)
    worker.start()
    anyio.run(listener)
    worker.join()
    assert events == ["listener done", "batch clip"]


def _page(n: int, sentences: int) -> str:
    body = "".join(
        f"<p>Bài thứ {n}, đoạn {i}: hội nghị tổng kết công tác năm {2000 + i} của xã {n}.</p>"
        for i in range(sentences)
    )
    return (
        f"<html lang='vi'><head><title>Thông báo số {n}</title></head><body><article>"
        f"<h1>Thông báo số {n}</h1>{body}</article></body></html>"
    )


@pytest.fixture
def many_pages(tmp_path: Path) -> Iterator[str]:
    folder = tmp_path / "site"
    folder.mkdir()
    for n in range(80):
        (folder / f"bai-{n}.html").write_text(_page(n, 12), "utf-8")
    with serve_folder(folder) as base:
        yield base


def test_a_new_listener_is_not_held_up_by_prefetching_players_or_a_batch(
    tmp_path: Path, many_pages: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader_service import engines

    engine = SlowTone()
    monkeypatch.setitem(engines._instances, "tone", engine)
    site = many_pages.removeprefix("http://")
    settings = Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        engine="tone",
        voice="a",
        fallback_engines="",
        allowed_hosts=site,
        allow_loopback=True,
        anonymous_per_minute=100_000,
        anonymous_concurrency=1_000,
        synthesis_workers=2,
        batch_max_urls=100,
    )
    _, secret = TenantRegistry.from_settings(settings).create_key("so-a", [site])

    def first_clip(client: TestClient, n: int) -> float:
        started = time.perf_counter()
        manifest = client.get("/v1/listen", params={"url": f"{many_pages}/bai-{n}.html"}).json()
        assert client.get(manifest["cues"][0]["clip"]).status_code == 200
        return time.perf_counter() - started

    with TestClient(create_app(settings)) as client:  # one event loop, as under uvicorn
        idle = statistics.median(first_clip(client, n) for n in range(3))

        # Ten players prefetching twelve sentences each: 120 first-time clips at once...
        manifests = [
            client.get("/v1/listen", params={"url": f"{many_pages}/bai-{n}.html"}).json()
            for n in range(10, 20)
        ]
        prefetches = [cue["clip"] for m in manifests for cue in m["cues"][1:]]
        assert len(prefetches) >= 120
        threads = [threading.Thread(target=client.get, args=(url,)) for url in prefetches]
        # ...and a 50-page batch.
        batch = client.post(
            "/v1/batches",
            json={"urls": [f"{many_pages}/bai-{n}.html" for n in range(30, 80)]},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert batch.status_code == 202
        for thread in threads:
            thread.start()
        scheduler = client.app.state.service.scheduler  # type: ignore[attr-defined]
        wait_until(lambda: scheduler.waiting > 0, "prefetches queued behind the busy slots")
        health = []
        for _ in range(5):
            started = time.perf_counter()
            assert client.get("/healthz").status_code == 200
            health.append(time.perf_counter() - started)
        loaded = statistics.median(first_clip(client, n) for n in range(3, 6))
        waiting_then = scheduler.waiting
        for thread in threads:
            thread.join()
    assert waiting_then > 0  # the prefetches were still queued when the new listener came
    assert max(health) < 0.1
    # Within one clip's synthesis (plus the scheduler's polling) of the idle figure.
    assert loaded - idle < 1.5 * SYNTHESIS_S + 0.03, (idle, loaded)
