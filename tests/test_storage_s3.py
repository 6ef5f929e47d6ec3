"""The S3 store against a real Ceph RADOS Gateway (Debian's packages, data in RAM): the same
Store protocol as the folder, objects written once with the headers caches need."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from reader_service import audio
from reader_service.api import create_app
from reader_service.cli import cli
from reader_service.errors import StorageError
from reader_service.settings import Settings
from reader_service.storage import open_store
from reader_service.storage.resilient import CacheOnlyStore
from reader_service.storage.s3 import S3Store


def _store(env: dict[str, str]) -> S3Store:
    return S3Store(env["READER_STORE_URL"], env["READER_S3_ENDPOINT"], env["READER_S3_REGION"])


def _head(env: dict[str, str], key: str) -> dict[str, str]:
    import boto3
    from botocore.config import Config

    bucket, prefix = env["READER_STORE_URL"].removeprefix("s3://").split("/", 1)
    client = boto3.client(
        "s3",
        endpoint_url=env["READER_S3_ENDPOINT"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )
    headers: dict[str, str] = client.head_object(Bucket=bucket, Key=f"{prefix}/{key}")[
        "ResponseMetadata"
    ]["HTTPHeaders"]
    return headers


def test_objects_round_trip_with_cache_headers(s3_store_env: dict[str, str]) -> None:
    store = _store(s3_store_env)
    assert store.get("abc123.mp3") is None and not store.has("abc123.mp3")
    store.put("abc123.mp3", b"ID3 audio")
    assert store.get("abc123.mp3") == b"ID3 audio"
    assert asyncio.run(store.get_async("abc123.mp3")) == b"ID3 audio"
    assert asyncio.run(store.get_async("missing1.mp3")) is None
    size, written = store.stat("abc123.mp3") or (0, 0.0)
    assert size == 9 and written > 0
    headers = _head(s3_store_env, "abc123.mp3")
    assert headers["content-type"] == "audio/mpeg"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    store.put("abc123.cues.json", b"{}")
    assert _head(s3_store_env, "abc123.cues.json")["content-type"] == "application/json"
    store.delete("abc123.mp3")
    store.delete("abc123.mp3")  # already gone: no error
    assert store.get("abc123.mp3") is None
    store.ping()


def test_an_object_is_written_once_a_late_writer_cannot_replace_it(
    s3_store_env: dict[str, str],
) -> None:
    """A replica paused past its lock's time to live comes back and writes the clip someone
    else already made: the storage refuses the write (412), the first clip stays."""
    first, zombie = _store(s3_store_env), _store(s3_store_env)
    first.put("f00d.mp3", b"the clip listeners play")
    zombie.put("f00d.mp3", b"a late, different write")  # no error: the key is already made
    assert first.get("f00d.mp3") == b"the clip listeners play"
    assert zombie.write_refusals == 1


def test_keys_cannot_leave_the_prefix(s3_store_env: dict[str, str]) -> None:
    with pytest.raises(StorageError):
        _store(s3_store_env).put("../other/x.mp3", b"x")


def test_a_store_url_that_is_not_s3_is_named() -> None:
    with pytest.raises(StorageError, match="s3://"):
        S3Store("http://bucket/x")


def test_an_in_house_endpoint_without_keys_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    with pytest.raises(StorageError, match="AWS_ACCESS_KEY_ID"):
        S3Store("s3://clips/p", "http://127.0.0.1:7480", "us-east-1")


def test_an_unreachable_store_is_a_clear_error_and_a_miss_for_the_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conftest import S3_CREDENTIALS, free_port

    for name, value in S3_CREDENTIALS.items():
        monkeypatch.setenv(name, value)

    dead = S3Store("s3://clips/p", f"http://127.0.0.1:{free_port()}", "us-east-1", timeout_s=1)
    with pytest.raises(StorageError, match="Kho lưu trữ S3 không đọc được"):
        dead.get("abc123.mp3")
    with pytest.raises(StorageError):
        dead.ping()
    wrapped = CacheOnlyStore(dead)
    assert wrapped.get("abc123.mp3") is None and wrapped.read_failures == 1
    wrapped.put("abc123.mp3", b"kept in memory")  # the listener still gets the audio
    assert wrapped.get("abc123.mp3") == b"kept in memory" and wrapped.write_failures == 1


def test_the_service_keeps_clips_in_the_bucket_and_remakes_an_expired_one(
    tmp_path: Path, s3_store_env: dict[str, str]
) -> None:
    settings = Settings(
        cache_dir=tmp_path / "cache",
        data_dir=tmp_path / "data",
        anonymous_per_minute=10_000,
    )
    assert settings.store_url == s3_store_env["READER_STORE_URL"]
    client = TestClient(create_app(settings))
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["store"] == "ok"
    manifest = client.get("/v1/listen", params={"url": "/demo/article"}).json()
    first = manifest["cues"][0]["clip"]
    clip = client.get(first)
    assert clip.status_code == 200 and len(audio.decode(clip.content)) > 0
    key = first.split("/")[-1].split("?")[0]
    bucket = _store(s3_store_env)
    assert bucket.get(key) == clip.content  # in the shared bucket, not on local disk
    assert not (tmp_path / "cache" / "clips").exists()
    # The bucket's lifecycle rule expired it; a fresh replica (nothing in memory) makes it again
    # from the article's record: the URL handed out still plays.
    bucket.delete(key)
    again = TestClient(create_app(settings)).get(first)
    assert again.status_code == 200 and bucket.get(key) == again.content


def test_cache_commands_say_that_the_bucket_prunes_itself(s3_store_env: dict[str, str]) -> None:
    result = CliRunner().invoke(cli, ["cache", "stats"])
    assert result.exit_code == 1
    assert "lifecycle" in result.output and s3_store_env["READER_STORE_URL"] in result.output
    assert isinstance(open_store(Settings()), S3Store)
