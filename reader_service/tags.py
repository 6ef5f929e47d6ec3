"""ID3 tags of a whole-article MP3: what a player shows (title, site, date) and where the text
came from (source URL), so a downloaded reading is recognisable in any player or podcast app.

Tags are added to the file handed out (the CLI's output, the API's download), not to the cached
rendition: two pages with the same text share one reading but not one source URL.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reader_service.errors import AudioError
from reader_service.models import Article, Rendition

# ID3 language codes are ISO 639-2: Vietnamese is "vie".
LANGUAGE = "vie"


def tagged(mp3: bytes, article: Article, engines: Sequence[str]) -> bytes:
    """``mp3`` with an ID3v2.4 tag (UTF-8 text): title, site as artist and publisher, date,
    source URL, language, and a comment naming the engines that spoke."""
    from mutagen.id3 import COMM, ID3, TDRC, TIT2, TLAN, TPE1, TPUB, WOAS

    tags = ID3()
    tags.add(TIT2(encoding=3, text=article.title or "Bài viết"))
    if article.site_name:
        tags.add(TPE1(encoding=3, text=article.site_name))
        tags.add(TPUB(encoding=3, text=article.site_name))
    if article.published:
        tags.add(TDRC(encoding=3, text=article.published.isoformat()))
    if source := article.canonical_url or article.url:
        tags.add(WOAS(url=source))
    tags.add(TLAN(encoding=3, text=LANGUAGE))
    spoken_by = ", ".join(engines) or "không rõ"
    comment = f"Bản đọc tự động của reader-service (bộ đọc: {spoken_by})."
    tags.add(COMM(encoding=3, lang=LANGUAGE, desc="", text=comment))
    buffer = io.BytesIO(mp3)
    try:
        tags.save(buffer, v2_version=4, padding=lambda info: 0)
    except Exception as exc:  # mutagen raises its own error types for a file it cannot tag
        raise AudioError("Không ghi được thông tin (ID3) vào tệp MP3.") from exc
    return buffer.getvalue()


def download(rendition: Rendition) -> bytes:
    """The whole-article MP3 as handed out: the rendition's audio with its article's tags."""
    return tagged(rendition.audio, rendition.article, rendition.engines)
