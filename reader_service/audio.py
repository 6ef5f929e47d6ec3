"""Joining clips with pauses and encoding MP3, through pydub and the ffmpeg of imageio-ffmpeg."""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from reader_service.errors import AudioError
from reader_service.models import Clip


@cache
def _audio_segment() -> Any:
    """pydub's AudioSegment, pointed at the ffmpeg binary shipped in imageio-ffmpeg."""
    import imageio_ffmpeg

    with warnings.catch_warnings():
        # pydub warns at import when no ffmpeg is on PATH; we hand it our own below.
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment
    try:
        AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as exc:
        raise AudioError(f"Không tìm thấy ffmpeg (gói imageio-ffmpeg): {exc}") from exc
    return AudioSegment


@dataclass(frozen=True, slots=True)
class Placed:
    """Where one clip landed in the joined audio."""

    start_ms: int
    end_ms: int


def segment_of(clip: Clip) -> Any:
    """A clip as a pydub segment at its own sample rate."""
    return _segment(clip, clip.sample_rate)


def _segment(clip: Clip, frame_rate: int) -> Any:
    segment = _audio_segment()(
        data=clip.pcm, sample_width=2, frame_rate=clip.sample_rate, channels=1
    )
    return segment if clip.sample_rate == frame_rate else segment.set_frame_rate(frame_rate)


# Fade at each clip's edges: a clip that starts or ends off zero clicks at the join.
EDGE_FADE_MS = 5
# Average level of the assembled reading, and the ceiling its peaks must stay under.
TARGET_DBFS = -18.0
PEAK_CEILING_DBFS = -1.0


def join(clips: Sequence[Clip], pauses_ms: Sequence[int]) -> tuple[Any, list[Placed]]:
    """Clips in order, ``pauses_ms[i]`` of silence before clip ``i``; audio and placements.

    Each clip fades in and out over a few milliseconds (no clicks at joins); the whole is then
    brought to one listening level, with its peaks kept under the ceiling.
    """
    if not clips:
        raise AudioError("Không có âm thanh nào để ghép.")
    frame_rate = max(clip.sample_rate for clip in clips)
    audio_segment = _audio_segment()
    parts = []
    placed = []
    position = 0
    for clip, pause in zip(clips, pauses_ms, strict=True):
        if pause:
            parts.append(audio_segment.silent(duration=pause, frame_rate=frame_rate))
            position += pause
        segment = _segment(clip, frame_rate)
        if len(segment) > 4 * EDGE_FADE_MS:
            segment = segment.fade_in(EDGE_FADE_MS).fade_out(EDGE_FADE_MS)
        parts.append(segment)
        placed.append(Placed(position, position + len(segment)))
        position += len(segment)
    # One concatenation of raw frames: adding segments one by one copies the whole audio each time.
    pcm = b"".join(part.raw_data for part in parts)
    joined = audio_segment(data=pcm, sample_width=2, frame_rate=frame_rate, channels=1)
    return level(joined), placed


def level(segment: Any) -> Any:
    """One listening level for the whole reading (engines and voices differ in loudness)."""
    if segment.rms == 0:
        return segment
    gain = min(TARGET_DBFS - segment.dBFS, PEAK_CEILING_DBFS - segment.max_dBFS)
    return segment.apply_gain(gain) if abs(gain) > 0.1 else segment


def encode_mp3(audio: Any, bitrate_kbps: int = 48) -> bytes:
    """MP3, mono, at the given bit rate."""
    buffer = io.BytesIO()
    try:
        audio.export(buffer, format="mp3", bitrate=f"{bitrate_kbps}k", parameters=["-ac", "1"])
    except Exception as exc:  # pydub raises CouldntEncodeError, OSError or others from ffmpeg
        raise AudioError(f"Không mã hoá được MP3: {exc}") from exc
    return buffer.getvalue()


def from_mp3(data: bytes, engine: str, voice: str) -> Clip:
    """Decoded MP3 (gTTS answers in MP3) as a mono 16-bit clip."""
    segment = decode(data).set_channels(1).set_sample_width(2)
    return Clip(pcm=segment.raw_data, sample_rate=segment.frame_rate, engine=engine, voice=voice)


def decode(data: bytes, format: str = "mp3") -> Any:
    """Decode encoded audio (to measure or check it)."""
    try:
        return _audio_segment().from_file(io.BytesIO(data), format=format, codec=format)
    except Exception as exc:
        raise AudioError(f"Không giải mã được âm thanh: {exc}") from exc


def to_wav(clip: Clip) -> bytes:
    """The clip as a WAV file (its sample rate travels with it)."""
    buffer = io.BytesIO()
    _segment(clip, clip.sample_rate).export(buffer, format="wav")
    return buffer.getvalue()


def from_wav(data: bytes, engine: str, voice: str) -> Clip:
    """A cached WAV back into a clip."""
    segment = _audio_segment().from_wav(io.BytesIO(data))
    if segment.channels != 1 or segment.sample_width != 2:
        raise AudioError("Tệp âm thanh trong bộ đệm không đúng định dạng (cần mono 16 bit).")
    return Clip(pcm=segment.raw_data, sample_rate=segment.frame_rate, engine=engine, voice=voice)
