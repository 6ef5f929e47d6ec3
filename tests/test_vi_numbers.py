from __future__ import annotations

import pytest

from reader_service.vi.numbers import read_cardinal, read_decimal, read_digits, read_number_token


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (100, "một trăm"),
        (105, "một trăm linh năm"),
        (108, "một trăm linh tám"),
        (110, "một trăm mười"),
        (215, "hai trăm mười lăm"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (2021, "hai nghìn không trăm hai mươi mốt"),
        (3450, "ba nghìn bốn trăm năm mươi"),
        (27000, "hai mươi bảy nghìn"),
        (2006100, "hai triệu không trăm linh sáu nghìn một trăm"),
        (1_000_500, "một triệu năm trăm"),
        (1_500_000_000, "một tỷ năm trăm triệu"),
        (2_000_000_000_000, "hai nghìn tỷ"),
    ],
)
def test_read_cardinal(number: int, spoken: str) -> None:
    assert read_cardinal(number) == spoken


def test_decimals_and_digits() -> None:
    assert read_decimal("8", "75") == "tám phẩy bảy mươi lăm"
    assert read_decimal("0", "06") == "không phẩy không sáu"
    assert read_number_token("1.500.000") == "một triệu năm trăm nghìn"
    assert read_number_token("12,5") == "mười hai phẩy năm"
    assert read_digits("0236") == "không hai ba sáu"
