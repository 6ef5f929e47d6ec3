"""What every family of rules is built from: the rule type, a written number, the edges a
number must not be glued to, and the decorator that turns a match reader into a rule."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Rule = Callable[[str], str]

# A number as written in Vietnamese: 1.500.000 or 1.234,5 or 12,5 or 42.
NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# Not glued to a word, a code or another number on either side.
BEFORE = r"(?<![\w.,/:@-])"
AFTER = r"(?![\w/@]|[.,:]\d)"


def sub(pattern: str, flags: int = 0) -> Callable[[Callable[[re.Match[str]], str]], Rule]:
    """Decorator: turn a match -> replacement function into a rule over the whole text."""
    compiled = re.compile(pattern, flags)

    def wrap(replace: Callable[[re.Match[str]], str]) -> Rule:
        def rule(text: str) -> str:
            return compiled.sub(replace, text)

        rule.__name__ = replace.__name__
        rule.__doc__ = replace.__doc__
        return rule

    return wrap


def alternation(words: Iterable[str]) -> str:
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))
