"""Pages made of items that lead elsewhere (reader_service.extract.items): each signal alone, then
whole pages of a commune portal — category pages, search results, a schedule index, a document
registry, a Q&A list, a forum index, a contact form — refused saying what they are, and short
articles beside the same lists read."""

from __future__ import annotations

import pytest

from reader_service.errors import ExtractionError
from reader_service.extract import extract
from reader_service.extract.blocks import paragraphs_of, stitched
from reader_service.extract.document import parse
from reader_service.extract.items import (
    featured_story,
    form_page,
    headline_link,
    in_chrome,
    listing_kind,
    own_text,
    questions,
    repeated_items,
    result_count,
)

HEADLINES = [
    "Xã Tân Phú tổ chức hội nghị tổng kết công tác năm 2024",
    "Hội thi tìm hiểu pháp luật về đất đai năm 2024 tại xã",
    "Kế hoạch tiêm chủng mở rộng cho trẻ em dưới 5 tuổi năm 2025",
    "Thông báo về việc thu thuế sử dụng đất phi nông nghiệp",
    "Tuyên truyền phòng chống cháy nổ trong mùa khô hanh năm nay",
    "Hướng dẫn đăng ký thường trú trực tuyến qua cổng dịch vụ công",
    "Kết quả kỳ họp thứ mười Hội đồng nhân dân xã khóa XII",
    "Ra quân dọn dẹp vệ sinh môi trường hưởng ứng ngày Chủ nhật xanh",
]
SUMMARIES = [
    "Sáng nay, các đại biểu đã thảo luận nhiều nội dung quan trọng về phát triển kinh tế.",
    "Hội thi thu hút hơn 200 thí sinh là cán bộ, hội viên các đoàn thể tham gia.",
    "Kế hoạch nhằm bảo đảm trẻ em được tiêm đủ liều, đúng lịch theo quy định.",
    "Người nộp thuế cần hoàn thành nghĩa vụ trước ngày 31 tháng 12 năm nay.",
    "Các hộ gia đình cần chủ động phòng ngừa, không đốt nương rẫy trong mùa khô.",
    "Người dân có thể nộp hồ sơ mọi lúc, mọi nơi mà không phải đến trụ sở.",
    "Kỳ họp đã thông qua 12 nghị quyết quan trọng về kinh tế - xã hội năm tới.",
    "Hơn 500 đoàn viên, thanh niên đã tham gia thu gom rác thải tại các tuyến đường.",
]
NOTICE = (
    "Ủy ban nhân dân xã Tân Phú thông báo lịch tiếp công dân định kỳ tháng 12 năm 2024 tại trụ sở."
)
PAGER = (
    "<div class='pg'><a href='?p=1'>1</a> <a href='?p=2'>2</a> <a href='?p=3'>3</a> "
    "<a href='?p=2'>Trang sau</a></div>"
)


def _page(body: str, title: str) -> str:
    """A commune portal's page; its footer's class names nothing a template list knows."""
    return (
        f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head><body>"
        "<div class='hd'><a href='/'>Trang chủ</a> <a href='/tt'>Tin tức</a> "
        f"<a href='/lh'>Liên hệ</a></div><div class='mn'>{body}</div>"
        "<div class='ft'>Bản quyền thuộc UBND xã Tân Phú. Địa chỉ: thôn 1, xã Tân Phú, huyện "
        "Đồng Phú.</div></body></html>"
    )


def _list(item: str) -> str:
    return "".join(
        item.format(n=n, headline=h, summary=s)
        for n, (h, s) in enumerate(zip(HEADLINES, SUMMARIES, strict=True))
    )


OTHER_NEWS = (
    "<div class='other'><h3>Tin khác</h3><ul>"
    + _list("<li class='o'><a href='/t/{n}'>{headline}</a> <span>(0{n}/12/2024)</span></li>")
    + f"</ul>{PAGER}</div>"
)


def test_headline_links_name_an_article_other_than_the_page() -> None:
    root = parse(f"<div><a href='/'>Trang chủ</a><a href='/x'>{NOTICE}</a></div>")
    assert headline_link(root, "") is not None
    assert headline_link(root, NOTICE) is None  # the page's own headline


def test_chrome_is_navigation_header_footer_or_named_so() -> None:
    root = parse(
        "<body><nav><a id='a'>x</a></nav><div class='main-menu'><a id='b'>y</a></div>"
        "<div class='noi-dung'><a id='c'>z</a></div></body>"
    )
    assert in_chrome(root.get_element_by_id("a")) and in_chrome(root.get_element_by_id("b"))
    assert not in_chrome(root.get_element_by_id("c"))


def test_repeated_items_are_five_or_more_blocks_of_one_shape_with_headlines() -> None:
    root = parse(_page(_list("<div class='it'><a href='/t/{n}'>{headline}</a></div>"), "x"))
    assert len(repeated_items(root, "x")) == len(HEADLINES)
    menu = "".join(f"<div class='it'><a href='/m/{n}'>Mục {n}</a></div>" for n in range(8))
    assert repeated_items(parse(_page(menu, "x")), "x") == []  # no headlines
    four = "".join(
        f"<div class='it'><a href='/t/{n}'>{h}</a></div>" for n, h in enumerate(HEADLINES[:4])
    )
    assert repeated_items(parse(_page(four, "x")), "x") == []


def test_a_featured_story_opens_with_its_headline_link_and_a_summary() -> None:
    root = parse(
        f"<div id='lead'><h3><a href='/t/9'>{HEADLINES[0]}</a></h3><p>{SUMMARIES[0]}</p></div>"
        f"<div id='body'><p><a href='/x'>{HEADLINES[1]}</a></p>"
        + "".join(f"<p>{s}</p>" for s in SUMMARIES[:4])
        + "</div>"
    )
    assert featured_story(root.get_element_by_id("lead"), "")
    # An article's body that happens to open with a link has more than a summary.
    assert not featured_story(root.get_element_by_id("body"), "")


def test_own_text_leaves_out_items_footers_menus_and_stitched_runs() -> None:
    page = _page(f"<h1>Thông báo</h1><div class='c1'><p>{NOTICE}</p></div>{OTHER_NEWS}", "x")
    root = parse(page)
    items = repeated_items(root, "x")
    assert own_text(root, [NOTICE], items, "x", 80) >= 80
    assert own_text(root, [f"{HEADLINES[1]} (01/12/2024)"], items, "x", 80) == 0
    footer = "Bản quyền thuộc UBND xã Tân Phú. Địa chỉ: thôn 1, xã Tân Phú, huyện Đồng Phú."
    assert own_text(root, [footer], items, "x", 80) == 0
    # Menu, heading and footer read as one line by an extractor that found no article.
    run = f"Trang chủ Tin tức Liên hệ Thông báo {footer}"
    assert stitched(run, paragraphs_of(root.find("body")))
    assert own_text(root, [run], items, "x", 80) < 80


def test_results_are_counted_and_questions_asked() -> None:
    assert result_count(parse("<body><p>Tìm thấy 25 kết quả cho «xã Tân Phú»</p></body>"))
    assert not result_count(parse(f"<body><p>{NOTICE}</p></body>"))
    asked = parse(
        _page(_list("<div class='q'><a href='/h/{n}'>Xin hỏi: {headline}?</a></div>"), "x")
    )
    assert questions(repeated_items(asked, "x"), "x")
    told = parse(_page(_list("<div class='q'><a href='/t/{n}'>{headline}</a></div>"), "x"))
    assert not questions(repeated_items(told, "x"), "x")


def test_listing_kind_needs_items_and_nothing_of_its_own() -> None:
    root = parse(
        _page(
            _list("<div class='it'><a href='/t/{n}'>{headline}</a><p>{summary}</p></div>"),
            "Tin tức",
        )
    )
    assert listing_kind(root, SUMMARIES, "Tin tức") == "listing"
    assert listing_kind(root, [NOTICE, *SUMMARIES], "Tin tức") is None


def test_a_form_page_is_named_for_its_form() -> None:
    form = (
        "<form><input name='n'><input name='e' type='email'><textarea name='m'></textarea></form>"
    )
    root = parse(_page(f"<p>Địa chỉ: thôn 1, xã Tân Phú.</p>{form}", "Liên hệ"))
    assert form_page(root, ["Địa chỉ: thôn 1, xã Tân Phú."], "Liên hệ", dated=False)
    assert not form_page(root, ["Địa chỉ: thôn 1, xã Tân Phú."], "Thông báo hiến máu", False)
    assert not form_page(root, ["Địa chỉ: thôn 1, xã Tân Phú."], "Liên hệ", dated=True)
    comments = parse(_page(f"<p>{NOTICE}</p><h3>Ý kiến bạn đọc</h3>{form}", "Liên hệ"))
    assert not form_page(comments, [NOTICE], "Liên hệ", dated=False)


NOT_ARTICLES = {
    "category page": (
        "<h2>Tin tức - Sự kiện</h2>"
        + _list(
            "<div class='it'><img src='/i{n}.jpg'><h3><a href='/t/{n}'>{headline}</a></h3>"
            "<p>{summary}</p></div>"
        )
        + PAGER,
        "Tin tức - Sự kiện - Cổng TTĐT xã Tân Phú",
        "danh sách nhiều bài viết",
    ),
    "category page with a featured story": (
        "<h2>Tin tức - Sự kiện</h2><div class='lead'><h3><a href='/t/99'>Đại hội đại biểu Mặt trận"
        " Tổ quốc xã Tân Phú lần thứ XV thành công tốt đẹp</a></h3><p>Trong hai ngày 10 và 11/12,"
        " Đại hội đại biểu Mặt trận Tổ quốc Việt Nam xã Tân Phú lần thứ XV, nhiệm kỳ 2024 - 2029 đã"
        " diễn ra thành công tốt đẹp với sự tham dự của 150 đại biểu.</p></div><ul>"
        + _list("<li><a href='/t/{n}'>{headline}</a> <span>(0{n}/12/2024)</span></li>")
        + "</ul>"
        + PAGER,
        "Tin tức - Sự kiện - Cổng TTĐT xã Tân Phú",
        "danh sách nhiều bài viết",
    ),
    "search results": (
        "<h2>Kết quả tìm kiếm</h2><p>Tìm thấy 25 kết quả cho từ khóa «xã Tân Phú»</p>"
        + _list(
            "<div class='r'><a href='/t/{n}'>{headline}</a><p>{summary}</p>"
            "<span>12/12/2024</span></div>"
        )
        + PAGER,
        "Tìm kiếm - Cổng TTĐT xã Tân Phú",
        "kết quả tìm kiếm",
    ),
    "schedule index": (
        "<h2>Lịch công tác</h2><ul>"
        + "".join(
            f"<li><a href='/l/{n}'>Lịch công tác tuần {49 - n} năm 2024 của Ủy ban nhân dân xã</a>"
            f" <span>(0{n + 1}/12/2024)</span></li>"
            for n in range(8)
        )
        + "</ul>"
        + PAGER,
        "Lịch công tác - Cổng TTĐT xã Tân Phú",
        "danh sách nhiều bài viết",
    ),
    "document registry": (
        "<h2>Văn bản chỉ đạo điều hành</h2><table><tr><th>Số hiệu</th><th>Ngày ban hành</th>"
        "<th>Trích yếu</th></tr>"
        + _list(
            "<tr><td>1{n}/QĐ-UBND</td><td>0{n}/12/2024</td><td><a href='/vb/{n}'>Quyết định về "
            "việc {headline}</a></td></tr>"
        )
        + "</table>"
        + PAGER,
        "Văn bản - Cổng TTĐT xã Tân Phú",
        "liên kết",
    ),
    "Q&A list": (
        "<h2>Hỏi đáp</h2>"
        + _list(
            "<div class='q'><a href='/hd/{n}'>Xin hỏi thủ tục {headline} như thế nào?</a>"
            "<p>Người hỏi: Nguyễn Văn A - 0{n}/12/2024</p></div>"
        )
        + "<a href='/gui'>Gửi câu hỏi</a>"
        + PAGER,
        "Hỏi đáp - Cổng TTĐT xã Tân Phú",
        "danh sách câu hỏi",
    ),
    "forum index": (
        "<table>"
        + _list(
            "<tr><td><a href='/f/{n}'>{headline}</a><div>{summary}</div></td><td>3{n} chủ đề</td>"
            "<td>41{n} bài</td></tr>"
        )
        + "</table>",
        "Diễn đàn xã Tân Phú",
        "không phải một bài viết",
    ),
    "contact page": (
        "<h2>Liên hệ</h2><p>Ủy ban nhân dân xã Tân Phú, huyện Đồng Phú, tỉnh Bình Phước.</p>"
        "<p>Địa chỉ: thôn 1, xã Tân Phú. Điện thoại: 0271 3 123 456.</p><form><label>Họ và tên"
        "</label><input name='n'><label>Thư điện tử</label><input name='e'><label>Nội dung"
        "</label><textarea name='m'></textarea><button>Gửi</button></form>",
        "Liên hệ - Cổng TTĐT xã Tân Phú",
        "biểu mẫu",
    ),
}


@pytest.mark.parametrize("kind", sorted(NOT_ARTICLES))
def test_pages_that_are_not_articles_are_refused_saying_what_they_are(kind: str) -> None:
    body, title, said = NOT_ARTICLES[kind]
    with pytest.raises(ExtractionError, match=said):
        extract(_page(body, title))


QA_OTHERS = (
    "<div class='q2'><h3>Câu hỏi khác</h3>"
    + _list("<div class='qq'><a href='/hd/{n}'>Xin hỏi thủ tục {headline} như thế nào?</a></div>")
    + "</div>"
)
SIGN_UP = (
    "<div class='dk'><h3>Đăng ký tham gia</h3><form><input name='n'><input name='e'>"
    "<textarea name='c'></textarea><button>Gửi</button></form></div>"
)
COMMENTS = SIGN_UP.replace("Đăng ký tham gia", "Ý kiến bạn đọc")
ARTICLES = {
    "notice, other news, pager, comments": (
        f"<h1>Thông báo lịch tiếp công dân</h1><div class='c1'><p>{NOTICE}</p></div>"
        f"{OTHER_NEWS}{COMMENTS}",
        "Thông báo lịch tiếp công dân - Cổng TTĐT xã Tân Phú",
        (NOTICE,),
    ),
    "notice and other questions": (
        f"<h1>Thông báo lịch tiếp công dân</h1><div class='c1'><p>{NOTICE}</p></div>{QA_OTHERS}",
        "Thông báo lịch tiếp công dân",
        (NOTICE,),
    ),
    "notice in short lines": (
        "<h1>Thông báo họp dân</h1><div class='c1'><p>Thời gian: 8 giờ ngày 12/12/2024.</p>"
        "<p>Địa điểm: nhà văn hóa thôn 1.</p><p>Thành phần: đại diện các hộ dân.</p></div>"
        + OTHER_NEWS,
        "Thông báo họp dân",
        (
            "Thời gian: 8 giờ ngày 12/12/2024.",
            "Địa điểm: nhà văn hóa thôn 1.",
            "Thành phần: đại diện các hộ dân.",
        ),
    ),
    "notice with a sign-up form": (
        f"<h1>Thông báo đăng ký hiến máu tình nguyện</h1><div class='c1'><p>{NOTICE}</p></div>"
        + SIGN_UP,
        "Thông báo đăng ký hiến máu",
        (NOTICE,),
    ),
}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_short_articles_beside_the_same_lists_are_read(name: str) -> None:
    body, title, paragraphs = ARTICLES[name]
    assert extract(_page(body, title)).paragraphs == paragraphs
