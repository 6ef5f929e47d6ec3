"""The HTTP service through its ASGI app (TestClient), with real pages served locally."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import SAMPLE_PAGE, QuietFolderHandler, ToneEngine, serve_folder
from reader_service.api import create_app
from reader_service.settings import Settings
from reader_service.tenants import TenantRegistry


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "cache_dir": tmp_path / "cache",
        "data_dir": tmp_path / "data",
        "anonymous_per_minute": 10_000,
        "anonymous_concurrency": 1_000,  # every test client has the same address
    }
    return Settings(**(values | overrides))  # type: ignore[arg-type]


@pytest.fixture
def local_site(tmp_path: Path) -> Iterator[str]:
    """The sample page served over HTTP on 127.0.0.1 (a real fetch, no network)."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "bai-viet.html").write_bytes(SAMPLE_PAGE.read_bytes())
    (folder / "khac.html").write_text("<p>x</p>", "utf-8")

    class Redirecting(QuietFolderHandler):
        def do_GET(self) -> None:  # noqa: N802
            if self.path.startswith("/chuyen-huong"):
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                self.end_headers()
                return
            super().do_GET()

    with serve_folder(folder, Redirecting) as base:
        yield base.removeprefix("http://")


def test_healthz_and_openapi(tmp_path: Path) -> None:
    client = TestClient(create_app(_settings(tmp_path)))
    assert client.get("/healthz").json()["status"] == "ok"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs-assets/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.casefold()
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/listen", "/v1/articles", "/v1/preview", "/metrics"} <= set(paths)


def test_listen_on_an_allowed_local_page_plays_the_first_clip_with_range(
    tmp_path: Path, local_site: str
) -> None:
    settings = _settings(tmp_path, allowed_hosts=local_site, allow_loopback=True)
    client = TestClient(create_app(settings))
    response = client.get("/v1/listen", params={"url": f"http://{local_site}/bai-viet.html"})
    assert response.status_code == 200, response.text
    manifest = response.json()
    assert manifest["title"].startswith("Tổ chức hoạt động")
    cues = manifest["cues"]
    assert cues[1]["text"].startswith("Ngày 14/5/2021") and ".mp3?a=" in cues[1]["clip"]
    first = client.get(cues[0]["clip"])
    assert first.status_code == 200 and first.headers["content-type"] == "audio/mpeg"
    assert first.headers["cache-control"].startswith("public, max-age=31536000")
    part = client.get(cues[0]["clip"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    assert part.headers["content-range"] == f"bytes 0-99/{len(first.content)}"
    etag = first.headers["etag"]
    assert client.get(cues[0]["clip"], headers={"If-None-Match": etag}).status_code == 304
    bad_range = client.get(cues[0]["clip"], headers={"Range": f"bytes={10**9}-"})
    assert bad_range.status_code == 416
    whole = client.get(manifest["audio"])
    assert whole.status_code == 200 and len(whole.content) > len(first.content)
    # Saved, not opened in the tab, under the article's title (Vietnamese kept, ASCII beside).
    disposition = whole.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="To-chuc-hoat-dong')
    assert "filename*=UTF-8''T%E1%BB%95%20ch%E1%BB%A9c%20ho%E1%BA%A1t%20%C4%91%E1%BB%99ng" in (
        disposition
    )
    assert client.get(f"/v1/articles/{manifest['id']}").json()["id"] == manifest["id"]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/admin",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://localhost/",
    ],
)
def test_private_addresses_are_refused_by_default(tmp_path: Path, url: str) -> None:
    client = TestClient(create_app(_settings(tmp_path)))
    response = client.get("/v1/listen", params={"url": url})
    assert response.status_code == 403
    # No host is allowed by default (host_not_allowed); allowed, they are private addresses.
    assert response.json()["error"]["code"] == "host_not_allowed"
    host = url.split("/")[2].rsplit(":", 1)[0] if "[" not in url else "[::1]"
    allowed = TestClient(create_app(_settings(tmp_path, allowed_hosts=host.strip("[]"))))
    response = allowed.get("/v1/listen", params={"url": url})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "url_not_allowed"


def test_allowed_host_that_resolves_privately_or_redirects_privately_is_refused(
    tmp_path: Path, local_site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader_service import fetch as fetch_module

    host, port = local_site.split(":")
    settings = _settings(
        tmp_path, allowed_hosts=f"portal.example.vn,{local_site}", allow_loopback=True
    )
    client = TestClient(create_app(settings))
    monkeypatch.setattr(fetch_module, "system_resolver", lambda name, p: ["10.1.2.3"])
    resolved = client.get("/v1/listen", params={"url": "http://portal.example.vn/bai.html"})
    assert resolved.status_code == 403
    monkeypatch.undo()
    redirected = client.get("/v1/listen", params={"url": f"http://{local_site}/chuyen-huong"})
    assert redirected.status_code == 403


def test_demo_page_works_with_no_configuration(tmp_path: Path) -> None:
    client = TestClient(create_app(_settings(tmp_path)))
    page = client.get("/").text
    assert "reader-widget.js" in page and "Đọc nội dung" in page
    assert client.get("/static/reader-widget.js").status_code == 200
    manifest = client.get("/v1/listen", params={"url": "/demo/article"}).json()
    assert len(manifest["cues"]) == 11
    assert client.get(manifest["cues"][0]["clip"]).status_code == 200


def test_posting_articles_needs_a_valid_key(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    registry = TenantRegistry.from_settings(settings)
    key, secret = registry.create_key("so-tttt", ["stttt.example.gov.vn"])
    client = TestClient(create_app(settings))
    body = {"title": "Thông báo", "text": "Ngày 14/5/2021, UBND tỉnh họp. Có 42 hộ."}
    assert client.post("/v1/articles", json=body).status_code == 401
    wrong = client.post("/v1/articles", json=body, headers={"Authorization": "Bearer rs_sai"})
    assert wrong.status_code == 401
    made = client.post("/v1/articles", json=body, headers={"Authorization": f"Bearer {secret}"})
    assert made.status_code == 201, made.text
    record = made.json()
    assert record["duration_ms"] > 0 and record["cues"][1]["start_ms"] > 0
    assert client.get(record["cues"][1]["clip"]).status_code == 200
    other_host = client.post(
        "/v1/articles",
        json={"url": "https://khac.example.vn/a", "html": "<p>Xin chào các bạn.</p>"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert other_host.status_code == 403
    registry.revoke(key.id)
    revoked = client.post("/v1/articles", json=body, headers={"Authorization": f"Bearer {secret}"})
    assert revoked.status_code == 401 and "thu hồi" in revoked.json()["error"]["message"]
    deleted = client.delete(f"/v1/articles/{record['id']}")
    assert deleted.status_code == 401


def test_preview_and_input_limits(tmp_path: Path) -> None:
    client = TestClient(create_app(_settings(tmp_path, max_text_chars=500, max_body_bytes=20_000)))
    result = client.post("/v1/preview", json={"title": "T", "text": "Hợp tác với OECD năm 2024."})
    assert result.status_code == 200
    assert result.json()["sentences"][1]["unknown"] == [{"token": "OECD", "why": "spelled"}]
    too_long = client.post("/v1/preview", json={"title": "T", "text": "chữ " * 300})
    assert too_long.status_code == 413 and too_long.json()["error"]["code"] == "text_too_long"
    too_big = client.post("/v1/preview", json={"title": "T", "text": "x" * 30_000})
    assert too_big.status_code == 413
    chunks = iter([b'{"title": "T", "text": "', b"x" * 25_000, b'"}'])
    chunked = client.post(
        "/v1/preview", content=chunks, headers={"Content-Type": "application/json"}
    )
    assert chunked.status_code == 413 and chunked.json()["error"]["code"] == "request_too_large"
    assert client.post("/v1/preview", json={"title": "T"}).status_code == 422
    bad_voice = client.get("/v1/listen", params={"url": "/demo/article", "voice": "xx"})
    assert bad_voice.status_code == 422 and bad_voice.json()["error"]["code"] == "invalid_input"
    assert client.get("/v1/listen", params={"url": "ftp://x"}).status_code == 422
    assert client.get("/khong-co").json()["error"]["code"] == "not_found"


def test_anonymous_rate_limit(tmp_path: Path) -> None:
    client = TestClient(create_app(_settings(tmp_path, anonymous_per_minute=3)))
    statuses = [
        client.post("/v1/preview", json={"title": "T", "text": "Xin chào."}).status_code
        for _ in range(5)
    ]
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]


def test_hundred_listeners_make_each_clip_once(tmp_path: Path, tone_engine: ToneEngine) -> None:
    settings = _settings(tmp_path, engine="tone", voice="a", fallback_engines="")
    client = TestClient(create_app(settings))
    clips: list[list[str]] = []

    def listener() -> None:
        manifest = client.get("/v1/listen", params={"url": "/demo/article"}).json()
        urls = [cue["clip"] for cue in manifest["cues"]]
        clips.append([str(client.get(url).status_code) for url in urls])

    threads = [threading.Thread(target=listener) for _ in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(clips) == 100 and all(set(statuses) == {"200"} for statuses in clips)
    assert len(tone_engine.calls) == 11 == len(set(tone_engine.calls))


def test_cors_only_for_allowed_origins_and_metrics(tmp_path: Path) -> None:
    client = TestClient(create_app(_settings(tmp_path, allowed_hosts="portal.example.vn")))
    allowed = client.get("/healthz", headers={"Origin": "https://portal.example.vn"})
    assert allowed.headers["access-control-allow-origin"] == "https://portal.example.vn"
    other = client.get("/healthz", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in other.headers
    text = client.get("/metrics").text
    assert "reader_requests_total" in text and "reader_clip_memory_hits_total" in text


@pytest.mark.parametrize(
    ("title", "ascii_name", "name"),
    [
        (
            "Đồng Nai: tổng kết năm 2024",
            "Dong-Nai-tong-ket-nam-2024.mp3",
            "Đồng Nai tổng kết năm 2024.mp3",
        ),
        ('Hỏi "đáp" / trả lời?', "Hoi-dap-tra-loi.mp3", "Hỏi đáp trả lời.mp3"),
        ("???", "bai-viet.mp3", "bai-viet.mp3"),
    ],
)
def test_download_names_are_the_title_safe_for_any_system(
    title: str, ascii_name: str, name: str
) -> None:
    from urllib.parse import unquote

    from reader_service.api.http import download_disposition

    disposition = download_disposition(title)
    assert f'filename="{ascii_name}"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == name
