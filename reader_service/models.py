"""Frozen data passed between the pipeline's stages (see ARCHITECTURE.md, "Data flow")."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


def _setting(name: str) -> Any:
    """A setting's default (imported late: settings sits above the models)."""
    from reader_service.settings import setting_default

    return setting_default(name)


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """Raw bytes of a page and what the server said about them."""

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime
    charset: str | None = None
    # Validators for the next conditional request (If-None-Match / If-Modified-Since).
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class Article:
    """The readable content of a page: the title, then the body paragraphs, in order."""

    title: str
    paragraphs: tuple[str, ...]
    url: str | None = None
    published: date | None = None
    author: str | None = None
    site_name: str | None = None
    lang: str = "vi"
    canonical_url: str | None = None

    @property
    def blocks(self) -> tuple[str, ...]:
        """What is read aloud, in order: block 0 is the title."""
        return (self.title, *self.paragraphs) if self.title else self.paragraphs

    @property
    def content_hash(self) -> str:
        """Identity of the readable content; changes whenever a read word changes."""
        digest = hashlib.sha256()
        for block in self.blocks:
            digest.update(block.encode("utf-8"))
            digest.update(b"\x00")
        return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of the original text; ``start``/``end`` index into its block."""

    index: int
    paragraph: int
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Utterance:
    """A sentence with the text the engine will actually hear."""

    sentence: Sentence
    spoken: str


@dataclass(frozen=True, slots=True)
class SynthesisOptions:
    """Per-call engine options; part of every clip's cache key."""

    rate_wpm: int = field(default_factory=lambda: _setting("rate_wpm"))
    volume: int = field(default_factory=lambda: _setting("volume"))
    pitch: int = 50  # engines' middle pitch; not an operator setting


@dataclass(frozen=True, slots=True)
class WordMark:
    """Where a word of the spoken text starts in a clip (code-point offsets, milliseconds)."""

    start: int
    length: int
    time_ms: int


@dataclass(frozen=True, slots=True)
class Clip:
    """Synthesised audio of one utterance: mono 16-bit little-endian PCM."""

    pcm: bytes
    sample_rate: int
    engine: str
    voice: str
    words: tuple[WordMark, ...] = ()

    @property
    def duration_ms(self) -> int:
        return len(self.pcm) * 1000 // (2 * self.sample_rate)


@dataclass(frozen=True, slots=True)
class CueWord:
    """A spoken word inside a cue, where the engine says when it is spoken."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True, slots=True)
class Cue:
    """Where one sentence sits in the assembled audio."""

    sentence: int
    paragraph: int
    text: str
    spoken: str
    start_ms: int
    end_ms: int
    engine: str
    clip_key: str
    words: tuple[CueWord, ...] = ()


@dataclass(frozen=True, slots=True)
class Rendition:
    """The finished reading of an article: encoded audio plus the cue list that follows it."""

    article: Article
    audio: bytes
    mime_type: str
    duration_ms: int
    cues: tuple[Cue, ...] = field(default_factory=tuple)

    @property
    def engines(self) -> tuple[str, ...]:
        """Engines that spoke, in order of first use."""
        return tuple(dict.fromkeys(cue.engine for cue in self.cues))


@dataclass(frozen=True, slots=True)
class UnknownToken:
    """A token the normaliser read by a fallback: "spelled" (acronym read letter by letter)
    or "foreign" (a word that is not Vietnamese)."""

    token: str
    why: str


@dataclass(frozen=True, slots=True)
class PreviewLine:
    """One sentence as it will be read, with what an editor should check."""

    sentence: Sentence
    spoken: str
    unknown: tuple[UnknownToken, ...] = ()


@dataclass(frozen=True, slots=True)
class Preview:
    """What will be read, before any audio is made."""

    article: Article
    lines: tuple[PreviewLine, ...]
    estimated_seconds: float
