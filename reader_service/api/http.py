"""Audio responses with Range (206), If-None-Match (304) and long-lived caching, shared by the
hot path for cached clips (plain ASGI) and the routes."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
# Numbers longer than this are beyond any file (and int() of thousands of digits is slow).
_MAX_DIGITS = 18


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS


IMMUTABLE = "public, max-age=31536000, immutable"


def audio_headers_and_body(
    data: bytes, etag: str, range_header: str | None, if_none_match: str | None, cache_control: str
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and body for ``data`` (audio/mpeg) answering the request's headers."""
    quoted = f'"{etag}"'
    base = [
        (b"content-type", b"audio/mpeg"),
        (b"accept-ranges", b"bytes"),
        (b"etag", quoted.encode()),
        (b"cache-control", cache_control.encode()),
    ]
    if if_none_match and (if_none_match.strip() == "*" or quoted in if_none_match):
        return 304, base, b""
    size = len(data)
    if range_header:
        match = _RANGE.match(range_header.strip())
        start: int | None = None
        end = size - 1
        if match and (match[1] or match[2]):
            if match[1]:
                start = _number(match[1])
                if match[2]:
                    end = min(_number(match[2]), size - 1)
            else:  # suffix: the last N bytes
                start = max(0, size - _number(match[2]))
        if start is None or start > end or start >= size:
            return 416, [*base, (b"content-range", f"bytes */{size}".encode())], b""
        part = data[start : end + 1]
        headers = [
            *base,
            (b"content-range", f"bytes {start}-{end}/{size}".encode()),
            (b"content-length", str(len(part)).encode()),
        ]
        return 206, headers, part
    return 200, [*base, (b"content-length", str(size).encode())], data


def audio_response(request: Request, data: bytes, etag: str, cache_control: str) -> Response:
    """``data`` as audio/mpeg answering the request's Range and If-None-Match."""
    status, headers, body = audio_headers_and_body(
        data,
        etag,
        request.headers.get("range"),
        request.headers.get("if-none-match"),
        cache_control,
    )
    response = Response(content=body, status_code=status, media_type="audio/mpeg")
    for header, value in headers:
        if header != b"content-length":  # Response sets it from the body
            response.headers[header.decode()] = value.decode()
    return response


# Characters no file name may hold on the listener's system (Windows is the strictest).
_UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_NAME_CHARS = 120
_ASCII_NAME_CHARS = 80
_FALLBACK_NAME = "bai-viet"


def download_disposition(title: str) -> str:
    """``Content-Disposition`` that saves the article's audio under its title: the Vietnamese
    name in ``filename*`` (RFC 6266/5987) and an ASCII one in ``filename`` for old clients.
    ``attachment`` makes a browser save it instead of opening a bare player in the tab."""
    name = " ".join(_UNSAFE_IN_NAMES.sub(" ", title).split())[:_NAME_CHARS].strip(" .")
    name = name or _FALLBACK_NAME
    # "Đ" has no decomposition: without this it would vanish from the ASCII name.
    plain = unicodedata.normalize("NFKD", name.replace("Đ", "D").replace("đ", "d"))
    plain = plain.encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")[:_ASCII_NAME_CHARS].strip("-")
    plain = plain or _FALLBACK_NAME
    return f"attachment; filename=\"{plain}.mp3\"; filename*=UTF-8''{quote(name + '.mp3', safe='')}"
