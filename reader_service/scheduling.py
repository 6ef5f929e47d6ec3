"""Who synthesises first: listeners before batches, a listener's first sentence before the
sentences other listeners' players fetch ahead.

Synthesis is CPU work on a machine with a few cores, so it runs in a bounded number of slots
(``READER_SYNTHESIS_WORKERS``). Requests for a slot wait without holding a thread (health,
metrics and cached clips never wait for them), and a freed slot goes to the most urgent
waiter: the lowest priority number, which is the sentence's index in its article, so the
first clip of a newly opened article overtakes the clips other players prefetch. Background
work (batches) runs only between listeners: before each of its clips it waits until no
listener's clip is waiting or being made, so a listener is delayed by at most the clip a batch
is making at that moment.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from reader_service.errors import BusyError

_BUSY = "Dịch vụ đang bận tạo nhiều đoạn âm thanh; xin thử lại sau."


@dataclass(order=True)
class _Waiter:
    priority: int
    arrival: int
    grant: Callable[[], None] = field(compare=False)


class SynthesisScheduler:
    def __init__(self, slots: int, max_waiting: int = 10_000, wait_s: float = 60.0) -> None:
        self.slots = slots
        self.max_waiting = max_waiting
        self.wait_s = wait_s
        self._free = slots
        self._waiters: list[_Waiter] = []
        self._order = itertools.count()
        self._lock = threading.Lock()
        # Listeners' clips waiting or in work; background work waits while there are any.
        self._listeners = 0
        self._idle = threading.Condition(self._lock)
        self.refused = 0

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    @asynccontextmanager
    async def listener(self, priority: int) -> AsyncIterator[None]:
        """A slot for one listener's clip, ``priority`` (lower first) deciding the queue.

        A waiter sleeps on an event of its own loop, set (thread-safely) by whoever frees a
        slot for it: no polling, so thousands of waiting requests cost the loop nothing."""
        loop = asyncio.get_running_loop()
        woken = asyncio.Event()
        granted = threading.Event()

        def grant() -> None:
            granted.set()
            loop.call_soon_threadsafe(woken.set)

        waiter = _Waiter(priority, next(self._order), grant)
        with self._lock:
            self._listeners += 1
            if self._free > 0 and not self._waiters:
                self._free -= 1
                granted.set()
            elif len(self._waiters) >= self.max_waiting:
                self._listeners -= 1
                self.refused += 1
                raise BusyError(_BUSY)
            else:
                heapq.heappush(self._waiters, waiter)
        try:
            if not granted.is_set():
                try:
                    await asyncio.wait_for(woken.wait(), timeout=self.wait_s)
                except TimeoutError:
                    with self._lock:
                        if not granted.is_set():
                            self._waiters.remove(waiter)
                            heapq.heapify(self._waiters)
                            self.refused += 1
                            raise BusyError(_BUSY) from None
            yield
        finally:
            with self._lock:
                if granted.is_set():
                    if self._waiters:
                        heapq.heappop(self._waiters).grant()  # the slot passes on
                    else:
                        self._free += 1
                self._listeners -= 1
                if self._listeners == 0:
                    self._idle.notify_all()

    def background_turn(self) -> None:
        """Blocks a background worker (batch) until no listener's clip waits or is in work."""
        with self._lock:
            while self._listeners:
                self._idle.wait(timeout=1.0)
