"""Editors' batches on a job queue shared by replicas and workers (READER_REDIS_URL).

dramatiq with its Redis broker: a replica (``POST /v1/batches``) or an editor
(``reader-service pregenerate --queue``) records the batch in the metadata database and sends one
message that expands its sources (URLs, sitemap, RSS) into one message per URL; any number of
``reader-service worker`` processes take them. Progress and results live in the database, so any
replica reports them.

Why a redelivered message is harmless: clips are content-addressed and written once, a page's
state makes a second pass over an unchanged article cheap, and a URL's result is recorded once
per batch (its position in the batch is unique there).

How a killed worker's URLs come back: every worker process writes a heartbeat to Redis (its
broker does so on each call, and a thread here keeps it beating while long articles are made);
a worker silent for ``READER_QUEUE_HEARTBEAT_S`` is dead, and the next worker's queue
maintenance puts its unacknowledged messages back on the queue. A message that fails is retried
with back-off; one that keeps failing, or runs past its time limit every time, is recorded as a
failed URL with the reason, so a batch always ends.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from reader_service.batch import BatchResult, pregenerate_one, urls_from_sources
from reader_service.db.records import public_batch
from reader_service.errors import ReaderError
from reader_service.fetch import FetchOptions

if TYPE_CHECKING:
    from reader_service.api.service import Service
    from reader_service.settings import Settings

log = logging.getLogger(__name__)

QUEUE = "reader-batches"
# Queue maintenance (requeueing dead workers' messages) runs on this share of broker calls,
# out of a million: about one call in 20, cheap next to making an article's audio.
_MAINTENANCE_CHANCE = 50_000


def batch_request(
    urls: list[str], sitemap: str | None, rss: str | None, since: date | None
) -> dict[str, Any]:
    """A batch's sources as a queue message carries them (JSON)."""
    return {
        "urls": list(urls),
        "sitemap": sitemap,
        "rss": rss,
        "since": since.isoformat() if since else None,
    }


# The owner of batches an operator queues from the command line (no tenant, no host list:
# like `reader-service pregenerate` without --queue).
OPERATOR = ""


def fetch_options_of(service: Service, owner: str) -> FetchOptions:
    """What a batch of ``owner`` may fetch: its tenant's hosts (an operator's: the settings')."""
    if owner == OPERATOR:
        return service.options.fetch
    return service.access.fetch_options(service.tenants.tenant(owner))


def expand_sources(
    service: Service, owner: str, request: dict[str, Any]
) -> tuple[list[str], str | None]:
    """The URLs of a batch's sources, at most READER_BATCH_MAX_URLS of them, and what to tell
    the editor when there were more."""
    fetch_options = fetch_options_of(service, owner)
    since = date.fromisoformat(request["since"]) if request.get("since") else None
    urls = urls_from_sources(
        request.get("urls") or [],
        None,
        request.get("sitemap"),
        request.get("rss"),
        since,
        fetch_options,
    )
    limit = service.settings.batch_max_urls
    if len(urls) <= limit:
        return urls, None
    return urls[:limit], (
        f"Nguồn có {len(urls)} địa chỉ, quá giới hạn {limit} của một lô: chỉ làm {limit} địa "
        "chỉ đầu; hãy chia thành nhiều lô (hoặc dùng since)."
    )


class BatchQueue:
    """The queue's messages (actors) and the broker they travel on."""

    def __init__(self, settings: Settings, service: Service) -> None:
        assert settings.redis_url, "the job queue needs READER_REDIS_URL"
        self.settings = settings
        self.service = service
        self.broker = RedisBroker(  # type: ignore[no-untyped-call]
            url=settings.redis_url,
            namespace="reader-queue",
            heartbeat_timeout=int(settings.queue_heartbeat_s * 1000),
            maintenance_chance=_MAINTENANCE_CHANCE,
        )
        options: dict[str, Any] = {
            "broker": self.broker,
            "queue_name": QUEUE,
            "max_retries": settings.queue_retries,
            "min_backoff": 2_000,
            "max_backoff": 120_000,
            "time_limit": int(settings.queue_time_limit_s * 1000),
        }
        self.expand = dramatiq.actor(
            actor_name="batch_expand", on_retry_exhausted="batch_gave_up", **options
        )(self._expand)
        self.url = dramatiq.actor(
            actor_name="batch_url", on_retry_exhausted="url_gave_up", **options
        )(self._url)
        dramatiq.actor(actor_name="batch_gave_up", **options)(self._batch_gave_up)
        dramatiq.actor(actor_name="url_gave_up", **options)(self._url_gave_up)

    def submit(self, batch_id: str, owner: str, request: dict[str, Any]) -> None:
        """Queue a batch already recorded in the database."""
        self.expand.send(batch_id, owner, request)

    # The actors. Each runs in a worker process, possibly more than once per message.

    def _expand(self, batch_id: str, owner: str, request: dict[str, Any]) -> None:
        records = self.service.batch_records
        try:
            urls, error = expand_sources(self.service, owner, request)
        except ReaderError as exc:  # a sitemap that cannot be read: the editor is told
            records.finish(batch_id, exc.message)
            self._notify_done(batch_id, owner)
            return
        records.set_total(batch_id, len(urls))
        if error:
            records.note_error(batch_id, error)
        if not urls:
            records.finish(batch_id, error)
            self._notify_done(batch_id, owner)
            return
        for index, url in enumerate(urls):
            self.url.send(batch_id, owner, index, url)

    def _url(self, batch_id: str, owner: str, index: int, url: str) -> None:
        service = self.service
        options = replace(
            service.options,
            fetch=fetch_options_of(service, owner),
            before_synthesis=service.scheduler.background_turn,
        )
        result = pregenerate_one(
            url, options, service.store, service.page_states, service.batch_publisher(owner)
        )
        self._record(batch_id, owner, index, result)

    def _record(self, batch_id: str, owner: str, index: int, result: BatchResult) -> None:
        progress = self.service.batch_records.add_result(batch_id, result.to_dict(), item=index)
        if progress is not None and progress[0] >= progress[1]:
            self.service.batch_records.finish(batch_id)
            self._notify_done(batch_id, owner)

    def _url_gave_up(self, message: dict[str, Any], retry_info: dict[str, Any]) -> None:
        batch_id, owner, index, url = message["args"]
        why = (
            f"Không làm được sau {retry_info.get('retries', 0)} lần thử "
            f"(lỗi của máy chủ, không phải của trang); hãy gửi lại địa chỉ này sau."
        )
        self._record(batch_id, owner, index, BatchResult(url, "failed", error=why))

    def _batch_gave_up(self, message: dict[str, Any], retry_info: dict[str, Any]) -> None:
        batch_id, owner, _ = message["args"]
        self.service.batch_records.finish(
            batch_id, "Không đọc được nguồn của lô sau nhiều lần thử; hãy gửi lại lô sau."
        )
        self._notify_done(batch_id, owner)

    def _notify_done(self, batch_id: str, owner: str) -> None:
        record = self.service.batch_records.get(batch_id)
        tenant = self.service.tenants.tenant(owner)
        if record is not None and tenant is not None:
            self.service.notify(tenant, "batch.done", {"batch": public_batch(record)})


def run_worker(service: Service, threads: int, stop: threading.Event) -> None:
    """Take queued batch messages with ``threads`` threads until ``stop`` is set; messages in
    hand are finished (or, if the process is killed, redelivered to another worker)."""
    from dramatiq import Worker

    queue = service.queue
    assert queue is not None
    worker = Worker(queue.broker, queues={QUEUE}, worker_threads=threads, worker_timeout=500)
    # Hold only as many messages as threads: a held message waits for this worker alone.
    worker.queue_prefetch = threads
    worker.start()
    heartbeat_every = max(0.2, service.settings.queue_heartbeat_s / 4)
    try:
        while not stop.wait(heartbeat_every):
            # Any broker call records this process's heartbeat, even while every thread is busy
            # with a long article (then the consumer makes no call of its own).
            try:
                queue.broker.do_qsize(QUEUE)
            except Exception as exc:  # Redis away for a moment: the next beat tries again
                log.warning("hàng đợi: không gửi được tín hiệu còn sống (%s)", exc)
    finally:
        worker.stop(timeout=int(service.settings.queue_time_limit_s * 1000))
