from __future__ import annotations

import json
import re
import unicodedata

import pytest

import reader_service.normalize as rules
from conftest import FIXTURES
from reader_service.normalize import normalize


@pytest.mark.parametrize(
    ("rule", "text", "spoken"),
    [
        (
            rules.full_dates,
            "Ngày 14/5/2021, Sở",
            "Ngày mười bốn tháng năm năm hai nghìn không trăm hai mươi mốt, Sở",
        ),
        (
            rules.full_dates,
            "hạn 31/12/2024.",
            "hạn ngày ba mươi mốt tháng mười hai năm hai nghìn không trăm hai mươi tư.",
        ),
        (rules.full_dates, "mã 45/13/2024", "mã 45/13/2024"),
        (
            rules.month_years,
            "trong tháng 4/2025",
            "trong tháng tư năm hai nghìn không trăm hai mươi lăm",
        ),
        (rules.day_months, "Sáng 8/3, hội", "Sáng ngày tám tháng ba, hội"),
        (rules.fractions_and_dates, "Có 1/5 số hộ", "Có một phần năm số hộ"),
        (rules.clock_times, "lúc 14h30", "lúc mười bốn giờ ba mươi phút"),
        (rules.clock_times, "lúc 16:15.", "lúc mười sáu giờ mười lăm phút."),
        (rules.whole_hours, "Đúng 9h, các", "Đúng chín giờ, các"),
        (
            rules.document_numbers,
            "số 45/2024/NĐ-CP sửa",
            "số bốn mươi lăm trên hai nghìn không trăm hai mươi tư trên nờ đê xê pê sửa",
        ),
        (
            rules.number_ranges,
            "giai đoạn 2026 - 2030",
            "giai đoạn hai nghìn không trăm hai mươi sáu đến hai nghìn không trăm ba mươi",
        ),
        (rules.percents, "đạt 54,2%.", "đạt năm mươi tư phẩy hai phần trăm."),
        (rules.ordinals, "Lần thứ 4,", "Lần thứ tư,"),
        (rules.roman_numerals, "lần thứ XVII, nhiệm kỳ", "lần thứ mười bảy, nhiệm kỳ"),
        (rules.roman_numerals, "Quý III/2024,", "Quý ba năm hai nghìn không trăm hai mươi tư,"),
        (rules.measures, "rộng 120 m2.", "rộng một trăm hai mươi mét vuông."),
        (rules.measures, "khoảng 27°C.", "khoảng hai mươi bảy độ xê."),
        (
            rules.phone_numbers,
            "nóng: 0236 3821 456.",
            "nóng: không hai ba sáu ba tám hai một bốn năm sáu.",
        ),
        (
            rules.numbers,
            "có 2.006.100 tài khoản",
            "có hai triệu không trăm linh sáu nghìn một trăm tài khoản",
        ),
        (rules.numbers, "đạt 8,75.", "đạt tám phẩy bảy mươi lăm."),
        (
            rules.administrative_abbreviations,
            "UBND tỉnh, TP. Lạng Sơn",
            "ủy ban nhân dân tỉnh, thành phố Lạng Sơn",
        ),
        (rules.consonant_acronyms, "số 904/STTTT-BCVT", "số 904/ét tê tê tê tê-bê xê vê tê"),
        (rules.clean_text, "Hô\u0323i  nghi\u0323\u200b\u00a0mới", "Hội nghị mới"),
    ],
)
def test_rule(rule: rules.Rule, text: str, spoken: str) -> None:
    assert rule(text) == spoken


def test_text_without_numbers_or_abbreviations_is_unchanged() -> None:
    text = "Lãnh đạo tỉnh thăm hỏi, động viên cán bộ, chiến sĩ nơi biên giới."
    assert normalize(text) == text


def test_no_digits_survive_in_sample_sentence() -> None:
    spoken = normalize("Ngày 14/5/2021, Sở TT&TT ban hành công văn số 904/STTTT-BCVT; 12,5% tăng.")
    assert not re.search(r"\d", spoken)


def _canonical(text: str) -> str:
    """The comparison of ../shared/examples/README.md, steps 1-3."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[^\w]|_", " ", text)
    return " ".join(text.split())


def test_shared_examples_pass_rate_floor() -> None:
    """A quality gate, not the target: the normalisation issue raises this floor."""
    lines = (FIXTURES / "normalize-examples.jsonl").read_text("utf-8").splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    passed = sum(
        _canonical(normalize(case["input"]))
        in {_canonical(ref) for ref in [case["expected"], *case["alternatives"]]}
        for case in cases
    )
    assert passed / len(cases) >= 0.80, f"{passed}/{len(cases)}"
