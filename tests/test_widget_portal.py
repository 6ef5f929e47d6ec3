"""The widget as a portal's web team embeds it: a provincial portal's article page served from a
second loopback origin, the widget and the audio from the service's origin, in Debian's Chromium
at 320, 390 and 1366 px, by mouse and by keyboard.

The portal's "Đọc nội dung" is a link styled as a button; its breadcrumb repeats the headline and
a photo credit repeats the byline. Screenshots of the player at the three widths are kept under
READER_TEST_ARTIFACTS (else the test's temporary folder) to be looked at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_widget import ARGS, CHROMIUM, _require_browser, axe_violations

from conftest import FIXTURES, running_service, serve_pages

PORTAL = (FIXTURES / "widget-portal.html").read_text("utf-8")
TITLE = "Xã Tân Phú ra quân làm sạch môi trường đón Tết"
WIDTHS = (320, 390, 1366)
# The bar is one row of 44 px controls under a 20 px position bar: about 72 px on a phone.
MAX_PLAYER_HEIGHT = 80


@pytest.fixture(scope="module")
def portal() -> Iterator[tuple[str, dict[str, str]]]:
    """The portal page on its own origin; its body is written once the service's URL is known
    (the pages dict)."""
    pages: dict[str, str] = {}
    with serve_pages(pages) as port:
        yield f"http://127.0.0.1:{port}", pages


@pytest.fixture(scope="module")
def service(
    portal: tuple[str, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    _require_browser()
    origin, pages = portal
    folder = tmp_path_factory.mktemp("serve")
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(folder / "c"),
        "XDG_DATA_HOME": str(folder / "d"),
        "READER_ALLOWED_HOSTS": origin.removeprefix("http://"),
        "READER_ALLOW_LOOPBACK": "1",
    }
    with running_service(env) as url:
        pages["/tin/xa-tan-phu.html"] = PORTAL.replace("{service}", url)
        pages["/tin/khong-nut.html"] = (
            PORTAL.replace("{service}", url)
            .replace('<a href="#" class="doc-noi-dung">Đọc nội dung</a>', "")
            .replace("<title>", "<title>Không nút - ")
        )
        yield url


@pytest.fixture
def browser(service: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def _open(
    browser: Any, portal: tuple[str, dict[str, str]], width: int = 1366, **options: Any
) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 800}, accept_downloads=True, **options
    )
    page = context.new_page()
    page.messages = []
    page.on("console", lambda message: page.messages.append(message.text))
    page.goto(portal[0] + "/tin/xa-tan-phu.html")
    return page


def _play(page: Any) -> None:
    page.locator("a.doc-noi-dung").click()
    page.wait_for_function("() => window.readerWidget.audio.currentTime > 0.05", timeout=15_000)


def _artefacts(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("READER_TEST_ARTIFACTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", WIDTHS)
def test_the_player_fits_a_phone_and_a_desktop(
    browser: Any, portal: tuple[str, dict[str, str]], width: int, tmp_path: Path
) -> None:
    page = _open(browser, portal, width)
    _play(page)
    player = page.locator(".rw-player")
    height = player.bounding_box()["height"]
    assert height <= MAX_PLAYER_HEIGHT, height
    controls = page.evaluate(
        """() => [...document.querySelectorAll(
                     '.rw-player button, .rw-player a, .rw-player select')]
          .filter(e => e.offsetParent !== null)
          .map(e => { const b = e.getBoundingClientRect(); const svg = e.querySelector('svg');
                      const s = svg && svg.getBoundingClientRect();
                      return {name: e.getAttribute('aria-label') || e.textContent.trim(),
                              w: b.width, h: b.height, icon: s ? s.width * s.height : null}; })"""
    )
    assert len(controls) >= 5
    for control in controls:
        assert control["w"] >= 44 and control["h"] >= 44, control
        assert control["icon"] is None or control["icon"] >= 200, control  # drawn, not a box
    shown_hidden = page.evaluate(
        """() => [...document.querySelectorAll('.rw-player [hidden]')]
          .filter(e => getComputedStyle(e).display !== 'none').length"""
    )
    assert shown_hidden == 0
    overflow = page.evaluate(
        "() => { const p = document.querySelector('.rw-player'); "
        "return p.scrollWidth - p.clientWidth; }"
    )
    assert overflow <= 0
    # The position is always shown; on wide screens the time heard and the total too.
    assert "1/6" in page.locator(".rw-pos").inner_text()
    clock = page.locator(".rw-pos .rw-word")
    assert clock.is_visible() is (width >= 640)
    assert re.fullmatch(r" · \d+:\d\d / \d+:\d\d", clock.text_content())
    page.screenshot(path=str(_artefacts(tmp_path) / f"widget-player-{width}.png"))
    violations = axe_violations(page)
    assert not [v for v in violations if v["impact"] in ("serious", "critical")], violations


def test_no_serious_violations_on_the_portal_with_the_player_playing(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    page = _open(browser, portal)
    _play(page)
    page.get_by_role("button", name="Tùy chọn").click()
    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    # Of any impact, none is the widget's own (the portal's heading order and its breadcrumb
    # outside a landmark, moderate, are the portal's markup).
    ours = [v for v in violations if any(".rw-" in str(target) for target in v["nodes"])]
    assert not ours, ours
    # The portal's link keeps its own semantics: no ARIA state added to it.
    link = page.locator("a.doc-noi-dung")
    assert link.get_attribute("aria-pressed") is None


def test_space_on_the_link_styled_button_starts_reading(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    page = _open(browser, portal)
    page.locator("a.doc-noi-dung").focus()
    page.keyboard.press("Space")
    page.wait_for_function("() => window.readerWidget.audio.currentTime > 0.05", timeout=15_000)
    assert page.evaluate("() => window.scrollY") == 0  # Space did not scroll the page


def test_download_saves_a_file_named_after_the_title_and_the_page_stays(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    page = _open(browser, portal)
    _play(page)
    page.get_by_role("button", name="Tùy chọn").click()
    url = page.url
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Tải về tệp MP3").click()
    download = waiting.value
    assert download.suggested_filename == f"{TITLE}.mp3"
    assert Path(download.path()).stat().st_size > 50_000
    assert page.url == url and page.locator(".rw-player").is_visible()


def test_a_selection_made_before_the_first_press_is_where_reading_starts(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    page = _open(browser, portal)
    page.evaluate(
        """() => { const p = [...document.querySelectorAll('p')]
                     .find(e => e.textContent.startsWith('Dịp này'));
                   const r = document.createRange(); r.selectNodeContents(p);
                   const s = getSelection(); s.removeAllRanges(); s.addRange(r); }"""
    )
    page.locator("a.doc-noi-dung").click()
    page.wait_for_function("() => window.readerWidget.cue !== null", timeout=15_000)
    assert page.evaluate("() => window.readerWidget.cue.text").startswith("Dịp này")


def test_reopening_resumes_and_play_after_the_end_starts_again(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    page = _open(browser, portal)
    _play(page)
    page.get_by_role("button", name="Câu tiếp theo").click()
    page.get_by_role("button", name="Câu tiếp theo").click()
    page.wait_for_function("() => window.readerWidget.index === 2")
    page.get_by_role("button", name="Đóng trình đọc").click()
    assert page.locator(".rw-player").is_hidden()
    page.locator("a.doc-noi-dung").click()
    page.wait_for_function(
        "() => window.readerWidget.index === 2 && !window.readerWidget.audio.paused"
    )
    # To the last sentence, let it end, then Play: from the headline again.
    page.get_by_role("slider", name="Vị trí đọc").press("End")
    page.locator(".rw-status", has_text="Đã đọc xong").wait_for(timeout=30_000)
    page.get_by_role("button", name="Phát").click()
    page.wait_for_function("() => window.readerWidget.index === 0")


def test_escape_closes_from_anywhere_but_not_while_typing(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    page = _open(browser, portal)
    _play(page)
    page.locator("#tim-kiem").click()
    page.keyboard.press("Escape")
    assert page.locator(".rw-player").is_visible()  # the visitor was typing a search
    page.locator("h1").click()
    page.keyboard.press("Escape")
    assert page.locator(".rw-player").is_hidden()
    assert page.evaluate("() => window.readerWidget.audio.paused")


def test_the_highlight_is_in_the_article_not_in_the_breadcrumb_or_a_caption(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    page = _open(browser, portal)
    _play(page)
    where = """() => { const h = CSS.highlights.get('reader-sentence');
                       const r = [...h][0]; const e = r.startContainer.parentElement;
                       return e.closest('h1, .breadcrumb, figcaption, p').tagName +
                              (e.closest('.breadcrumb') ? ':breadcrumb' : '') +
                              (e.closest('figcaption') ? ':caption' : ''); }"""
    assert page.evaluate("() => window.readerWidget.index") == 0
    assert page.evaluate(where) == "H1"
    last = page.evaluate("() => window.readerWidget.cues.length") - 1
    assert page.evaluate(f"() => window.readerWidget.cues[{last}].text") == "Minh Anh"
    page.get_by_role("slider", name="Vị trí đọc").press("End")
    page.wait_for_function(f"() => window.readerWidget.index === {last}")
    assert page.evaluate(where) == "P"


def test_a_portal_not_allowed_sees_a_message_and_the_console_names_the_setting(
    browser: Any, portal: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    origin, pages = portal
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
    }
    with running_service(env) as other:
        pages["/tin/chua-cho-phep.html"] = PORTAL.replace("{service}", other)
        context = browser.new_context()
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.goto(origin + "/tin/chua-cho-phep.html")
        page.locator("a.doc-noi-dung").click()
        page.locator(".rw-status", has_text="chưa được bật").wait_for(timeout=15_000)
        assert any("READER_ALLOWED_HOSTS" in message for message in messages), messages
        assert not page.get_by_role("button", name="Thử lại").is_visible()


def test_the_player_starts_in_order_click_manifest_clip_playing(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    """The order of events, not a time (time-to-audio is measured by
    benchmarks/widget_first_audio.py)."""
    page = _open(browser, portal)
    events: list[str] = []
    page.on(
        "request",
        lambda request: events.append(
            "manifest"
            if "/v1/listen" in request.url
            else "clip"
            if "/v1/clips/" in request.url
            else ""
        ),
    )
    page.locator("a.doc-noi-dung").click()
    events.append("click")
    page.wait_for_function("() => window.readerWidget.audio.currentTime > 0.05", timeout=15_000)
    events.append("playing")
    order = [event for event in events if event]
    assert order.index("manifest") < order.index("clip") < order.index("playing")


def test_without_a_button_one_is_added_before_the_headline(
    browser: Any, portal: tuple[str, dict[str, str]]
) -> None:
    page = browser.new_page()
    page.goto(portal[0] + "/tin/khong-nut.html")
    added = page.get_by_role("button", name="Đọc nội dung")
    added.wait_for()
    assert (
        page.evaluate("() => document.querySelector('.rw-launch').nextElementSibling.tagName")
        == "H1"
    )
