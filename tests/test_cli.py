"""The installed `reader-service` command, run as a user runs it (offline)."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAMPLE_PAGE
from reader_service import audio
from reader_service.normalize import normalize
from reader_service.pipeline import ReadOptions, load_article, prepare

COMMAND = [sys.executable, "-m", "reader_service"]


def run(
    *args: str, stdin: bytes = b"", cache: Path | None = None, **extra_env: str
) -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cache or Path.cwd()), "LANG": "C.UTF-8"}
    env |= extra_env
    if cache is not None:
        env["READER_CACHE_DIR"] = str(cache)
    return subprocess.run([*COMMAND, *args], input=stdin, capture_output=True, env=env, timeout=120)


def _expected_duration_range_s(page: Path) -> tuple[float, float]:
    """From the text: syllables at the nominal 150 words a minute, plus the pauses.

    espeak's Vietnamese runs faster than nominal on short syllables, so the floor is generous;
    a reading that skipped a paragraph would still fall below it.
    """
    utterances = prepare(load_article(str(page), ReadOptions()))
    syllables = sum(len(re.findall(r"\w+", u.spoken)) for u in utterances)
    nominal = syllables / 150 * 60
    pauses = 0.7 * len({u.sentence.paragraph for u in utterances})
    return 0.5 * nominal + pauses, 1.5 * nominal + pauses


@pytest.mark.slow
def test_read_sample_page_to_mp3(tmp_path: Path) -> None:
    out = tmp_path / "out.mp3"
    result = run("read", str(SAMPLE_PAGE), "-o", str(out), cache=tmp_path / "cache")
    assert result.returncode == 0, result.stderr.decode()
    summary = result.stdout.decode().strip()
    assert summary.splitlines() == [summary]
    assert summary.startswith(f"{out}: 11 câu,") and "espeak" in summary
    duration_s = len(audio.decode(out.read_bytes())) / 1000
    low, high = _expected_duration_range_s(SAMPLE_PAGE)
    assert low <= duration_s <= high
    assert 60 <= duration_s <= 400
    # Second run comes from the cache and gives the same length.
    again = run("read", str(SAMPLE_PAGE), "-o", str(out), cache=tmp_path / "cache")
    assert again.returncode == 0
    assert abs(len(audio.decode(out.read_bytes())) / 1000 - duration_s) < 0.1


@pytest.mark.slow
def test_read_html_from_stdin(tmp_path: Path) -> None:
    html = "<html><body><article><h1>Thông báo</h1><p>Xin chào các bạn.</p></article></body></html>"
    result = run("read", "-", "-o", str(tmp_path / "a.mp3"), stdin=html.encode(), cache=tmp_path)
    assert result.returncode == 0, result.stderr.decode()
    assert ": 2 câu," in result.stdout.decode()


def test_extract_prints_one_json_line_per_source(expected_article: dict, tmp_path: Path) -> None:
    result = run("extract", str(SAMPLE_PAGE), str(tmp_path / "missing.html"))
    assert result.returncode == 1
    first, second = (json.loads(line) for line in result.stdout.decode().splitlines())
    assert first["source"] == str(SAMPLE_PAGE)
    assert first["title"] == expected_article["title"]
    assert first["paragraphs"] == expected_article["paragraphs"]
    assert first["published"] == "2021-05-14"
    assert second["error"]["code"] == "source_not_found"


def test_extract_text_format_prints_what_will_be_read(expected_article: dict) -> None:
    result = run("extract", "--format", "text", str(SAMPLE_PAGE))
    assert result.returncode == 0, result.stderr.decode()
    blocks = result.stdout.decode().strip().split("\n\n")
    assert blocks == [expected_article["title"], *expected_article["paragraphs"]]


def test_bad_setting_names_the_variable() -> None:
    env_run = subprocess.run(
        [*COMMAND, "extract", str(SAMPLE_PAGE)],
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "READER_CONTENT_SELECTORS": '{"a": "p[["}',
        },
        timeout=60,
    )
    assert env_run.returncode == 2
    assert "READER_CONTENT_SELECTORS" in env_run.stderr.decode()
    assert "Traceback" not in env_run.stderr.decode()


def test_normalize_text_and_jsonl() -> None:
    result = run("normalize", "Ngày 14/5/2021, UBND tỉnh")
    assert result.stdout.decode().strip() == normalize("Ngày 14/5/2021, UBND tỉnh")
    lines = '{"id": "a", "input": "Có 42 hộ."}\n\n{"id": 2, "input": "12,5%"}\n'.encode()
    result = run("normalize", "--jsonl", stdin=lines)
    assert [json.loads(line) for line in result.stdout.decode().splitlines()] == [
        {"id": "a", "output": "Có bốn mươi hai hộ."},
        {"id": 2, "output": "mười hai phẩy năm phần trăm"},
    ]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("read", "missing.html"), b"", "Không tìm thấy tệp 'missing.html'"),
        (
            ("read", "-"),
            "<html><body><nav>Trang chủ</nav></body></html>".encode(),
            "Không tìm thấy nội dung",
        ),
        (("normalize", "   "), b"", "Văn bản trống"),
        (("normalize", "--jsonl"), b"not json\n", "dòng 1"),
        (("read", "ftp://example.com/x"), b"", "chỉ nhận http"),
        (("read", "http://127.0.0.1:9/x"), b"", "READER_ALLOW_LOOPBACK=1"),
        (("read", "http://10.0.0.5/x"), b"", "địa chỉ nội bộ"),
        (
            ("read", "stttt.langson.gov.vn/tin-tuc/bai-viet.html"),
            b"",
            "Có phải ý bạn là địa chỉ trang web https://stttt.langson.gov.vn/tin-tuc/bai-viet.html",
        ),
        (("read", "-"), b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "là ảnh JPEG"),
        (("read", "-"), b"ID3\x04\x00\x00\x00\x00\x00#TSSE" + bytes(64), "là tệp âm thanh MP3"),
        (("read", "-"), b"body { color: red }\n", "không có thẻ HTML"),
    ],
)
def test_bad_input_is_one_line_error(
    args: tuple[str, ...], stdin: bytes, message: str, tmp_path: Path
) -> None:
    result = run(*args, stdin=stdin, cache=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode != 0
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert "Traceback" not in stderr


COMMANDS = [
    (),
    ("read",),
    ("extract",),
    ("normalize",),
    ("preview",),
    ("engines",),
    ("cache", "stats"),
    ("cache", "prune"),
    ("pregenerate",),
    ("worker",),
    ("db", "upgrade"),
    ("keys", "create"),
    ("keys", "list"),
    ("keys", "revoke"),
    ("serve",),
]
# Words of click's and our former English help; option names and choices (--file, json|text)
# are machine words and may stay.
ENGLISH = re.compile(
    r"\b(?:Usage|Options|Commands|Show|the|and|with|default|TEXT|INTEGER|RANGE|Error)\b"
)


def test_help_documents_every_command() -> None:
    text = run("--help").stdout.decode()
    for command in ("read", "extract", "normalize", "serve"):
        assert command in text
        assert run(command, "--help").returncode == 0


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "reader-service")
def test_every_help_is_in_vietnamese(command: tuple[str, ...]) -> None:
    text = run(*command, "--help").stdout.decode()
    assert text.startswith("Cách dùng: reader-service")
    assert "Tùy chọn:" in text and "Hiện hướng dẫn này rồi thoát." in text
    assert not ENGLISH.findall(text), ENGLISH.findall(text)
    # Every option says what it does.
    options = [line for line in text.splitlines() if line.strip().startswith("-")]
    assert all(len(line.split(None, 2)) > 1 for line in options)


def test_usage_errors_are_in_vietnamese() -> None:
    missing = run("read").stderr.decode()
    assert "Cách dùng: reader-service read [TÙY_CHỌN] NGUỒN" in missing
    assert "Lỗi: Thiếu đối số 'NGUỒN'." in missing and "Error" not in missing
    unknown = run("reed").stderr.decode()
    assert "Lỗi: Không có lệnh 'reed'." in unknown
    out_of_range = run("read", "--rate", "10", "x.html").stderr.decode()
    assert "Giá trị không hợp lệ cho '--rate'" in out_of_range


def test_preview_shows_spoken_forms_unknown_tokens_and_duration(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='vi'><body><article><h1>Bão Yagi</h1><p>Ngày 7/9/2024, bão số 3 đổ bộ,"
        " UBND tỉnh họp với OECD.</p></article></body></html>",
        "utf-8",
    )
    result = run("preview", str(page))
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr.decode()
    assert "→ ngày bảy tháng chín năm hai nghìn không trăm hai mươi tư" in out.lower()
    assert "Yagi (từ nước ngoài)" in out and "OECD (đọc từng chữ cái)" in out
    assert re.search(r"2 câu, khoảng 0:\d\d", out)
    data = json.loads(run("preview", "--format", "json", str(page)).stdout)
    assert data["sentences"][1]["unknown"] == [{"token": "OECD", "why": "spelled"}]
    assert data["estimated_seconds"] > 0


def test_lexicon_file_setting_changes_readings(tmp_path: Path) -> None:
    lexicon = tmp_path / "site.tsv"
    lexicon.write_text("OECD\tô e xê đê tổ chức\n", "utf-8")
    result = subprocess.run(
        [*COMMAND, "normalize", "Hợp tác với OECD."],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "READER_LEXICON_FILE": str(lexicon)},
        timeout=60,
    )
    assert result.stdout.decode().strip() == "Hợp tác với ô e xê đê tổ chức."


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_engines_and_cache_commands(tmp_path: Path) -> None:
    # Google behind a proxy that refuses: what a machine without Internet access sees, without
    # the test itself reaching the Internet.
    proxy = f"http://127.0.0.1:{_closed_port()}"
    started = time.monotonic()
    listing = run("engines", cache=tmp_path, HTTPS_PROXY=proxy).stdout.decode()
    assert time.monotonic() - started < 10
    assert "espeak   ngoại tuyến" in listing and "espeak" in listing.splitlines()[0]
    gtts_line = next(line for line in listing.splitlines() if line.startswith("gtts"))
    assert "trực tuyến" in gtts_line
    assert "không dùng được: không kết nối được translate.google.com" in gtts_line
    assert "piper    không dùng được" in listing
    run("read", str(SAMPLE_PAGE), "-o", str(tmp_path / "a.mp3"), cache=tmp_path)
    stats = run("cache", "stats", cache=tmp_path).stdout.decode()
    assert re.search(r"\d+ tệp, \d+\.\d MB", stats)
    pruned = run("cache", "prune", "--max-mb", "0", cache=tmp_path).stdout.decode()
    assert "đã xoá" in pruned
    assert run("cache", "stats", cache=tmp_path).stdout.decode().count("0 tệp") == 1


def test_read_writes_a_manifest_beside_the_mp3(tmp_path: Path) -> None:
    out, manifest_path = tmp_path / "a.mp3", tmp_path / "a.json"
    result = run(
        "read", str(SAMPLE_PAGE), "-o", str(out), "--manifest", str(manifest_path), cache=tmp_path
    )
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(manifest_path.read_text("utf-8"))
    assert data["audio"] == "a.mp3" and data["engines"] == ["espeak"]
    cue = data["cues"][1]
    assert set(cue) == {"index", "paragraph", "text", "spoken", "start_ms", "end_ms", "clip",
                        "engine", "words"}  # fmt: skip
    assert cue["text"].startswith("Ngày 14/5/2021") and cue["spoken"].startswith("Ngày mười bốn")
    assert abs(len(audio.decode(out.read_bytes())) - data["cues"][-1]["end_ms"]) <= 100


def test_keys_are_created_listed_and_revoked(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "XDG_DATA_HOME": str(tmp_path)}

    def keys(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*COMMAND, "keys", *args], capture_output=True, env=env, timeout=60)

    created = keys("create", "--tenant", "so-tttt", "--host", "stttt.example.gov.vn")
    assert created.returncode == 0, created.stderr.decode()
    key_id = created.stdout.decode().split()[1]
    secret = created.stdout.decode().splitlines()[1]
    assert secret.startswith("rs_")
    stored = (tmp_path / "reader-service" / "reader-service.db").read_bytes()
    assert secret.encode() not in stored  # only its hash is kept
    listing = keys("list").stdout.decode()
    assert "so-tttt: stttt.example.gov.vn" in listing and "đang dùng" in listing
    assert keys("revoke", key_id).returncode == 0
    assert "thu hồi" in keys("list").stdout.decode()
    assert keys("revoke", "khongco").returncode == 1


def test_bad_settings_are_named_in_vietnamese(tmp_path: Path) -> None:
    """pydantic's English messages never reach the operator: the variable and the rule broken."""
    result = run("engines", cache=tmp_path, READER_PORT="abc", READER_RATE_WPM="1000")
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert "reader-service: lỗi cấu hình READER_PORT: phải là một số nguyên" in lines
    assert "reader-service: lỗi cấu hình READER_RATE_WPM: phải nhỏ hơn hoặc bằng 450" in lines
    broken = run("engines", cache=tmp_path, READER_CONTENT_SELECTORS="{không phải JSON")
    assert broken.returncode == 2
    assert "READER_CONTENT_SELECTORS: không đọc được giá trị (cần JSON hợp lệ)" in (
        broken.stderr.decode()
    )
    for output in (result.stderr, broken.stderr):
        assert "Input should" not in output.decode() and "Traceback" not in output.decode()


def test_editors_mistakes_in_new_commands_are_said_in_vietnamese(tmp_path: Path) -> None:
    bad_day = run("stats", "--since", "2026-13-01", cache=tmp_path)
    assert bad_day.returncode == 2 and "không đúng dạng" in bad_day.stderr.decode()
    (tmp_path / "a.mp3").write_bytes(b"\xff\xfb")
    (tmp_path / "m.json").write_text("{không phải json", "utf-8")
    bad_json = run("verify", str(tmp_path / "a.mp3"), "--manifest", str(tmp_path / "m.json"))
    assert bad_json.returncode == 1
    assert "Tệp không phải JSON hợp lệ (dòng 1, cột 2)" in bad_json.stderr.decode()
    bad_url = run("engines", cache=tmp_path, READER_PUBLIC_URL="doc.example.gov.vn")
    assert bad_url.returncode == 2
    assert "READER_PUBLIC_URL: cần một địa chỉ đầy đủ" in bad_url.stderr.decode()
    for result in (bad_day, bad_json, bad_url):
        assert "does not match" not in result.stderr.decode()
        assert "Expecting" not in result.stderr.decode()
