"""Joining clips with pauses (pydub), encoding MP3 (LAME, through lameenc) and decoding it
(dr_mp3, through miniaudio): all in process, no ffmpeg.

pydub's ``AudioSegment`` stays the audio type between stages: joining, fades, resampling and
levels are its own pure-Python work; only MP3 needed ffmpeg, and starting an ffmpeg process per
sentence cost more than encoding the sentence (benchmarks/audio_codec.py).
"""

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
    """pydub's AudioSegment (imported on first use: the CLI's quick commands never need it)."""
    with warnings.catch_warnings():
        # pydub warns at import when no ffmpeg is on PATH; nothing here asks it for ffmpeg.
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment
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


# Sample rates an MP3 stream can carry (MPEG-1, -2 and 2.5); a clip at another rate is
# resampled to the next one up before encoding.
MP3_SAMPLE_RATES = (8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000)
# LAME's encoder delay (576) plus the decoder's (528 + 1), in samples at the stream's rate: the
# silence an MP3 without a gapless header starts with. lameenc writes no such header, so every
# decoder (browsers included) plays it; cue times move by this much (tests/test_audio.py
# measures it on decoded audio).
ENCODER_DELAY_SAMPLES = 1105
# LAME's speed/quality trade-off (0 best, 9 fastest); its own library default. Speech at 48 kbps
# sounds the same at 2 and 5; 5 encodes twice as fast (benchmarks/audio_codec.py).
LAME_QUALITY = 5


@dataclass(frozen=True, slots=True)
class Mp3Timing:
    """What a listener's player will do with an MP3: silence before the first sample of the
    audio, and the whole length."""

    lead_ms: float
    duration_ms: int


def encode_mp3(audio: Any, bitrate_kbps: int = 48) -> bytes:
    """MP3, mono, constant bit rate (LAME may pick a lower output rate for a low bit rate)."""
    import lameenc

    segment = audio.set_channels(1).set_sample_width(2)
    if segment.frame_rate not in MP3_SAMPLE_RATES:
        rate = next((r for r in MP3_SAMPLE_RATES if r >= segment.frame_rate), 48000)
        segment = segment.set_frame_rate(rate)
    encoder = lameenc.Encoder()
    try:
        encoder.set_bit_rate(bitrate_kbps)
        encoder.set_in_sample_rate(segment.frame_rate)
        encoder.set_channels(1)
        encoder.set_quality(LAME_QUALITY)
        return bytes(encoder.encode(segment.raw_data) + encoder.flush())
    except RuntimeError as exc:  # lameenc's only error: LAME refused the settings or the data
        raise AudioError(
            f"Không mã hoá được MP3: bộ mã hoá LAME không nhận {bitrate_kbps} kbps "
            f"ở {segment.frame_rate} Hz."
        ) from exc


def mp3_timing(data: bytes) -> Mp3Timing:
    """Lead-in and length of an MP3 written by :func:`encode_mp3` (read from its frames, not
    decoded)."""
    import miniaudio

    try:
        info = miniaudio.mp3_get_info(data)
    except miniaudio.DecodeError as exc:
        raise AudioError("Không đọc được tệp MP3: dữ liệu hỏng hoặc không phải MP3.") from exc
    return Mp3Timing(
        lead_ms=ENCODER_DELAY_SAMPLES * 1000 / info.sample_rate,
        duration_ms=round(info.num_frames * 1000 / info.sample_rate),
    )


def from_mp3(data: bytes, engine: str, voice: str) -> Clip:
    """Decoded MP3 (gTTS answers in MP3) as a mono 16-bit clip."""
    segment = decode(data)
    return Clip(pcm=segment.raw_data, sample_rate=segment.frame_rate, engine=engine, voice=voice)


def decode(data: bytes) -> Any:
    """An MP3 decoded to a mono 16-bit segment (gTTS's answers; checks and measurements)."""
    import miniaudio

    try:
        decoded = miniaudio.mp3_read_s16(data)
    except miniaudio.DecodeError as exc:
        raise AudioError("Không giải mã được âm thanh: dữ liệu hỏng hoặc không phải MP3.") from exc
    if not decoded.num_frames:
        raise AudioError("Không giải mã được âm thanh: tệp MP3 không có khung âm thanh nào.")
    segment = _audio_segment()(
        data=decoded.samples.tobytes(),
        sample_width=2,
        frame_rate=decoded.sample_rate,
        channels=decoded.nchannels,
    )
    return segment.set_channels(1)


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
