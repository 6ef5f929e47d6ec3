"""Sentences of the original text (for display and cues) and engine-sized chunks (for engines)."""

from __future__ import annotations

import re

from reader_service.models import Sentence
from reader_service.vi.sentences import (
    ABBREVIATIONS_BEFORE_PERIOD,
    ABBREVIATIONS_ENDING_LISTS,
    CLOSERS,
    ENDING_UNLESS_NUMBER_OR_NAME,
    OPENERS,
    SENTENCE_END,
)

_BOUNDARY = re.compile(rf"[{re.escape(SENTENCE_END)}]+[{re.escape(CLOSERS)}]*(?=\s)")
_TOKEN_BEFORE = re.compile(r"([\w.]+)$")


def _starts_sentence(text: str, position: int) -> bool:
    """Whether the text at ``position`` (after the spaces) looks like a sentence start."""
    rest = text[position:].lstrip(OPENERS + " ")
    return bool(rest) and (rest[0].isupper() or rest[0].isdigit())


def _is_abbreviation(text: str, period: int) -> bool:
    match = _TOKEN_BEFORE.search(text, 0, period)
    if not match:
        return False
    token = match[1].rstrip(".")
    if token in ABBREVIATIONS_ENDING_LISTS:
        return False  # "cam, quýt v.v. Người dân…": the list and the sentence end together
    if token in ENDING_UNLESS_NUMBER_OR_NAME or _vietnamese_capital(token):
        # "chuyển đổi số. Các sở…", "ở châu Á. Người…" end; "số. 12", "Á. Nguyễn Văn" do not.
        return _number_or_name_follows(text, period + 1)
    # One upper-case Latin letter is an initial ("Q.", "P."), never the end of a sentence.
    return token in ABBREVIATIONS_BEFORE_PERIOD or (len(token) == 1 and token.isupper())


def _vietnamese_capital(token: str) -> bool:
    """One accented capital ("Á", "Ấ"): a word of its own ("châu Á"), not an initial. "Đ."
    stays an abbreviation (Đường)."""
    return len(token) == 1 and token.isupper() and not token.isascii() and token != "Đ"


def _number_or_name_follows(text: str, position: int) -> bool:
    """A number, or two capitalised words in a row (a person's name, "Nguyễn Văn")."""
    words = text[position:].lstrip(OPENERS + " ").split()[:2]
    if not words:
        return False
    if words[0][0].isdigit():
        return True
    return len(words) == 2 and all(word[0].isupper() for word in words)


def _split_points(text: str) -> list[int]:
    points = []
    for match in _BOUNDARY.finditer(text):
        punctuation = match[0]
        end = match.end()
        after = end + (len(text[end:]) - len(text[end:].lstrip()))
        if after >= len(text) or not _starts_sentence(text, after):
            continue
        if punctuation.startswith(".") and len(punctuation.rstrip(CLOSERS)) == 1:
            if _is_abbreviation(text, match.start()):
                continue
        points.append(after)
    return points


def split_sentences(block: str, paragraph: int = 0, first_index: int = 0) -> list[Sentence]:
    """Sentences of one block. Their spans tile the block: nothing is lost or repeated."""
    bounds = [0, *_split_points(block), len(block)]
    sentences: list[Sentence] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        piece = block[start:end]
        if not piece.strip():
            continue
        sentences.append(
            Sentence(first_index + len(sentences), paragraph, piece.strip(), start, end)
        )
    return sentences


def segment(blocks: tuple[str, ...] | list[str]) -> list[Sentence]:
    """Sentences of every block in reading order, numbered from 0 across blocks."""
    sentences: list[Sentence] = []
    for paragraph, block in enumerate(blocks):
        sentences += split_sentences(block, paragraph, first_index=len(sentences))
    return sentences


_CLAUSE_BREAK = re.compile(r"(?<=[,;:–—)])\s+|\s+(?=[–—(])")


def chunk(text: str, max_chars: int) -> list[str]:
    """Pieces of at most ``max_chars``, cut at clause boundaries, then between words.

    A single word longer than the limit is the only thing ever cut inside itself, because no
    engine can take it whole.
    """
    text = text.strip()
    if len(text) <= max_chars:
        return [text] if text else []
    pieces: list[str] = []
    for clause in _CLAUSE_BREAK.split(text):
        if not clause:
            continue
        if pieces and len(pieces[-1]) + 1 + len(clause) <= max_chars:
            pieces[-1] += " " + clause
        elif len(clause) <= max_chars:
            pieces.append(clause)
        else:
            pieces += _chunk_words(clause, max_chars)
    return pieces


def _chunk_words(text: str, max_chars: int) -> list[str]:
    pieces: list[str] = []
    for word in text.split():
        while len(word) > max_chars:
            pieces.append(word[:max_chars])
            word = word[max_chars:]
        if pieces and len(pieces[-1]) + 1 + len(word) <= max_chars:
            pieces[-1] += " " + word
        else:
            pieces.append(word)
    return pieces
