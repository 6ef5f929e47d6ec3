"""The lexicon: how abbreviations, acronyms and names are read. Data file plus operator file.

The packaged entries live in ``vi/data/lexicon.tsv``; an operator adds or changes readings with
a file of the same format (``READER_LEXICON_FILE``), without code changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path

from reader_service.errors import LexiconError
from reader_service.text import clean_text


def parse_entries(text: str, source: str) -> dict[str, str]:
    """``TERM<TAB>READING`` lines; ``#`` starts a comment; blank lines are skipped."""
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        term, separator, reading = line.partition("\t")
        term, reading = clean_text(term), clean_text(reading)
        if not separator or not term or not reading:
            raise LexiconError(
                f"Từ điển {source}, dòng {number}: cần dạng 'TỪ<Tab>CÁCH ĐỌC', nhận được {line!r}."
            )
        if term in entries and entries[term] != reading:
            raise LexiconError(
                f"Từ điển {source}, dòng {number}: '{term}' đã có cách đọc "
                f"'{entries[term]}' ở dòng trước; mỗi từ chỉ nên có một cách đọc."
            )
        entries[term] = reading
    return entries


class Lexicon:
    """Whole-token readings, matched case-sensitively, longest term first."""

    def __init__(self, entries: Mapping[str, str]) -> None:
        self.entries = dict(entries)
        terms = sorted(self.entries, key=len, reverse=True)
        # A term is a whole token: not glued to letters, digits or to "@" (e-mail), and not the
        # head of a hyphenated code ("QĐ-UBND" is read by the document-number rule), nor the
        # head of a date ("24/7" in "24/7/1900").
        self.pattern = re.compile(
            r"(?<![\w@&.-])(?:" + "|".join(map(re.escape, terms)) + r")(?![\w@&]|-\w|\.\w|/\d)"
            if terms
            else r"(?!x)x"
        )

    def __contains__(self, term: object) -> bool:
        return term in self.entries

    def read(self, term: str) -> str | None:
        return self.entries.get(term)

    def replace(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.entries[m[0]], text)

    def merged(self, overrides: Mapping[str, str]) -> Lexicon:
        return Lexicon({**self.entries, **overrides})


def _packaged_text(name: str) -> str:
    return resources.files("reader_service.vi").joinpath("data", name).read_text("utf-8")


@cache
def packaged_lexicon() -> Lexicon:
    return Lexicon(parse_entries(_packaged_text("lexicon.tsv"), "lexicon.tsv"))


def load_lexicon(override_files: Iterable[Path] = ()) -> Lexicon:
    """The packaged lexicon with each operator file applied on top, in order."""
    lexicon = packaged_lexicon()
    for path in override_files:
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise LexiconError(f"Không đọc được từ điển '{path}': {exc.strerror}.") from exc
        lexicon = lexicon.merged(parse_entries(text, str(path)))
    return lexicon


@cache
def domain_words() -> dict[str, str]:
    """Toneless words of web and e-mail addresses with their spoken form ("danang")."""
    return parse_entries(_packaged_text("domain_words.tsv"), "domain_words.tsv")
