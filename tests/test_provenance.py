"""Provenance: a download is checked against the signed text, offline, and any change fails."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import SAMPLE_PAGE, ToneEngine
from reader_service import provenance, tags
from reader_service.api import create_app
from reader_service.db import Database, database_url
from reader_service.models import Article
from reader_service.pipeline import ReadOptions, render
from reader_service.provenance import SigningKeys
from reader_service.settings import Settings
from reader_service.tenants import TenantRegistry

ARTICLE = Article(
    title="Thông báo lịch tiếp công dân tháng 12",
    paragraphs=("Chủ tịch UBND tỉnh tiếp công dân ngày 15/12.", "Địa điểm: Trụ sở tiếp công dân."),
    url="https://ubnd.example.gov.vn/thong-bao.html",
)


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        anonymous_per_minute=10_000,
        anonymous_concurrency=1_000,
    )


def _keys(tmp_path: Path) -> SigningKeys:
    return SigningKeys(Database.from_settings(_settings(tmp_path)))


def _signed_reading(tmp_path: Path) -> tuple[bytes, dict[str, Any], SigningKeys]:
    rendition = render(ARTICLE, ReadOptions(engine="tone", voice="a", fallback_engines=()))
    mp3 = tags.download(rendition)
    keys = _keys(tmp_path)
    manifest = {
        "title": ARTICLE.title,
        "paragraphs": list(ARTICLE.paragraphs),
        "provenance": provenance.sign(keys.current(), ARTICLE, mp3, rendition.engines, "a"),
    }
    return mp3, manifest, keys


def test_an_untouched_download_verifies_and_any_change_fails(
    tone_engine: ToneEngine, tmp_path: Path
) -> None:
    mp3, manifest, keys = _signed_reading(tmp_path)
    published = keys.published()
    verdict = provenance.verify(mp3, manifest, published)
    assert verdict.ok and verdict.key_trusted, verdict.problems

    one_byte = bytearray(mp3)
    one_byte[len(mp3) // 2] ^= 0x01
    changed = provenance.verify(bytes(one_byte), manifest, published)
    assert "Tệp âm thanh khác" in changed.problems[0]

    one_word = copy.deepcopy(manifest)
    one_word["paragraphs"][0] = one_word["paragraphs"][0].replace("15/12", "16/12")
    assert "Văn bản" in provenance.verify(mp3, one_word, published).problems[0]
    retitled = copy.deepcopy(manifest) | {"title": "Thông báo khác"}
    assert not provenance.verify(mp3, retitled, published).ok

    forged = copy.deepcopy(manifest)
    signature = bytearray(forged["provenance"]["signature"].encode())
    signature[5] = ord("A") if signature[5] != ord("A") else ord("B")
    forged["provenance"]["signature"] = signature.decode()
    assert "Chữ ký không khớp" in provenance.verify(mp3, forged, published).problems[0]

    # A statement edited to match a forged file: the signature no longer covers it.
    restated = copy.deepcopy(manifest)
    restated["provenance"]["statement"]["audio_sha256"] = "0" * 64
    assert any("Chữ ký" in p for p in provenance.verify(mp3, restated, published).problems)


def test_a_key_the_service_never_published_is_refused(
    tone_engine: ToneEngine, tmp_path: Path
) -> None:
    mp3, manifest, _ = _signed_reading(tmp_path / "one")
    other_database = Database(f"sqlite:///{tmp_path / 'other.db'}")  # another service's own
    other_database.upgrade()
    other_service = SigningKeys(other_database)
    other_service.current()
    verdict = provenance.verify(mp3, manifest, other_service.published())
    assert not verdict.ok and "không có trong danh sách" in verdict.problems[0]
    # Without the published list the signature still holds, but the key is not vouched for.
    alone = provenance.verify(mp3, manifest)
    assert alone.ok and not alone.key_trusted


def test_rotation_signs_with_a_new_key_and_old_signatures_still_verify(
    tone_engine: ToneEngine, tmp_path: Path
) -> None:
    mp3, manifest, keys = _signed_reading(tmp_path)
    old = keys.current()
    new = keys.rotate()
    assert keys.current() == new and new.id != old.id
    published = keys.published()
    assert [k["id"] for k in published["keys"]] == [new.id, old.id]
    assert published["keys"][1]["retired"] is not None
    assert provenance.verify(mp3, manifest, published).ok


def test_replicas_starting_together_sign_with_one_key(tmp_path: Path) -> None:
    database = Database(database_url(_settings(tmp_path)))
    (tmp_path / "data").mkdir()
    database.upgrade()
    chosen: list[str] = []
    barrier = threading.Barrier(4)

    def start() -> None:
        barrier.wait()
        chosen.append(SigningKeys(database).current().id)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({SigningKeys(database).current().id}) == 1
    # Keys made in the race stay published, so whatever any of them signed still checks.
    published = {k["id"] for k in SigningKeys(database).published()["keys"]}
    assert set(chosen) <= published


def test_the_command_line_reads_signs_and_verifies_offline(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        "READER_DATA_DIR": str(tmp_path / "data"),
        "READER_CACHE_DIR": str(tmp_path / "cache"),
    }
    command = [sys.executable, "-m", "reader_service"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *args], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
        )

    made = run("read", str(SAMPLE_PAGE), "-o", "a.mp3", "--manifest", "a.json")
    assert made.returncode == 0, made.stderr
    keys_file = tmp_path / "keys.json"
    # The command's own database (its environment names no other, whatever the suite's is).
    local = Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "c", database_url=None)
    client = TestClient(create_app(local))
    keys_file.write_text(client.get("/.well-known/reader-service-key").text, "utf-8")

    checked = run("verify", "a.mp3", "--manifest", "a.json", "--key", str(keys_file))
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("ĐÚNG: a.mp3")

    record = json.loads((tmp_path / "a.json").read_text("utf-8"))
    record["paragraphs"][1] = record["paragraphs"][1].replace("Ngày", "Hôm", 1)
    (tmp_path / "edited.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    refused = run("verify", "a.mp3", "--manifest", "edited.json")
    assert refused.returncode == 1
    assert refused.stderr.startswith("KHÔNG ĐÚNG: Văn bản")


@pytest.mark.parametrize("made_by", ["api", "listen"])
def test_the_service_signs_its_downloads(tmp_path: Path, made_by: str) -> None:
    settings = _settings(tmp_path)
    client = TestClient(create_app(settings))
    if made_by == "api":
        _, secret = TenantRegistry.from_settings(settings).create_key("so", ["so.example.vn"])
        url = "https://so.example.vn/tin/bai.html"
        made = client.post(
            "/v1/articles",
            json={"url": url, "html": SAMPLE_PAGE.read_text("utf-8")},
            headers={"Authorization": f"Bearer {secret}"},
        )
        assert made.status_code == 201, made.text
        assert made.json()["provenance"]["statement"]["article_url"] == url
        article_id = made.json()["id"]
    else:
        listened = client.get("/v1/listen", params={"url": "/demo/article"}).json()
        assert listened.get("provenance") is None  # no whole file yet: nothing to sign
        article_id = listened["id"]
    download = client.get(f"/v1/articles/{article_id}/audio.mp3")
    assert download.status_code == 200
    manifest = client.get(f"/v1/articles/{article_id}").json()
    keys = client.get("/.well-known/reader-service-key").json()
    verdict = provenance.verify(download.content, manifest, keys)
    assert verdict.ok and verdict.key_trusted, verdict.problems
    assert manifest["paragraphs"] and manifest["provenance"]["algorithm"] == "Ed25519"
