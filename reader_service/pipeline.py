"""The only module that knows the order of the stages: source -> article -> audio."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from reader_service import audio
from reader_service.engines import Engine, get_engine
from reader_service.errors import (
    EmptyTextError,
    InvalidInputError,
    SourceNotFoundError,
    TextTooLongError,
    UnsafeURLError,
)
from reader_service.extract import extract
from reader_service.fetch import FetchOptions, fetch
from reader_service.models import (
    Article,
    Clip,
    Cue,
    Preview,
    PreviewLine,
    Rendition,
    SynthesisOptions,
    UnknownToken,
    Utterance,
)
from reader_service.normalize import Normalizer, default_normalizer, normalize, unknown_tokens
from reader_service.segment import chunk, segment
from reader_service.settings import Settings
from reader_service.storage import FileStore, Store
from reader_service.text import clean_text
from reader_service.vi.lexicon import load_lexicon

log = logging.getLogger(__name__)

# Part of every clip key: bump when a change to normalisation or synthesis changes the audio.
PIPELINE_VERSION = "1"

Progress = Callable[[int, int], None]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class ReadOptions:
    """Everything the pipeline needs, built once from Settings (stages never see Settings)."""

    engine: str = "espeak"
    voice: str = "vi"
    synthesis: SynthesisOptions = field(default_factory=SynthesisOptions)
    sentence_pause_ms: int = 300
    paragraph_pause_ms: int = 700
    bitrate_kbps: int = 48
    max_text_chars: int = 200_000
    fetch: FetchOptions = field(default_factory=FetchOptions)
    # host -> CSS selector of the article body (Settings.content_selectors)
    content_selectors: dict[str, str] = field(default_factory=dict, hash=False)
    # operator lexicon files applied over the packaged lexicon, in order
    lexicon_files: tuple[Path, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> ReadOptions:
        return cls(
            engine=settings.engine,
            voice=settings.voice,
            synthesis=SynthesisOptions(rate_wpm=settings.rate_wpm, volume=settings.volume),
            sentence_pause_ms=settings.sentence_pause_ms,
            paragraph_pause_ms=settings.paragraph_pause_ms,
            bitrate_kbps=settings.bitrate_kbps,
            max_text_chars=settings.max_text_chars,
            fetch=FetchOptions(
                timeout_s=settings.fetch_timeout_s,
                max_bytes=settings.fetch_max_bytes,
                max_redirects=settings.fetch_max_redirects,
                allow_loopback=settings.allow_loopback,
            ),
            content_selectors=dict(settings.content_selectors),
            lexicon_files=(settings.lexicon_file,) if settings.lexicon_file else (),
        )

    @property
    def normalizer(self) -> Normalizer:
        return normalizer_for(self.lexicon_files)


def load_article(source: str, options: ReadOptions) -> Article:
    """The article of a source: an http(s) URL, a file path, or ``-`` for HTML on stdin."""
    if _SCHEME.match(source) and not source.startswith(("http://", "https://")):
        raise UnsafeURLError(f"Địa chỉ '{source}' không hợp lệ: chỉ nhận http:// hoặc https://.")
    if source.startswith(("http://", "https://")):
        page = fetch(source, options.fetch)
        return extract(
            page.body,
            url=page.final_url,
            charset=page.charset,
            max_bytes=options.fetch.max_bytes,
            pinned=options.content_selectors,
        )
    if source == "-":
        return extract(sys.stdin.buffer.read(), max_bytes=options.fetch.max_bytes)
    path = Path(source)
    if not path.is_file():
        raise SourceNotFoundError(f"Không tìm thấy tệp '{source}'.")
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise SourceNotFoundError(f"Không đọc được tệp '{source}': {exc.strerror}.") from exc
    return extract(body, url=path.resolve().as_uri(), max_bytes=options.fetch.max_bytes)


def article_from_text(title: str, text: str) -> Article:
    """An article given as plain text: one paragraph per non-empty line."""
    paragraphs = tuple(p for p in (clean_text(line) for line in text.splitlines()) if p)
    title = clean_text(title)
    if not title and not paragraphs:
        raise EmptyTextError("Văn bản trống: không có gì để đọc.")
    return Article(title=title, paragraphs=paragraphs)


def prepare(article: Article, options: ReadOptions | None = None) -> list[Utterance]:
    """Sentences of the article with the words the engine will say for each."""
    limit = (options or ReadOptions()).max_text_chars
    length = sum(len(block) for block in article.blocks)
    if length == 0:
        raise EmptyTextError("Bài viết không có chữ nào để đọc.")
    if length > limit:
        raise TextTooLongError(
            f"Bài viết dài {length} ký tự, vượt giới hạn {limit} ký tự. Hãy chia thành nhiều bài."
        )
    normalizer = (options or ReadOptions()).normalizer
    return [Utterance(s, normalize(s.text, normalizer)) for s in segment(article.blocks)]


def preview(article: Article, options: ReadOptions | None = None) -> Preview:
    """Each sentence with its spoken form and the tokens read by a fallback, and an estimate
    of the reading time (syllables at the configured rate, plus the pauses)."""
    options = options or ReadOptions()
    lexicon = options.normalizer.lexicon
    lines = tuple(
        PreviewLine(
            utterance.sentence,
            utterance.spoken,
            tuple(
                UnknownToken(t, why) for t, why in unknown_tokens(utterance.sentence.text, lexicon)
            ),
        )
        for utterance in prepare(article, options)
    )
    syllables = sum(len(line.spoken.split()) for line in lines)
    paragraphs = len({line.sentence.paragraph for line in lines})
    pauses_ms = options.sentence_pause_ms * max(0, len(lines) - paragraphs) + (
        options.paragraph_pause_ms * max(0, paragraphs - 1)
    )
    seconds = syllables / options.synthesis.rate_wpm * 60 + pauses_ms / 1000
    return Preview(article, lines, round(seconds, 1))


@lru_cache(maxsize=8)
def normalizer_for(lexicon_files: tuple[Path, ...]) -> Normalizer:
    """One normaliser per set of operator lexicon files (read once per process)."""
    return Normalizer(load_lexicon(lexicon_files)) if lexicon_files else default_normalizer()


def clip_key(spoken: str, engine: str, voice: str, options: SynthesisOptions) -> str:
    """Content address of a clip: the same words, voice and options give the same key."""
    identity = json.dumps(
        [PIPELINE_VERSION, engine, voice, options.rate_wpm, options.volume, options.pitch, spoken],
        ensure_ascii=False,
    )
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def synthesize_utterance(
    engine: Engine, spoken: str, voice: str, options: SynthesisOptions
) -> Clip:
    """One clip for one sentence; sentences longer than the engine takes are spoken in chunks."""
    pieces = chunk(spoken, engine.info.max_chars) or [""]
    clips = [engine.synthesize(piece, voice, options) for piece in pieces]
    if len(clips) == 1:
        return clips[0]
    return Clip(
        pcm=b"".join(c.pcm for c in clips),
        sample_rate=clips[0].sample_rate,
        engine=engine.info.name,
        voice=voice,
    )


def _cached_clip(
    engine: Engine, utterance: Utterance, options: ReadOptions, store: Store | None
) -> tuple[str, Clip]:
    key = clip_key(utterance.spoken, engine.info.name, options.voice, options.synthesis)
    if store is not None and (wav := store.get(f"{key}.wav")) is not None:
        return key, audio.from_wav(wav, engine.info.name, options.voice)
    clip = synthesize_utterance(engine, utterance.spoken, options.voice, options.synthesis)
    if store is not None:
        store.put(f"{key}.wav", audio.to_wav(clip))
    return key, clip


def render(
    article: Article,
    options: ReadOptions | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
) -> Rendition:
    """Read the whole article: synthesise (or reuse) every sentence, join, encode MP3."""
    options = options or ReadOptions()
    engine = get_engine(options.engine)
    if options.voice not in engine.info.voices:
        raise InvalidInputError(
            f"Bộ đọc {engine.info.name} không có giọng '{options.voice}'; "
            f"có: {', '.join(engine.info.voices)}."
        )
    utterances = prepare(article, options)
    keyed_clips = []
    for done, utterance in enumerate(utterances, start=1):
        keyed_clips.append(_cached_clip(engine, utterance, options, store))
        if progress is not None:
            progress(done, len(utterances))
    pauses = [
        0
        if i == 0
        else options.paragraph_pause_ms
        if u.sentence.paragraph != utterances[i - 1].sentence.paragraph
        else options.sentence_pause_ms
        for i, u in enumerate(utterances)
    ]
    joined, placed = audio.join([clip for _, clip in keyed_clips], pauses)
    cues = tuple(
        Cue(
            sentence=u.sentence.index,
            paragraph=u.sentence.paragraph,
            text=u.sentence.text,
            spoken=u.spoken,
            start_ms=p.start_ms,
            end_ms=p.end_ms,
            engine=clip.engine,
            clip_key=key,
        )
        for u, (key, clip), p in zip(utterances, keyed_clips, placed, strict=True)
    )
    return Rendition(
        article=article,
        audio=audio.encode_mp3(joined, options.bitrate_kbps),
        mime_type="audio/mpeg",
        duration_ms=len(joined),
        cues=cues,
    )


def default_store(settings: Settings) -> FileStore:
    """The clip cache on local disk."""
    return FileStore(settings.cache_dir / "clips")
