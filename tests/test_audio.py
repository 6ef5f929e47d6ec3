from __future__ import annotations

import pytest

from reader_service import audio
from reader_service.errors import AudioError
from reader_service.models import Clip


def _clip(ms: int, rate: int = 8000) -> Clip:
    samples = rate * ms // 1000
    return Clip(pcm=b"\x00\x20\x00\xe0" * (samples // 2), sample_rate=rate, engine="t", voice="v")


def test_join_places_clips_after_their_pauses() -> None:
    joined, placed = audio.join([_clip(500), _clip(250), _clip(1000)], [0, 300, 700])
    assert [(p.start_ms, p.end_ms) for p in placed] == [(0, 500), (800, 1050), (1750, 2750)]
    assert len(joined) == 2750


def test_clips_of_different_rates_are_joined_at_the_highest() -> None:
    joined, placed = audio.join([_clip(500, 8000), _clip(500, 16000)], [0, 0])
    assert joined.frame_rate == 16000
    assert placed[1].end_ms == pytest.approx(1000, abs=2)


def test_mp3_round_trip_keeps_duration_and_is_mono() -> None:
    joined, _ = audio.join([_clip(2000, 22050)], [0])
    mp3 = audio.encode_mp3(joined, 48)
    assert mp3[:3] == b"ID3" or mp3[0] == 0xFF
    decoded = audio.decode(mp3)
    assert decoded.channels == 1
    assert abs(len(decoded) - 2000) < 100  # MP3 frames pad a little


def test_wav_round_trip_is_lossless() -> None:
    clip = _clip(300, 22050)
    assert audio.from_wav(audio.to_wav(clip), "t", "v") == clip


def test_nothing_to_join_and_garbage_to_decode_are_errors() -> None:
    with pytest.raises(AudioError):
        audio.join([], [])
    with pytest.raises(AudioError):
        audio.decode(b"not audio at all")
