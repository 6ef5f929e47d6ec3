"""A second, independent opinion on the body of a page no profile covers.

trafilatura reads the page first; a readability-style scorer (``generic.best_scored``: text
density and link density of whole subtrees) gives a second candidate. Where both read the same
text, trafilatura's reading stands. Where they differ, evidence that does not depend on one
site's template decides, each piece a small function below:

- ``agreement``: how much of one candidate the other already reads;
- ``is_prose``: sentences, not labels, headlines or menus;
- ``link_share``: how much of a block is the text of links (teasers and menus are links);
- ``teaser_shaped``: headlines that link elsewhere, each with at most a one-paragraph teaser;
- ``after_headline``: an article starts at its headline; a block before it is page furniture;
- ``title_words``: how many of the headline's words a candidate's text holds;
- ``shared_vocabulary``: how many of a candidate's words the other already uses (a body's second
  half speaks of the same people and things; an appeal box or other posts' excerpts do not);
- ``repeated_lines``: the same short line again and again (each item of a list of other posts
  ends with its share buttons): items of a list, not one article.

Two outcomes, measured on the public bench, the Vietnamese corpora and the real pages
(benchmarks/extraction.py):
- the scorer's block **continues** trafilatura's (a body split into sibling sections around ads
  or pictures, paragraphs written as ``<div>`` that trafilatura passed over): its prose
  paragraphs that trafilatura lacks are put back in document order;
- trafilatura read **something else** (a column of teasers, a box of links) while the scorer
  found prose after the headline that speaks of the headline: the scorer's reading replaces it.
"""

from __future__ import annotations

import re
import unicodedata

from lxml.html import HtmlElement

from reader_service.extract.blocks import paragraphs_of
from reader_service.extract.document import block_of, text_of
from reader_service.extract.generic import TextIndex, with_prose_siblings
from reader_service.extract.listing import headline_links, reads_like_teasers, teaser_positions
from reader_service.extract.noise import link_density

# Candidates that share this much of their text agree: nothing to decide.
_AGREE = 0.9
# Below this they read different parts of the page.
_DISJOINT = 0.2
# Prose: a sentence of some length.
_PROSE_CHARS = 80
_PROSE_WORDS = 12
_SENTENCE_ENDS = (".", "!", "?", "…", '"', "”", "’", ")", "»")
# A continuation is at least two paragraphs of prose of this length (one is a bio or a quote).
_CONTINUATION_PARAGRAPHS = 2
_CONTINUATION_CHARS = 100
# Blocks with more link text than this are menus, teasers or related lists.
_PROSE_LINK_SHARE = 0.25
_FOUND_LINK_SHARE = 0.4
_WORD = re.compile(r"\w+")
_SHORT_WORD = 2
# Words longer than this carry a text's topic ("the", "của", "and" do not).
_TOPIC_WORD = 3
# The second half of a body shares 0.23-0.69 of its words with the first (public bench and
# real pages); an appeal box after it 0.12, other posts' excerpts 0.05.
_SAME_TOPIC = 0.18
# A short line repeated this often is the furniture of list items ("Whatsapp Facebook Pint").
_REPEATED_LINE_CHARS = 60
_REPEATS = 3


def agreement(found: list[str], other: list[str]) -> float:
    """The share of ``other``'s text that ``found`` also reads (paragraph for paragraph, or
    inside one of its paragraphs)."""
    total = sum(map(len, other))
    if not total:
        return 1.0
    known = set(found)
    joined = "\n".join(found)
    shared = sum(len(text) for text in other if text in known or text in joined)
    return shared / total


def is_prose(text: str) -> bool:
    """A paragraph of sentences: long enough and ending like a sentence."""
    return (
        len(text) >= _PROSE_CHARS
        and len(text.split()) >= _PROSE_WORDS
        and text.rstrip().endswith(_SENTENCE_ENDS)
    )


def link_share(element: HtmlElement | None) -> float:
    """How much of the block holding a paragraph is the text of links."""
    return link_density(element) if element is not None else 1.0


def teaser_shaped(root: HtmlElement, paragraphs: list[str]) -> bool:
    """Headlines linking elsewhere, each with at most its teaser: a listing read as a body."""
    return reads_like_teasers(paragraphs, teaser_positions(paragraphs, headline_links(root)))


def after_headline(
    order: dict[HtmlElement, int], element: HtmlElement, headline: HtmlElement | None
) -> bool:
    """Whether ``element`` comes after the headline (true when the page shows none)."""
    if headline is None:
        return True
    return order.get(element, -1) > order.get(headline, -1)


def title_words(title: str, paragraphs: list[str]) -> float:
    """The share of the headline's words (longer than two letters) the paragraphs hold."""
    words = {w for w in _words(title) if len(w) > _SHORT_WORD}
    if not words:
        return 0.0
    text = set(_words(" ".join(paragraphs)))
    return len(words & text) / len(words)


def shared_vocabulary(known: list[str], new: list[str]) -> float:
    """The share of the distinct topic words of ``new`` that ``known`` uses too."""
    new_words = {w for w in _words(" ".join(new)) if len(w) > _TOPIC_WORD}
    if not new_words:
        return 0.0
    return len(new_words & set(_words(" ".join(known)))) / len(new_words)


def repeated_lines(paragraphs: list[str]) -> bool:
    """Whether a short line comes back again and again: the furniture of list items."""
    counts: dict[str, int] = {}
    for text in paragraphs:
        if len(text) < _REPEATED_LINE_CHARS:
            counts[text] = counts.get(text, 0) + 1
    return any(count >= _REPEATS for count in counts.values())


def _words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


def second_opinion(
    index: TextIndex, found: list[str], scored: HtmlElement | None, title: str
) -> list[str]:
    """trafilatura's paragraphs (``found``), continued or replaced on the scorer's evidence."""
    if scored is None or not found:
        return found
    parts = with_prose_siblings(scored)
    other = [paragraph for part in parts for paragraph in paragraphs_of(part)]
    if not other:
        return found
    shared = agreement(found, other)
    if shared >= _AGREE:
        return found
    root = index.root
    order = {element: number for number, element in enumerate(root.iter())}
    headline = next(
        (h for h in root.iter("h1", "h2", "h3", "h4") if title and text_of(h) == title), None
    )
    if shared < _DISJOINT and _reads_something_else(
        root, index, found, other, parts, headline, order, title
    ):
        return other
    extras = _continuation(index, found, other, headline, order)
    return _merged(index, found, extras, order) if extras else found


def _reads_something_else(
    root: HtmlElement,
    index: TextIndex,
    found: list[str],
    other: list[str],
    parts: list[HtmlElement],
    headline: HtmlElement | None,
    order: dict[HtmlElement, int],
    title: str,
) -> bool:
    """trafilatura read teasers or links; the scorer read prose after the headline about it
    (the two readings share next to nothing: the caller checked one way, this the other)."""
    if agreement(other, found) >= _DISJOINT:
        return False
    container = index.container(found)
    found_is_listing = teaser_shaped(root, found) or link_share(container) > _FOUND_LINK_SHARE
    prose_chars = sum(len(text) for text in other if is_prose(text))
    return (
        found_is_listing
        and not teaser_shaped(root, other)
        and not repeated_lines(other)
        and all(link_share(part) <= _PROSE_LINK_SHARE for part in parts)
        and after_headline(order, parts[0], headline)
        and prose_chars >= sum(len(text) for text in found if is_prose(text))
        and title_words(title, other) >= title_words(title, found)
    )


def _continuation(
    index: TextIndex,
    found: list[str],
    other: list[str],
    headline: HtmlElement | None,
    order: dict[HtmlElement, int],
) -> list[str]:
    """The scorer's prose paragraphs that trafilatura lacks: after the headline, in blocks of
    few links; none unless there are at least two long ones (a second half of the body)."""
    known = set(found)
    joined = "\n".join(found)
    extras = []
    for text in other:
        if text in known or text in joined or not is_prose(text):
            continue
        element = index.element(text)
        if element is None or link_share(block_of(element)) > _PROSE_LINK_SHARE:
            continue
        if not after_headline(order, element, headline):
            continue
        extras.append(text)
    long_ones = sum(len(text) >= _CONTINUATION_CHARS for text in extras)
    if long_ones < _CONTINUATION_PARAGRAPHS or repeated_lines(other):
        return []
    return extras if shared_vocabulary(found, extras) >= _SAME_TOPIC else []


def _merged(
    index: TextIndex, found: list[str], extras: list[str], order: dict[HtmlElement, int]
) -> list[str]:
    """``found`` in its own order, each of ``extras`` before the first paragraph of ``found``
    that comes after it on the page (at the end when none does)."""

    def position(text: str) -> int | None:
        element = index.element(text)
        return order.get(element) if element is not None else None

    merged = list(found)
    places = [position(text) for text in found]
    for text in extras:
        where = position(text)
        at = next(
            (
                number
                for number, place in enumerate(places)
                if where is not None and place is not None and place > where
            ),
            len(merged),
        )
        merged.insert(at, text)
        places.insert(at, where)
    return merged
