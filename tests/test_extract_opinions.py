"""The second opinion on a page's body (reader_service.extract.opinions): each signal alone,
then the decision on a page where trafilatura's reading is given (as it comes on the pages the
benchmark measured: half a split body, or a column of teasers) and the scorer's block is the
page's own."""

from __future__ import annotations

from reader_service.extract.document import parse
from reader_service.extract.generic import TextIndex, best_scored
from reader_service.extract.opinions import (
    after_headline,
    agreement,
    is_prose,
    link_share,
    repeated_lines,
    second_opinion,
    shared_vocabulary,
    teaser_shaped,
    title_words,
)

TITLE = "Tỉnh Lạng Sơn đẩy mạnh chuyển đổi số trong cải cách hành chính"
FIRST_HALF = [
    "Sáng 12/3, Ủy ban nhân dân tỉnh Lạng Sơn tổ chức hội nghị triển khai kế hoạch chuyển đổi "
    "số năm 2024, với sự tham dự của lãnh đạo các sở, ban, ngành và các huyện, thành phố.",
    "Theo báo cáo, năm 2023 tỉnh Lạng Sơn đã đưa 1.200 thủ tục hành chính lên cổng dịch vụ công "
    "trực tuyến, tỷ lệ hồ sơ nộp trực tuyến đạt 62%, tăng gần gấp đôi so với năm trước.",
]
SECOND_HALF = [
    "Phát biểu chỉ đạo, Chủ tịch Ủy ban nhân dân tỉnh Lạng Sơn đề nghị các sở, ngành tiếp tục "
    "rà soát thủ tục hành chính, đẩy mạnh thanh toán trực tuyến và số hóa hồ sơ cho người dân.",
    "Tỉnh Lạng Sơn phấn đấu năm 2024 có 80% hồ sơ thủ tục hành chính được nộp trực tuyến, mọi "
    "xã, phường đều có tổ công nghệ số cộng đồng hướng dẫn người dân dùng dịch vụ công.",
]
APPEAL = [
    "Mỗi ngày, phóng viên của chúng tôi làm việc không ngừng nghỉ để mang đến cho bạn đọc những "
    "thông tin chính xác, kịp thời, hoàn toàn miễn phí và không có quảng cáo gây phiền.",
    "Hãy ủng hộ tòa soạn bằng cách đăng ký nhận bản tin hằng tuần, chia sẻ bài viết với bạn bè "
    "và gửi góp ý để chúng tôi phục vụ độc giả ngày một tốt hơn trong những năm tới.",
]
HEADLINES = [
    f"Huyện {place} tổ chức hội nghị tổng kết công tác năm 2024"
    for place in ("Cao Lộc", "Chi Lăng", "Hữu Lũng", "Lộc Bình", "Tràng Định", "Văn Lãng")
]


def _p(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def _opinion(page: str, found: list[str]) -> list[str]:
    root = parse(page)
    return second_opinion(TextIndex(root), found, best_scored(root), TITLE)


def test_agreement_is_the_share_of_the_other_reading_already_read() -> None:
    assert agreement(FIRST_HALF, FIRST_HALF) == 1.0
    assert agreement(FIRST_HALF, SECOND_HALF) == 0.0
    half = agreement(FIRST_HALF, FIRST_HALF[:1] + SECOND_HALF[:1])
    assert 0.4 < half < 0.6


def test_prose_is_sentences_of_some_length() -> None:
    assert is_prose(FIRST_HALF[0])
    assert not is_prose(HEADLINES[0])  # no full stop: a headline
    assert not is_prose("Xem thêm.")


def test_link_share_of_a_menu_and_of_a_paragraph() -> None:
    root = parse(
        f"<div id='m'><a href='/'>Trang chủ</a> <a href='/t'>Tin tức</a></div>{_p(FIRST_HALF)}"
    )
    assert link_share(root.get_element_by_id("m")) > 0.9
    assert link_share(root.find(".//p")) == 0.0
    assert link_share(None) == 1.0


def test_teasers_are_headline_links_each_with_a_short_teaser() -> None:
    teasers = "".join(
        f"<div><a href='/t/{n}'>{h}</a><p>Sáng nay hội nghị đã bàn nhiệm vụ năm tới.</p></div>"
        for n, h in enumerate(HEADLINES)
    )
    root = parse(f"<body>{teasers}</body>")
    read = [text for h in HEADLINES for text in (h, "Sáng nay hội nghị đã bàn nhiệm vụ năm tới.")]
    assert teaser_shaped(root, read)
    assert not teaser_shaped(root, FIRST_HALF + SECOND_HALF)


def test_after_headline_follows_the_document_order() -> None:
    root = parse(
        f"<body><p id='a'>{APPEAL[0]}</p><h1>{TITLE}</h1><p id='b'>{FIRST_HALF[0]}</p></body>"
    )
    order = {element: number for number, element in enumerate(root.iter())}
    headline = root.find(".//h1")
    assert after_headline(order, root.get_element_by_id("b"), headline)
    assert not after_headline(order, root.get_element_by_id("a"), headline)
    assert after_headline(order, root.get_element_by_id("a"), None)


def test_title_words_and_shared_vocabulary_tell_the_topic() -> None:
    assert title_words(TITLE, SECOND_HALF) > 0.5
    assert title_words(TITLE, APPEAL) < 0.3
    assert shared_vocabulary(FIRST_HALF, SECOND_HALF) >= 0.18
    assert shared_vocabulary(FIRST_HALF, APPEAL) < 0.18


def test_repeated_short_lines_are_list_furniture() -> None:
    items = [text for text in APPEAL for text in (text, "Chia sẻ Facebook Zalo")] * 2
    assert repeated_lines(items)
    assert not repeated_lines(FIRST_HALF + SECOND_HALF)


def _split_page(second_part: list[str], between: str = "") -> str:
    return (
        f"<body><h1>{TITLE}</h1><section class='a'>{_p(FIRST_HALF)}</section>"
        f"<div class='ad'>{between}</div><section class='b'>{_p(second_part)}</section></body>"
    )


def test_the_second_half_of_a_split_body_is_put_back_in_order() -> None:
    page = _split_page(SECOND_HALF + [SECOND_HALF[0].replace("Phát biểu", "Kết luận")])
    read = _opinion(page, FIRST_HALF)
    assert read[:2] == FIRST_HALF
    assert read[2:4] == SECOND_HALF


def test_prose_on_another_topic_after_the_body_is_not_added() -> None:
    assert _opinion(_split_page(APPEAL + APPEAL[:1]), FIRST_HALF) == FIRST_HALF


def test_excerpts_of_other_posts_are_not_added() -> None:
    excerpts = [text for text in SECOND_HALF + APPEAL for text in (text, "Chia sẻ Facebook Zalo")]
    assert _opinion(_split_page(excerpts), FIRST_HALF) == FIRST_HALF


def test_agreeing_readings_stand() -> None:
    page = f"<body><h1>{TITLE}</h1><article>{_p(FIRST_HALF + SECOND_HALF)}</article></body>"
    assert _opinion(page, FIRST_HALF + SECOND_HALF) == FIRST_HALF + SECOND_HALF


def _teaser_column() -> str:
    return (
        "<div class='col'>"
        + "".join(
            f"<div><a href='/t/{n}'>{h}</a></div><div>Hội nghị bàn nhiệm vụ năm tới.</div>"
            for n, h in enumerate(HEADLINES)
        )
        + "</div>"
    )


def test_a_column_of_teasers_gives_way_to_the_prose_about_the_headline() -> None:
    """An old layout: trafilatura took the "Xem nhiều nhất" column; the scorer's block is the
    article under the headline and speaks of it."""
    page = (
        f"<body><table><tr><td>{_teaser_column()}</td><td><h1>{TITLE}</h1>"
        f"<div class='nd'>{_p(FIRST_HALF + SECOND_HALF)}</div></td></tr></table></body>"
    )
    teasers = [text for h in HEADLINES for text in (h, "Hội nghị bàn nhiệm vụ năm tới.")]
    assert _opinion(page, teasers) == FIRST_HALF + SECOND_HALF


def test_prose_before_the_headline_does_not_replace_a_reading() -> None:
    page = f"<body><div class='nd'>{_p(APPEAL * 2)}</div><h1>{TITLE}</h1>{_teaser_column()}</body>"
    teasers = [text for h in HEADLINES for text in (h, "Hội nghị bàn nhiệm vụ năm tới.")]
    assert _opinion(page, teasers) == teasers
