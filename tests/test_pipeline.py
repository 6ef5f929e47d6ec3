from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLE_PAGE, ToneEngine
from reader_service import audio
from reader_service.clips import Voicing
from reader_service.errors import (
    EmptyTextError,
    InvalidInputError,
    SourceNotFoundError,
    TextTooLongError,
    UnsafeURLError,
)
from reader_service.models import Article, SynthesisOptions
from reader_service.pipeline import (
    ReadOptions,
    article_from_text,
    clip_key,
    load_article,
    prepare,
    render,
)
from reader_service.storage import FileStore

TONE = ReadOptions(engine="tone", voice="a", sentence_pause_ms=300, paragraph_pause_ms=700)
ARTICLE = Article(title="Tiêu đề", paragraphs=("Câu một có 42 hộ. Câu hai.", "Câu ba."))


def test_render_reads_title_then_body_with_pauses(tone_engine: ToneEngine) -> None:
    rendition = render(ARTICLE, TONE)
    assert tone_engine.calls == ["Tiêu đề", "Câu một có bốn mươi hai hộ.", "Câu hai.", "Câu ba."]
    starts = [(cue.start_ms, cue.end_ms) for cue in rendition.cues]
    # 10 ms per character; 700 ms before a new paragraph, 300 ms between sentences; all after
    # the MP3 encoder's lead-in (1105 samples at the tone's 8 kHz).
    lead = 138
    assert starts == [
        (lead + a, lead + b) for a, b in [(0, 70), (770, 1040), (1340, 1420), (2120, 2190)]
    ]
    assert [cue.text for cue in rendition.cues][1] == "Câu một có 42 hộ."
    assert rendition.engines == ("tone",)
    assert rendition.duration_ms == len(audio.decode(rendition.audio))
    assert rendition.duration_ms - (lead + 2190) < 150  # the last MP3 frame is padded


def test_cues_start_where_the_decoded_audio_does(tone_engine: ToneEngine) -> None:
    """The encoder's silent lead-in is played by every player: a cue is where its sentence is
    heard in the MP3 the listener gets, not where it sat before encoding."""
    rendition = render(ARTICLE, TONE)
    decoded = audio.decode(rendition.audio)
    for cue in rendition.cues:
        before = decoded[cue.start_ms - 30 : cue.start_ms - 5]
        after = decoded[cue.start_ms + 5 : cue.start_ms + 30]
        assert before.rms < after.rms / 20, (cue.text, before.rms, after.rms)


def test_cache_synthesises_each_sentence_once(tone_engine: ToneEngine, tmp_path: Path) -> None:
    store = FileStore(tmp_path)
    render(ARTICLE, TONE, store=store)
    edited = Article(title="Tiêu đề", paragraphs=("Câu một có 42 hộ. Câu hai đã sửa.", "Câu ba."))
    again = render(edited, TONE, store=store)
    assert tone_engine.calls[4:] == ["Câu hai đã sửa."]
    assert len(again.cues) == 4


def test_long_sentences_are_chunked_to_the_engine_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    small = ToneEngine(max_chars=20)
    from reader_service import engines

    monkeypatch.setitem(engines._instances, "tone", small)
    sentence = "Một hai ba bốn năm, sáu bảy tám chín mười mười một."
    render(Article(title="", paragraphs=(sentence,)), TONE)
    assert all(len(call) <= 20 for call in small.calls)
    assert " ".join(small.calls).split() == sentence.split()


def test_clip_key_changes_with_every_input() -> None:
    options = TONE.synthesis
    base = clip_key("xin chào", Voicing("espeak", "vi", options))
    assert base == clip_key("xin chào", Voicing("espeak", "vi", options))
    others = {
        clip_key("xin chào.", Voicing("espeak", "vi", options)),
        clip_key("xin chào", Voicing("gtts", "vi", options)),
        clip_key("xin chào", Voicing("espeak", "vi-VN-x-south", options)),
        clip_key("xin chào", Voicing("espeak", "vi", SynthesisOptions(rate_wpm=180))),
    }
    assert len(others | {base}) == 5


def test_every_character_of_the_article_is_in_one_sentence() -> None:
    article = load_article(str(SAMPLE_PAGE), ReadOptions())
    utterances = prepare(article)
    for number, block in enumerate(article.blocks):
        pieces = [u.sentence.text for u in utterances if u.sentence.paragraph == number]
        assert " ".join(pieces).split() == block.split()


def test_bad_sources_and_texts(tone_engine: ToneEngine, tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match="Không tìm thấy tệp"):
        load_article(str(tmp_path / "missing.html"), ReadOptions())
    with pytest.raises(UnsafeURLError):
        load_article("file:///etc/passwd", ReadOptions())
    with pytest.raises(EmptyTextError):
        article_from_text("  ", "\n \n")
    with pytest.raises(TextTooLongError):
        prepare(article_from_text("T", "chữ " * 100), ReadOptions(max_text_chars=50))
    with pytest.raises(InvalidInputError, match="không có giọng"):
        render(ARTICLE, ReadOptions(engine="tone", voice="zz"))


def test_article_from_text_keeps_lines_as_paragraphs() -> None:
    article = article_from_text("Tiêu đề", "Dòng một.\n\n  Dòng\u00a0hai. \n")
    assert article.blocks == ("Tiêu đề", "Dòng một.", "Dòng hai.")
