"""Listening statistics from a real browser: Debian's Chromium plays a portal's article through
the widget (portal and service on two origins), its play events arrive as beacons and the
counts rise; with Global Privacy Control on, nothing is counted; and the service's database
holds no listener's address afterwards.

The portal is reached as http://localhost:PORT and the service as http://127.0.0.1:PORT, so the
listener's address (127.0.0.1) is found nowhere in the database unless the service kept it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, create_engine, select
from test_widget import ARGS, CHROMIUM, _require_browser

from conftest import FIXTURES, running_service, serve_pages, wait_until

PORTAL = (FIXTURES / "widget-portal.html").read_text("utf-8")
ARTICLE = "/tin/xa-tan-phu.html"
GPC = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true});"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The portal on localhost, the service on 127.0.0.1, a tenant key for the portal's host."""
    _require_browser()
    pages: dict[str, str] = {}
    with serve_pages(pages) as port:
        host = f"localhost:{port}"
        folder = tmp_path_factory.mktemp("serve")
        env = {
            **os.environ,
            "XDG_CACHE_HOME": str(folder / "c"),
            "XDG_DATA_HOME": str(folder / "d"),
            "READER_ALLOWED_HOSTS": host,
            "READER_ALLOW_LOOPBACK": "1",
        }
        command = [sys.executable, "-m", "reader_service", "keys", "create", "--tenant", "xa"]
        created = subprocess.run(
            [*command, "--host", host], env=env, capture_output=True, text=True, check=True
        )
        secret = created.stdout.strip().splitlines()[-1]
        with running_service(env) as service:
            pages[ARTICLE] = PORTAL.replace("{service}", service)
            yield {"portal": f"http://{host}", "service": service, "key": secret, "data": folder}


def _counts(site: dict[str, Any]) -> dict[str, int]:
    request = urllib.request.Request(
        site["service"] + "/v1/stats", headers={"Authorization": f"Bearer {site['key']}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        articles = json.load(response)["articles"]
    return articles[0]["counts"] if articles else {}


def _listen_to_the_end(
    site: dict[str, Any],
    init_script: str | None = None,
    until: Callable[[], object] = lambda: True,
    change_voice: bool = False,
) -> list[str]:
    """Play the article to its end in a fresh browser; the beacons it sent (their URLs). The
    browser stays open until ``until()`` holds (beacons leave as the page goes on)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(extra_http_headers={"Sec-GPC": "1"} if init_script else None)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        beacons: list[str] = []
        page.on("request", lambda r: beacons.append(r.url) if "/v1/events" in r.url else None)
        page.goto(site["portal"] + ARTICLE)
        page.locator("a.doc-noi-dung").click()
        page.wait_for_function("() => window.readerWidget.audio.currentTime > 0.05", timeout=20_000)
        if change_voice:  # another voice mid-listen: the same listen, counted once
            page.get_by_role("button", name="Tùy chọn").click()
            page.get_by_label("Giọng đọc").select_option(index=1)
            page.wait_for_function(
                "() => window.readerWidget.audio.currentTime > 0.05", timeout=20_000
            )
        sentences = page.evaluate("() => window.readerWidget.cues.length")
        next_sentence = page.get_by_role("button", name="Câu tiếp theo")
        for _ in range(sentences):
            next_sentence.click()
        page.wait_for_function("() => document.querySelector('.rw-status').textContent !== ''")
        wait_until(until, "the service counted the listen")
        context.close()
        browser.close()
    return beacons


def test_a_listen_in_chromium_raises_the_counts(site: dict[str, Any]) -> None:
    before = _counts(site)
    sent = _listen_to_the_end(
        site,
        until=lambda: _counts(site).get("100", 0) > before.get("100", 0),
        change_voice=True,
    )
    assert len(sent) == 5  # one beacon a milestone
    after = _counts(site)
    for milestone in ("started", "25", "50", "75", "100"):
        assert after.get(milestone, 0) == before.get(milestone, 0) + 1, (milestone, after)


def test_with_global_privacy_control_nothing_is_counted(site: dict[str, Any]) -> None:
    before = _counts(site)
    assert _listen_to_the_end(site, init_script=GPC) == []  # the widget sends nothing
    assert _counts(site) == before


def test_the_database_holds_no_listeners_address(site: dict[str, Any]) -> None:
    before = _counts(site).get("100", 0)
    _listen_to_the_end(site, until=lambda: _counts(site).get("100", 0) > before)
    (database,) = Path(site["data"]).rglob("reader-service.db")
    engine = create_engine(f"sqlite:///{database}")
    tables = MetaData()
    tables.reflect(engine)
    stored = []
    with engine.connect() as connection:
        for table in tables.sorted_tables:
            stored += [
                json.dumps([str(v) for v in row]) for row in connection.execute(select(table))
            ]
    engine.dispose()
    assert any("listen_stats" == t.name for t in tables.sorted_tables) and stored
    assert not [row for row in stored if "127.0.0.1" in row]
