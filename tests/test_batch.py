"""Pre-generation: a batch of local pages served over HTTP (no network)."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, QuietFolderHandler, ToneEngine, run_then_kill, serve_folder
from reader_service.batch import run_batch, urls_from_sources
from reader_service.clips import load_clip
from reader_service.db import open_database
from reader_service.db.records import PageStates
from reader_service.feeds import parse_feed, parse_sitemap
from reader_service.fetch import FetchOptions
from reader_service.pipeline import ReadOptions
from reader_service.storage import FileStore

PAGES = ["liferay-so-tttt", "vnpt-portal-tinh", "wordpress-xa", "joomla-truong"]
FETCH = FetchOptions(timeout_s=1.0, allow_loopback=True)
TONE = ReadOptions(engine="tone", voice="a", fallback_engines=(), fetch=FETCH)


# GET requests each test site answered, by path (one site per test, keyed by its base URL).
SITE_HITS: dict[str, Counter[str]] = {}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Saved portal pages served on 127.0.0.1 with Last-Modified (so 304s happen)."""
    folder = tmp_path / "site"
    folder.mkdir()
    for name in PAGES:
        (folder / f"{name}.html").write_bytes((FIXTURES / "pages" / f"{name}.html").read_bytes())

    class Awkward(QuietFolderHandler):
        def do_GET(self) -> None:  # noqa: N802
            port = self.server.server_address[1]
            SITE_HITS.setdefault(f"http://127.0.0.1:{port}", Counter())[self.path] += 1
            if self.path == "/slow.html":
                time.sleep(3)
            if self.path == "/image.html":
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()
                self.wfile.write(b"\x89PNG")
                return
            super().do_GET()

    with serve_folder(folder, Awkward) as base:
        yield base, folder


@pytest.fixture
def states(tmp_path: Path) -> PageStates:
    return PageStates(open_database(f"sqlite:///{tmp_path / 'meta.db'}"))


def _urls(base: str) -> list[str]:
    return [f"{base}/{name}.html" for name in PAGES]


def test_batch_makes_all_then_nothing_new(
    site: tuple[str, Path], tone_engine: ToneEngine, tmp_path: Path, states: PageStates
) -> None:
    base, _ = site
    store = FileStore(tmp_path / "store")
    first = run_batch(_urls(base) + [_urls(base)[0]], TONE, store, states, concurrency=2)
    assert [r.status for r in first] == ["made"] * 4  # the duplicate URL was dropped
    assert all(r.clips_new > 0 and r.error is None for r in first)
    calls = len(tone_engine.calls)
    second = run_batch(_urls(base), TONE, store, states)
    assert [r.status for r in second] == ["unchanged"] * 4
    assert len(tone_engine.calls) == calls


def test_editing_a_page_resynthesises_only_changed_sentences(
    site: tuple[str, Path], tone_engine: ToneEngine, tmp_path: Path, states: PageStates
) -> None:
    base, folder = site
    store = FileStore(tmp_path / "store")
    run_batch(_urls(base), TONE, store, states)
    calls = len(tone_engine.calls)
    page = folder / "joomla-truong.html"
    html = page.read_text("utf-8").replace("1.245 học sinh", "1.250 học sinh")
    page.write_text(html, "utf-8")
    os.utime(page, (time.time() + 5, time.time() + 5))  # a newer Last-Modified
    results = run_batch(_urls(base), TONE, store, states)
    assert [r.status for r in results] == ["unchanged", "unchanged", "unchanged", "made"]
    assert results[3].clips_new == 1 and results[3].clips_reused > 3
    assert len(tone_engine.calls) == calls + 1
    assert "một nghìn hai trăm năm mươi học sinh" in tone_engine.calls[-1]


def test_bad_urls_are_reported_and_the_batch_goes_on(
    site: tuple[str, Path], tone_engine: ToneEngine, tmp_path: Path, states: PageStates
) -> None:
    base, _ = site
    urls = [
        f"{base}/missing.html",
        f"{base}/slow.html",
        f"{base}/image.html",
        "http://10.0.0.1/bai.html",
        f"{base}/wordpress-xa.html",
    ]
    results = run_batch(urls, TONE, FileStore(tmp_path / "store"), states, concurrency=2)
    assert [r.status for r in results] == ["failed"] * 4 + ["made"]
    reasons = [r.error or "" for r in results]
    assert "404" in reasons[0]
    assert "không trả lời" in reasons[1]
    assert "không phải trang HTML" in reasons[2]
    assert "địa chỉ nội bộ" in reasons[3]


SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>BASE/sitemap-news.xml</loc><lastmod>2024-06-01</lastmod></sitemap>
</sitemapindex>"""
SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>BASE/liferay-so-tttt.html</loc><lastmod>2023-09-12T08:15:00+07:00</lastmod></url>
  <url><loc>BASE/vnpt-portal-tinh.html</loc><lastmod>2020-10-10</lastmod>
       <news:news><news:title>Tỉnh Bắc Kạn</news:title></news:news></url>
  <url><loc>BASE/wordpress-xa.html</loc></url>
</urlset>""".encode()
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Tin tức</title>
  <item><title>Lễ khai giảng</title><link>BASE/joomla-truong.html</link>
        <pubDate>Thu, 05 Sep 2024 10:20:00 +0700</pubDate></item>
  <item><title>Cũ</title><link>BASE/vnpt-portal-tinh.html</link>
        <pubDate>Sat, 10 Oct 2020 07:30:00 +0700</pubDate></item>
</channel></rss>""".encode()
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Cong TTDT</title>
  <entry><title>A</title><link rel="alternate" href="https://x.gov.vn/a"/>
         <updated>2024-01-02T03:04:05Z</updated></entry>
</feed>"""


def test_sitemaps_and_feeds_of_real_world_shape(site: tuple[str, Path]) -> None:
    from datetime import date

    base, folder = site
    (folder / "sitemap.xml").write_bytes(SITEMAP_INDEX.replace(b"BASE", base.encode()))
    (folder / "sitemap-news.xml").write_bytes(SITEMAP.replace(b"BASE", base.encode()))
    (folder / "rss.xml").write_bytes(RSS.replace(b"BASE", base.encode()))
    parsed = parse_sitemap(SITEMAP)
    assert [e.changed for e in parsed.pages] == [date(2023, 9, 12), date(2020, 10, 10), None]
    assert parse_feed(ATOM)[0].url == "https://x.gov.vn/a"
    from_sitemap = urls_from_sources([], None, f"{base}/sitemap.xml", None, date(2021, 1, 1), FETCH)
    assert from_sitemap == [f"{base}/liferay-so-tttt.html", f"{base}/wordpress-xa.html"]
    from_rss = urls_from_sources([], None, None, f"{base}/rss.xml", date(2024, 1, 1), FETCH)
    assert from_rss == [f"{base}/joomla-truong.html"]


KILL_SCRIPT = """
import sys, time
from pathlib import Path
from typing import Any
from conftest import ToneEngine
from reader_service import engines
from reader_service.batch import run_batch
from reader_service.fetch import FetchOptions
from reader_service.pipeline import ReadOptions
from reader_service.storage import FileStore
from reader_service.db import open_database
from reader_service.db.records import PageStates

class Slow(ToneEngine):
    def synthesize(self, text, voice, options):
        time.sleep(0.08)
        return super().synthesize(text, voice, options)

engines._instances["tone"] = Slow()
options = ReadOptions(engine="tone", voice="a", fallback_engines=(),
                      fetch=FetchOptions(allow_loopback=True))
print("started", flush=True)
states = PageStates(open_database(f"sqlite:///{sys.argv[1]}.db"))
run_batch(sys.argv[2:], options, FileStore(Path(sys.argv[1])), states)
"""


def test_killed_batch_resumes_cleanly(
    site: tuple[str, Path], tone_engine: ToneEngine, tmp_path: Path
) -> None:
    base, _ = site
    store_dir = tmp_path / "store"
    run_then_kill(
        KILL_SCRIPT,
        [str(store_dir), *_urls(base)],
        when=lambda: any(p for p in store_dir.rglob("*.wav") if not p.name.startswith(".tmp-")),
        what="the batch's first clip made",
    )
    store = FileStore(store_dir)
    states = PageStates(open_database(f"sqlite:///{store_dir}.db"))
    resumed = run_batch(_urls(base), TONE, store, states)
    assert all(r.status in ("made", "unchanged") for r in resumed)
    assert any(r.status == "made" for r in resumed)  # the kill left work to finish
    for wav in store_dir.rglob("*.wav"):
        assert load_clip(store, wav.name.removesuffix(".wav")) is not None
    again = run_batch(_urls(base), TONE, store, states)
    assert [r.status for r in again] == ["unchanged"] * 4
    assert len(set(tone_engine.calls)) == len(tone_engine.calls)  # no sentence made twice here


def test_cli_pregenerate_reports_and_exits_non_zero_on_failures(
    site: tuple[str, Path], tmp_path: Path
) -> None:
    base, _ = site
    report = tmp_path / "report.json"
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "READER_ALLOW_LOOPBACK": "true",
        "READER_FETCH_TIMEOUT_S": "1",
    }
    command = [sys.executable, "-m", "reader_service", "pregenerate", "--report", str(report)]
    result = subprocess.run(
        [*command, f"{base}/wordpress-xa.html", f"{base}/missing.html"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    data = json.loads(report.read_text("utf-8"))["results"]
    assert [r["status"] for r in data] == ["made", "failed"]
    assert set(data[0]) == {"url", "status", "clips_new", "clips_reused", "error"}
    assert "tổng: 1 tạo mới, 0 không đổi, 1 lỗi" in result.stdout.decode()
    # The table says each result in Vietnamese; only the JSON report keeps the machine words.
    table = result.stdout.decode().splitlines()
    assert table[1].startswith("tạo mới") and table[2].startswith("lỗi")
    assert not re.search(r"\b(?:made|unchanged|failed)\b", result.stdout.decode())
    again = subprocess.run([*command, f"{base}/wordpress-xa.html"], env=env, timeout=120)
    assert again.returncode == 0
    assert json.loads(report.read_text("utf-8"))["results"][0]["status"] == "unchanged"


def test_batches_over_http_share_identical_requests_and_call_the_webhook(
    site: tuple[str, Path], tone_engine: ToneEngine, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from reader_service.api import create_app
    from reader_service.settings import Settings
    from reader_service.tenants import TenantRegistry

    base, _ = site
    calls: list[dict] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers["Content-Length"])
            calls.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    settings = Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        engine="tone",
        voice="a",
        fallback_engines="",
        allow_loopback=True,
    )
    registry = TenantRegistry.from_settings(settings)
    _, secret = registry.create_key(
        "so-tttt",
        [base.removeprefix("http://")],
        webhook=f"http://127.0.0.1:{hook.server_address[1]}/hook",
    )
    _, other_secret = registry.create_key("so-khac", ["khac.example.vn"])
    client = TestClient(create_app(settings))
    auth = {"Authorization": f"Bearer {secret}"}
    body = {"urls": _urls(base)}
    assert client.post("/v1/batches", json=body).status_code == 401
    # The first batch is held at its first sentence while the same request comes again: the
    # second must join it, not start a second run (which would fetch every page again).
    release = threading.Event()
    started = threading.Event()
    synthesize = tone_engine.synthesize

    def held(text: str, voice: str, options: Any) -> Any:
        started.set()
        assert release.wait(30), "the test never released the first batch"
        return synthesize(text, voice, options)

    tone_engine.synthesize = held  # type: ignore[method-assign]
    first = client.post("/v1/batches", json=body, headers=auth)
    assert started.wait(30), "the first batch never reached its first sentence"
    second = client.post("/v1/batches", json=body, headers=auth)
    release.set()
    assert first.status_code == second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    batch_id = first.json()["id"]
    assert "owner" not in first.json()
    # Only the owner's key reads a batch: none is 401, another tenant's is "no such batch".
    assert client.get(f"/v1/batches/{batch_id}").status_code == 401
    other = {"Authorization": f"Bearer {other_secret}"}
    assert client.get(f"/v1/batches/{batch_id}", headers=other).status_code == 404
    for _ in range(200):
        state = client.get(f"/v1/batches/{batch_id}", headers=auth).json()
        if state["status"] == "done":
            break
        time.sleep(0.05)
    assert state["counts"] == {"made": 4, "unchanged": 0, "failed": 0}
    # Each article read is the tenant's now: its manifest, signed, and in its podcast feed.
    manifests = [client.get(result["article"]).json() for result in state["results"]]
    assert sorted(m["url"] for m in manifests) == sorted(_urls(base))
    assert all(m["provenance"]["statement"]["audio_sha256"] for m in manifests)
    client.put("/v1/feed", json={"enabled": True}, headers=auth)
    feed = client.get("/v1/feeds/so-tttt.xml").text
    assert all(f"reader-service:{m['id']}" in feed for m in manifests)
    assert len(tone_engine.calls) == len(set(tone_engine.calls))  # one piece of work
    # One run: each page fetched once, though the batch was asked for twice.
    assert [SITE_HITS[base][f"/{name}.html"] for name in PAGES] == [1, 1, 1, 1]
    for _ in range(100):
        if calls:
            break
        time.sleep(0.05)
    assert calls[0]["event"] == "batch.done" and calls[0]["batch"]["id"] == batch_id
    refused = client.post("/v1/batches", json={"urls": ["http://x.example.vn/a"]}, headers=auth)
    refused_id = refused.json()["id"]
    for _ in range(100):
        done = client.get(f"/v1/batches/{refused_id}", headers=auth).json()
        if done["status"] == "done":
            break
        time.sleep(0.05)
    assert done["results"][0]["status"] == "failed"
    assert "danh sách được phép" in done["results"][0]["error"]
    # Finished and stored, a batch is still the owner's alone.
    assert client.get(f"/v1/batches/{batch_id}", headers=other).status_code == 404
    assert client.get(f"/v1/batches/{batch_id}", headers=auth).json()["status"] == "done"
    hook.shutdown()
    hook.server_close()


# Feeds as portals really write them: a guid that is no permalink, a relative link under
# xml:base, an unescaped '&', a hand-written Vietnamese date.
AWKWARD_RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xml:base="https://xa.gov.vn/tin/"><channel><title>Tin</title>
  <item><title>Không có link</title><guid isPermaLink="false">bai-123</guid></item>
  <item><title>Guid là link</title><guid>https://xa.gov.vn/tin/bai-124.html</guid></item>
  <item><title>Tương đối</title><link>bai-125.html</link><pubDate>14/05/2021</pubDate></item>
  <item><title>Ký tự &</title><link>https://xa.gov.vn/tin?id=126&cat=2</link></item>
</channel></rss>""".encode()


def test_feeds_of_every_real_shape_give_the_article_urls() -> None:
    from datetime import date

    entries = parse_feed(AWKWARD_RSS, "https://xa.gov.vn/rss.xml")
    assert [e.url for e in entries] == [
        "https://xa.gov.vn/tin/bai-124.html",
        "https://xa.gov.vn/tin/bai-125.html",
        "https://xa.gov.vn/tin?id=126&cat=2",
    ]
    assert entries[1].changed == date(2021, 5, 14)


def test_gzipped_and_plain_text_sitemaps_are_read(site: tuple[str, Path]) -> None:
    import gzip

    base, folder = site
    (folder / "sitemap.xml.gz").write_bytes(gzip.compress(SITEMAP.replace(b"BASE", base.encode())))
    urls = urls_from_sources([], None, f"{base}/sitemap.xml.gz", None, None, FETCH)
    assert urls == [
        f"{base}/liferay-so-tttt.html",
        f"{base}/vnpt-portal-tinh.html",
        f"{base}/wordpress-xa.html",
    ]
    (folder / "sitemap.txt").write_text(f"{base}/wordpress-xa.html\n\n{base}/joomla-truong.html\n")
    assert urls_from_sources([], None, f"{base}/sitemap.txt", None, None, FETCH) == [
        f"{base}/wordpress-xa.html",
        f"{base}/joomla-truong.html",
    ]


def test_a_gzip_bomb_sitemap_is_refused(site: tuple[str, Path]) -> None:
    import gzip

    from reader_service.errors import PageTooLargeError

    base, folder = site
    (folder / "bomb.xml.gz").write_bytes(gzip.compress(b"<urlset>" + b" " * 50_000_000))
    with pytest.raises(PageTooLargeError):
        urls_from_sources([], None, f"{base}/bomb.xml.gz", None, None, FETCH)
