"""What a local file or piped input is (reader_service.sniff): only HTML is read as a page."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_PAGE
from reader_service.errors import NotHTMLError
from reader_service.pipeline import ReadOptions, load_article
from reader_service.sniff import not_html_kind, require_html


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "tệp PDF"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "ảnh JPEG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ảnh PNG"),
        (b"ID3\x04\x00\x00\x00\x00\x00#TSSE", "tệp âm thanh MP3"),
        (b"\xff\xfb\x90\x64\x00\x00\x00\x00", "tệp âm thanh MP3"),
        (b"PK\x03\x04\x14\x00\x06\x00", "tệp nén ZIP (Word, Excel, ODT…)"),
        (b"body { font: 16px Arial; }\n.menu a { color: red; }\n", "văn bản không có thẻ HTML"),
        (b"\x00\x01\x02\x03binary\x00\x00", "dữ liệu nhị phân"),
    ],
)
def test_files_that_are_not_pages_are_named(data: bytes, kind: str) -> None:
    found = not_html_kind(data)
    assert found is not None and found.startswith(kind)


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE_PAGE.read_bytes(),
        b"\xef\xbb\xbf<!DOCTYPE html><html><body><p>Xin ch\xc3\xa0o</p></body></html>",
        b"<article><h1>Th\xc3\xb4ng b\xc3\xa1o</h1><p>N\xe1\xbb\x99i dung.</p></article>",
        "<p>Trang cũ mã windows-1258</p>".encode("cp1258", "replace"),
    ],
)
def test_html_pages_and_fragments_pass(data: bytes) -> None:
    assert not_html_kind(data) is None
    require_html(data, "Tệp")


def test_a_local_file_that_is_not_html_is_refused_before_extraction(tmp_path: Path) -> None:
    style = tmp_path / "style.css"
    style.write_text("body { color: red }\n.menu { display: none }\n", "utf-8")
    with pytest.raises(NotHTMLError, match=r"Tệp '.*style.css' là văn bản không có thẻ HTML"):
        load_article(str(style), ReadOptions())
