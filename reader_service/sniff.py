"""What a local file or piped input is, told from its first bytes: only HTML is read as a page.

`reader-service read style.css` used to make a "successful" MP3 of a stylesheet's text, and a
JPEG's bytes were read aloud; an MP3 gave a misleading "text too long". Magic numbers name the
common kinds an editor may pick by mistake; text with no HTML tag is said to be no page.
"""

from __future__ import annotations

import re

from reader_service.errors import NotHTMLError
from reader_service.fetch import looks_binary

# First bytes of the files an editor may pick by mistake, with their names for the editor.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "tệp PDF"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"\x89PNG", "ảnh PNG"),
    (b"GIF8", "ảnh GIF"),
    (b"RIFF", "tệp âm thanh hoặc ảnh (RIFF: WAV, WebP)"),
    (b"ID3", "tệp âm thanh MP3"),
    (b"OggS", "tệp âm thanh Ogg"),
    (b"fLaC", "tệp âm thanh FLAC"),
    (b"PK\x03\x04", "tệp nén ZIP (Word, Excel, ODT…)"),
    (b"\xd0\xcf\x11\xe0", "tệp Word/Excel đời cũ"),
    (b"{\\rtf", "tệp RTF"),
)
# An MP3 without tags starts with a frame: eleven set bits.
_MP3_FRAME = re.compile(rb"^\xff[\xe0-\xff]")
# Any of these in the first bytes makes text a page (HTML or a fragment of one).
_HTML_MARKS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|article|main|div|p|h[1-6]|table|br|span|"
    rb"section|ul|ol|li|a\s)[\s>/]",
    re.IGNORECASE,
)
_HEAD_BYTES = 65_536


def not_html_kind(data: bytes) -> str | None:
    """What ``data`` is when it is not HTML, in the editor's words; None for HTML."""
    head = data[:_HEAD_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if _MP3_FRAME.match(head):
        return "tệp âm thanh MP3"
    if looks_binary(head[:8192]):
        return "dữ liệu nhị phân"
    if not _HTML_MARKS.search(head):
        return "văn bản không có thẻ HTML nào (như tệp CSS hay văn bản thường)"
    return None


def require_html(data: bytes, name: str) -> None:
    """Raise NotHTMLError naming ``name`` and what it is, unless ``data`` is HTML."""
    kind = not_html_kind(data)
    if kind is not None:
        raise NotHTMLError(
            f"{name} là {kind}, không phải trang HTML: chỉ đọc được trang bài viết (tệp .html "
            "hoặc địa chỉ http://, https://). Văn bản thường thì gửi qua API: POST /v1/articles "
            "với {title, text}."
        )
