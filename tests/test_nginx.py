"""deploy/nginx.conf run by a real nginx (Debian's package) in front of two replicas sharing
PostgreSQL, Redis and the S3 bucket: clips and the widget served from nginx's cache, Range
answered with 206 from cached slices, manifests cached briefly for anonymous listeners only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from conftest import free_port, replicas

NGINX_REQUIRED = os.environ.get("READER_REQUIRE_NGINX") == "1"
DEPLOYED = Path(__file__).parent.parent / "deploy" / "nginx.conf"


def _nginx_binary() -> str:
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        if NGINX_REQUIRED:
            pytest.fail("nginx not installed (Debian package nginx)")
        pytest.skip("nginx not installed (Debian package nginx)")
    return binary


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx.conf no longer has {old!r} once"
    return text.replace(old, new)


@contextmanager
def deployed_nginx(upstreams: list[str]) -> Iterator[str]:
    """deploy/nginx.conf with this test's ports and folders: its base URL."""
    folder = Path(tempfile.mkdtemp(prefix="reader-nginx-"))
    # As root, nginx's workers run as nobody: they must reach and write the cache folder.
    os.chmod(folder, 0o755)
    (folder / "cache").mkdir(mode=0o777)
    os.chmod(folder / "cache", 0o777)
    port = free_port()
    text = DEPLOYED.read_text("utf-8")
    text = _replace_once(text, "pid /var/run/nginx.pid;", f"pid {folder}/nginx.pid;")
    text = text.replace("/var/cache/nginx/", f"{folder}/cache/")
    text = _replace_once(text, "listen 8080;", f"listen 127.0.0.1:{port};")
    text = _replace_once(
        text,
        "        server replica-a:8000 max_fails=3 fail_timeout=10s;\n"
        "        server replica-b:8000 max_fails=3 fail_timeout=10s;\n",
        "".join(
            f"        server {u.removeprefix('http://')} max_fails=3 fail_timeout=10s;\n"
            for u in upstreams
        ),
    )
    conf = folder / "nginx.conf"
    conf.write_text(text, "utf-8")
    log = (folder / "error.log").open("wb")
    process = subprocess.Popen(
        [_nginx_binary(), "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    errors = (folder / "error.log").read_text(errors="replace")
                    pytest.fail(f"nginx did not start: {errors[-2000:]}")
                time.sleep(0.05)
        yield base
    finally:
        process.terminate()
        process.wait(10)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    call = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_nginx_serves_clips_and_the_widget_from_its_cache_with_ranges(
    cluster_env: dict[str, str],
) -> None:
    env = cluster_env | {"READER_TRUSTED_PROXIES": "127.0.0.1"}
    with ExitStack() as stack:
        bases = replicas(stack, env)
        proxy = stack.enter_context(deployed_nginx(bases))
        status, headers, body = _get(f"{proxy}/v1/listen?url=/demo/article")
        assert status == 200 and headers["X-Cache-Status"] == "MISS"
        again = _get(f"{proxy}/v1/listen?url=/demo/article")
        assert again[1]["X-Cache-Status"] == "HIT" and again[2] == body
        keyed = _get(f"{proxy}/v1/listen?url=/demo/article", Authorization="Bearer x")
        assert keyed[1]["X-Cache-Status"] == "BYPASS"  # never a cached answer for a key
        clip = json.loads(body)["cues"][0]["clip"]

        first = _get(proxy + clip)
        assert first[0] == 200 and first[1]["X-Cache-Status"] == "MISS"
        assert first[1]["Content-Type"] == "audio/mpeg"
        second = _get(proxy + clip)
        assert second[0] == 200 and second[1]["X-Cache-Status"] == "HIT"
        assert second[2] == first[2] == _get(bases[1] + clip)[2]
        # The same clip referred to by another article: the same cached copy.
        other_page = _get(proxy + clip.split("?")[0] + "?a=" + "0" * 64)
        assert other_page[1]["X-Cache-Status"] == "HIT" and other_page[2] == first[2]
        part = _get(proxy + clip, Range="bytes=100-199")
        assert part[0] == 206 and part[2] == first[2][100:200]
        assert part[1]["Content-Range"] == f"bytes 100-199/{len(first[2])}"
        assert part[1]["X-Cache-Status"] == "HIT"

        widget = [_get(f"{proxy}/static/reader-widget.js") for _ in range(2)]
        assert [w[0] for w in widget] == [200, 200]
        assert widget[1][1]["X-Cache-Status"] == "HIT"
        missing = _get(f"{proxy}/v1/clips/{'f' * 64}.mp3")
        assert missing[0] == 404  # not cached, not made up
