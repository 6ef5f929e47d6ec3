"""Fetching pages without becoming an open proxy.

Every hop (the first request and each redirect) is checked: http(s) only, optional host
allow-list, and every address the host resolves to must be public unless loopback is allowed.
Bodies are streamed with a size cap; only HTML is accepted.

httpx resolves the host again when it connects, so a DNS answer that changes between our check
and the connection (rebinding) could reach a private address: the address actually connected to
is therefore checked again before a byte of the answer is read.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import certifi
import httpx

from reader_service.errors import FetchError, NotHTMLError, PageTooLargeError, UnsafeURLError
from reader_service.models import FetchedPage

Resolver = Callable[[str, int], Iterable[str]]

USER_AGENT = "reader-service/0.1 (read-aloud service for Vietnamese portals)"
_HTML_TYPES = frozenset(("text/html", "application/xhtml+xml"))


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, through the system resolver."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"Không tìm thấy máy chủ '{host}'.") from exc
    return [str(info[4][0]) for info in infos]


@dataclass(frozen=True)
class FetchOptions:
    timeout_s: float = 10.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_loopback: bool = False
    allowed_hosts: frozenset[str] = field(default_factory=frozenset)  # empty: any public host
    # The HTTP service sets this: there, an empty allow-list allows nothing.
    require_allowed: bool = False


def _check_address(address: str, allow_loopback: bool) -> None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_loopback and allow_loopback:
        return
    if not ip.is_global or ip.is_multicast:
        raise UnsafeURLError(
            f"Không được phép đọc trang ở địa chỉ nội bộ ({address}); chỉ đọc trang công khai."
        )


def check_url(url: str, options: FetchOptions, resolve: Resolver | None = None) -> None:
    """Raise UnsafeURLError unless ``url`` is http(s), allowed, and resolves to public addresses."""
    resolve = resolve or system_resolver  # looked up at call time (tests replace it)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeURLError(f"Địa chỉ '{url}' không hợp lệ: chỉ nhận http:// hoặc https://.")
    host = parts.hostname.lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    bare = host.removeprefix("www.")
    if (options.allowed_hosts or options.require_allowed) and not (
        {host, bare, f"{host}:{port}", f"{bare}:{port}"} & options.allowed_hosts
    ):
        raise UnsafeURLError(f"Máy chủ '{host}' không nằm trong danh sách được phép đọc.")
    addresses = list(resolve(host, port))
    if not addresses:
        raise FetchError(f"Không tìm thấy máy chủ '{host}'.")
    for address in addresses:
        _check_address(address, options.allow_loopback)


def fetch(
    url: str,
    options: FetchOptions | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
    resolve: Resolver | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
    content_types: frozenset[str] = _HTML_TYPES,
) -> FetchedPage:
    """Download an HTML page, following at most ``max_redirects`` checked redirects.

    With ``etag`` or ``last_modified`` from an earlier fetch the request is conditional: an
    unchanged page answers 304 and comes back with ``not_modified`` and no body.
    """
    conditional = {}
    if etag:
        conditional["If-None-Match"] = etag
    if last_modified:
        conditional["If-Modified-Since"] = last_modified
    options = options or FetchOptions()
    current = url
    with httpx.Client(
        verify=_tls_context(),
        transport=transport,
        timeout=options.timeout_s,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"},
    ) as client:
        for _ in range(options.max_redirects + 1):
            check_url(current, options, resolve)
            try:
                with client.stream("GET", current, headers=conditional) as response:
                    _check_peer(response, options)
                    if response.status_code == 304:
                        return _not_modified(url, current, response)
                    if response.is_redirect and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    return _read_page(url, current, response, options, content_types)
            except httpx.TimeoutException as exc:
                raise FetchError(
                    f"Máy chủ không trả lời trong {options.timeout_s:g} giây."
                ) from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"Không tải được trang {current}: {exc}") from exc
    raise FetchError(f"Trang chuyển hướng quá {options.max_redirects} lần: {url}")


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
    """The address really connected to must be public too (DNS rebinding)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        _check_address(str(peer[0]), options.allow_loopback)


def _read_page(
    url: str,
    final_url: str,
    response: httpx.Response,
    options: FetchOptions,
    content_types: frozenset[str] = _HTML_TYPES,
) -> FetchedPage:
    if response.status_code >= 400:
        raise FetchError(f"Máy chủ trả lỗi {response.status_code} cho trang {final_url}.")
    content_type = response.headers.get("content-type", "")
    if content_type and content_type.split(";")[0].strip().lower() not in content_types:
        raise NotHTMLError(f"Địa chỉ {final_url} không phải trang HTML ({content_type}).")
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > options.max_bytes:
        raise PageTooLargeError(_too_large(options.max_bytes))
    body = bytearray()
    for piece in response.iter_bytes():
        body += piece
        if len(body) > options.max_bytes:
            raise PageTooLargeError(_too_large(options.max_bytes))
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


def _too_large(limit: int) -> str:
    return f"Trang quá lớn: giới hạn là {limit / 1_000_000:g} MB."


XML_TYPES = frozenset(
    ("application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "text/plain")
)


def fetch_xml(url: str, options: FetchOptions | None = None) -> bytes:
    """A sitemap or feed, with the same address checks and limits as pages."""
    return fetch(url, options, content_types=XML_TYPES).body
