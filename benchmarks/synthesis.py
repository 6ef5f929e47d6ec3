"""Synthesis, assembly and the cache, measured side by side in one run.

    python benchmarks/synthesis.py [--repeat 5]

On the sample portal page (reader_service/samples/portal-article.html):
- extraction alone (what `reader-service extract` costs beyond start-up);
- a cold read (empty cache: synthesis, join, encode) versus a warm read (cache full), and the
  warm/cold ratio of the reading work beyond extraction;
- time to the first clip (what a listener waits for with clip-by-clip playback) versus the
  whole article;
- per engine available here, the real-time factor (seconds of work per second of audio);
- the MP3 encoding cost per minute of audio.
gTTS needs the network and is left out here (its tests use a fake endpoint).
"""

from __future__ import annotations

import argparse
import tempfile
from functools import partial
from pathlib import Path

from timing import median_seconds

from reader_service import audio
from reader_service.clips import Voicing, synthesize
from reader_service.engines import get_engine
from reader_service.errors import ReaderError
from reader_service.extract import extract
from reader_service.pipeline import ReadOptions, prepare, render
from reader_service.storage import FileStore

SAMPLE = Path(__file__).resolve().parents[1] / "reader_service/samples/portal-article.html"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    html = SAMPLE.read_bytes()
    options = ReadOptions()
    article = extract(html)
    utterances = prepare(article, options)
    render(article, options)  # warm-up: library loading, compiled patterns

    extract_s = median_seconds(lambda: extract(html), args.repeat)

    def cold() -> None:
        with tempfile.TemporaryDirectory() as folder:
            render(extract(html), options, store=FileStore(Path(folder)))

    cold_s = median_seconds(cold, args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        store = FileStore(Path(folder))
        rendition = render(article, options, store=store)
        warm_s = median_seconds(lambda: render(extract(html), options, store=store), args.repeat)
    audio_s = rendition.duration_ms / 1000
    engine = get_engine(options.engine)
    first_clip_s = median_seconds(
        lambda: synthesize(engine, utterances[0].spoken, options.voice, options.synthesis),
        args.repeat,
    )
    joined, _ = audio.join(
        [synthesize(engine, u.spoken, options.voice, options.synthesis) for u in utterances],
        [300] * len(utterances),
    )
    encode_s = median_seconds(lambda: audio.encode_mp3(joined, options.bitrate_kbps), args.repeat)

    print(f"sample page: {len(utterances)} sentences, {audio_s:.1f} s of audio")
    print(f"{'extraction':<34} {1000 * extract_s:8.1f} ms")
    print(f"{'cold read (extract + read)':<34} {1000 * cold_s:8.1f} ms")
    print(f"{'warm read (extract + read)':<34} {1000 * warm_s:8.1f} ms")
    reading_cold, reading_warm = cold_s - extract_s, max(warm_s - extract_s, 1e-6)
    print(f"{'reading work, cold / warm':<34} {reading_cold / reading_warm:8.1f} x")
    print(f"{'first clip (espeak)':<34} {1000 * first_clip_s:8.1f} ms")
    print(f"{'first clip / cold read':<34} {first_clip_s / cold_s:8.3f}")
    per_minute_ms = 1000 * encode_s * 60 / (len(joined) / 1000)
    print(f"{'MP3 encoding per minute of audio':<34} {per_minute_ms:8.1f} ms")
    print("\nreal-time factor (work seconds per audio second), first four sentences:")
    for name in ("espeak", "piper"):
        try:
            chosen = get_engine(name)
        except ReaderError as exc:
            print(f"  {name:<8} not usable here: {exc.message}")
            continue
        voicing = Voicing(name, chosen.info.default_voice, options.synthesis)
        text = " ".join(u.spoken for u in utterances[:4])
        clip = synthesize(chosen, text, voicing.voice, voicing.options)
        speak = partial(synthesize, chosen, text, voicing.voice, voicing.options)
        seconds = median_seconds(speak, 3)
        print(f"  {name:<8} {seconds / (clip.duration_ms / 1000):.3f}")


if __name__ == "__main__":
    main()
