"""The hot path: cached clips served straight from memory or disk, before FastAPI's routing.

Measured (benchmarks/serve.sh): FastAPI's FileResponse route serves a sentence-sized clip at about
1 % of nginx's rate; this plain ASGI layer answers from an in-memory LRU of clip bytes and reaches
a useful fraction of it. A clip not yet made goes on to the FastAPI route, which synthesises it.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

from reader_service.api.http import IMMUTABLE, audio_headers_and_body
from reader_service.errors import RequestTooLargeError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CLIP_PATH = re.compile(r"^/v1/clips/([0-9a-f]{64})\.mp3$")


class ClipMemory:
    """Least-recently-used clip bytes, up to a size cap."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return data

    def put(self, key: str, data: bytes) -> None:
        with self._lock:
            if key in self._items or len(data) > self.max_bytes:
                return
            self._items[key] = data
            self._size += len(data)
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


class ClipStore(Protocol):
    """What the hot path needs of the clip store (it knows nothing of its layout)."""

    async def get_async(self, key: str) -> bytes | None: ...

    def touch(self, key: str) -> None: ...


# A clip served from memory is marked as used in the store at most this often, so the store's
# least-recently-used pruning keeps the most played clips (one system call a minute per clip).
_TOUCH_EVERY_S = 60.0


class ClipHotPath:
    def __init__(self, app: ASGIApp, store: ClipStore, memory: ClipMemory) -> None:
        self.app = app
        self.store = store
        self.memory = memory
        self._touched: dict[str, float] = {}
        # The application's state (settings, service, metrics), for operators' tools and tests.
        self.state: Any = getattr(app, "state", None)
        # Response headers of whole clips, built once per clip (they never change: the key
        # names the content).
        self._headers: dict[str, list[tuple[bytes, bytes]]] = {}

    def _whole_headers(self, key: str, data: bytes) -> list[tuple[bytes, bytes]]:
        headers = self._headers.get(key)
        if headers is None:
            headers = audio_headers_and_body(data, key, None, None, IMMUTABLE)[1]
            if len(self._headers) > 100_000:
                self._headers.clear()
            self._headers[key] = headers
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        match = CLIP_PATH.match(scope["path"])
        if match is None:
            await self.app(scope, receive, send)
            return
        key = match[1]
        data = self.memory.get(key)
        if data is None:
            data = await self.store.get_async(f"{key}.mp3")  # marks it as used
            if data is None:
                await self.app(scope, receive, send)  # not made yet: the route makes it
                return
            self.memory.put(key, data)
            self._touched[key] = time.monotonic()
        else:
            now = time.monotonic()
            if now - self._touched.get(key, 0.0) > _TOUCH_EVERY_S:
                if len(self._touched) > 100_000:
                    self._touched.clear()
                self._touched[key] = now
                self.store.touch(f"{key}.mp3")
        range_header = if_none_match = None
        cross_origin = False
        for name, value in scope["headers"]:  # only three headers matter here
            if name == b"range":
                range_header = value.decode("latin-1")
            elif name == b"if-none-match":
                if_none_match = value.decode("latin-1")
            elif name == b"origin":
                cross_origin = True
        if range_header is None and if_none_match is None:  # the common case: whole clip
            status, response_headers, body = 200, self._whole_headers(key, data), data
        else:
            status, response_headers, body = audio_headers_and_body(
                data, key, range_header, if_none_match, IMMUTABLE
            )
        if cross_origin:  # clips are public and content-addressed: any page may play them
            response_headers = [*response_headers, (b"access-control-allow-origin", b"*")]
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        if scope["method"] == "HEAD":
            body = b""
        await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Request bodies over ``max_bytes`` get 413, whether or not they declare a length (a
    chunked body is counted as it arrives; the application then sees the client leave and its
    own answer is replaced by the 413)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0
        too_large = False

        async def counted() -> Message:
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded(message: Message) -> None:
            if not too_large:
                await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not too_large:
                raise
        if too_large:
            error = RequestTooLargeError(
                f"Yêu cầu quá lớn: giới hạn {self.max_bytes / 1_000_000:g} MB."
            )
            body = json.dumps(error.to_dict(), ensure_ascii=False).encode("utf-8")
            headers = [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 413, "headers": headers})
            await send({"type": "http.response.body", "body": body})
