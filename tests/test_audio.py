from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def _tone_after_silence(rate: int, silence_ms: int) -> Clip:
    """Silence, then half a second of a 440 Hz sine: an onset to find after encoding."""
    import array
    import math

    start = rate * silence_ms // 1000
    pcm = array.array("h", [0] * (start + rate // 2))
    for i in range(rate // 2):
        pcm[start + i] = int(12000 * math.sin(2 * math.pi * 440 * i / rate))
    return Clip(pcm=pcm.tobytes(), sample_rate=rate, engine="t", voice="v")


@pytest.mark.parametrize(("rate", "kbps"), [(22050, 48), (24000, 64), (16000, 32), (44100, 16)])
def test_mp3_lead_in_is_what_the_decoder_plays_first(rate: int, kbps: int) -> None:
    """lameenc writes no gapless header: the encoder's delay is heard, and mp3_timing says how
    long (also when LAME picks a lower output rate for a low bit rate)."""
    import array

    mp3 = audio.encode_mp3(audio.segment_of(_tone_after_silence(rate, 200)), kbps)
    timing = audio.mp3_timing(mp3)
    decoded = audio.decode(mp3)
    samples = array.array("h", decoded.raw_data)
    onset = next(i for i, v in enumerate(samples) if abs(v) > 2000)
    heard_ms = onset * 1000 / decoded.frame_rate - 200
    assert abs(heard_ms - timing.lead_ms) < 1.0
    assert timing.duration_ms == len(decoded)


def test_clips_at_rates_mp3_cannot_carry_are_resampled() -> None:
    mp3 = audio.encode_mp3(audio.segment_of(_clip(1000, 17000)), 48)
    assert audio.decode(mp3).frame_rate == 22050


def test_unreadable_mp3_is_a_vietnamese_error() -> None:
    with pytest.raises(AudioError, match="không phải MP3"):
        audio.mp3_timing(b"\x00" * 100)
    with pytest.raises(AudioError, match="không phải MP3"):
        audio.decode(b"not audio at all")


def test_mp3_is_made_and_read_with_no_ffmpeg_anywhere(tmp_path: Path) -> None:
    """No ffmpeg process, no imageio-ffmpeg (it started a process per clip: 39 ms a sentence):
    a reading is encoded and decoded in process, with no ffmpeg on PATH."""
    script = (
        "import sys\n"
        "sys.modules['imageio_ffmpeg'] = None  # importing it now fails\n"
        "from reader_service import audio\n"
        "from reader_service.models import Clip\n"
        "clip = Clip(b'\\x00\\x10\\x00\\xf0' * 11025, 22050, 't', 'v')\n"
        "mp3 = audio.encode_mp3(audio.segment_of(clip), 48)\n"
        "print(len(audio.decode(mp3)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={"PATH": str(tmp_path), "LANG": "C.UTF-8"},  # an empty folder: no ffmpeg
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert abs(int(result.stdout) - 1000) < 120
