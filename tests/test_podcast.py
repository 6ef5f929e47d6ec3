"""A tenant's podcast feed, parsed by feedparser and held to what podcast directories check.

The checks (Apple Podcasts' and Spotify's published feed requirements):
1. RSS 2.0, the itunes namespace declared, well-formed (feedparser: bozo 0).
2. Channel: title, link, description, language, itunes:author, itunes:category, itunes:explicit,
   and itunes:image at an absolute http(s) URL of a square PNG/JPEG of 1400–3000 px.
3. Every episode: title, a guid that is unique and stays the same, a pubDate, an enclosure with
   an absolute URL, type audio/mpeg and a length equal to the file's size, an itunes:duration.
4. Every enclosure answers 200, and 206 to a byte range (apps resume and seek with ranges).
5. Conditional GET: 304 on a repeat with the ETag (apps poll hourly).
"""

from __future__ import annotations

import struct
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from fastapi.testclient import TestClient

from conftest import FIXTURES
from reader_service.api import create_app
from reader_service.settings import Settings
from reader_service.tenants import TenantRegistry

PAGES = ["article-header-sapo", "aspnet-msword", "vnpt-portal-tinh"]
HOST = "so.example.gov.vn"


def _page(name: str) -> str:
    return (FIXTURES / "pages" / f"{name}.html").read_text("utf-8")


@pytest.fixture
def portal(tmp_path: Path) -> tuple[TestClient, str]:
    settings = Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        anonymous_per_minute=10_000,
        anonymous_concurrency=1_000,
        public_url="https://doc.example.gov.vn",
    )
    _, secret = TenantRegistry.from_settings(settings).create_key("so-tttt", [HOST])
    client = TestClient(create_app(settings))
    auth = {"Authorization": f"Bearer {secret}"}
    for name in PAGES:
        made = client.post(
            "/v1/articles",
            json={"url": f"https://{HOST}/tin/{name}.html", "html": _page(name)},
            headers=auth,
        )
        assert made.status_code == 201, made.text
    return client, secret


def _local(url: str) -> str:
    """An absolute URL of the feed, as the test client reaches it."""
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.netloc == "doc.example.gov.vn"
    return parts.path + (f"?{parts.query}" if parts.query else "")


def test_a_feed_is_off_until_the_tenant_turns_it_on(portal: tuple[TestClient, str]) -> None:
    client, secret = portal
    assert client.get("/v1/feeds/so-tttt.xml").status_code == 404
    assert client.get("/v1/feeds/khong-co.xml").status_code == 404
    turned = client.put(
        "/v1/feed", json={"enabled": True}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert turned.status_code == 200, turned.text
    assert turned.json()["url"] == "https://doc.example.gov.vn/v1/feeds/so-tttt.xml"
    assert client.get("/v1/feeds/so-tttt.xml").status_code == 200
    assert client.put("/v1/feed", json={"enabled": False}).status_code == 401
    client.put("/v1/feed", json={"enabled": False}, headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/v1/feeds/so-tttt.xml").status_code == 404


def test_the_feed_passes_the_checks_podcast_directories_apply(
    portal: tuple[TestClient, str],
) -> None:
    client, secret = portal
    client.put(
        "/v1/feed",
        json={"enabled": True, "title": "Sở Thông tin và Truyền thông"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    response = client.get("/v1/feeds/so-tttt.xml")
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert b'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"' in response.content
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0 and feed.version == "rss20"  # 1.

    channel = feed.feed  # 2.
    assert channel.title == "Sở Thông tin và Truyền thông"
    assert channel.link == f"https://{HOST}/" and channel.description
    assert channel.language == "vi" and channel.author == "Sở Thông tin và Truyền thông"
    assert channel.tags[0].term == "Government"
    # Apple's values are "true"/"false" (feedparser knows only the older "yes"/"clean").
    assert b"<itunes:explicit>false</itunes:explicit>" in response.content
    cover = client.get(_local(channel.image.href))
    assert cover.status_code == 200 and cover.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", cover.content[16:24])
    assert width == height and 1400 <= width <= 3000

    assert len(feed.entries) == len(PAGES)  # 3.
    assert len({entry.id for entry in feed.entries}) == len(PAGES)
    dates = [entry.published_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first
    for entry in feed.entries:
        assert entry.title and entry.itunes_duration
        (enclosure,) = entry.enclosures
        assert enclosure.type == "audio/mpeg"
        whole = client.get(_local(enclosure.href))  # 4.
        assert whole.status_code == 200 and int(enclosure.length) == len(whole.content)
        part = client.get(_local(enclosure.href), headers={"Range": "bytes=0-1023"})
        assert part.status_code == 206 and len(part.content) == 1024

    again = client.get("/v1/feeds/so-tttt.xml")  # the same feed, the same guids
    assert [e.id for e in feedparser.parse(again.content).entries] == [e.id for e in feed.entries]
    etag = response.headers["etag"]  # 5.
    assert client.get("/v1/feeds/so-tttt.xml", headers={"If-None-Match": etag}).status_code == 304
    since = response.headers["last-modified"]
    unchanged = client.get("/v1/feeds/so-tttt.xml", headers={"If-Modified-Since": since})
    assert unchanged.status_code == 304


def test_a_new_article_is_a_new_episode_and_changes_the_etag(
    portal: tuple[TestClient, str],
) -> None:
    client, secret = portal
    auth = {"Authorization": f"Bearer {secret}"}
    client.put("/v1/feed", json={"enabled": True}, headers=auth)
    before = client.get("/v1/feeds/so-tttt.xml")
    made = client.post(
        "/v1/articles",
        json={"url": f"https://{HOST}/tin/moi.html", "html": _page("wordpress-xa")},
        headers=auth,
    )
    assert made.status_code == 201
    after = client.get("/v1/feeds/so-tttt.xml", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    entries = feedparser.parse(after.content).entries
    assert len(entries) == len(PAGES) + 1
    assert f"reader-service:{made.json()['id']}" in {entry.id for entry in entries}


def test_the_command_line_turns_a_feed_on_and_off_keeping_its_channel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from reader_service.cli import cli
    from reader_service.settings import get_settings

    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "cache"))
    get_settings.cache_clear()
    registry = TenantRegistry.from_settings(get_settings())
    registry.create_key("so-tttt", [HOST])
    runner = CliRunner()
    on = runner.invoke(cli, ["feed", "on", "--tenant", "so-tttt", "--title", "Sở TT&TT"])
    assert on.exit_code == 0 and "đã bật kênh podcast của so-tttt" in on.output
    assert registry.tenant("so-tttt").feed.enabled  # type: ignore[union-attr]
    off = runner.invoke(cli, ["feed", "off", "--tenant", "so-tttt"])
    assert off.exit_code == 0
    feed = registry.tenant("so-tttt").feed  # type: ignore[union-attr]
    assert not feed.enabled and feed.title == "Sở TT&TT"
    bad = runner.invoke(cli, ["feed", "on", "--tenant", "so-tttt", "--image", "ftp://x/a.png"])
    assert bad.exit_code != 0
    missing = runner.invoke(cli, ["feed", "on", "--tenant", "khong-co"])
    assert missing.exit_code != 0
