from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from reader_service.errors import ExtractionError, PageTooLargeError
from reader_service.extract import extract


def test_sample_page_matches_expected(sample_html: bytes, expected_article: dict) -> None:
    article = extract(sample_html, url="https://stttt.langson.gov.vn/x")
    assert article.title == expected_article["title"]
    assert list(article.paragraphs) == expected_article["paragraphs"]
    assert article.published == date(2021, 5, 14)
    assert article.canonical_url.startswith("https://stttt.langson.gov.vn/tin-tuc/")
    assert article.lang == "vi"


def test_sample_page_reads_nothing_around_the_article(
    sample_html: bytes, expected_article: dict
) -> None:
    article = extract(sample_html)
    read = "\n".join(article.blocks)
    for forbidden in expected_article["must_not_contain"]:
        assert forbidden not in read, forbidden
    assert read.count(article.title) == 1


def _page(body: str, head: str = "") -> str:
    return f"<html lang='vi'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


BODY = (
    "<p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm với sự tham dự"
    " của đại diện các sở, ban, ngành.</p><p>Hội nghị đã thống nhất các nhiệm vụ trọng tâm.</p>"
)


def test_toolbar_inside_content_and_hidden_elements_are_not_read() -> None:
    html = _page(
        "<h1>Hội nghị tổng kết</h1><div class='detail-content'>"
        "<div class='toolbar'><a>In trang</a> <a>Xuất PDF</a></div><p>Cỡ chữ</p>"
        "<p>Đọc nội dung</p>" + BODY + "<p hidden>Ẩn một</p><p style='display: none'>Ẩn hai</p>"
        "<p aria-hidden='true'>Ẩn ba</p><script>var x='Mã độc';</script></div>"
    )
    article = extract(html)
    assert article.title == "Hội nghị tổng kết"
    assert article.paragraphs == (
        "Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm với sự tham dự "
        "của đại diện các sở, ban, ngành.",
        "Hội nghị đã thống nhất các nhiệm vụ trọng tâm.",
    )


def test_title_repeated_in_body_is_read_once() -> None:
    html = _page(
        "<div class='news-content'><h2>Hội nghị tổng kết</h2>" + BODY + "</div>",
        head="<meta property='og:title' content='Hội nghị tổng kết'>",
    )
    article = extract(html)
    assert article.paragraphs[0].startswith("Sáng nay")


def test_generic_fallback_finds_unknown_layout() -> None:
    html = _page(
        "<div id='menu-x'><a href='/'>Trang chủ</a></div><div class='khoi-giua'>" + BODY + "</div>"
        "<div class='lien-ket'><a href='/a'>Liên kết một</a></div>",
        head="<title>Hội nghị tổng kết - Cổng thông tin</title>",
    )
    article = extract(html)
    assert article.title == "Hội nghị tổng kết"
    assert len(article.paragraphs) == 2


def test_table_rows_read_as_sentences_and_br_splits_lines() -> None:
    html = _page(
        "<div class='news-content'><p>Dòng một<br>Dòng hai</p><table><tr><th>Đơn vị</th>"
        "<th>Số hộ</th></tr><tr><td>Xã A</td><td>42</td></tr></table></div>",
        head="<meta property='og:title' content='Bảng'>",
    )
    assert extract(html).paragraphs == ("Dòng một", "Dòng hai", "Đơn vị, Số hộ", "Xã A, 42")


def _windows_1258(text: str) -> bytes:
    """Encode as legacy Vietnamese pages do: precomposed vowel shapes, combining tone marks."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            # e.g. ộ = o + dot below + circumflex: ô is precomposed in cp1258, the tone is not.
            base, *marks = unicodedata.normalize("NFD", char)
            shapes = "".join(m for m in marks if m in "\u0302\u0306\u031b")
            tones = "".join(m for m in marks if m not in shapes)
            out += (unicodedata.normalize("NFC", base + shapes) + tones).encode("cp1258")
    return bytes(out)


def test_windows_1258_page_is_decoded_to_nfc() -> None:
    html = _windows_1258(
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1258'>"
        "<title>Thông báo</title></head><body><div class='news-content'><p>Hội nghị tổng kết "
        "công tác năm của tỉnh Lạng Sơn.</p></div></body></html>"
    )
    assert b"\xf2" in html  # combining dot below: the tones really are separate marks
    article = extract(html)
    assert article.paragraphs == ("Hội nghị tổng kết công tác năm của tỉnh Lạng Sơn.",)


def test_invisible_characters_and_entities_are_cleaned() -> None:
    html = _page(
        "<div class='news-content'><p>Văn&nbsp;bản\u200b số&nbsp;&nbsp;1 &amp; "
        "phụ\u00adlục</p></div>",
        head="<title>T</title>",
    )
    assert extract(html).paragraphs == ("Văn bản số 1 & phụlục",)


def test_page_without_article_is_an_error() -> None:
    html = _page("<nav><a href='/'>Trang chủ</a></nav><footer>Bản quyền</footer>")
    with pytest.raises(ExtractionError, match="Không tìm thấy nội dung bài viết"):
        extract(html, url="https://example.gov.vn/")


def _teaser(number: int) -> str:
    return (
        f"<div class='item'><h3><a href='/tin/{number}'>Tin số {number}: Hội nghị triển khai "
        f"nhiệm vụ năm 2025 của huyện</a></h3><p>UBND huyện tổ chức hội nghị triển khai nhiệm "
        f"vụ năm 2025 với lãnh đạo {number + 10} xã, thị trấn.</p>"
        f"<span class='date'>0{number}/05/2025</span></div>"
    )


def test_a_list_of_articles_is_not_read_as_one() -> None:
    """A category page: headlines linking elsewhere, each with its teaser, and no body."""
    html = _page(
        "<h1>Tin tức - Sự kiện</h1><div class='list-news'>"
        + "".join(_teaser(n) for n in range(1, 9))
        + "</div>",
        head="<title>Tin tức - Sự kiện - Cổng TTĐT huyện Tam Đảo</title>",
    )
    with pytest.raises(ExtractionError, match="danh sách nhiều bài viết"):
        extract(html, url="https://tamdao.example.gov.vn/tin-tuc")


def test_a_round_up_article_with_linked_headings_is_read() -> None:
    intro = "<p>" + "Tỉnh đã trao tặng nhiều phần quà cho các hộ nghèo trong dịp Tết. " * 6
    html = _page(
        "<h1>Những hoạt động chăm lo Tết cho người nghèo nổi bật của các địa phương năm nay</h1>"
        "<div class='list-news'>"
        + intro
        + "</p>"
        + "".join(_teaser(n) for n in range(1, 6))
        + "</div>",
        head="<meta property='article:published_time' content='2025-01-20T08:00:00+07:00'>",
    )
    assert len(extract(html).paragraphs) > 5


def test_oversized_page_is_refused() -> None:
    with pytest.raises(PageTooLargeError):
        extract(b"<p>" + b"a" * 2000 + b"</p>", max_bytes=1000)


def test_json_ld_article_body_is_used_when_no_html_body() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Tin",'
        ' "articleBody": "Đoạn một.\\nĐoạn hai."}</script><meta property="og:title" content="Tin">'
    )
    assert extract(_page("<nav>Trang chủ</nav>", head=head)).paragraphs == (
        "Đoạn một.",
        "Đoạn hai.",
    )


def _nested(depth: int) -> str:
    body = (
        "<div>" * depth
        + "<h1>Tiêu đề bài viết lồng sâu</h1>"
        + "<p>Đây là một câu văn của bài viết, nằm sâu trong nhiều lớp thẻ div lồng nhau.</p>" * 4
        + "</div>" * depth
    )
    return f"<html><head><title>Tiêu đề bài viết lồng sâu</title></head><body>{body}</body></html>"


def test_an_article_nested_hundreds_of_elements_deep_is_read() -> None:
    """libxml2 drops everything below 255 levels unless asked not to: such an article was
    lost without a word (no_article)."""
    article = extract(_nested(300))
    assert article.title == "Tiêu đề bài viết lồng sâu" and len(article.paragraphs) == 4


def test_nesting_beyond_the_limit_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ExtractionError, match="quá sâu"):
        extract(_nested(1500))


def test_the_depth_limit_counts_levels_from_html() -> None:
    from lxml import html

    from reader_service.extract.document import MAX_DEPTH, too_deep

    def tree(levels: int) -> html.HtmlElement:  # <html> and <body> are two of the levels
        inner = "<div>" * (levels - 2) + "x" + "</div>" * (levels - 2)
        page = f"<html><body>{inner}</body></html>"
        return html.document_fromstring(page, parser=html.HTMLParser(huge_tree=True))

    assert not too_deep(tree(MAX_DEPTH))
    assert too_deep(tree(MAX_DEPTH + 1))


def test_a_page_with_too_many_tags_is_refused_before_parsing() -> None:

    html = "<html><body>" + "<p>x</p>" * 20_000 + "</body></html>"
    with pytest.raises(PageTooLargeError, match="thẻ HTML"):
        extract(html)
    assert extract(_nested(10), max_tags=100).paragraphs
