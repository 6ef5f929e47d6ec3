"""The normaliser: the rules of every family in the one order that works, for one lexicon."""

from __future__ import annotations

import logging
import os
from functools import cache, lru_cache
from pathlib import Path

from reader_service.normalize.codes import (
    addresses,
    document_numbers,
    licence_plates,
    name_initials,
    place_prefixes,
    road_numbers,
)
from reader_service.normalize.dates import (
    clock_ranges,
    clock_times,
    day_months,
    day_ranges,
    fractions_and_dates,
    full_dates,
    month_names,
    month_years,
    round_the_clock,
    whole_hours,
)
from reader_service.normalize.letters import (
    acronym_after_expansion,
    acronyms,
    alphanumeric_rule,
    headline_rule,
    leftover_digits,
    lexicon_rule,
    mixed_case_acronyms,
    symbols,
)
from reader_service.normalize.numbers import (
    currencies,
    currency_signs,
    dotted_numbers,
    long_codes,
    measures,
    minus_signs,
    multiplications,
    number_ranges,
    numbers,
    ordinals,
    per_units,
    percents,
    phone_numbers,
    roman_numerals,
    section_numbers,
    service_numbers,
    single_letters,
    unit_ranges,
    units_after_read_numbers,
)
from reader_service.normalize.patterns import Rule
from reader_service.text import clean_text
from reader_service.vi.lexicon import Lexicon, load_lexicon, packaged_lexicon

_log = logging.getLogger(__name__)


class Normalizer:
    """The ordered rules for one lexicon."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or packaged_lexicon()
        self.rules: tuple[Rule, ...] = (
            clean_text,
            acronym_after_expansion,
            headline_rule(self.lexicon),
            addresses,
            document_numbers,
            licence_plates,
            place_prefixes,
            road_numbers,
            lexicon_rule(self.lexicon),
            day_ranges,
            full_dates,
            round_the_clock,
            month_years,
            day_months,
            clock_ranges,
            clock_times,
            whole_hours,
            roman_numerals,
            ordinals,
            single_letters,
            name_initials,
            phone_numbers,
            service_numbers,
            long_codes,
            section_numbers,
            fractions_and_dates,
            unit_ranges,
            number_ranges,
            multiplications,
            minus_signs,
            percents,
            measures,
            currencies,
            currency_signs,
            per_units,
            month_names,
            dotted_numbers,
            alphanumeric_rule(self.lexicon),
            numbers,
            units_after_read_numbers,
            mixed_case_acronyms,
            acronyms,
            symbols,
            leftover_digits,
            clean_text,
        )

    def __call__(self, text: str) -> str:
        strict = os.environ.get("READER_NORMALIZE_STRICT") == "1"
        for rule in self.rules:
            try:
                text = rule(text)
            except Exception:  # a rule's bug must not silence a whole article
                if strict:  # the tests: a rule that raises is a failure, not a log line
                    raise
                # The text goes on as it was; later rules (the last reads any digit left)
                # still apply. Logged so the rule gets fixed.
                _log.exception("quy tắc chuẩn hoá %s bị lỗi với %r", _rule_name(rule), text)
        return text


def _rule_name(rule: Rule) -> str:
    return getattr(rule, "__name__", repr(rule))


@cache
def default_normalizer() -> Normalizer:
    return Normalizer()


@lru_cache(maxsize=8)
def normalizer_for(lexicon_files: tuple[Path, ...]) -> Normalizer:
    """One normaliser per set of operator lexicon files (read once per process)."""
    return Normalizer(load_lexicon(lexicon_files)) if lexicon_files else default_normalizer()


def normalize(text: str, normalizer: Normalizer | None = None) -> str:
    """The spoken form of ``text``: what a Vietnamese announcer would say."""
    return (normalizer or default_normalizer())(text)
