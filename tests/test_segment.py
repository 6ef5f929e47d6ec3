from __future__ import annotations

import pytest

from reader_service.normalize import normalize
from reader_service.segment import chunk, segment, split_sentences

TEXT = (
    "Văn phòng đặt tại P.12, Q.Tân Bình. TP. Lạng Sơn có 1.500.000 dân, tăng 12,5%. "
    "GS.TS. Nguyễn Văn A phát biểu tại mục 1.5 và 1.01.02... Sau đó! “Câu trích dẫn.” Hết"
)


def test_sentences_split_at_real_ends_only() -> None:
    assert [s.text for s in split_sentences(TEXT)] == [
        "Văn phòng đặt tại P.12, Q.Tân Bình.",
        "TP. Lạng Sơn có 1.500.000 dân, tăng 12,5%.",
        "GS.TS. Nguyễn Văn A phát biểu tại mục 1.5 và 1.01.02...",
        "Sau đó!",
        "“Câu trích dẫn.”",
        "Hết",
    ]


@pytest.mark.parametrize("text", [TEXT, "  Một.  Hai.\n Ba  ", "Không dấu chấm", "...", "A. B. C."])
def test_every_character_belongs_to_exactly_one_sentence(text: str) -> None:
    sentences = split_sentences(text)
    covered = "".join(text[s.start : s.end] for s in sentences)
    leading = text[: sentences[0].start] if sentences else text
    assert leading.strip() == ""
    assert leading + covered == text
    for s in sentences:
        assert s.text == text[s.start : s.end].strip()


def test_list_abbreviation_ends_the_sentence_before_a_capital() -> None:
    text = "Các loại cây: cam, quýt, bưởi v.v. Người dân rất phấn khởi. Bà C. đồng ý."
    assert [s.text for s in split_sentences(text)] == [
        "Các loại cây: cam, quýt, bưởi v.v.",
        "Người dân rất phấn khởi.",
        "Bà C. đồng ý.",
    ]


def test_chunks_fit_gtts_limit_at_clause_then_word_boundaries() -> None:
    spoken = normalize(
        "Ngày 14/5/2021, Sở TT&TT ban hành công văn số 904/STTTT-BCVT về việc tổ chức hoạt động"
        " nhân Ngày Viễn thông và Xã hội thông tin thế giới năm 2021."
    )
    pieces = chunk(spoken, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == spoken.split()
    assert pieces[0].endswith(",")  # the first cut is at the clause boundary after the date


def test_segment_numbers_sentences_across_paragraphs() -> None:
    sentences = segment(["Tiêu đề", "Câu một. Câu hai.", "Câu ba."])
    assert [(s.index, s.paragraph) for s in sentences] == [(0, 0), (1, 1), (2, 1), (3, 2)]


def test_chunks_respect_limit_and_words() -> None:
    text = (
        "Sở Thông tin và Truyền thông đề nghị các doanh nghiệp viễn thông treo băng rôn, pano, "
        "áp phích với các khẩu hiệu tuyên truyền hưởng ứng Ngày Viễn thông và Xã hội thông tin "
        "thế giới năm hai nghìn không trăm hai mươi mốt"
    )
    pieces = chunk(text, 100)
    assert all(0 < len(p) <= 100 for p in pieces)
    assert " ".join(pieces).split() == text.split()
    assert pieces[0].endswith("pano,")


def test_short_text_is_one_chunk_and_empty_is_none() -> None:
    assert chunk(" Xin chào. ", 100) == ["Xin chào."]
    assert chunk("   ", 100) == []


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Tỉnh đẩy mạnh chuyển đổi số. Các sở đã triển khai.",
            ["Tỉnh đẩy mạnh chuyển đổi số.", "Các sở đã triển khai."],
        ),
        (
            "Hội nghị diễn ra ở châu Á. Người dân rất quan tâm.",
            ["Hội nghị diễn ra ở châu Á.", "Người dân rất quan tâm."],
        ),
        ("Tôi đã gặp bà. Bà cho biết như vậy.", ["Tôi đã gặp bà.", "Bà cho biết như vậy."]),
        ("Ông đến thăm ông. Sau đó về.", ["Ông đến thăm ông.", "Sau đó về."]),
        # A number or a name after the period: an abbreviation, the sentence goes on.
        ("Nhà số. 12 đường Lê Lợi.", ["Nhà số. 12 đường Lê Lợi."]),
        (
            "Ý kiến của ông. Nguyễn Văn An được ghi nhận.",
            ["Ý kiến của ông. Nguyễn Văn An được ghi nhận."],
        ),
        ("Trụ sở ở Q. 1 và P. 12 nay đã chuyển.", ["Trụ sở ở Q. 1 và P. 12 nay đã chuyển."]),
        ("Ông về TP. Lạng Sơn hôm qua. Sau đó về.", ["Ông về TP. Lạng Sơn hôm qua.", "Sau đó về."]),
    ],
)
def test_sentences_end_after_common_words_and_accented_capitals(
    text: str, sentences: list[str]
) -> None:
    assert [s.text for s in split_sentences(text)] == sentences
