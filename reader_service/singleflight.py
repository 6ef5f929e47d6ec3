"""Single-flight: concurrent requests for the same key run the work once and share the result.

Threads call :meth:`SingleFlight.run`; asyncio code calls :meth:`SingleFlight.run_async`, which
runs the work in a worker thread through the same gate, so a clip wanted by an async request and
by a thread at the same moment is still made once.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class _Call(Generic[T]):
    done: threading.Event = field(default_factory=threading.Event)
    result: T | None = None
    error: BaseException | None = None
    followers: int = 0


class SingleFlight(Generic[T]):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[str, _Call[T]] = {}

    def followers(self, key: str) -> int:
        """How many callers wait for the work now running for ``key`` (0 when none runs)."""
        with self._lock:
            call = self._calls.get(key)
            return call.followers if call is not None else 0

    def run(self, key: str, work: Callable[[], T]) -> T:
        """``work()`` once for all callers that ask for ``key`` while it runs."""
        with self._lock:
            call = self._calls.get(key)
            leader = call is None
            if call is None:
                call = self._calls[key] = _Call()
            else:
                call.followers += 1
        if not leader:
            call.done.wait()
        else:
            try:
                call.result = work()
            except BaseException as exc:
                call.error = exc
            finally:
                with self._lock:
                    del self._calls[key]
                call.done.set()
        if call.error is not None:
            raise call.error
        return call.result  # type: ignore[return-value]

    async def run_async(self, key: str, work: Callable[[], T]) -> T:
        return await asyncio.to_thread(self.run, key, work)
