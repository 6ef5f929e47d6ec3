"""MP3 in process (lameenc, miniaudio) against an ffmpeg process per clip (the path before),
side by side in one run.

    pip install -e '.[bench]'        # imageio-ffmpeg, for the "before" column
    python benchmarks/audio_codec.py [--repeat 5]

On the sample portal page's sentences, spoken by espeak-ng:
- encoding one sentence's clip (what a listener's first clip waits for, once per sentence);
- encoding the whole article (one clip);
- decoding a gTTS answer chunk (tests/fixtures/gtts-chunk.mp3, 24 kHz, what every gTTS
  sentence goes through).
Medians; "before" runs pydub's export/from_file with imageio-ffmpeg's binary, as the service
did up to this change.
"""

from __future__ import annotations

import argparse
import io
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timing import median_seconds

from reader_service import audio
from reader_service.clips import synthesize
from reader_service.engines import get_engine
from reader_service.extract import extract
from reader_service.pipeline import ReadOptions, prepare

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "reader_service/samples/portal-article.html"
GTTS_CHUNK = ROOT / "tests/fixtures/gtts-chunk.mp3"


def _ffmpeg_segment_class() -> Any:
    """pydub's AudioSegment pointed at imageio-ffmpeg's binary, or None if it is not installed."""
    try:
        import imageio_ffmpeg
    except ImportError:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment
    AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
    return AudioSegment


def _ffmpeg_encode(segment: Any, kbps: int) -> bytes:
    buffer = io.BytesIO()
    segment.export(buffer, format="mp3", bitrate=f"{kbps}k", parameters=["-ac", "1"])
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    options = ReadOptions()
    engine = get_engine(options.engine)
    utterances = prepare(extract(SAMPLE.read_bytes()), options)
    clips = [synthesize(engine, u.spoken, options.voice, options.synthesis) for u in utterances]
    segments = [audio.level(audio.segment_of(clip)) for clip in clips]
    joined, _ = audio.join(clips, [300] * len(clips))
    chunk = GTTS_CHUNK.read_bytes()
    kbps = options.bitrate_kbps
    ffmpeg = _ffmpeg_segment_class()

    def per_sentence(encode: Callable[[Any, int], bytes]) -> float:
        every = median_seconds(lambda: [encode(s, kbps) for s in segments], args.repeat)
        return every / len(segments)

    rows: list[tuple[str, float, float | None]] = [
        (
            "encode one sentence (mean)",
            per_sentence(audio.encode_mp3),
            per_sentence(_ffmpeg_encode) if ffmpeg else None,
        ),
        (
            "encode the whole article",
            median_seconds(lambda: audio.encode_mp3(joined, kbps), args.repeat),
            median_seconds(lambda: _ffmpeg_encode(joined, kbps), args.repeat) if ffmpeg else None,
        ),
        (
            "decode one gTTS chunk",
            median_seconds(lambda: audio.decode(chunk), args.repeat * 20),
            median_seconds(
                lambda: ffmpeg.from_file(io.BytesIO(chunk), format="mp3", codec="mp3"),
                args.repeat * 4,
            )
            if ffmpeg
            else None,
        ),
    ]
    seconds = sum(len(s) for s in segments) / 1000
    print(
        f"sample page: {len(segments)} sentences, {seconds:.1f} s of espeak audio, "
        f"{kbps} kbps; medians of {args.repeat}"
    )
    print(f"{'':<30} {'in process':>12} {'ffmpeg (before)':>16} {'before / now':>13}")
    for name, now, before in rows:
        if before is None:
            print(f"{name:<30} {1000 * now:9.2f} ms {'(not installed)':>16}")
        else:
            print(f"{name:<30} {1000 * now:9.2f} ms {1000 * before:13.2f} ms {before / now:12.1f}x")
    if ffmpeg is None:
        print("imageio-ffmpeg is not installed: pip install -e '.[bench]' for the comparison.")


if __name__ == "__main__":
    main()
