"""Pages that are not articles, told by structure (reader_service.extract.listing): each
signal alone, then whole pages through extract()."""

from __future__ import annotations

import pytest

from reader_service.errors import ExtractionError
from reader_service.extract import extract
from reader_service.extract.document import parse
from reader_service.extract.listing import (
    digit_share,
    headline_links,
    introduced,
    link_grid,
    link_text_share,
    not_article_kind,
    read_more_links,
    reads_like_teasers,
    teaser_positions,
)

HEADLINES = [
    f"Tỉnh {place} tổ chức hội nghị tổng kết công tác năm 2024"
    for place in ("Lạng Sơn", "Cao Bằng", "Hà Giang", "Bắc Kạn", "Tuyên Quang", "Lào Cai")
]
TEASER = "Sáng nay, hội nghị đã đánh giá kết quả và bàn nhiệm vụ năm tới."
PROSE = (
    "Phát biểu tại hội nghị, đồng chí Chủ tịch tỉnh đề nghị các sở, ngành tập trung hoàn thành "
    "các chỉ tiêu còn lại, nhất là giải ngân vốn đầu tư công và cải cách hành chính."
)


def _links(*texts: str) -> str:
    return "".join(f"<a href='/tin/{n}'>{text}</a>" for n, text in enumerate(texts))


def test_headline_links_are_one_sentence_of_a_few_words() -> None:
    root = parse(
        "<body>"
        + _links(
            HEADLINES[0],
            "Trang chủ",
            "WeWork is investigated amid layoffs. The company confirmed it on Monday",
        )
        + "</body>"
    )
    assert headline_links(root) == {HEADLINES[0]}


def test_teaser_positions_are_headlines_alone_or_run_into_their_teaser() -> None:
    headlines = {HEADLINES[0], "Người dân đổ xô đi mua vàng dịp cuối năm"}
    paragraphs = [
        HEADLINES[0],
        TEASER,
        f"Người dân đổ xô đi mua vàng dịp cuối năm {TEASER}",
        "Người dân đổ xô đi mua vàng dịp cuối năm. Giá vàng tăng mạnh.",  # a linked sentence
    ]
    assert teaser_positions(paragraphs, headlines) == [0, 2]


def test_headlines_with_only_their_teasers_read_like_a_listing() -> None:
    listing = [p for h in HEADLINES for p in (h, TEASER)] + ["Xem thêm", "Liên hệ"]
    teasers = list(range(0, 12, 2))
    assert reads_like_teasers(listing, teasers)
    # An article whose paragraphs carry related headlines between them: mostly prose.
    article = [p for h in HEADLINES for p in (PROSE, PROSE, h, TEASER)]
    assert not reads_like_teasers(article, [n for n, p in enumerate(article) if p in HEADLINES])
    assert not reads_like_teasers(listing[:4], [0, 2])  # two headlines are a related list


def test_a_round_up_article_is_introduced_by_prose() -> None:
    assert introduced([PROSE + " " + PROSE, HEADLINES[0], TEASER], [1])
    assert not introduced([TEASER, HEADLINES[0], TEASER], [1])


def test_read_more_links_count_one_per_story() -> None:
    front = [TEASER, "Xem tiếp", TEASER, "» Chi tiết", TEASER, "Đọc tiếp...", "Read more"]
    assert read_more_links(front) == 4
    assert read_more_links([PROSE, "Xem chi tiết bài viết tại đây để biết thêm."]) == 0


def test_link_text_share_finds_a_body_made_of_links() -> None:
    threads = " ".join(HEADLINES)
    index = parse(f"<body><table><tr><td>{_links(*HEADLINES)}</td></tr></table></body>")
    assert link_text_share([threads], index) > 0.9
    article = parse(f"<body><p>{PROSE}</p><p>{PROSE} {_links(HEADLINES[0])}</p></body>")
    assert link_text_share([PROSE, PROSE + " " + HEADLINES[0]], article) < 0.3


def test_digit_share_finds_a_table_of_figures() -> None:
    rows = [f"{n}. Doanh thu thuần, 11,807,610,749,506, 12,074,{n}00,000" for n in range(1, 7)]
    assert digit_share(rows) > 0.5
    assert digit_share([PROSE, "Năm 2024, tỉnh đạt 12 trên 15 chỉ tiêu."]) < 0.1


def _page(body: str, title: str = "Cổng thông tin điện tử tỉnh") -> str:
    return (
        f"<html lang='vi'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><nav><a href='/'>Trang chủ</a></nav>{body}</body></html>"
    )


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            "<div class='trang-chu'>"
            + "".join(
                f"<div class='box'><h3><a href='/tin/{n}'>{h}</a></h3><p>{TEASER}</p></div>"
                for n, h in enumerate(HEADLINES)
            )
            + "</div>",
            "danh sách nhiều bài viết",
        ),
        (
            "<table class='threads'>"
            + "".join(
                f"<tr><td><a href='/t/{n}'>{h}</a></td><td>12</td></tr>"
                for n, h in enumerate(HEADLINES * 3)
            )
            + "</table>",
            "liên kết",
        ),
        (
            "<table class='bctc'>"
            + "".join(
                f"<tr><td>{n}. Doanh thu thuần</td><td>11,807,610,749,506</td>"
                f"<td>12,074,{n}00,000</td><td>9,{n}38,000,512</td></tr>"
                for n in range(1, 12)
            )
            + "</table>",
            "bảng số liệu",
        ),
    ],
)
def test_pages_that_are_not_articles_are_refused_saying_what_they_are(body: str, said: str) -> None:
    with pytest.raises(ExtractionError, match=said):
        extract(_page(body))


def test_an_article_with_related_headlines_between_its_paragraphs_is_read() -> None:
    body = "".join(
        f"<p>Đoạn {n}. {PROSE}</p><p>Đoạn {n}b. {PROSE}</p>"
        f"<div class='related'><a href='/t/{n}'>{h}</a></div>"
        for n, h in enumerate(HEADLINES)
    )
    article = extract(_page(f"<h1>Tỉnh tổng kết công tác năm 2024</h1><article>{body}</article>"))
    assert sum(PROSE in p for p in article.paragraphs) == 12
    root = parse(_page(body))
    assert not_article_kind(root, list(article.paragraphs), dated=False) is None


def test_a_home_page_read_as_a_few_stray_teasers_is_refused() -> None:
    """Its "title" is the site's tagline, shown nowhere on the page; its "body" a teaser or
    two; headlines everywhere. A short notice shows its headline, and is read."""
    boxes = "".join(
        f"<div class='box'><a href='/tin/{n}'>{h} (kỳ {n})</a></div>"
        for n, h in enumerate(HEADLINES * 2)
    )
    front = _page(
        f"<div class='top'><p>{TEASER}</p></div>{boxes}",
        title="Tin nhanh - Đọc báo, tin tức online 24h",
    )
    with pytest.raises(ExtractionError, match="danh sách nhiều bài viết"):
        extract(front)
    notice = _page(
        f"<h1>Thông báo lịch tiếp công dân</h1><div class='noi-dung'><p>{TEASER}</p></div>{boxes}",
        title="Thông báo lịch tiếp công dân",
    )
    assert extract(notice).paragraphs == (TEASER,)


FORUMS = [
    "Thông báo",
    "Góp ý",
    "Máy tính để bàn",
    "Máy tính xách tay",
    "Điện thoại",
    "Mạng",
    "Phần mềm",
    "Trò chơi",
    "Chuyện trò linh tinh",
    "Mua bán",
]


def _forum_rows() -> str:
    return "".join(
        f"<tr><td><img src='/f.gif'></td><td><a href='/f/{n}'>{name}</a>"
        f"<div>Thảo luận về {name.lower()} và các chủ đề liên quan</div></td>"
        f"<td><a href='/t/{n}'>Hỏi kinh nghiệm chọn {name.lower()}...</a> hôm nay 10:2{n}</td>"
        f"<td>{n}1.234</td><td>{n}56.789</td></tr>"
        for n, name in enumerate(FORUMS)
    )


def test_link_grid_is_a_table_of_linked_rows_holding_more_than_the_body() -> None:
    notice = "Chào mừng bạn đến với diễn đàn. Hãy đọc phần hỏi đáp trước khi đăng bài."
    root = parse(_page(f"<p>{notice}</p><table>{_forum_rows()}</table>"))
    assert link_grid(root, [notice])
    # The same table read as the body (an article's own table) is not a grid left unread.
    rows = [" ".join(row.text_content().split()) for row in root.iter("tr")]
    assert not link_grid(root, rows)
    # One column of related links is a list, not a grid.
    related = "".join(
        f"<tr><td><a href='/t/{n}'>{h}</a></td></tr>" for n, h in enumerate(HEADLINES * 2)
    )
    assert not link_grid(parse(_page(f"<p>{notice}</p><table>{related}</table>")), [notice])


def test_a_forum_index_is_refused_and_a_short_notice_in_a_layout_table_is_read() -> None:
    """A forum index's "body" is its welcome line; its content is the grid of sub-forums. An old
    portal's short notice sits in a layout table whose rows are menus: it is read."""
    welcome = "Chào mừng bạn đến với diễn đàn. Nếu đây là lần đầu bạn ghé thăm, hãy đọc hỏi đáp."
    index = _page(
        f"<table><tr><td><div class='notice'>{welcome}</div></td></tr></table>"
        f"<table class='forums'>{_forum_rows()}</table>",
        title="Diễn đàn",
    )
    with pytest.raises(ExtractionError, match="liên kết"):
        extract(index)
    menu_rows = "".join(
        f"<tr><td><a href='/m/{n}'>Mục {n}</a></td><td>|</td><td><a href='/n/{n}'>{h}</a></td></tr>"
        for n, h in enumerate(HEADLINES * 2)
    )
    notice = (
        "<table>" + menu_rows + "<tr><td></td><td><h1>Thông báo lịch tiếp công dân</h1>"
        f"<p>{TEASER}</p></td><td>&nbsp;</td></tr></table>"
    )
    assert extract(_page(notice, title="Thông báo lịch tiếp công dân")).paragraphs == (TEASER,)
