"""Photo stories: articles told in pictures, whose text is the captions under them.

Ordinary captions are dropped (they name a photo, the body tells the story). A photo story has
little or no prose of its own: a short lead, then a run of pictures, each with a sentence or a
paragraph under it. Its captions are the article, read in order after the lead.

A run of pictures is told by structure, not by class names: three or more sibling blocks of the
same shape (tag and class), each holding a picture and some prose that is not link text (a row
of teasers to other articles is links: it never counts).
"""

from __future__ import annotations

from collections import defaultdict

from lxml.html import HtmlElement

from reader_service.extract.blocks import paragraphs_of
from reader_service.extract.document import text_length
from reader_service.extract.noise import link_density

_MIN_PICTURES = 3
# A caption is a sentence at least; a credit line ("Ảnh: Hoàng Hà") is not.
_CAPTION_CHARS = 30
_MAX_LINK_SHARE = 0.3
_PICTURE = ".//img | .//picture | .//*[@data-src] | .//*[@data-original]"


def _signature(element: HtmlElement) -> tuple[str, str]:
    return element.tag, " ".join(sorted((element.get("class") or "").split()))


def _is_captioned_picture(block: HtmlElement) -> bool:
    return (
        bool(block.xpath(_PICTURE))
        and text_length(block) >= _CAPTION_CHARS
        and link_density(block) <= _MAX_LINK_SHARE
    )


def photo_story_captions(root: HtmlElement) -> list[str]:
    """The caption paragraphs of the page's longest run of captioned pictures, in order, or
    nothing when the page has no such run. ``root``: a tree with hidden elements removed."""
    best: list[HtmlElement] = []
    best_chars = 0
    for parent in root.iter():
        if not isinstance(parent.tag, str) or len(parent) < _MIN_PICTURES:
            continue
        groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str):
                groups[_signature(child)].append(child)
        for blocks in groups.values():
            if len(blocks) < _MIN_PICTURES:
                continue
            pictures = [block for block in blocks if _is_captioned_picture(block)]
            if len(pictures) < _MIN_PICTURES or len(pictures) < len(blocks) / 2:
                continue
            chars = sum(text_length(block) for block in pictures)
            if chars > best_chars:
                best, best_chars = pictures, chars
    return [
        paragraph
        for block in best
        for paragraph in paragraphs_of(block)
        if len(paragraph) >= _CAPTION_CHARS
    ]
