"""The only module that knows the order of the stages: source -> article -> audio."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reader_service import audio, duration
from reader_service.clips import (
    PIPELINE_VERSION,
    Voicing,
    breaker_closed,
    clip_key,
    obtain,
    voicings,
)
from reader_service.engines import EngineConfig, get_engine
from reader_service.errors import (
    EmptyTextError,
    InvalidInputError,
    ReaderError,
    SourceNotFoundError,
    StorageError,
    TextTooLongError,
    UnsafeURLError,
)
from reader_service.extract import extract
from reader_service.fetch import FetchOptions, fetch
from reader_service.manifest import cue_from_dict, cue_to_dict
from reader_service.models import (
    Article,
    Clip,
    Cue,
    CueWord,
    FetchedPage,
    Preview,
    PreviewLine,
    Rendition,
    SynthesisOptions,
    UnknownToken,
    Utterance,
)
from reader_service.normalize import Normalizer, normalize, normalizer_for, unknown_tokens
from reader_service.segment import segment
from reader_service.settings import Settings, setting_default
from reader_service.sniff import require_html
from reader_service.storage import Store
from reader_service.text import clean_text

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class ReadOptions:
    """Everything the pipeline needs, built once from Settings (stages never see Settings)."""

    # Defaults are Settings' own (setting_default): written once, there.
    engine: str = field(default_factory=lambda: setting_default("engine"))
    voice: str = field(default_factory=lambda: setting_default("voice"))
    synthesis: SynthesisOptions = field(default_factory=SynthesisOptions)
    sentence_pause_ms: int = field(default_factory=lambda: setting_default("sentence_pause_ms"))
    paragraph_pause_ms: int = field(default_factory=lambda: setting_default("paragraph_pause_ms"))
    bitrate_kbps: int = field(default_factory=lambda: setting_default("bitrate_kbps"))
    max_text_chars: int = field(default_factory=lambda: setting_default("max_text_chars"))
    max_page_tags: int = field(default_factory=lambda: setting_default("max_page_tags"))
    # What engines are built with (gTTS host and time limits, piper's model).
    engines: EngineConfig = field(default_factory=EngineConfig)
    # Called before each clip that must be synthesised: background work (batches) waits there
    # for listeners (reader_service.scheduling).
    before_synthesis: Callable[[], None] | None = None
    fetch: FetchOptions = field(default_factory=FetchOptions)
    # host -> CSS selector of the article body (Settings.content_selectors)
    content_selectors: dict[str, str] = field(default_factory=dict, hash=False)
    # operator lexicon files applied over the packaged lexicon, in order
    lexicon_files: tuple[Path, ...] = ()
    # engines tried, in order, when the preferred one fails
    fallback_engines: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            name.strip() for name in setting_default("fallback_engines").split(",") if name
        )
    )

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
            max_page_tags=settings.max_page_tags,
            engines=EngineConfig.from_settings(settings),
            fetch=FetchOptions(
                timeout_s=settings.fetch_timeout_s,
                max_bytes=settings.fetch_max_bytes,
                max_redirects=settings.fetch_max_redirects,
                allow_loopback=settings.allow_loopback,
            ),
            content_selectors=dict(settings.content_selectors),
            lexicon_files=(settings.lexicon_file,) if settings.lexicon_file else (),
            fallback_engines=settings.fallback_chain,
        )

    @property
    def normalizer(self) -> Normalizer:
        return normalizer_for(self.lexicon_files)


@dataclass(frozen=True, slots=True)
class LoadedPage:
    """A fetched page and its article (None when the page answered "not modified")."""

    page: FetchedPage
    article: Article | None


def load_page(
    url: str,
    options: ReadOptions,
    etag: str | None = None,
    last_modified: str | None = None,
) -> LoadedPage:
    """Fetch (conditionally, with validators of an earlier fetch) and extract one page."""
    page = fetch(url, options.fetch, etag=etag, last_modified=last_modified)
    if page.not_modified:
        return LoadedPage(page, None)
    return LoadedPage(page, extract_page(page.body, page.final_url, page.charset, options))


def extract_page(
    html: str | bytes, url: str | None, charset: str | None, options: ReadOptions
) -> Article:
    """The article of a page's HTML, under the options' limits and pinned selectors."""
    return extract(
        html,
        url=url,
        charset=charset,
        max_bytes=options.fetch.max_bytes,
        max_tags=options.max_page_tags,
        pinned=options.content_selectors,
    )


@dataclass(frozen=True, slots=True)
class PlannedClip:
    """One sentence as it will be heard: its text, spoken form and clip key (no audio yet)."""

    utterance: Utterance
    key: str


@dataclass(frozen=True, slots=True)
class Plan:
    voicing: Voicing
    clips: tuple[PlannedClip, ...]


def plan(article: Article, options: ReadOptions) -> Plan:
    """Sentences, spoken forms and clip keys of an article, without any audio: what a manifest
    lists, and what render then makes."""
    preferred = voicing(options)
    return Plan(
        preferred,
        tuple(PlannedClip(u, clip_key(u.spoken, preferred)) for u in prepare(article, options)),
    )


def live_voicings(preferred: Voicing, options: ReadOptions) -> list[Voicing]:
    """The preferred voicing and its fallbacks, less engines whose breaker is open right now
    (all of them if none is up: one may have recovered)."""
    chain = voicings(preferred, options.fallback_engines, options.engines)
    return [v for v in chain if _engine_available(v.engine, options.engines)] or chain


def clip_mp3(
    spoken: str, chain: list[Voicing], options: ReadOptions, store: Store | None
) -> tuple[str, bytes]:
    """One sentence's clip as MP3 (synthesised, or taken from the cache) by the first voicing
    of ``chain`` that can, levelled like a whole reading: the key of the voicing that really
    spoke, and the bytes."""
    key, clip = obtain(spoken, chain, store, options.engines, options.before_synthesis)
    return key, audio.encode_mp3(audio.level(audio.segment_of(clip)), options.bitrate_kbps)


def _engine_available(name: str, config: EngineConfig) -> bool:
    """False for an engine that cannot be built or whose breaker is open right now."""
    try:
        return breaker_closed(get_engine(name, config))
    except ReaderError:
        return False


def load_article(source: str, options: ReadOptions) -> Article:
    """The article of a source: an http(s) URL, a file path, or ``-`` for HTML on stdin."""
    if _SCHEME.match(source) and not source.startswith(("http://", "https://")):
        raise UnsafeURLError(f"Địa chỉ '{source}' không hợp lệ: chỉ nhận http:// hoặc https://.")
    if source.startswith(("http://", "https://")):
        loaded = load_page(source, options)
        assert loaded.article is not None  # an unconditional fetch is never "not modified"
        return loaded.article
    if source == "-":
        piped = sys.stdin.buffer.read()
        require_html(piped, "Dữ liệu đưa vào (stdin)")
        return extract(piped, max_bytes=options.fetch.max_bytes, max_tags=options.max_page_tags)
    path = Path(source)
    if not path.is_file():
        raise SourceNotFoundError(f"Không tìm thấy tệp '{source}'.{_address_hint(source)}")
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise SourceNotFoundError(f"Không đọc được tệp '{source}': {exc.strerror}.") from exc
    require_html(body, f"Tệp '{source}'")
    return extract(
        body,
        url=path.resolve().as_uri(),
        max_bytes=options.fetch.max_bytes,
        max_tags=options.max_page_tags,
    )


# Endings of web hosts (not of file names: "bai-viet.html" is a file).
_WEB_ENDINGS = frozenset({"vn", "com", "net", "org", "gov", "edu", "info", "io", "int"})


def _address_hint(source: str) -> str:
    """For a missing file that looks like a web address typed without http(s)://
    ("stttt.langson.gov.vn/tin-tuc/…"): the address to type instead."""
    host = source.split("/", 1)[0].split(":", 1)[0].lower()
    if "." in host and host.rsplit(".", 1)[1] in _WEB_ENDINGS:
        return f" Có phải ý bạn là địa chỉ trang web https://{source} ?"
    return ""


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
    normalizer = options.normalizer
    utterances = prepare(article, options)
    lines = tuple(
        PreviewLine(
            utterance.sentence,
            utterance.spoken,
            tuple(
                UnknownToken(t, why)
                for t, why in unknown_tokens(utterance.sentence.text, normalizer)
            ),
        )
        for utterance in utterances
    )
    seconds = duration.estimate_seconds(
        [line.spoken for line in lines],
        sum(_pauses(utterances, options)),
        options.engine,
        options.voice,
        options.synthesis,
        options.engines,
    )
    return Preview(article, lines, round(seconds, 1))


def voicing(options: ReadOptions) -> Voicing:
    return Voicing(options.engine, options.voice, options.synthesis)


def _check_voice(options: ReadOptions) -> None:
    engine = get_engine(options.engine, options.engines)
    if options.voice not in engine.info.voices:
        raise InvalidInputError(
            f"Bộ đọc {engine.info.name} không có giọng '{options.voice}'; "
            f"có: {', '.join(engine.info.voices)}."
        )


def _pauses(utterances: list[Utterance], options: ReadOptions) -> list[int]:
    return [
        0
        if i == 0
        else options.paragraph_pause_ms
        if u.sentence.paragraph != utterances[i - 1].sentence.paragraph
        else options.sentence_pause_ms
        for i, u in enumerate(utterances)
    ]


def rendition_key(clip_keys: list[str], pauses: list[int], options: ReadOptions) -> str:
    """Content address of an assembled reading: its clips, pauses and encoding."""
    identity = json.dumps(
        [PIPELINE_VERSION, clip_keys, pauses, options.bitrate_kbps, audio.TARGET_DBFS]
    )
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def _load_rendition(store: Store | None, key: str, article: Article) -> Rendition | None:
    if store is None:
        return None
    index = store.get(f"{key}.cues.json")
    mp3 = store.get(f"{key}.mp3") if index is not None else None
    if index is None or mp3 is None:
        return None
    data = json.loads(index)
    cues = tuple(cue_from_dict(cue) for cue in data["cues"])
    return Rendition(article, mp3, "audio/mpeg", int(data["duration_ms"]), cues)


def _save_rendition(store: Store | None, key: str, rendition: Rendition) -> None:
    if store is None:
        return
    index = {"duration_ms": rendition.duration_ms, "cues": [cue_to_dict(c) for c in rendition.cues]}
    try:
        store.put(f"{key}.mp3", rendition.audio)
        store.put(f"{key}.cues.json", json.dumps(index, ensure_ascii=False).encode("utf-8"))
    except StorageError as exc:
        log.warning("bản đọc %s không lưu được vào bộ đệm: %s", key, exc)


# Punctuation glued to a spoken word is not part of the word the widget highlights.
_WORD_EDGES = ".,;:!?…\"'“”()[]"


def _observe_pace(utterances: list[Utterance], clips: list[Clip], options: ReadOptions) -> None:
    """Tell the duration estimate how fast each voicing really spoke (after a fallback, the
    clips of several voicings)."""
    by_voicing: dict[tuple[str, str], tuple[list[str], list[int]]] = {}
    for utterance, clip in zip(utterances, clips, strict=True):
        spoken, lengths = by_voicing.setdefault((clip.engine, clip.voice), ([], []))
        spoken.append(utterance.spoken)
        lengths.append(clip.duration_ms)
    for (engine, voice), (spoken, lengths) in by_voicing.items():
        duration.observe(engine, voice, options.synthesis, spoken, sum(lengths))


def _cue(utterance: Utterance, key: str, clip: Clip, placed: audio.Placed, lead_ms: float) -> Cue:
    """The sentence's place in the encoded audio: its place in the joined audio moved by the
    silence the MP3 encoder puts first (a listener's player plays it)."""
    start_ms = round(placed.start_ms + lead_ms)
    marks = clip.words
    words = tuple(
        CueWord(
            utterance.spoken[mark.start : mark.start + mark.length].strip(_WORD_EDGES),
            start_ms + mark.time_ms,
            start_ms + (marks[i + 1].time_ms if i + 1 < len(marks) else clip.duration_ms),
        )
        for i, mark in enumerate(marks)
    )
    return Cue(
        sentence=utterance.sentence.index,
        paragraph=utterance.sentence.paragraph,
        text=utterance.sentence.text,
        spoken=utterance.spoken,
        start_ms=start_ms,
        end_ms=start_ms + placed.end_ms - placed.start_ms,
        engine=clip.engine,
        clip_key=key,
        words=words,
    )


def render(
    article: Article,
    options: ReadOptions | None = None,
    store: Store | None = None,
    progress: Progress | None = None,
    planned: Plan | None = None,
) -> Rendition:
    """Read the whole article: every sentence's clip (cached, made once, with fallback),
    joined with pauses at one level, encoded as MP3, with one cue per sentence.

    A reading whose clips all exist is itself cached: reading an unchanged article again costs
    the normalisation and a lookup.
    """
    options = options or ReadOptions()
    _check_voice(options)
    planned = planned or plan(article, options)
    utterances = [c.utterance for c in planned.clips]
    pauses = _pauses(utterances, options)
    preferred = planned.voicing
    preferred_keys = [c.key for c in planned.clips]
    cached = _load_rendition(store, rendition_key(preferred_keys, pauses, options), article)
    if cached is not None:
        if progress is not None:
            progress(len(utterances), len(utterances))
        return cached
    chain = voicings(preferred, options.fallback_engines, options.engines)
    keyed_clips = []
    for done, utterance in enumerate(utterances, start=1):
        keyed_clips.append(
            obtain(utterance.spoken, chain, store, options.engines, options.before_synthesis)
        )
        if progress is not None:
            progress(done, len(utterances))
    _observe_pace(utterances, [clip for _, clip in keyed_clips], options)
    joined, placed = audio.join([clip for _, clip in keyed_clips], pauses)
    mp3 = audio.encode_mp3(joined, options.bitrate_kbps)
    timing = audio.mp3_timing(mp3)
    cues = tuple(
        _cue(u, key, clip, p, timing.lead_ms)
        for u, (key, clip), p in zip(utterances, keyed_clips, placed, strict=True)
    )
    rendition = Rendition(
        article=article,
        audio=mp3,
        mime_type="audio/mpeg",
        duration_ms=timing.duration_ms,
        cues=cues,
    )
    # Stored under the clips that really spoke: after a fallback, the preferred engine's key
    # stays free and the next read tries that engine again.
    _save_rendition(store, rendition_key([k for k, _ in keyed_clips], pauses, options), rendition)
    return rendition
