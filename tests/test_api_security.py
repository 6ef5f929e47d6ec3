"""The HTTP service probed as an attacker would (issue 12): tenants, batches, slow upstreams,
cheap amplifiers, metric labels, rate limits, bad input, a broken cache, webhooks, CORS.
Everything runs on loopback: local servers for pages, TestClient for the service."""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from fastapi.testclient import TestClient

from conftest import (
    SAMPLE_PAGE,
    QuietFolderHandler,
    ToneEngine,
    running_service,
    serve_folder,
    wait_until,
)
from reader_service.api import create_app
from reader_service.api.clients import ConcurrencyLimit, bucket_of
from reader_service.errors import RateLimitedError
from reader_service.settings import Settings
from reader_service.tenants import TenantRegistry


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "cache_dir": tmp_path / "cache",
        "data_dir": tmp_path / "data",
        "anonymous_per_minute": 10_000,
        "anonymous_concurrency": 1_000,
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


def _page(title: str, body: str, canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    paragraphs = "".join(
        f"<p>{body} Câu thứ {i} của bài viết nói về công việc của tỉnh trong năm nay.</p>"
        for i in range(4)
    )
    return (
        f"<html lang='vi'><head><title>{title}</title>{link}</head><body>"
        f"<article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def _auth(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


# --- 3. tenants touch only their own articles ----------------------------------------------------


def test_a_tenant_cannot_overwrite_or_delete_another_tenants_article(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    registry = TenantRegistry.from_settings(settings)
    _, secret_a = registry.create_key("so-a", ["a.example.vn"])
    _, secret_b = registry.create_key("so-b", ["b.example.vn"])
    client = TestClient(create_app(settings))
    b_url = "https://b.example.vn/tin/bai-that.html"
    made_b = client.post(
        "/v1/articles",
        json={"url": b_url, "html": _page("Bài thật của sở B", "Nội dung thật.", b_url)},
        headers=_auth(secret_b),
    )
    assert made_b.status_code == 201, made_b.text
    b_id = made_b.json()["id"]
    forged = client.post(
        "/v1/articles",
        json={
            "url": "https://a.example.vn/x.html",
            "html": _page("Bài giả mạo", "Nội dung giả.", canonical=b_url),
        },
        headers=_auth(secret_a),
    )
    assert forged.status_code == 201, forged.text
    assert forged.json()["id"] != b_id
    assert client.get(f"/v1/articles/{b_id}").json()["title"] == "Bài thật của sở B"
    # B's URL with A's key is refused outright.
    pretend = client.post(
        "/v1/articles",
        json={"url": b_url, "html": _page("Giả", "Giả.")},
        headers=_auth(secret_a),
    )
    assert pretend.status_code == 403
    # Deleting: A is told there is no such article; B deletes its own.
    assert client.delete(f"/v1/articles/{b_id}", headers=_auth(secret_a)).status_code == 404
    assert client.get(f"/v1/articles/{b_id}").status_code == 200
    assert client.delete(f"/v1/articles/{b_id}", headers=_auth(secret_b)).status_code == 204
    assert client.get(f"/v1/articles/{b_id}").status_code == 404


def test_an_anonymous_listen_cannot_replace_a_tenants_record(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    b_url = "https://b.example.vn/tin/bai-that.html"
    (folder / "gia.html").write_text(_page("Bài giả mạo", "Giả.", canonical=b_url), "utf-8")
    with serve_folder(folder) as base:
        site = base.removeprefix("http://")
        settings = _settings(tmp_path, allowed_hosts=site, allow_loopback=True)
        registry = TenantRegistry.from_settings(settings)
        _, secret_b = registry.create_key("so-b", ["b.example.vn"])
        client = TestClient(create_app(settings))
        made_b = client.post(
            "/v1/articles",
            json={"url": b_url, "html": _page("Bài thật của sở B", "Thật.", b_url)},
            headers=_auth(secret_b),
        )
        b_id = made_b.json()["id"]
        listened = client.get("/v1/listen", params={"url": f"{base}/gia.html"})
        assert listened.status_code == 200, listened.text
    assert listened.json()["id"] != b_id
    assert client.get(f"/v1/articles/{b_id}").json()["title"] == "Bài thật của sở B"


# --- 5. slow upstreams: one deadline per page, health never waits ------------------------------


class _Trickle(QuietFolderHandler):
    """Sends a page one byte at a time, every 0.2 s, for ever (until the client leaves)."""

    started: ClassVar[list[str]] = []  # one entry a request begun, for the test to wait on

    def do_GET(self) -> None:  # noqa: N802
        self.started.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass


@pytest.fixture
def trickling_site(tmp_path: Path) -> Iterator[str]:
    _Trickle.started.clear()
    with serve_folder(tmp_path, _Trickle) as base:
        yield base


def test_slow_pages_are_cut_off_and_never_hold_up_health_or_metrics(
    tmp_path: Path, trickling_site: str
) -> None:
    site = trickling_site.removeprefix("http://")
    settings = _settings(
        tmp_path,
        allowed_hosts=site,
        allow_loopback=True,
        fetch_timeout_s=2.0,
        page_work_slots=2,
    )
    statuses: list[int] = []
    with TestClient(create_app(settings)) as client:  # one event loop, as under uvicorn

        def listen() -> None:
            response = client.get("/v1/listen", params={"url": f"{trickling_site}/a.html"})
            statuses.append(response.status_code)

        threads = [threading.Thread(target=listen) for _ in range(45)]
        for thread in threads:
            thread.start()
        # Both page-work slots are taken by trickling pages: the service is as busy as it gets.
        wait_until(lambda: len(_Trickle.started) >= 2, "two pages fetched at once")
        started = time.monotonic()
        assert client.get("/healthz").status_code == 200
        assert client.get("/metrics").status_code == 200
        answered_in = time.monotonic() - started
        for thread in threads:
            thread.join()
    assert answered_in < 1.0
    # Each page took its 2 s deadline, 2 at a time; the rest waited their turn or got 503.
    assert set(statuses) <= {503, 504} and 504 in statuses


# --- 6. cheap checks before expensive work ---------------------------------------------------


def test_a_page_of_fifty_thousand_paragraphs_is_refused_before_extraction(
    tmp_path: Path,
) -> None:
    client = TestClient(create_app(_settings(tmp_path)))
    html = "<html><body>" + "<p>Đoạn văn.</p>" * 50_000 + "</body></html>"
    assert len(html.encode()) > 900_000
    response = client.post("/v1/preview", json={"url": "https://x.example.vn/a", "html": html})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "page_too_large"
    assert "thẻ HTML" in response.json()["error"]["message"]


def test_one_anonymous_client_has_a_bounded_number_of_pages_in_work() -> None:
    limit = ConcurrencyLimit(2)
    with limit.hold("203.162.0.10"), limit.hold("203.162.0.10"):
        with pytest.raises(RateLimitedError), limit.hold("203.162.0.10"):
            pass
        with limit.hold("203.162.0.11"):  # another client is not affected
            pass
    with limit.hold("203.162.0.10"):  # released after use
        pass


# --- 7. metric labels ---------------------------------------------------------------------------


def test_metrics_are_labelled_by_route_template_not_raw_path(tmp_path: Path) -> None:
    client = TestClient(create_app(_settings(tmp_path)))
    for i in range(300):
        client.get(f"/v1/ngau-nhien-{i}/x")
        client.get(f"/v1/articles/{i:024x}")
    text = client.get("/metrics").text
    series = [line for line in text.splitlines() if line.startswith("reader_requests_total{")]
    assert len(series) <= 5, series
    assert "ngau-nhien" not in text
    assert 'route="/v1/articles/{article_id}"' in text and 'route="unmatched"' in text


# --- 8. rate limits that cannot be dodged -------------------------------------------------------


def _preview(client: TestClient, **headers: str) -> int:
    body = {"title": "T", "text": "Xin chào."}
    return client.post("/v1/preview", json=body, headers=headers).status_code


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(tmp_path: Path) -> None:
    app = create_app(_settings(tmp_path, anonymous_per_minute=3))
    local = TestClient(app, client=("127.0.0.1", 40000))
    statuses = [_preview(local, **{"X-Forwarded-For": f"198.51.100.{i}"}) for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]


def test_behind_a_trusted_proxy_each_visitor_has_a_bucket(tmp_path: Path) -> None:
    settings = _settings(tmp_path, anonymous_per_minute=2, trusted_proxies="10.0.0.0/8")
    proxy = TestClient(create_app(settings), client=("10.0.0.2", 40000))
    first = [_preview(proxy, **{"X-Forwarded-For": "203.162.0.10"}) for _ in range(3)]
    second = [_preview(proxy, **{"X-Forwarded-For": "203.162.0.11"}) for _ in range(2)]
    assert first == [200, 200, 429] and second == [200, 200]
    # A spoofed hop before the client's own is not believed: the nearest untrusted hop counts.
    spoofed = _preview(proxy, **{"X-Forwarded-For": "1.1.1.1, 203.162.0.10"})
    assert spoofed == 429


def test_ipv6_clients_share_a_bucket_per_64(tmp_path: Path) -> None:
    assert bucket_of("2001:ee0:1:2::1") == bucket_of("2001:ee0:1:2:ffff::9") == "2001:ee0:1:2::/64"
    assert bucket_of("2001:ee0:1:3::1") != bucket_of("2001:ee0:1:2::1")
    assert bucket_of("::ffff:203.162.0.10") == "203.162.0.10"
    app = create_app(_settings(tmp_path, anonymous_per_minute=2))
    statuses = [
        _preview(TestClient(app, client=(f"2001:ee0:1:2::{i:x}", 40000))) for i in range(1, 4)
    ]
    assert statuses == [200, 200, 429]


def test_wrong_keys_are_throttled_per_address_and_limits_are_per_key(tmp_path: Path) -> None:
    settings = _settings(tmp_path, key_failures_per_minute=5, key_per_minute=2)
    registry = TenantRegistry.from_settings(settings)
    _, first_key = registry.create_key("so-a", ["a.example.vn"])
    _, second_key = registry.create_key("so-a", ["a.example.vn"])
    app = create_app(settings)
    body = {"title": "Thông báo", "text": "Ngày 14/5/2021, UBND tỉnh họp."}
    guesser = TestClient(app, client=("203.162.0.66", 40000))
    guesses = [
        guesser.post("/v1/articles", json=body, headers=_auth(f"rs_sai{i}")).status_code
        for i in range(7)
    ]
    assert guesses[:5] == [401] * 5 and guesses[5:] == [429, 429]
    # Even a right key is refused from that address for a while; others are not affected.
    assert guesser.post("/v1/articles", json=body, headers=_auth(first_key)).status_code == 429
    editor = TestClient(app, client=("203.162.0.7", 40000))
    made = [
        editor.post("/v1/articles", json=body, headers=_auth(first_key)).status_code
        for _ in range(3)
    ]
    assert made == [201, 201, 429]
    assert editor.post("/v1/articles", json=body, headers=_auth(second_key)).status_code == 201


# --- 9. bad input is a 4xx with the JSON error body ----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://x.example.vn:99999/",
        "http://x.example.vn:-1/",
        "http://[x.example.vn/",
        "http://[/",
        "http://x.example.vn/a\r\nb",
        "http://x.example.vn/a\tb",
        "http://x.example.vn/a\x00b",
        "http://x.example.vn/\udc80",
    ],
)
def test_malformed_urls_are_422_everywhere(tmp_path: Path, url: str) -> None:
    settings = _settings(tmp_path, allowed_hosts="x.example.vn")
    registry = TenantRegistry.from_settings(settings)
    _, secret = registry.create_key("so-x", ["x.example.vn"])
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    responses = []
    if "\udc80" not in url:  # a query string cannot carry a lone surrogate
        responses.append(client.get("/v1/listen", params={"url": url}))
    posted = client.post(
        "/v1/articles",
        content=json.dumps({"url": url, "html": "<p>x</p>"}),
        headers={"content-type": "application/json", **_auth(secret)},
    )
    previewed = client.post(
        "/v1/preview",
        content=json.dumps({"url": url}),
        headers={"content-type": "application/json"},
    )
    for response in (*responses, posted, previewed):
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        assert "code" in response.json()["error"]


def test_lone_surrogates_in_json_text_are_422(tmp_path: Path) -> None:
    client = TestClient(create_app(_settings(tmp_path)), raise_server_exceptions=False)
    for body in (
        '{"title": "T", "text": "Xin ch\\ud800o."}',
        '{"title": "\\udfff", "text": "Xin chào."}',
        '{"url": "https://x.example.vn/a", "html": "<p>\\ud83d</p>"}',
    ):
        response = client.post(
            "/v1/preview", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "invalid_input"


def test_range_with_a_huge_number_is_not_a_server_error(tmp_path: Path) -> None:
    client = TestClient(create_app(_settings(tmp_path)), raise_server_exceptions=False)
    clip = client.get("/v1/listen", params={"url": "/demo/article"}).json()["cues"][0]["clip"]
    huge = "9" * 5000
    assert client.get(clip).status_code == 200
    for header in (f"bytes={huge}-", f"bytes=0-{huge}", f"bytes=-{huge}"):
        response = client.get(clip, headers={"Range": header})
        assert response.status_code in (206, 416), (header[:20], response.status_code)
        assert client.get(clip.split("?")[0], headers={"Range": header}).status_code in (206, 416)


# --- 10. the cache is only a cache ---------------------------------------------------------------


def _break_disk(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Every new file in the cache fails as it would on a full (ENOSPC) or read-only (EROFS)
    disk: the system call that creates it raises."""
    from reader_service.storage import filesystem

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(filesystem.tempfile, "mkstemp", refuse)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_listening_works_when_the_cache_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tone_engine: ToneEngine, code: int
) -> None:
    settings = _settings(tmp_path, engine="tone", voice="a", fallback_engines="")
    app = create_app(settings)
    client = TestClient(app)
    cached = client.get("/v1/listen", params={"url": "/demo/article"}).json()
    for cue in cached["cues"]:  # this article is fully cached before the disk breaks
        assert client.get(cue["clip"]).status_code == 200
    _break_disk(monkeypatch, code)
    again = client.get("/v1/listen", params={"url": "/demo/article"})
    assert again.status_code == 200
    assert all(client.get(cue["clip"]).status_code == 200 for cue in again.json()["cues"])
    fresh = client.get("/v1/listen", params={"url": "/demo/article", "voice": "b"})
    assert fresh.status_code == 200, fresh.text
    clips = [client.get(cue["clip"]) for cue in fresh.json()["cues"]]
    assert all(c.status_code == 200 and c.content for c in clips)
    assert client.get(fresh.json()["audio"]).status_code == 200
    metrics = client.get("/metrics").text
    failures = next(
        line for line in metrics.splitlines() if line.startswith("reader_cache_write_failures")
    )
    assert float(failures.split()[-1]) > 0
    # Space returns: new entries go to disk again.
    monkeypatch.undo()
    store = app.state.service.store
    store.put("probe-after-recovery.json", b"{}")
    assert store.inner.get("probe-after-recovery.json") == b"{}"


# --- 12. smaller ones -----------------------------------------------------------------------------


def test_one_listen_writes_one_record_however_long_the_article(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    paragraphs = "".join(
        f"<p>Đoạn thứ {i} của bài viết dài về kế hoạch phát triển của tỉnh.</p>" for i in range(400)
    )
    (folder / "dai.html").write_text(
        f"<html lang='vi'><head><title>Bài dài</title></head><body><article><h1>Bài dài</h1>"
        f"{paragraphs}</article></body></html>",
        "utf-8",
    )
    cache = tmp_path / "cache"
    with serve_folder(folder) as base:
        settings = _settings(
            tmp_path, allowed_hosts=base.removeprefix("http://"), allow_loopback=True
        )
        app = create_app(settings)
        client = TestClient(app)
        response = client.get("/v1/listen", params={"url": f"{base}/dai.html"})
    assert response.status_code == 200 and len(response.json()["cues"]) >= 400
    # One record in the metadata database; nothing in the cache until a clip is asked for.
    assert [p for p in cache.rglob("*") if p.is_file()] == []
    assert app.state.service.records.count() == 1
    # Its clips are still made on request from that one record.
    assert client.get(response.json()["cues"][200]["clip"]).status_code == 200


def test_webhooks_to_internal_addresses_are_not_sent_and_never_delay_the_answer(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    registry = TenantRegistry.from_settings(settings)
    _, secret = registry.create_key("so-a", ["a.example.vn"], webhook="http://10.0.0.1/hook")
    app = create_app(settings)
    client = TestClient(app)
    body = {"title": "Thông báo", "text": "UBND tỉnh họp."}
    made = client.post("/v1/articles", json=body, headers=_auth(secret))
    assert made.status_code == 201
    hooks = app.state.service.webhooks
    hooks.join()
    assert hooks.failed == 1 and hooks.sent == 0


@pytest.mark.parametrize(
    ("allowed", "origin", "expected"),
    [
        ("portal.example.vn", "https://portal.example.vn", True),
        ("portal.example.vn", "http://portal.example.vn", True),
        ("portal.example.vn", "https://www.portal.example.vn", True),
        ("portal.example.vn", "http://portal.example.vn:6666", False),
        ("portal.example.vn", "https://portal.example.vn:8443", False),
        ("portal.example.vn", "ftp://portal.example.vn", False),
        ("portal.example.vn", "null", False),
        ("portal.example.vn", "https://portal.example.vn.evil.com", False),
        ("portal.example.vn:8443", "https://portal.example.vn:8443", True),
        ("portal.example.vn:8443", "https://portal.example.vn", False),
    ],
)
def test_cors_compares_scheme_host_and_port(
    tmp_path: Path, allowed: str, origin: str, expected: bool
) -> None:
    client = TestClient(create_app(_settings(tmp_path, allowed_hosts=allowed)))
    response = client.get("/healthz", headers={"Origin": origin})
    assert ("access-control-allow-origin" in response.headers) is expected


def test_a_portal_not_allowed_yet_can_read_why(tmp_path: Path) -> None:
    """The widget on a portal the operator has not allowed: the refusal crosses origins so the
    widget can show it and name the setting; an allowed origin's data stays as it was, and a
    keyed request's error does not cross."""
    client = TestClient(create_app(_settings(tmp_path, allowed_hosts="portal.example.vn")))
    origin = "https://xa-tanphu.example.vn"
    refused = client.get(
        "/v1/listen",
        params={"url": "https://xa-tanphu.example.vn/tin/1.html"},
        headers={"Origin": origin},
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "host_not_allowed"
    assert refused.headers["access-control-allow-origin"] == origin
    assert "không nằm trong danh sách được phép đọc" in refused.json()["error"]["message"]
    keyed = client.get(
        "/v1/listen",
        params={"url": "https://xa-tanphu.example.vn/tin/1.html"},
        headers={"Origin": origin, "Authorization": "Bearer x"},
    )
    assert "access-control-allow-origin" not in keyed.headers
    health = client.get("/healthz", headers={"Origin": origin})
    assert "access-control-allow-origin" not in health.headers


def test_the_sample_page_still_reads_through_every_defence(tmp_path: Path) -> None:
    """The defences above leave the normal path alone: a real page, fetched over loopback."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "bai.html").write_bytes(SAMPLE_PAGE.read_bytes())
    with serve_folder(folder) as base:
        settings = _settings(
            tmp_path, allowed_hosts=base.removeprefix("http://"), allow_loopback=True
        )
        response = TestClient(create_app(settings)).get(
            "/v1/listen", params={"url": f"{base}/bai.html"}
        )
    assert response.status_code == 200 and len(response.json()["cues"]) == 11


def test_the_real_server_does_not_trust_forwarded_for_from_loopback(tmp_path: Path) -> None:
    """`reader-service serve` (uvicorn) would believe X-Forwarded-For from 127.0.0.1 by
    default: a co-located process got a fresh bucket per request. Not any more."""
    import urllib.error
    import urllib.request

    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "READER_ANONYMOUS_PER_MINUTE": "2",
    }
    statuses = []
    with running_service(env) as base:
        for i in range(4):
            request = urllib.request.Request(
                f"{base}/v1/preview",
                data=json.dumps({"title": "T", "text": "Xin chào."}).encode(),
                headers={"Content-Type": "application/json", "X-Forwarded-For": f"192.0.2.{i}"},
            )
            try:
                statuses.append(urllib.request.urlopen(request, timeout=10).status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
    assert statuses == [200, 200, 429, 429]
