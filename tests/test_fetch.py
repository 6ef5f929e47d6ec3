from __future__ import annotations

import httpx
import pytest

from reader_service.errors import FetchError, NotHTMLError, PageTooLargeError, UnsafeURLError
from reader_service.fetch import FetchOptions, check_url, fetch

PUBLIC = {"portal.gov.vn": ["203.162.0.10"], "cdn.gov.vn": ["2001:ee0::1"]}
PRIVATE = {
    "intranet.local": ["10.0.0.5"],
    "router": ["192.168.1.1"],
    "meta": ["169.254.169.254"],
    "v6-local": ["fe80::1"],
    "v6-loop": ["::1"],
    "mapped": ["::ffff:127.0.0.1"],
    "multicast": ["224.0.0.1"],
    "loop": ["127.0.0.1"],
    "mixed": ["203.162.0.10", "10.1.1.1"],
}


def resolve(host: str, port: int) -> list[str]:
    return {**PUBLIC, **PRIVATE}[host]


def _transport(routes: dict[str, httpx.Response]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return routes[str(request.url)]

    return httpx.MockTransport(handler)


HTML = {"content-type": "text/html; charset=utf-8"}


def test_fetches_html_and_follows_checked_redirects() -> None:
    transport = _transport(
        {
            "https://portal.gov.vn/a": httpx.Response(301, headers={"location": "/b"}),
            "https://portal.gov.vn/b": httpx.Response(
                200, headers=HTML, content="<p>Xin chào</p>".encode()
            ),
        }
    )
    page = fetch("https://portal.gov.vn/a", transport=transport, resolve=resolve)
    assert page.final_url == "https://portal.gov.vn/b"
    assert page.body == "<p>Xin chào</p>".encode()
    assert page.charset == "utf-8"


@pytest.mark.parametrize("host", sorted(PRIVATE))
def test_private_loopback_link_local_and_multicast_are_refused(host: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url(f"http://{host}/", FetchOptions(), resolve)


def test_redirect_to_a_private_address_is_refused() -> None:
    transport = _transport(
        {
            "https://portal.gov.vn/a": httpx.Response(
                302, headers={"location": "http://meta/latest"}
            ),
        }
    )
    with pytest.raises(UnsafeURLError):
        fetch("https://portal.gov.vn/a", transport=transport, resolve=resolve)


def test_loopback_only_when_allowed() -> None:
    check_url("http://loop:8000/", FetchOptions(allow_loopback=True), resolve)
    with pytest.raises(UnsafeURLError):
        check_url("http://intranet.local/", FetchOptions(allow_loopback=True), resolve)


def test_allow_list_and_schemes() -> None:
    only_portal = FetchOptions(allowed_hosts=frozenset({"portal.gov.vn"}))
    check_url("https://portal.gov.vn/x", only_portal, resolve)
    with pytest.raises(UnsafeURLError, match="không nằm trong danh sách"):
        check_url("https://cdn.gov.vn/x", only_portal, resolve)
    for url in ("file:///etc/passwd", "ftp://portal.gov.vn/", "https:///nohost"):
        with pytest.raises(UnsafeURLError):
            check_url(url, FetchOptions(), resolve)


def test_too_many_redirects() -> None:
    transport = _transport(
        {
            "https://portal.gov.vn/a": httpx.Response(302, headers={"location": "/a"}),
        }
    )
    with pytest.raises(FetchError, match="chuyển hướng"):
        fetch(
            "https://portal.gov.vn/a",
            FetchOptions(max_redirects=2),
            transport=transport,
            resolve=resolve,
        )


def test_size_cap_and_content_type_and_http_errors() -> None:
    big = httpx.Response(200, headers=HTML, content=b"x" * 2000)
    with pytest.raises(PageTooLargeError):
        fetch(
            "https://portal.gov.vn/a",
            FetchOptions(max_bytes=1000),
            transport=_transport({"https://portal.gov.vn/a": big}),
            resolve=resolve,
        )
    pdf = httpx.Response(200, headers={"content-type": "application/pdf"}, content=b"%PDF")
    with pytest.raises(NotHTMLError):
        fetch(
            "https://portal.gov.vn/a",
            transport=_transport({"https://portal.gov.vn/a": pdf}),
            resolve=resolve,
        )
    missing = httpx.Response(404, headers=HTML, content=b"")
    with pytest.raises(FetchError, match="404"):
        fetch(
            "https://portal.gov.vn/a",
            transport=_transport({"https://portal.gov.vn/a": missing}),
            resolve=resolve,
        )


def test_timeout_becomes_a_fetch_error() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(FetchError, match="không trả lời"):
        fetch("https://portal.gov.vn/a", transport=httpx.MockTransport(slow), resolve=resolve)
