"""deploy/nginx.conf run by a real nginx (Debian's package) in front of two replicas sharing
PostgreSQL, Redis and the S3 bucket: clips and the widget served from nginx's cache, Range
answered with 206 from cached slices, manifests cached briefly for anonymous listeners only."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest
from servers import launch

from conftest import replicas

NGINX_REQUIRED = os.environ.get("READER_REQUIRE_NGINX") == "1"


@contextmanager
def deployed_nginx(upstreams: list[str]) -> Iterator[str]:
    """deploy/nginx.conf run by a real nginx in front of ``upstreams`` (servers.launch)."""
    try:
        with launch.deployed_nginx(upstreams) as base:
            yield base
    except launch.NotInstalled as exc:
        if NGINX_REQUIRED:
            pytest.fail(str(exc))
        pytest.skip(str(exc))


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
