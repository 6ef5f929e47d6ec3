"""Tenants' webhooks: posted off the request path, under the same address policy as pages.

A webhook address is a tenant's own setting, but it is still an address the service connects
to: it goes through the fetch module's checks (public addresses only, the connection pinned to
the checked address, a deadline), so a tenant cannot make the service post to 10.0.0.1. Events
wait in a bounded queue for one sender thread; a full queue drops the newest event with a
warning rather than holding up the work it reports on.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from typing import Any

from reader_service.errors import ReaderError
from reader_service.fetch import FetchOptions, Resolver, post_json

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Delivery:
    tenant: str
    url: str
    payload: dict[str, Any]


class WebhookSender:
    def __init__(
        self, options: FetchOptions, max_queued: int = 1000, resolve: Resolver | None = None
    ) -> None:
        self.options = options
        self.resolve = resolve
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
            log.warning("webhook queue full; event %s of %s dropped", event, tenant)
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
                status = post_json(
                    delivery.url, delivery.payload, self.options, resolve=self.resolve
                )
                if status >= 400:
                    raise ReaderError(f"trả mã {status}")
                self.sent += 1
            except ReaderError as exc:
                self.failed += 1
                log.warning("webhook of %s not delivered: %s", delivery.tenant, exc.message)
            except Exception:  # a bug must not kill the sender thread
                self.failed += 1
                log.exception("webhook of %s failed", delivery.tenant)
            finally:
                self._queue.task_done()
