"""Tenants' webhooks: posted off the request path, under the same address policy as pages.

A webhook address is a tenant's own setting, but it is still an address the service connects
to: it goes through the fetch module's checks (public addresses only, the connection pinned to
the checked address, a deadline), so a tenant cannot make the service post to 10.0.0.1. Events
wait in a bounded queue for one sender thread; a full queue drops the newest event with a
warning rather than holding up the work it reports on. A delivery that fails for a reason that
may pass (no answer, a 5xx or 429) is tried again after 1, 2, 4... seconds while its time limit
(``retry_for_s``) lasts; an address the policy refuses, or a 4xx, is not retried.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reader_service.errors import ReaderError, UnsafeURLError
from reader_service.fetch import FetchOptions, Resolver, post_json

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Delivery:
    tenant: str
    url: str
    payload: dict[str, Any]


class WebhookSender:
    def __init__(
        self,
        options: FetchOptions,
        max_queued: int = 1000,
        resolve: Resolver | None = None,
        retry_for_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.options = options
        self.resolve = resolve
        self.retry_for_s = retry_for_s
        self._sleep = sleep
        self.attempts = 0
        self._queue: queue.Queue[Delivery] = queue.Queue(max_queued)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.sent = 0
        self.failed = 0

    def send(self, tenant: str, url: str, event: str, payload: dict[str, Any]) -> None:
        """Queue one event; returns at once."""
        try:
            self._queue.put_nowait(Delivery(tenant, url, {"event": event, **payload}))
        except queue.Full:
            self.failed += 1
            log.warning("hàng đợi webhook đầy; bỏ sự kiện %s của %s", event, tenant)
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
                self._thread.start()

    def join(self, timeout: float = 10.0) -> None:
        """Wait until every queued event was tried (tests, shutdown)."""
        done = threading.Event()

        def wait() -> None:
            self._queue.join()
            done.set()

        threading.Thread(target=wait, daemon=True).start()
        done.wait(timeout)

    def _run(self) -> None:
        while True:
            delivery = self._queue.get()
            try:
                if self._deliver(delivery):
                    self.sent += 1
                else:
                    self.failed += 1
            except Exception:  # a bug must not kill the sender thread
                self.failed += 1
                log.exception("webhook của %s bị lỗi", delivery.tenant)
            finally:
                self._queue.task_done()

    def _deliver(self, delivery: Delivery) -> bool:
        give_up_at = time.monotonic() + self.retry_for_s
        delay = 1.0
        while True:
            self.attempts += 1
            try:
                status = post_json(
                    delivery.url, delivery.payload, self.options, resolve=self.resolve
                )
                if status < 400:
                    return True
                problem, may_pass = f"trả mã {status}", status == 429 or status >= 500
            except UnsafeURLError as exc:
                problem, may_pass = exc.message, False
            except ReaderError as exc:  # no answer, refused connection, time out
                problem, may_pass = exc.message, True
            if not may_pass or time.monotonic() + delay > give_up_at:
                log.warning("webhook của %s không gửi được: %s", delivery.tenant, problem)
                return False
            self._sleep(delay)
            delay *= 2
