"""Fetching pages without becoming an open proxy.

Every hop (the first request and each redirect) is checked: http(s) only, the host allow-list,
and every address the host resolves to must be public (reader_service.netpolicy). The name is
resolved once per hop and the connection is made to the checked address itself, never resolved
again by the HTTP client, so a DNS answer that changes between the check and the connection
(rebinding) cannot reach an internal address: the request is never sent there. TLS still names
the host (SNI, certificate check) and the Host header is the URL's.

One deadline bounds the whole fetch (name lookup, connect, headers, body, every redirect), not
each read: a server that trickles a byte at a time is cut off when the page's time is up.
Bodies are streamed with a size cap; only HTML (or, for feeds, XML) is accepted.
"""

from __future__ import annotations

import concurrent.futures
import socket
import ssl
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit

import certifi
import httpcore
import httpx

from reader_service.errors import (
    FetchError,
    FetchTimeoutError,
    HostNotAllowedError,
    InvalidInputError,
    NotHTMLError,
    PageTooLargeError,
    UnsafeURLError,
)
from reader_service.models import FetchedPage
from reader_service.netpolicy import check_address
from reader_service.oserrors import explain
from reader_service.settings import setting_default

Resolver = Callable[[str, int], Iterable[str]]

USER_AGENT = "reader-service/0.1 (read-aloud service for Vietnamese portals)"
_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))
DEFAULT_PORTS = {"http": 80, "https": 443}
# Name lookups run here so that a lookup that hangs counts against the page's deadline.
_LOOKUPS = concurrent.futures.ThreadPoolExecutor(max_workers=8, thread_name_prefix="dns")


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, through the system resolver."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"Không tìm thấy máy chủ '{host}'.") from exc
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class FetchOptions:
    # The whole fetch, redirects included, must be done within this many seconds.
    timeout_s: float = field(default_factory=lambda: setting_default("fetch_timeout_s"))
    max_bytes: int = field(default_factory=lambda: setting_default("fetch_max_bytes"))
    max_redirects: int = field(default_factory=lambda: setting_default("fetch_max_redirects"))
    allow_loopback: bool = field(default_factory=lambda: setting_default("allow_loopback"))
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)  # empty: any public host
    # The HTTP service sets this: there, an empty allow-list allows nothing.
    require_allowed: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    """A URL that passed the checks: where to connect, and the addresses that were checked."""

    url: str
    host: str
    port: int
    addresses: tuple[str, ...]


def split_url(url: str) -> tuple[SplitResult, str, int]:
    """The parts, lower-cased host and port of an http(s) URL; InvalidInputError (422) for
    anything malformed (control characters, a bad port, a broken IPv6 literal)."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F or 0xD800 <= ord(ch) <= 0xDFFF for ch in url):
        raise InvalidInputError(
            "Địa chỉ trang chứa ký tự điều khiển hoặc không hợp lệ (xuống dòng, tab...)."
        )
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").lower()
    except ValueError as exc:
        raise InvalidInputError(
            f"Địa chỉ trang '{url[:200]}' không hợp lệ: cổng hoặc tên máy sai."
        ) from exc
    if parts.scheme not in DEFAULT_PORTS or not host:
        raise UnsafeURLError(f"Địa chỉ '{url}' không hợp lệ: chỉ nhận http:// hoặc https://.")
    if parts.username is not None or parts.password is not None:
        raise InvalidInputError("Địa chỉ trang không được chứa tên đăng nhập hay mật khẩu.")
    return parts, host, port or DEFAULT_PORTS[parts.scheme]


def host_allowed(host: str, port: int, scheme: str, allowed: frozenset[str]) -> bool:
    """An allow-list entry "host" allows that host on its scheme's default port only (80 for
    http, 443 for https); "host:port" allows that port. "www." is ignored on both sides."""
    bare = host.removeprefix("www.")
    if port == DEFAULT_PORTS.get(scheme) and bare in allowed:
        return True
    return f"{bare}:{port}" in allowed


def check_url(
    url: str,
    options: FetchOptions,
    resolve: Resolver | None = None,
    deadline: float | None = None,
) -> Target:
    """The checked target of ``url``; raises UnsafeURLError unless it is http(s), allowed, and
    every address its host resolves to is public."""
    resolve = resolve or system_resolver  # looked up at call time (tests replace it)
    parts, host, port = split_url(url)
    if (options.allowed_hosts or options.require_allowed) and not host_allowed(
        host, port, parts.scheme, options.allowed_hosts
    ):
        raise HostNotAllowedError(
            f"Máy chủ '{host}' (cổng {port}) không nằm trong danh sách được phép đọc."
        )
    addresses = tuple(_lookup(resolve, host.strip("[]"), port, deadline, options.timeout_s))
    if not addresses:
        raise FetchError(f"Không tìm thấy máy chủ '{host}'.")
    for address in addresses:
        check_address(address, options.allow_loopback)
    return Target(url, host.strip("[]"), port, addresses)


def _lookup(
    resolve: Resolver, host: str, port: int, deadline: float | None, timeout_s: float
) -> list[str]:
    if deadline is None:
        return list(resolve(host, port))
    future = _LOOKUPS.submit(lambda: list(resolve(host, port)))
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except concurrent.futures.TimeoutError as exc:
        raise FetchTimeoutError(_timed_out(timeout_s)) from exc


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write ends by the fetch's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self.inner = inner
        self.deadline = deadline

    def _timeout(self, timeout: float | None) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("the page's time is up")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self._timeout(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self._timeout(timeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        tls = self.inner.start_tls(ssl_context, server_hostname, self._timeout(timeout))
        return _DeadlineStream(tls, self.deadline)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class PinnedBackend(httpcore.NetworkBackend):
    """Connects only to addresses that were checked for the host being asked for.

    httpcore asks for a connection to the URL's host name; this backend connects to the
    addresses the policy checked for that name instead of resolving it again.
    """

    def __init__(self, deadline: float, inner: httpcore.NetworkBackend | None = None) -> None:
        self.deadline = deadline
        self.inner = inner or httpcore.SyncBackend()
        self.pins: dict[tuple[str, int], tuple[str, ...]] = {}

    def pin(self, target: Target) -> None:
        self.pins[(target.host, target.port)] = target.addresses

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.pins.get((host.strip("[]").lower(), port))
        if not addresses:
            raise httpcore.ConnectError(f"{host}:{port} was not checked")
        error: Exception | None = None
        for address in addresses:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise httpcore.ConnectTimeout("the page's time is up")
            try:
                stream = self.inner.connect_tcp(
                    address,
                    port,
                    remaining if timeout is None else min(timeout, remaining),
                    local_address,
                    socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self.deadline)
        assert error is not None
        raise error

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def pinned_transport(backend: PinnedBackend) -> httpx.HTTPTransport:
    """httpx's own transport, its connection pool given the pinned backend (httpx has no public
    setting for a network backend; the pool is the one it would build, plus that)."""
    transport = httpx.HTTPTransport(verify=_tls_context(), trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001
        ssl_context=_tls_context(),
        max_connections=10,
        max_keepalive_connections=5,
        network_backend=backend,
    )
    return transport


def _client(
    transport: httpx.BaseTransport, options: FetchOptions, headers: dict[str, str] | None = None
) -> httpx.Client:
    """A client that follows nothing by itself (every redirect is checked here) and ignores
    proxy variables (a proxy would connect to addresses nobody checked)."""
    return httpx.Client(
        transport=transport,
        timeout=options.timeout_s,
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": USER_AGENT, **(headers or {})},
    )


def fetch(
    url: str,
    options: FetchOptions | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    resolve: Resolver | None = None,
    network: httpcore.NetworkBackend | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    content_types: frozenset[str] = _HTML_TYPES,
) -> FetchedPage:
    """Download an HTML page, following at most ``max_redirects`` checked redirects, all within
    ``options.timeout_s``.

    With ``etag`` or ``last_modified`` from an earlier fetch the request is conditional: an
    unchanged page answers 304 and comes back with ``not_modified`` and no body. ``transport``
    replaces the network entirely (tests); ``network`` replaces only the socket layer under the
    address pinning (tests that watch where connections go).
    """
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    options = options or FetchOptions()
    deadline = time.monotonic() + options.timeout_s
    backend = PinnedBackend(deadline, network)
    current = url
    accept = {"Accept": "text/html,application/xhtml+xml"}
    with _client(transport or pinned_transport(backend), options, accept) as client:
        for hop in range(options.max_redirects + 1):
            try:
                target = check_url(current, options, resolve, deadline)
            except InvalidInputError as exc:
                if hop == 0:
                    raise
                # A malformed redirect is the portal's fault, not the caller's input.
                raise FetchError(
                    f"Trang chuyển hướng tới địa chỉ không hợp lệ: {exc.message}"
                ) from exc
            backend.pin(target)
            try:
                with client.stream("GET", current, headers=conditional) as response:
                    _check_peer(response, options)
                    if response.status_code == 304:
                        return _not_modified(url, current, response)
                    if response.is_redirect and "location" in response.headers:
                        current = _redirect_target(current, response.headers["location"])
                        continue
                    return _read_page(url, current, response, options, content_types, deadline)
            except httpx.TimeoutException as exc:
                raise FetchTimeoutError(_timed_out(options.timeout_s)) from exc
            except httpx.InvalidURL as exc:
                raise InvalidInputError(f"Địa chỉ trang không hợp lệ: {exc}.") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"Không tải được trang {current}: {explain(exc)}.") from exc
    raise FetchError(f"Trang chuyển hướng quá {options.max_redirects} lần: {url}")


def _redirect_target(current: str, location: str) -> str:
    try:
        return urljoin(current, location.strip())
    except ValueError as exc:
        raise FetchError(f"Trang chuyển hướng tới địa chỉ không hợp lệ: {location!r}.") from exc


def _timed_out(timeout_s: float) -> str:
    return f"Máy chủ không trả lời đủ trang trong {timeout_s:g} giây."


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Built once: loading the CA bundle costs more than a conditional request to a portal."""
    return ssl.create_default_context(cafile=certifi.where())


def _not_modified(url: str, final_url: str, response: httpx.Response) -> FetchedPage:
    return FetchedPage(
        url=url,
        final_url=final_url,
        status=304,
        content_type="",
        body=b"",
        fetched_at=datetime.now(UTC),
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


def _check_peer(response: httpx.Response, options: FetchOptions) -> None:
    """The address really connected to is checked again (a second line behind the pinning)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        check_address(str(peer[0]), options.allow_loopback)


def _read_page(
    url: str,
    final_url: str,
    response: httpx.Response,
    options: FetchOptions,
    content_types: frozenset[str],
    deadline: float,
) -> FetchedPage:
    if response.status_code >= 400:
        raise FetchError(f"Máy chủ trả lỗi {response.status_code} cho trang {final_url}.")
    content_type = response.headers.get("content-type", "")
    if content_type.split(";")[0].strip().lower() not in content_types:
        kind = content_type or "không khai báo Content-Type"
        raise NotHTMLError(f"Địa chỉ {final_url} không phải trang HTML ({kind}).")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and len(declared) < 20 and int(declared) > options.max_bytes:
        raise PageTooLargeError(_too_large(options.max_bytes))
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > options.max_bytes:
            raise PageTooLargeError(_too_large(options.max_bytes))
        if time.monotonic() > deadline:
            raise FetchTimeoutError(_timed_out(options.timeout_s))
    # A gzipped sitemap (sitemap.xml.gz) is binary by design; fetch_xml unpacks it.
    gzipped = bytes(body[:2]) == GZIP_MAGIC and bool(content_types & _GZIP_TYPES)
    if not gzipped and looks_binary(bytes(body[:8192])):
        raise NotHTMLError(f"Địa chỉ {final_url} trả về dữ liệu nhị phân, không phải trang HTML.")
    return FetchedPage(
        url=url,
        final_url=final_url,
        status=response.status_code,
        content_type=content_type,
        body=bytes(body),
        fetched_at=datetime.now(UTC),
        charset=response.charset_encoding,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
    )


_CONTROL = frozenset(range(0x09)) | frozenset(range(0x0E, 0x20)) - {0x1B}


def looks_binary(head: bytes) -> bool:
    """Random or binary bytes served as text: NUL bytes or more than 1 % control characters
    (text in any 8-bit or UTF-8 encoding has almost none). UTF-16 with its BOM is text."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or not head:
        return False
    controls = sum(1 for byte in head if byte in _CONTROL)
    return b"\x00" in head or controls > len(head) // 100


def _too_large(limit: int) -> str:
    return f"Trang quá lớn: giới hạn là {limit / 1_000_000:g} MB."


GZIP_MAGIC = b"\x1f\x8b"
_GZIP_TYPES = frozenset(("application/gzip", "application/x-gzip", "application/octet-stream"))
XML_TYPES = (
    frozenset(
        ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "text/plain")
    )
    | _GZIP_TYPES
)


def fetch_xml(url: str, options: FetchOptions | None = None) -> bytes:
    """A sitemap or feed, with the same address checks and limits as pages; a gzipped one
    (sitemap.xml.gz) is unpacked, never beyond the page size limit."""
    options = options or FetchOptions()
    body = fetch(url, options, content_types=XML_TYPES).body
    if body[:2] != GZIP_MAGIC:
        return body
    unpacker = zlib.decompressobj(wbits=31)
    try:
        data = unpacker.decompress(body, options.max_bytes + 1)
    except zlib.error as exc:
        raise FetchError(f"Tệp nén gzip ở {url} bị hỏng: không giải nén được.") from exc
    if len(data) > options.max_bytes or unpacker.unconsumed_tail:
        raise PageTooLargeError(_too_large(options.max_bytes))
    return data


def post_json(
    url: str,
    payload: dict[str, Any],
    options: FetchOptions,
    *,
    resolve: Resolver | None = None,
    network: httpcore.NetworkBackend | None = None,
) -> int:
    """POST ``payload`` as JSON to ``url`` under the same address policy and deadline as page
    fetches (webhooks); no redirect is followed. Returns the answer's status."""
    deadline = time.monotonic() + options.timeout_s
    backend = PinnedBackend(deadline, network)
    target = check_url(url, options, resolve, deadline)
    backend.pin(target)
    with _client(pinned_transport(backend), options) as client:
        try:
            return client.post(url, json=payload).status_code
        except httpx.TimeoutException as exc:
            raise FetchTimeoutError(_timed_out(options.timeout_s)) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"Không gửi được tới {url}: {explain(exc)}.") from exc
