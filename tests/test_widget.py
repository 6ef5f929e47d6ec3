"""The widget in a real browser: headless Chromium from Debian's package, driven by Playwright,
against `reader-service serve` and its demo page.

.ci/run installs Chromium (apt) and axe-core (npm) and sets READER_REQUIRE_BROWSER=1, so these
tests fail there if they cannot run; elsewhere they skip with the reason.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import running_service

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
# axe-core ships with the tests (tests/fixtures/axe-core, MPL-2.0); READER_AXE_PATH picks another.
AXE = Path(os.environ.get("READER_AXE_PATH", ROOT / "tests/fixtures/axe-core/axe.min.js"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return "Chromium not installed (Debian package chromium: /usr/bin/chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python not installed"
    if not AXE.exists():
        return f"axe-core not found at {AXE} (npm install axe-core, or set READER_AXE_PATH)"
    return None


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's findings on the page as it is now: id, impact and the nodes' selectors."""
    page.add_script_tag(content=AXE.read_text("utf-8"))
    return list(
        page.evaluate(
            "async () => (await axe.run()).violations"
            ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"
        )
    )


def _require_browser() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("READER_REQUIRE_BROWSER"):
        pytest.fail(f"browser tests required but cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    folder = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "XDG_CACHE_HOME": str(folder / "c"), "XDG_DATA_HOME": str(folder / "d")}
    with running_service(env) as url:
        yield url


@pytest.fixture
def page(service: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1024, "height": 768})
        tab = context.new_page()
        tab.goto(service + "/")
        yield tab
        browser.close()


def _highlighted(page: Any) -> str:
    return str(
        page.evaluate(
            """() => { const h = CSS.highlights.get('reader-sentence');
                       return h ? [...h][0].toString().replace(/\\s+/g, ' ').trim() : ''; }"""
        )
    )


def _focused_name(page: Any) -> str:
    """The focused control's accessible name: its aria-label, else its label text."""
    return str(
        page.evaluate(
            """() => { const e = document.activeElement;
                       return e.getAttribute('aria-label')
                              || (e.querySelector('.rw-sr') || e).textContent.trim(); }"""
        )
    )


def _start(page: Any) -> float:
    started = time.perf_counter()
    page.get_by_role("button", name="Đọc nội dung").click()
    page.wait_for_function("() => window.readerWidget.audio.currentTime > 0.05", timeout=10_000)
    return time.perf_counter() - started


def test_pressing_the_button_plays_and_highlights_what_is_read(page: Any) -> None:
    _start(page)
    cue = page.evaluate("() => window.readerWidget.cue")
    assert _highlighted(page) == " ".join(cue["text"].split())
    page.get_by_role("button", name="Câu tiếp theo").click()
    page.wait_for_function("() => window.readerWidget.index === 1")
    page.wait_for_function("() => window.readerWidget.audio.currentTime > 0.05")
    assert _highlighted(page).startswith("Ngày 14/5/2021")
    page.get_by_role("button", name="Câu trước").click()
    page.wait_for_function("() => window.readerWidget.index === 0")
    page.get_by_role("button", name="Tùy chọn").click()
    page.get_by_role("combobox", name="Tốc độ đọc").select_option("1.5")
    assert page.evaluate("() => window.readerWidget.audio.playbackRate") == 1.5
    slider = page.get_by_role("slider", name="Vị trí đọc")
    assert slider.get_attribute("aria-valuetext") == "Câu 1 trên 11"
    assert not page.get_by_role("button", name="Thử lại").is_visible()  # nothing failed


def test_the_whole_player_works_from_the_keyboard(page: Any) -> None:
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent.trim()") == "Đọc nội dung":
            break
    else:
        pytest.fail("Tab never reached the 'Đọc nội dung' button")
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.readerWidget.audio.currentTime > 0.05", timeout=10_000)
    assert _focused_name(page) == "Tạm dừng"
    page.keyboard.press("Space")  # pause
    page.wait_for_function("() => window.readerWidget.audio.paused")
    names = []
    for _ in range(6):
        page.keyboard.press("Tab")
        names.append(_focused_name(page))
    assert names == [
        "Câu trước",
        "Tua lại 10 giây",
        "Tua tới 10 giây",
        "Câu tiếp theo",
        "Vị trí đọc",
        "Tùy chọn",
    ]
    page.keyboard.press("Shift+Tab")  # back to the slider
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.readerWidget.index === 1")
    assert page.get_by_role("slider").get_attribute("aria-valuenow") == "2"
    page.keyboard.press("Escape")
    assert page.locator(".rw-player").is_hidden()
    assert page.evaluate("() => document.activeElement.textContent.trim()") == "Đọc nội dung"
    assert page.evaluate("() => window.readerWidget.audio.paused")


def test_download_gives_the_whole_article_as_mp3(page: Any, service: str) -> None:
    _start(page)
    page.get_by_role("button", name="Tùy chọn").click()
    href = page.get_by_role("link", name="Tải về tệp MP3").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "audio/mpeg"
    assert len(response.body()) > 100_000


def test_no_serious_accessibility_violations_and_small_screens(page: Any, tmp_path: Path) -> None:
    _start(page)
    result = axe_violations(page)
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, serious
    page.set_viewport_size({"width": 320, "height": 640})
    overflow = page.evaluate(
        "() => document.querySelector('.rw-player').scrollWidth - "
        "document.querySelector('.rw-player').clientWidth"
    )
    assert overflow <= 0
    artefacts = Path(os.environ.get("READER_TEST_ARTIFACTS", tmp_path))
    artefacts.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(artefacts / "widget-player.png"))


def test_widget_writes_text_with_textcontent_only() -> None:
    source = (ROOT / "static/reader-widget.js").read_text("utf-8")
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source
    # Small enough to load at once on a phone: 31 kB with its drawn icons and Vietnamese and
    # English labels (about 9 kB compressed), no build step.
    assert len(source.encode("utf-8")) < 40_000


def test_service_failure_says_so_and_retries(page: Any) -> None:
    failures = {"left": 1}

    def flaky(route: Any) -> None:
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, body="{}")
        else:
            route.continue_()

    page.route("**/v1/listen*", flaky)
    page.get_by_role("button", name="Đọc nội dung").click()
    status = page.locator(".rw-status")
    status.filter(has_text="Không đọc được bài viết.").wait_for()
    # Nothing that needs an article shows before there is one: no empty voice list.
    page.get_by_role("button", name="Tùy chọn").click()
    assert not page.get_by_role("combobox", name="Giọng đọc").is_visible()
    assert not page.get_by_role("link", name="Tải về tệp MP3").is_visible()
    page.get_by_role("button", name="Thử lại").click()
    page.wait_for_function("() => window.readerWidget.audio.currentTime > 0.05", timeout=10_000)


def test_clicking_a_paragraph_reads_from_there(page: Any) -> None:
    _start(page)
    page.locator("p", has_text="Thời gian triển khai trong tháng 5").first.click()
    page.wait_for_function("() => window.readerWidget.cue.text.startsWith('Thời gian triển khai')")
    assert _highlighted(page).startswith("Thời gian triển khai")


def test_caption_bar_where_the_highlight_api_is_missing(service: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page()
        tab.add_init_script("delete window.Highlight;")
        tab.goto(service + "/")
        _start(tab)
        caption = tab.locator(".rw-caption")
        assert caption.is_visible()
        assert caption.text_content() == tab.evaluate("() => window.readerWidget.cue.text")
        browser.close()


DEVICE_VOICE = """
(() => {
  const spoken = [];
  window.__spoken = spoken;
  const voice = { lang: 'vi-VN', name: 'Giọng thử', voiceURI: 'test-vi', localService: true };
  speechSynthesis.getVoices = () => [voice];
  speechSynthesis.speak = (utterance) => {
    spoken.push(utterance.text);
    setTimeout(() => utterance.onend && utterance.onend(new Event('end')), 30);
  };
  speechSynthesis.cancel = () => {};
})();
"""


def test_device_voice_speaks_the_spoken_text_sentence_by_sentence(service: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page()
        tab.add_init_script(DEVICE_VOICE)
        tab.goto(service + "/")
        tab.get_by_role("button", name="Đọc nội dung").click()
        # The service speaks with espeak: the device's Vietnamese voice is offered first.
        tab.get_by_role("button", name="Tùy chọn").click()
        voices = tab.get_by_role("combobox", name="Giọng đọc")
        assert voices.locator("option").first.text_content() == "Giọng của thiết bị (tự nhiên)"
        assert tab.evaluate("() => window.readerWidget.device")
        tab.wait_for_function("() => window.__spoken.length >= 3", timeout=10_000)
        spoken = tab.evaluate("() => window.__spoken")
        cues = tab.evaluate("() => window.readerWidget.cues")
        assert spoken[:3] == [cue["spoken"] for cue in cues[:3]]
        assert tab.evaluate("() => window.readerWidget.audio.paused")
        browser.close()


def test_no_device_voice_option_without_a_vietnamese_voice(page: Any) -> None:
    _start(page)
    page.get_by_role("button", name="Tùy chọn").click()
    labels = page.get_by_role("combobox", name="Giọng đọc").locator("option").all_text_contents()
    assert labels == ["Giọng Bắc (máy chủ)", "Giọng Trung (máy chủ)", "Giọng Nam (máy chủ)"]


def test_the_demo_page_is_a_styled_portal_with_nothing_missing(service: str) -> None:
    """The page at / looks like a provincial portal: its own stylesheet, emblem and script are
    served, nothing answers 404 and the console stays quiet."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page()
        failures: list[str] = []
        tab.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
        errors: list[str] = []
        tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
        tab.goto(service + "/", wait_until="networkidle")
        assert not failures and not errors, (failures, errors)
        assert tab.evaluate("() => document.querySelector('.banner img').naturalWidth") > 0
        banner = tab.evaluate(
            "() => getComputedStyle(document.querySelector('.portal-header .banner'))"
            ".backgroundImage"
        )
        assert banner != "none"
        assert tab.locator(".skip-link").text_content() == "Bỏ qua, đến nội dung chính"
        browser.close()


def test_the_api_docs_render_offline(service: str, tmp_path: Path) -> None:
    """/docs and /redoc load their files from the service itself, not a CDN."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        elsewhere: list[str] = []
        tab.on("request", lambda r: r.url.startswith(service) or elsewhere.append(r.url))
        tab.goto(service + "/docs")
        tab.locator(".opblock-summary-path", has_text="/v1/listen").first.wait_for(timeout=15_000)
        assert tab.locator(".opblock").count() >= 5
        tab.screenshot(
            path=str(Path(os.environ.get("READER_TEST_ARTIFACTS", tmp_path)) / "docs.png")
        )
        tab.goto(service + "/redoc")
        tab.get_by_text("/v1/listen").first.wait_for(timeout=15_000)
        # Only ReDoc's "powered by" badge is asked of its CDN; offline it is simply not shown.
        needed = [
            url for url in elsewhere if not url.startswith("blob:") and "redoc/logo-mini" not in url
        ]
        assert not needed, needed
        browser.close()
