"""The address policy, pinned connections and the whole-page deadline (issue 12, items 1, 2, 5,
9 and parts of 12), against local servers and a resolver seam; no network."""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx
import pytest

from reader_service.errors import (
    FetchError,
    FetchTimeoutError,
    InvalidInputError,
    NotHTMLError,
    UnsafeURLError,
)
from reader_service.fetch import FetchOptions, check_url, fetch, post_json
from reader_service.netpolicy import embedded_ipv4, unsafe_reason

# Each of these stands for an internal address (mostly 169.254.169.254 or 10.0.0.1) written
# so that Python's is_global calls it public.
INTERNAL_IN_DISGUISE = [
    "64:ff9b::a9fe:a9fe",  # NAT64 well-known prefix -> 169.254.169.254
    "64:ff9b::a00:1",  # NAT64 -> 10.0.0.1
    "64:ff9b:1::a00:1",  # NAT64 local-use prefix
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "::a9fe:a9fe",  # IPv4-compatible
    "::a00:1",
    "::ffff:0:a9fe:a9fe",  # IPv4-translated
    "::ffff:169.254.169.254",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "2001:0:4136:e378:0:ffff:f5ff:fffe",  # Teredo, client 10.0.0.1
    "2001:0:4136:e378:0:ffff:5601:5601",  # Teredo, client 169.254.169.254
    "fec0::1",  # site-local
    "fd12:3456::1",  # unique local
    "fe80::1%eth0",  # link-local with a zone
    "ff02::1",  # multicast
    "2001:db8::1",  # documentation
    "3fff::1",  # documentation
    "100::1",  # discard
    "::",
    "::1",
    "0.0.0.0",
    "100.64.0.1",  # carrier-grade NAT
    "192.0.0.8",
    "198.18.0.1",  # benchmarking
    "240.0.0.1",
    "255.255.255.255",
]
PUBLIC = [
    "203.162.0.10",
    "2001:ee0::1",
    "64:ff9b::cba2:a",  # NAT64 of 203.162.0.10: a public server through a translator
    "2002:cba2:a::1",
    "::ffff:203.162.0.10",
    "2001:0:4136:e378:0:ffff:345d:fff5",  # Teredo, public client
]


@pytest.mark.parametrize("address", INTERNAL_IN_DISGUISE)
def test_internal_addresses_in_every_form_are_refused(address: str) -> None:
    assert unsafe_reason(address) is not None
    with pytest.raises(UnsafeURLError):
        check_url("http://portal.gov.vn/", FetchOptions(), lambda host, port: [address])


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_in_every_form_are_allowed(address: str) -> None:
    assert unsafe_reason(address) is None
    target = check_url("http://portal.gov.vn/", FetchOptions(), lambda host, port: [address])
    assert target.addresses == (address,)


def test_embedded_ipv4_is_unwrapped() -> None:
    from ipaddress import IPv4Address, IPv6Address

    assert embedded_ipv4(IPv6Address("64:ff9b::a9fe:a9fe")) == IPv4Address("169.254.169.254")
    assert embedded_ipv4(IPv6Address("2002:a00:1::")) == IPv4Address("10.0.0.1")
    assert embedded_ipv4(IPv6Address("2001:ee0::1")) is None


class RecordingNetwork(httpcore.NetworkBackend):
    """The socket layer under the pinning: records where it was asked to connect, connects
    nowhere (the 'public' addresses of these tests are not reachable from here)."""

    def __init__(self) -> None:
        self.connected: list[tuple[str, int]] = []

    def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.connected.append((host, port))
        raise httpcore.ConnectError("recorded, not connected")


def test_dns_rebinding_never_reaches_the_second_answer() -> None:
    """A name that answers a public address for the check and 10.0.0.1 afterwards: the
    connection goes to the checked address, and the name is looked up only once."""
    answers = iter([["203.162.0.10"], ["10.0.0.1"], ["10.0.0.1"]])
    lookups: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        lookups.append(host)
        return next(answers)

    network = RecordingNetwork()
    with pytest.raises(FetchError, match="lỗi kết nối") as refused:
        fetch("http://rebind.example.vn/bai", resolve=rebinding, network=network)
    # The editor reads one Vietnamese line; the cause is the recording network's refusal.
    cause = refused.value.__cause__
    assert cause is not None and "recorded" in str(cause)
    assert network.connected == [("203.162.0.10", 80)]
    assert lookups == ["rebind.example.vn"]


@contextmanager
def raw_server(handle: Any) -> Iterator[int]:
    """A loopback TCP server running ``handle(connection)`` per connection: its port."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            try:
                handle(self.request)
            except OSError:
                pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _read_request(connection: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        piece = connection.recv(4096)
        if not piece:
            break
        data += piece
    return data


LOCAL = FetchOptions(allow_loopback=True, timeout_s=1.0)


def _to_loopback(host: str, port: int) -> list[str]:
    return ["127.0.0.1"]


def test_connection_goes_to_the_checked_address_with_the_hosts_name() -> None:
    """The pinned connection: the name resolves only through our resolver (it does not exist
    in DNS) and the server still sees it in the Host header."""
    seen: list[bytes] = []

    def answer(connection: socket.socket) -> None:
        seen.append(_read_request(connection))
        body = "<html><body><p>Xin chào</p></body></html>".encode()
        connection.sendall(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\n"
            + f"content-length: {len(body)}\r\nconnection: close\r\n\r\n".encode()
            + body
        )

    with raw_server(answer) as port:
        page = fetch(f"http://portal.invalid:{port}/bai", LOCAL, resolve=_to_loopback)
    assert b"Xin ch" in page.body
    assert f"host: portal.invalid:{port}".encode() in seen[0].lower()


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_trickling_server_is_cut_off_at_the_page_deadline(where: str) -> None:
    """One byte every 0.2 s never trips a per-read limit; the whole page's deadline (1 s)
    stops it anyway."""
    stop = threading.Event()

    def trickle(connection: socket.socket) -> None:
        _read_request(connection)
        if where == "body":
            connection.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n\r\n<p>")
        else:
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
        while not stop.is_set():
            connection.sendall(b"x" if where == "body" else b"X-A: b\r\n"[:1])
            time.sleep(0.2)

    with raw_server(trickle) as port:
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError):
            fetch(f"http://portal.invalid:{port}/", LOCAL, resolve=_to_loopback)
        elapsed = time.monotonic() - started
        stop.set()
    assert elapsed < 1.8


def test_a_silent_server_is_cut_off_at_the_page_deadline() -> None:
    def silent(connection: socket.socket) -> None:
        _read_request(connection)
        time.sleep(3)

    with raw_server(silent) as port:
        started = time.monotonic()
        with pytest.raises(FetchTimeoutError):
            fetch(f"http://portal.invalid:{port}/", LOCAL, resolve=_to_loopback)
    assert time.monotonic() - started < 1.8


def test_a_slow_name_lookup_counts_against_the_deadline() -> None:
    def slow(host: str, port: int) -> list[str]:
        time.sleep(2)
        return ["203.162.0.10"]

    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        fetch("http://portal.gov.vn/", FetchOptions(timeout_s=0.5), resolve=slow)
    assert time.monotonic() - started < 1.5


def _mock(response: httpx.Response) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: response)


def _public(host: str, port: int) -> list[str]:
    return ["203.162.0.10"]


def test_a_page_without_content_type_is_refused() -> None:
    transport = _mock(httpx.Response(200, content=b"<p>Xin chao</p>"))
    with pytest.raises(NotHTMLError, match="Content-Type"):
        fetch("http://portal.gov.vn/", transport=transport, resolve=_public)


def test_random_bytes_served_as_html_are_refused() -> None:
    import random

    noise = random.Random(7).randbytes(200_000)
    transport = _mock(httpx.Response(200, headers={"content-type": "text/html"}, content=noise))
    with pytest.raises(NotHTMLError, match="nhị phân"):
        fetch("http://portal.gov.vn/", transport=transport, resolve=_public)


@pytest.mark.parametrize(
    "url",
    [
        "http://portal.gov.vn:99999/",
        "http://portal.gov.vn:-1/",
        "http://[portal.gov.vn/",
        "http://[/",
        "http://portal.gov.vn/a\r\nX-Injected: 1",
        "http://portal.gov.vn/a\tb",
        "http://portal.gov.vn/a\x00b",
        "http://user:secret@portal.gov.vn/",
    ],
)
def test_malformed_urls_are_input_errors(url: str) -> None:
    with pytest.raises(InvalidInputError):
        check_url(url, FetchOptions(), _public)


def test_an_allow_list_entry_without_a_port_means_the_default_ports() -> None:
    only = FetchOptions(allowed_hosts=frozenset({"portal.gov.vn"}))
    check_url("https://portal.gov.vn/x", only, _public)
    check_url("http://www.portal.gov.vn:80/x", only, _public)
    for url in ("http://portal.gov.vn:8080/x", "https://portal.gov.vn:80/x"):
        with pytest.raises(UnsafeURLError):
            check_url(url, only, _public)
    with_port = FetchOptions(allowed_hosts=frozenset({"portal.gov.vn:8080"}))
    check_url("http://portal.gov.vn:8080/x", with_port, _public)
    with pytest.raises(UnsafeURLError):
        check_url("http://portal.gov.vn/x", with_port, _public)


@pytest.mark.parametrize("address", ["10.0.0.1", "64:ff9b::a9fe:a9fe", "::1"])
def test_webhooks_follow_the_same_address_policy(address: str) -> None:
    network = RecordingNetwork()
    with pytest.raises(UnsafeURLError):
        post_json(
            "http://hook.example.vn/x",
            {"event": "batch.done"},
            FetchOptions(),
            resolve=lambda host, port: [address],
            network=network,
        )
    assert network.connected == []


def test_a_malformed_redirect_is_the_portals_fault_not_an_input_error() -> None:
    from reader_service.errors import FetchError

    transport = _mock(httpx.Response(302, headers={"location": "http://portal.gov.vn:99999/"}))
    with pytest.raises(FetchError) as caught:
        fetch("http://portal.gov.vn/a", transport=transport, resolve=_public)
    assert not isinstance(caught.value, InvalidInputError)
    assert caught.value.http_status == 502


def test_webhooks_are_retried_while_their_time_lasts_and_internal_ones_never() -> None:
    import http.server

    from reader_service.webhooks import WebhookSender

    answers = iter([503, 502, 204])
    received: list[bytes] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(next(answers))
            self.end_headers()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    slept: list[float] = []
    sender = WebhookSender(LOCAL, resolve=_to_loopback, sleep=slept.append)
    try:
        sender.send("so-a", f"http://hook.invalid:{server.server_address[1]}/x", "batch.done", {})
        sender.join()
    finally:
        server.shutdown()
        server.server_close()
    assert sender.sent == 1 and len(received) == 3 and slept == [1.0, 2.0]
    internal = WebhookSender(FetchOptions(), resolve=lambda h, p: ["10.0.0.1"], sleep=slept.append)
    internal.send("so-a", "http://hook.example.vn/x", "batch.done", {})
    internal.join()
    assert internal.failed == 1 and internal.attempts == 1  # refused, not retried
