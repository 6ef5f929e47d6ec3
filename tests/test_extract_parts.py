"""Extraction layer by layer: titles, toolbars, furniture, leads, tables, pinned selectors."""

from __future__ import annotations

import codecs
import unicodedata

import pytest
from pydantic import ValidationError

from conftest import FIXTURES
from reader_service.errors import ExtractionError
from reader_service.extract import extract
from reader_service.extract.content import pinned_selector
from reader_service.extract.document import parse, text_of
from reader_service.extract.generic import is_byline
from reader_service.extract.noise import is_not_article_heading
from reader_service.extract.profiles import FURNITURE
from reader_service.extract.readable import is_toolbar
from reader_service.extract.tables import unwrap_layout_tables
from reader_service.extract.text import decode_html
from reader_service.extract.title import strip_site_name
from reader_service.settings import Settings

BODY = (
    "<p>Sáng nay, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm với sự tham dự"
    " của đại diện các sở, ban, ngành.</p><p>Hội nghị đã thống nhất các nhiệm vụ trọng tâm của"
    " năm tới, trong đó có chuyển đổi số và cải cách hành chính.</p>"
)


def _page(body: str, head: str = "") -> str:
    return f"<html lang='vi'><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize(
    ("raw", "site", "title"),
    [
        ("Hội nghị tổng kết - Cổng TTĐT tỉnh Lạng Sơn", None, "Hội nghị tổng kết"),
        ("Hội nghị tổng kết | Sở Y tế", "Sở Y tế", "Hội nghị tổng kết"),
        ("UBND tỉnh Quảng Trị - Công bố chỉ số CCHC", None, "Công bố chỉ số CCHC"),
        ("Đại hội nhiệm kỳ 2020 - 2025", None, "Đại hội nhiệm kỳ 2020 - 2025"),
        ("Tin A :: Trang thông tin điện tử huyện B", None, "Tin A"),
        ("Lễ khai giảng – UBND XÃ TÂN PHÚ", None, "Lễ khai giảng"),
        ("Bão số 3 - Tin tức - baochinhphu.vn", None, "Bão số 3 - Tin tức"),
    ],
)
def test_site_name_is_stripped_from_page_titles(raw: str, site: str | None, title: str) -> None:
    assert strip_site_name(raw, site) == title


@pytest.mark.parametrize(
    "text",
    [
        "-A A +A",
        "A- A A+",
        "In trang | Xuất PDF | Chế độ ban đêm",
        "Cỡ chữ: A- A+ In bài viết Gửi email",
        "Nghe đọc bài viết | Tăng cỡ chữ | Giảm cỡ chữ | In",
        "Lượt xem: 1.204",
        "Chia sẻ: Facebook Zalo",
    ],
)
def test_toolbars_in_any_form_are_recognised(text: str) -> None:
    assert is_toolbar(text)


@pytest.mark.parametrize(
    "text",
    ["In trang phục truyền thống, các em học sinh múa hát.", "Đọc nội dung văn bản tại đây.", "A"],
)
def test_sentences_using_toolbar_words_are_not_toolbars(text: str) -> None:
    assert not is_toolbar(text)


@pytest.mark.parametrize(
    "text",
    [
        "Trang chủ > Tin tức > Hoạt động",
        "Ảnh: TTXVN",
        "(Ảnh minh họa)",
        "Thứ Sáu, 14/05/2021 10:30",
        "Cập nhật: 14-05-2021",
        "(Ngày 18/10/2021)",
        "Ngày đăng: 05/09/2024 (GMT+7)",
        "Bình luận (12)",
        "Xem thêm: Đồng Nai tăng cường giám sát dịch",
        "Tin kinh tế >>",
        "Thủ tướng chủ trì phiên họp - Ảnh: VGP",
        "Bà con phấn khởi khi nhận quà. Ảnh: Hoàng Lâm.",
        "Đại biểu dự lễ (Ảnh: Minh Anh)",
        "Người dân làm thủ tục tại bộ phận một cửa (ảnh minh họa)",
        "Quảng cáo",
        "Video: Toàn cảnh hội nghị",
        "Đăng ngày bởi Văn phòng UBND xã",
        "Đang tải...",
        "Lan Anh - 20/09/2025",
        "Gửi bởi admin vào Thứ 2, 12/03/2024",
        "Lễ khởi công dự án sáng 17/3 - Ảnh: T.L.",
        "Vui lòng bật JavaScript để xem trang này.",
        ">> Vì sao sữa và nước ngọt được chứa trong bao bì hình khối khác nhau? Kỳ 1",
        "» Giá vàng hôm nay tăng mạnh",
    ],
)
def test_page_furniture_lines(text: str) -> None:
    assert FURNITURE.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ảnh hưởng của bão số 3 rất nặng nề.",
        "Ngày 14/5/2021, Sở ban hành công văn số 904/STTTT-BCVT.",
        "Trang chủ yếu của chương trình là hỗ trợ nông dân.",
        "Nhiều người dân chụp ảnh: họ rất vui.",
        "Hà Nội - 20/09/2025: Hội nghị khai mạc sáng nay với sự tham dự của nhiều đại biểu.",
        "Triển lãm ảnh: 200 tác phẩm được trưng bày tại Bảo tàng tỉnh trong một tuần.",
        "Giá vàng tăng >> 80 triệu đồng một lượng là mức cao nhất từ trước đến nay.",
    ],
)
def test_article_sentences_are_not_furniture(text: str) -> None:
    assert not FURNITURE.match(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tin liên quan",
        "Bài viết cùng chuyên mục",
        "Các tin đã đưa:",
        "Tin tức khác",
        "Video liên quan",
        "Tập tin đính kèm",
        "Các tin khác »",
    ],
)
def test_headings_of_other_articles(text: str) -> None:
    assert is_not_article_heading(text)


def test_article_subheadings_are_not_lists_of_other_articles() -> None:
    assert not is_not_article_heading("Lợi ích của địa chỉ số đối với người dân")
    assert not is_not_article_heading("Tin vui cho người lao động")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Minh Đức", True),
        ("Hoàng Yến - Huyện đoàn Bảo Lâm", True),
        ("Nguồn: Sở Nội vụ", True),
        ("Theo baochinhphu.vn", True),
        ("Hội nghị đã thống nhất các nhiệm vụ trọng tâm của năm tới.", False),
        ("Xem chi tiết tại đây:", False),
    ],
)
def test_bylines(text: str, expected: bool) -> None:
    assert is_byline(text) is expected


def test_layout_tables_become_boxes_and_data_tables_stay() -> None:
    root = parse(
        "<table><tr><td><p>Cột trái</p></td><td><div>Nội dung</div>"
        "<table><tr><td>Xã A</td><td>42</td></tr></table></td></tr></table>"
    )
    unwrap_layout_tables(root)
    tables = list(root.iter("table"))
    assert len(tables) == 1 and text_of(tables[0]) == "Xã A 42"


def test_pinned_selector_matches_host_port_and_www() -> None:
    pinned = {"so.example.gov.vn": ".bai", "localhost:8080": "#x"}
    assert pinned_selector("https://www.so.example.gov.vn/a", pinned) == ".bai"
    assert pinned_selector("http://localhost:8080/a", pinned) == "#x"
    assert pinned_selector("http://localhost:9090/a", pinned) is None
    assert pinned_selector(None, pinned) is None


def test_pinned_selector_wins_over_profiles() -> None:
    html = _page(
        "<h1>Hội nghị tổng kết</h1><div class='news-content'><p>Một đoạn giới thiệu của chuyên"
        " mục khác, không phải bài viết này.</p></div><div class='khung-bai'>" + BODY + "</div>"
    )
    plain = extract(html, url="https://so.example.gov.vn/tin/1")
    assert "chuyên mục khác" in plain.paragraphs[0]
    pinned = extract(
        html, url="https://so.example.gov.vn/tin/1", pinned={"so.example.gov.vn": ".khung-bai"}
    )
    assert pinned.paragraphs[0].startswith("Sáng nay")


def test_sapo_between_headline_and_body_is_read_first_and_tagline_is_not() -> None:
    html = _page(
        "<p class='site-description'>Cổng thông tin điện tử của tỉnh, phục vụ người dân</p>"
        "<h1>Hội nghị tổng kết năm</h1><div class='mo-ta'>Chiều 20/12, tỉnh tổ chức hội nghị"
        " tổng kết công tác năm 2024.</div><div class='detail-content'>" + BODY + "</div>"
    )
    paragraphs = extract(html).paragraphs
    assert paragraphs[0].startswith("Chiều 20/12")
    assert not any("Cổng thông tin" in p for p in paragraphs)


def test_comments_related_lists_and_captions_are_not_read() -> None:
    html = _page(
        "<h1>Hội nghị tổng kết năm</h1><div class='entry-content'>"
        + BODY
        + "<figure><img src='a.jpg'><figcaption>Quang cảnh hội nghị. Ảnh: H.A</figcaption>"
        "</figure><table><tr><td><img src='b.jpg'></td></tr><tr><td>Đại biểu dự họp</td></tr>"
        "</table><h3>Tin liên quan</h3><ul><li><a href='/1'>Hội nghị năm ngoái</a></li>"
        "<li><a href='/2'>Kế hoạch năm tới</a></li></ul></div><div id='comments'><p>Bạn đọc"
        " Nguyễn Văn A: tôi rất đồng tình với các nhiệm vụ đề ra của tỉnh trong năm tới.</p></div>"
    )
    read = "\n".join(extract(html).paragraphs)
    for snippet in (
        "Quang cảnh",
        "Đại biểu dự họp",
        "Tin liên quan",
        "Hội nghị năm ngoái",
        "Bạn đọc",
    ):
        assert snippet not in read


@pytest.mark.parametrize(
    "picture",
    [
        "<p>{first}<br><img src='a.jpg'><br><i>Đại biểu cắt băng khánh thành.</i><br>{second}</p>",
        "<p>{first}</p><p style='text-align:center'><img src='a.jpg'></p>"
        "<p style='text-align:center'><span><em>Đại biểu cắt băng khánh thành.</em></span></p>"
        "<p>{second}</p>",
    ],
)
def test_italic_caption_under_a_picture_is_not_read(picture: str) -> None:
    first = "Sáng 12/3, huyện tổ chức khánh thành cầu treo bản Na Hang cho người dân đi lại."
    second = "Cây cầu dài 120 m, rộng 2 m, do các doanh nghiệp trong tỉnh tài trợ xây dựng."
    html = _page(
        "<h1>Khánh thành cầu treo bản Na Hang</h1><div class='entry-content'>"
        + picture.format(first=first, second=second)
        + BODY
        + "</div>"
    )
    read = extract(html).paragraphs
    assert "Đại biểu cắt băng" not in "\n".join(read)
    assert first in read and second in read


def test_table_of_contents_and_poll_inside_the_body_are_not_read() -> None:
    html = _page(
        "<h1>Cắt giảm giấy tờ khi làm thủ tục đất đai</h1><div class='entry-content'>"
        "<div><b>Trong bài</b><ul><li><a href='#a'>Giảm giấy tờ</a></li>"
        "<li><a href='#b'>Tra cứu dữ liệu</a></li></ul></div>"
        "<h2 id='a'>Giảm giấy tờ</h2>"
        + BODY
        + "<h2 id='b'>Tra cứu dữ liệu</h2>"
        + BODY
        + "<div class='poll-box'><p>Bạn có hài lòng?</p><label><input type='radio'> Có</label>"
        "</div></div>"
    )
    read = extract(html).paragraphs
    assert read.count("Giảm giấy tờ") == 1 and read.count("Tra cứu dữ liệu") == 1
    assert "Trong bài" not in read and "Bạn có hài lòng?" not in read


def test_comments_after_their_heading_are_not_read_whatever_their_markup() -> None:
    comment = "Tôi rất đồng tình với chủ trương này, mong tỉnh sớm triển khai ở các xã vùng cao."
    html = _page(
        "<h1>Cấp đổi giấy phép lái xe trực tuyến</h1><div id='a0'><div id='a1'>"
        + BODY
        + "</div><div class='x'><div>Ý kiến bạn đọc (2)</div>"
        + f"<div><b>Nguyễn Văn Thắng</b><p>{comment}</p></div>"
        + f"<div><b>Trần Thị Mai</b><p>{comment}</p></div></div></div>"
    )
    read = "\n".join(extract(html).paragraphs)
    assert "Ý kiến" not in read and "Nguyễn Văn Thắng" not in read and comment not in read


def test_a_sentence_broken_by_a_line_break_is_one_paragraph() -> None:
    """Text pasted from a word processor breaks lines inside sentences; a blank line
    (<br><br>) still separates paragraphs."""
    from reader_service.extract.blocks import paragraphs_of

    root = parse(
        "<div><p>Ngày 12/3, UBND tỉnh<br>ban hành kế hoạch số 45.<br>Kế hoạch nêu rõ.</p>"
        "<p>Một<br><br>hai</p></div>"
    )
    assert paragraphs_of(root.body) == [
        "Ngày 12/3, UBND tỉnh ban hành kế hoạch số 45.",
        "Kế hoạch nêu rõ.",
        "Một",
        "hai",
    ]


def test_unnamed_sapo_under_the_headline_is_read_first_on_vietnamese_pages() -> None:
    """No class names it, but the prose right under the headline is the sapo."""
    sapo = "Sáng 12/3, UBND tỉnh tổ chức hội nghị tổng kết công tác năm và triển khai nhiệm vụ."
    html = _page(
        f"<h1>Hội nghị tổng kết năm 2024</h1><div><p>{sapo}</p></div><div><div>"
        + BODY
        + "</div></div>"
    )
    assert extract(html).paragraphs[0] == sapo


def test_language_is_guessed_from_the_text_when_not_declared() -> None:
    from reader_service.extract.metadata import read_metadata

    english = parse(
        "<html><body><p>The council met on Monday to approve the budget.</p></body></html>"
    )
    vietnamese = parse(
        "<html><body><p>Hội đồng nhân dân tỉnh họp phiên thường kỳ.</p></body></html>"
    )
    assert read_metadata(english, None).lang == "und"
    assert read_metadata(vietnamese, None).lang == "vi"


def test_headline_in_a_plain_span_is_found_from_the_page_title() -> None:
    """Old layouts: no <h1>, no title class; the <title> names the article before a breadcrumb
    and the site ("Bài > Chuyên mục - Cổng")."""
    headline = "Huyện tổ chức Lễ hội Xuống đồng năm 2025"
    html = _page(
        f"<div><span id='x1'>Trang chủ</span></div><div><span id='x2'>{headline}</span></div>"
        "<div>" + BODY + "</div>",
        head=f"<title>{headline} &gt; Tin hoạt động - Cổng thông tin điện tử huyện</title>",
    )
    assert extract(html).title == headline


def test_teaser_cards_after_a_related_heading_and_a_poll_without_class_names() -> None:
    card = (
        "<article><h3><a href='/{n}'>Xã tổ chức ngày hội toàn dân bảo vệ an ninh số {n}</a></h3>"
        "<p>Ngày hội diễn ra sôi nổi với nhiều hoạt động của nhân dân các thôn.</p></article>"
    )
    html = _page(
        "<h1>Xã ra mắt mô hình camera an ninh</h1><div id='a1'><div id='a2'>" + BODY + "</div>"
        "<div id='a3'><p>Bạn có hài lòng với mô hình này?</p><label><input type='radio'> Có"
        "</label><label><input type='radio'> Không</label><a href='#'>Xem kết quả</a></div>"
        "<div id='a4'><h2>Bài viết liên quan</h2></div><div id='a5'><div id='a6'>"
        + card.format(n=1)
        + card.format(n=2)
        + "</div></div></div>"
    )
    read = "\n".join(extract(html).paragraphs)
    for snippet in ("ngày hội toàn dân", "Ngày hội diễn ra", "Bạn có hài lòng", "Xem kết quả"):
        assert snippet not in read
    assert "Sáng nay" in read


def test_a_pull_quote_and_a_line_naming_the_site_are_not_read() -> None:
    from reader_service.extract.readable import readable

    quote = '"Giờ bán hàng qua điện thoại nhanh hơn xuống chợ huyện nhiều."'
    body = (
        'Anh Tư cho biết: "Giờ bán hàng qua điện thoại nhanh hơn xuống chợ huyện nhiều. '
        'Khách đặt phòng trước cả tháng."'
    )
    site = "Cổng thông tin điện tử xã Tân Phú, huyện Đồng Phú"
    assert readable([site, quote, body, "Ý kiến cử tri"], "Tiêu đề") == [body, "Ý kiến cử tri"]


def test_javascript_shell_reads_json_ld_body() -> None:
    head = (
        '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", "headline":'
        ' "Tin", "articleBody": "Đoạn một của bài viết đầy đủ.\\nĐoạn hai của bài viết đầy đủ,'
        ' dài hơn phần khung trang."}]}</script><meta property="og:title" content="Tin">'
    )
    article = extract(_page("<div id='app'><p>Đang tải...</p></div>", head=head))
    assert article.paragraphs[0] == "Đoạn một của bài viết đầy đủ."


@pytest.mark.parametrize(
    "body",
    [
        "<div id='root'><p>Đang tải...</p></div><script src='/static/js/main.js'></script>",
        "<div id='__next'></div><noscript>Bật JavaScript để xem trang.</noscript>"
        "<script>window.__DATA__ = {}</script>",
        "<app-root ng-version='17.0.0'>Loading</app-root><script type='module' src='/m.js'>"
        "</script>",
        "<script src='/bundle.js'></script>",
    ],
)
def test_a_javascript_shell_is_refused_with_how_to_give_the_text(body: str) -> None:
    page = _page(body, head="<title>Tin tức - Cổng thông tin</title>")
    with pytest.raises(ExtractionError, match="JavaScript") as refused:
        extract(page)
    assert "articleBody" in refused.value.message and "POST /v1/articles" in refused.value.message


def test_pages_with_scripts_and_a_real_body_are_not_shells() -> None:
    short_notice = (
        "<nav><a href='/'>Trang chủ</a></nav><h1>Thông báo lịch tiếp công dân</h1>"
        "<div class='noi-dung'><p>Ủy ban nhân dân xã thông báo lịch tiếp công dân tháng 12 vào "
        "sáng thứ Hai hằng tuần tại trụ sở.</p></div><script src='/ga.js'></script>"
    )
    assert extract(_page(short_notice)).title == "Thông báo lịch tiếp công dân"
    rendered = (
        "<div id='__next'><h1>Hội nghị tổng kết công tác năm 2024 của tỉnh</h1>"
        + BODY
        + "</div><script src='/_next/main.js'></script>"
    )
    assert extract(_page(rendered)).paragraphs[0].startswith("Sáng nay")


def test_charset_order_bom_then_header_then_meta() -> None:
    text = "<html><head><meta charset='windows-1258'></head><body>Hội nghị</body></html>"
    assert "Hội nghị" in decode_html(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert "Hội nghị" in decode_html(text.encode("utf-8"), "utf-8")
    latin = text.replace("Hội nghị", "Café").encode("cp1258")
    assert "Café" in decode_html(latin)


def test_utf8_bytes_under_a_single_byte_declaration_are_read_as_utf8() -> None:
    """Old templates declare windows-1258 or ISO-8859-1 in <meta> (or the server says so)
    over UTF-8 bytes: read as declared, every Vietnamese letter would be mojibake."""
    for declared in ("windows-1258", "iso-8859-1", "us-ascii"):
        page = f"<html><head><meta charset='{declared}'></head><body>Hội nghị Ủy ban</body></html>"
        assert "Hội nghị Ủy ban" in decode_html(page.encode("utf-8"))
        assert "Hội nghị Ủy ban" in decode_html(page.encode("utf-8"), declared)


def test_real_single_byte_pages_are_still_read_as_declared() -> None:
    """The other direction: a page really in windows-1258 or ISO-8859-1 is not valid UTF-8,
    so its declaration decides, and a multi-byte declaration is always obeyed."""
    from test_extract import _windows_1258

    page = "<html><head><meta charset='{}'></head><body>{}</body></html>"
    vietnamese = _windows_1258(page.format("windows-1258", "Hội nghị tổng kết Ủy ban"))
    # (windows-1258 writes tones as combining marks: the text is composed again later.)
    assert "Hội nghị tổng kết Ủy ban" in unicodedata.normalize("NFC", decode_html(vietnamese))
    latin = page.format("iso-8859-1", "Café à la carte, naïve").encode("iso-8859-1")
    assert "Café à la carte, naïve" in decode_html(latin)
    assert "Café à la carte, naïve" in decode_html(latin, "iso-8859-1")
    utf16 = page.format("utf-16-le", "Hội nghị").encode("utf-16-le")
    assert "Hội nghị" in decode_html(utf16, "utf-16-le")


def test_operator_selectors_are_checked_when_settings_load() -> None:
    settings = Settings(content_selectors={"WWW.So.Example.gov.vn": " div.bai "})
    assert settings.content_selectors == {"so.example.gov.vn": "div.bai"}
    with pytest.raises(ValidationError, match="không hợp lệ"):
        Settings(content_selectors={"so.example.gov.vn": "div[["})


def test_title_when_the_page_title_names_only_the_portal() -> None:
    html = _page(
        "<div class='cot-trai'><h3>Văn bản chỉ đạo điều hành</h3><a href='/vb'>Quyết định 1</a>"
        "</div><div class='khung-giua'><h2>Tỉnh tổ chức hội nghị tổng kết năm 2024</h2>"
        + BODY
        + "</div>",
        head="<title>Cổng thông tin điện tử tỉnh Lạng Sơn</title>",
    )
    assert extract(html).title == "Tỉnh tổ chức hội nghị tổng kết năm 2024"


def test_visible_headline_beats_a_different_og_title() -> None:
    html = _page(
        "<h1>Hội nghị tổng kết công tác năm 2024 của tỉnh</h1><div class='detail-content'>"
        + BODY
        + "</div>",
        head="<meta property='og:title' content='Tổng kết năm: những con số ấn tượng'>",
    )
    assert extract(html).title == "Hội nghị tổng kết công tác năm 2024 của tỉnh"


def test_section_h1_and_teaser_links_do_not_take_the_headline() -> None:
    title = "Hội nghị tổng kết công tác năm 2024"
    html = _page(
        "<h1>Tin hoạt động</h1><div class='tin-moi'><h3><a href='/1'>" + title + "</a></h3></div>"
        "<h2 class='tieu-de-bai'>" + title + "</h2><div class='detail-content'>" + BODY + "</div>",
        head=f"<title>{title} - Cổng TTĐT tỉnh</title>",
    )
    root_title = extract(html).title
    assert root_title == title


_CAPTIONS = [
    "Chiến sĩ biên phòng chuẩn bị đèn pin trước giờ tuần tra đêm ở mốc giới 457.",
    "Nhiệt độ xuống dưới 0 độ C, băng phủ trắng các bụi cây ven đường tuần tra.",
    "Tổ công tác vượt con dốc đá dài gần 2 km để tới điểm chốt trên đỉnh núi.",
    "Sau ca tuần tra, các chiến sĩ quây quần bên bếp lửa trong lán trực biên giới.",
]


def test_a_photo_story_told_only_in_captions_is_read_in_order() -> None:
    figures = "".join(
        f"<figure><img src='/anh/{n}.jpg'><figcaption>{caption}</figcaption></figure>"
        for n, caption in enumerate(_CAPTIONS)
    )
    html = _page(f"<h1>Tuần tra trong đêm âm độ</h1><div class='anh'>{figures}</div>")
    assert list(extract(html).paragraphs) == _CAPTIONS


def test_a_photo_story_reads_its_lead_then_the_captions() -> None:
    slides = "".join(
        f"<div class='slide'><div class='thumb' data-src='/anh/{n}.jpg'></div>"
        f"<div class='share'><a href='#'>Chia sẻ</a></div><p>{caption}</p></div>"
        for n, caption in enumerate(_CAPTIONS)
    )
    lead = "Miền Bắc bước vào ngày thứ sáu của đợt rét đậm, bộ đội biên phòng vẫn tuần tra."
    html = _page(
        f"<h1>Tuần tra trong đêm âm độ</h1><p class='lead'>{lead}</p><div class='slides'>"
        f"{slides}</div>"
    )
    assert list(extract(html).paragraphs) == [lead, *_CAPTIONS]


def test_captions_of_a_prose_article_and_rows_of_teasers_are_not_read() -> None:
    prose = BODY * 6  # a prose article: its pictures' captions only name the photos
    figures = "".join(
        f"<figure><img src='/{n}.jpg'><figcaption>{caption}</figcaption></figure>"
        for n, caption in enumerate(_CAPTIONS)
    )
    article = extract(
        _page(f"<h1>Hội nghị tổng kết năm 2024</h1><article>{prose}{figures}</article>")
    )
    assert not any(caption in article.paragraphs for caption in _CAPTIONS)
    teasers = "".join(
        f"<div class='item'><a href='/tin/{n}'><img src='/{n}.jpg'>{caption}</a></div>"
        for n, caption in enumerate(_CAPTIONS)
    )
    notice = _page(
        "<h1>Thông báo lịch tiếp công dân</h1><div class='noi-dung'><p>Ủy ban nhân dân xã "
        "thông báo lịch tiếp công dân tháng 12 vào sáng thứ Hai hằng tuần.</p></div>"
        f"<div class='lien-quan'>{teasers}</div>"
    )
    assert not any(caption in extract(notice).paragraphs for caption in _CAPTIONS)


def test_prose_before_finds_the_first_half_of_a_body_split_around_an_ad_slot() -> None:
    """An old mobile template (cafef): the first half of the body in one box, an empty ad
    slot, the second half in another, which alone looked like the article's block."""
    from reader_service.extract.generic import prose_before

    title = "Chi phí cho Olympic Sochi 2014"
    first = (
        "Nga đã chi đến 51 tỉ USD để đăng cai Thế vận hội, khiến Olympic Sochi trở thành một "
        "trong những kỳ vận hội đắt nhất lịch sử, vượt xa mức chi của các kỳ trước đó."
    )
    second = "<p>Phần lớn số tiền được dùng để xây dựng cơ sở hạ tầng và đường sá.</p>"

    def page(before: str, headline_first: bool = True) -> str:
        headline = f"<h1>{title}</h1>"
        return _page(
            (headline if headline_first else "")
            + f"<div id='a1'>{before}<div id='admbackground'></div>"
            f"<div id='divend'><div class='found'>{second}</div></div></div>"
            + ("" if headline_first else headline)
        )

    def earlier(html: str) -> list[str]:
        root = parse(html)
        return prose_before(root.find_class("found")[0], title)

    split = f"<div id='divfirst'><img src='/a.jpg'><p>{first}</p><p>{first[::-1]}</p></div>"
    assert earlier(page(split)) == [first, first[::-1]]
    standfirst = f"<div class='sapo'><p>{first}</p></div>"
    assert earlier(page(standfirst)) == []  # one long block: a standfirst or a quote box
    links = "<div><a href='/1'>" + first + "</a></div>"
    assert earlier(page(links)) == []  # a box of links is not the body's beginning
    assert earlier(page("<div><p>Ảnh: Reuters</p></div>")) == []  # no prose
    assert earlier(page(split, headline_first=False)) == []  # before the article starts


def test_a_question_and_answer_page_reads_its_labels_and_not_the_other_questions() -> None:
    """The listener hears where the answer starts; the asker's details and the other
    questions are not read."""
    html = _page(
        "<div class='hoi-dap'><h1>Thủ tục cấp lại giấy khai sinh</h1>"
        "<div class='nguoi-hoi'>Người hỏi: Nguyễn Văn A - Xã Tân Phú - Ngày gửi: 02/12/2024</div>"
        "<div class='cau-hoi'><b>Câu hỏi:</b> Tôi bị mất giấy khai sinh bản chính, nay muốn xin "
        "cấp lại thì cần làm thủ tục gì, nộp hồ sơ ở đâu?</div>"
        "<div class='tra-loi'><b>Trả lời:</b><p>Theo quy định của Luật Hộ tịch năm 2014, việc "
        "đăng ký lại khai sinh được thực hiện tại Ủy ban nhân dân cấp xã nơi cư trú.</p><p>Thời "
        "hạn giải quyết là 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ của người dân.</p>"
        "</div></div><div class='khac'><h3>Các câu hỏi khác</h3>"
        + "".join(
            f"<div class='item'><a href='/hd/{n}'>{q}</a><p>Xin hỏi thủ tục...</p></div>"
            for n, q in enumerate(
                ["Thủ tục đăng ký kết hôn cần những giấy tờ gì?", "Cấp đổi giấy phép lái xe?"]
            )
        )
        + "</div>"
    )
    paragraphs = extract(html).paragraphs
    assert paragraphs[0].startswith("Câu hỏi: Tôi bị mất")
    assert paragraphs[1].startswith("Trả lời: Theo quy định") and len(paragraphs) == 3
    assert not any("Nguyễn Văn A" in p or "kết hôn" in p for p in paragraphs)


def test_reply_buttons_are_not_answer_labels() -> None:
    from reader_service.extract.qa import with_labels

    root = parse(_page("<a href='/reply'><b>Trả lời:</b></a><p>Cảm ơn bài viết rất hay.</p>"))
    assert with_labels(root, ["Cảm ơn bài viết rất hay."]) == ["Cảm ơn bài viết rất hay."]


def test_an_old_table_layout_with_a_most_read_column_reads_the_article() -> None:
    """2010-2013 era (an authored trap): the site's name as <title>, a "XEM NHIỀU NHẤT" column
    of teasers beside the article, the headline a bold <font> line, paragraphs split by <br>,
    "Cùng chủ đề" links after the body."""
    article = extract((FIXTURES / "old-table-most-read.html").read_bytes())
    assert article.title == "Huyện phát động Tết trồng cây năm 2012"
    assert [p[:20] for p in article.paragraphs] == [
        "Ngày 15/3/2012, Ủy b",
        "Phát biểu tại buổi l",
        "Năm 2012, toàn huyện",
    ]


def _forum_post(number: int, user: str, text: str, title: str = "") -> str:
    heading = f"<h2 class='title'>{title}</h2>" if title else ""
    return (
        f"<div class='post' id='post{number}'><div class='userinfo'><a href='/u/{user}'>{user}"
        f"</a><div class='rank'>Thành viên</div><div>Bài viết: {number * 13}</div></div>"
        f"<div class='postbody'>{heading}<div class='content'>{text}</div>"
        "<div class='signature'>Sống là cho đâu chỉ nhận riêng mình</div>"
        f"<a href='/reply?p={number}'>Trả lời</a> <a href='/quote?p={number}'>Trích dẫn</a>"
        "</div></div>"
    )


def test_a_forum_thread_reads_its_first_post_without_replies_signature_or_buttons() -> None:
    title = "Kinh nghiệm làm hồ sơ xin cấp giấy phép xây dựng nhà ở"
    first = (
        "<p>Mình vừa làm xong hồ sơ xin cấp giấy phép xây dựng nhà ở riêng lẻ tại phường, xin "
        "chia sẻ kinh nghiệm cho mọi người.</p><p>Hồ sơ gồm đơn đề nghị, bản sao giấy chứng "
        "nhận quyền sử dụng đất và hai bộ bản vẽ thiết kế, nộp tại bộ phận một cửa.</p>"
    )
    replies = [
        "<div class='quote'>Trích dẫn của chu_nha: nộp tại bộ phận một cửa</div><p>Cảm ơn bạn, "
        "không biết có cần công chứng bản vẽ không nhỉ?</p>",
        "<p>Bản vẽ không cần công chứng bạn ơi, chỉ cần đơn vị thiết kế ký và đóng dấu.</p>",
    ]
    html = _page(
        "<div class='nav'><a href='/'>Diễn đàn</a> &gt; <a href='/f/1'>Nhà đất</a></div>"
        "<div id='posts'>"
        + _forum_post(1, "chu_nha", first, title)
        + "".join(_forum_post(n, f"user{n}", text) for n, text in enumerate(replies, 2))
        + "</div>",
        head=f"<title>{title} - Diễn đàn</title>",
    )
    article = extract(html)
    assert article.title == title
    assert [p[:20] for p in article.paragraphs] == ["Mình vừa làm xong hồ", "Hồ sơ gồm đơn đề ngh"]


def test_a_site_only_title_gives_way_to_the_headline_above_the_date() -> None:
    """An old mobile template: <title> names the site ("… – Phiên bản Mobile", shown nowhere),
    no <h1>; the headline is a bold line right above the date."""
    page = _page(
        "<div class='menu'><b>Chuyên mục Kinh doanh hôm nay</b></div>"
        "<font size='+1'><b>Gói tín dụng 50.000 tỷ đồng: chuyện thật hay đùa?</b></font>"
        "<div><span><meta itemprop='datePublished' content='2014-03-28'>"
        "Thứ Sáu, 28/03/2014 - 11:02</span></div>"
        f"<div class='news_details'>{BODY}</div>",
        head="<title>Báo Điện tử Dân trí – Phiên bản Mobile</title>",
    )
    article = extract(page)
    assert article.title == "Gói tín dụng 50.000 tỷ đồng: chuyện thật hay đùa?"
    assert article.paragraphs[0].startswith("Sáng nay")


_OTHER_HEADLINES = [
    "Xã Tân Phú tổ chức hội nghị tổng kết công tác năm 2024",
    "Hội thi tìm hiểu pháp luật về đất đai năm 2024 tại xã",
    "Kế hoạch tiêm chủng mở rộng cho trẻ em dưới 5 tuổi năm 2025",
    "Thông báo về việc thu thuế sử dụng đất phi nông nghiệp",
]
_SUMMARIES = [
    "Sáng nay, các đại biểu đã thảo luận nhiều nội dung quan trọng về phát triển kinh tế.",
    "Hội thi thu hút hơn 200 thí sinh là cán bộ, hội viên các đoàn thể tham gia.",
    "Kế hoạch nhằm bảo đảm trẻ em được tiêm đủ liều, đúng lịch theo quy định.",
    "Người nộp thuế cần hoàn thành nghĩa vụ trước ngày 31 tháng 12 năm nay.",
]


def _items(shape: str) -> str:
    return "".join(
        shape.format(n=n, headline=h, summary=s)
        for n, (h, s) in enumerate(zip(_OTHER_HEADLINES, _SUMMARIES, strict=True))
    )


@pytest.mark.parametrize(
    "item",
    [
        "<div class='c9'><a href='/t/{n}'><b>{headline}</b></a><p>{summary}</p></div>",
        "<div class='c9'><h3><a href='/t/{n}'>{headline}</a></h3><div>{summary}</div></div>",
        "<li><a href='/t/{n}'>{headline}</a><br>{summary}</li>",
    ],
)
def test_a_short_notice_does_not_read_the_teasers_that_follow_it(item: str) -> None:
    """Other articles' summaries after a two-paragraph notice are not read, whatever the
    shape of their box; the notice is read whole."""
    box = f"<ul class='c10'>{_items(item)}</ul>" if item.startswith("<li>") else _items(item)
    page = _page(
        "<h1>Thông báo lịch tiếp công dân tháng 12</h1>"
        f"<div class='c7'>{BODY}</div><div class='c8'>{box}</div>",
        head="<title>Thông báo lịch tiếp công dân tháng 12</title>",
    )
    paragraphs = extract(page).paragraphs
    assert len(paragraphs) == 2 and paragraphs[0].startswith("Sáng nay, Ủy ban")
    assert not any(summary in paragraphs for summary in _SUMMARIES)


def test_a_round_up_with_linked_subheadings_is_read_whole() -> None:
    """The same items inside the article, after its introduction, are the article."""
    title = "Bốn sự kiện nổi bật của xã Tân Phú trong tuần đầu tháng 12 năm 2024"
    introduction = (
        "Tuần qua, xã Tân Phú có nhiều hoạt động sôi nổi trên các lĩnh vực kinh tế, văn hóa, xã "
        "hội. Ban biên tập điểm lại bốn sự kiện được người dân quan tâm nhất, từ hội nghị tổng kết "
        "công tác năm, hội thi tìm hiểu pháp luật đến kế hoạch tiêm chủng và thu thuế đất phi nông "
        "nghiệp, để bạn đọc tiện theo dõi và tra cứu khi cần."
    )
    page = _page(
        f"<h1>{title}</h1><div class='ngay'>Thứ Hai, 09/12/2024</div>"
        f"<div class='c7'><p>{introduction}</p>"
        + _items("<div class='c9'><h3><a href='/t/{n}'>{headline}</a></h3><p>{summary}</p></div>")
        + "</div>",
        head=f"<title>{title}</title>",
    )
    paragraphs = extract(page).paragraphs
    assert all(summary in paragraphs for summary in _SUMMARIES)


def test_undecodable_characters_are_reported_once_in_vietnamese(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bs4's English line is silenced; ours says it in Vietnamese. (Which bytes force a
    replacement depends on the charset detector installed, so the decoder's verdict is given.)"""
    import logging

    from reader_service.extract import text as decoding

    class Replaced:
        def __init__(self, body: bytes, encodings: list[str]) -> None:
            self.unicode_markup = "<p>Xin ch\ufffd\ufffd</p>"
            self.contains_replacement_characters = True

    monkeypatch.setattr(decoding, "UnicodeDammit", Replaced)
    with caplog.at_level("WARNING"):
        text = decode_html(b"<p>Xin ch\x81\x8d</p>")
    assert text == "<p>Xin ch\ufffd\ufffd</p>"
    assert [record.getMessage() for record in caplog.records] == [
        "Một số ký tự của trang không giải mã được (bảng mã không rõ) và được thay bằng dấu �."
    ]
    assert logging.getLogger("bs4.dammit").getEffectiveLevel() >= logging.ERROR
