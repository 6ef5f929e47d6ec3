"""ID3 tags of whole-article MP3s, read back with mutagen as a player would."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from conftest import ToneEngine
from reader_service import audio, tags
from reader_service.api import create_app
from reader_service.models import Article
from reader_service.pipeline import ReadOptions, render
from reader_service.settings import Settings

ARTICLE = Article(
    title="Hội nghị tổng kết công tác cải cách hành chính năm 2024",
    paragraphs=("Sáng nay, UBND tỉnh tổ chức hội nghị.",),
    url="https://sotttt.example.gov.vn/tin/hoi-nghi.html",
    published=date(2024, 12, 20),
    site_name="Sở Thông tin và Truyền thông",
)


def test_a_reading_carries_its_title_site_date_source_and_language(
    tone_engine: ToneEngine,
) -> None:
    rendition = render(ARTICLE, ReadOptions(engine="tone", voice="a", fallback_engines=()))
    mp3 = tags.download(rendition)
    found = ID3(io.BytesIO(mp3))
    assert str(found["TIT2"]) == ARTICLE.title  # Vietnamese intact
    assert str(found["TPE1"]) == str(found["TPUB"]) == "Sở Thông tin và Truyền thông"
    assert str(found["TDRC"]) == "2024-12-20"
    assert found["WOAS"].url == ARTICLE.url
    assert str(found["TLAN"]) == "vie"
    assert "tone" in str(found.getall("COMM")[0])
    # Still the same audio: players and our own decoder skip the tag.
    assert audio.mp3_timing(mp3) == audio.mp3_timing(rendition.audio)
    assert MP3(io.BytesIO(mp3)).info.length * 1000 == rendition.duration_ms


def test_an_article_without_site_or_date_is_tagged_with_what_it_has(
    tone_engine: ToneEngine,
) -> None:
    bare = Article(title="Thông báo", paragraphs=("Nội dung.",))
    mp3 = tags.download(render(bare, ReadOptions(engine="tone", voice="a", fallback_engines=())))
    found = ID3(io.BytesIO(mp3))
    assert str(found["TIT2"]) == "Thông báo"
    assert "TPE1" not in found and "TDRC" not in found and "WOAS" not in found


def test_the_downloaded_article_shows_its_title_in_any_player(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")
    client = TestClient(create_app(settings))
    manifest = client.get("/v1/listen", params={"url": "/demo/article"}).json()
    whole = client.get(manifest["audio"])
    assert whole.status_code == 200
    found = ID3(io.BytesIO(whole.content))
    assert str(found["TIT2"]) == manifest["title"]
    assert str(found["TLAN"]) == "vie"
    assert manifest["title"].startswith("Tổ chức")
