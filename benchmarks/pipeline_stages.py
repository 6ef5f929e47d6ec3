"""Where the time of one read goes, stage by stage, cold cache beside warm cache.

Run by hand from the repository root:  python benchmarks/pipeline_stages.py [--repeat 5]

Reports each stage's median time and its share of a cold read, and the warm/cold ratio, so
a change can be judged by ratios measured in one run on one machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reader_service import audio
from reader_service.engines import get_engine
from reader_service.extract import extract
from reader_service.pipeline import ReadOptions, prepare, render
from reader_service.storage import FileStore

SAMPLE = Path(__file__).resolve().parents[1] / "reader_service/samples/portal-article.html"


def median_ms(action: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    html = SAMPLE.read_bytes()
    options = ReadOptions()
    engine = get_engine(options.engine)
    article = extract(html)
    utterances = prepare(article, options)
    clips = [engine.synthesize(u.spoken, options.voice, options.synthesis) for u in utterances]
    joined, _ = audio.join(clips, [300] * len(clips))

    def cold() -> None:
        with tempfile.TemporaryDirectory() as folder:
            render(article, options, store=FileStore(Path(folder)))

    warm_folder = tempfile.mkdtemp()
    render(article, options, store=FileStore(Path(warm_folder)))

    rows = {
        "extract": median_ms(lambda: extract(html), repeat),
        "segment + normalize": median_ms(lambda: prepare(article, options), repeat),
        "synthesize (espeak)": median_ms(
            lambda: [
                engine.synthesize(u.spoken, options.voice, options.synthesis) for u in utterances
            ],
            repeat,
        ),
        "join": median_ms(lambda: audio.join(clips, [300] * len(clips)), repeat),
        "encode MP3 (ffmpeg)": median_ms(lambda: audio.encode_mp3(joined, 48), repeat),
        "read, cold cache": median_ms(cold, repeat),
        "read, warm cache": median_ms(
            lambda: render(article, options, store=FileStore(Path(warm_folder))), repeat
        ),
    }
    cold_ms = rows["read, cold cache"]
    words = sum(len(u.spoken.split()) for u in utterances)
    print(
        f"sample: {len(utterances)} sentences, {words} spoken words, "
        f"{len(joined) / 1000:.1f} s of audio, median of {repeat}"
    )
    print(f"{'stage':<22}{'ms':>9}{'of cold read':>14}")
    for name, ms in rows.items():
        print(f"{name:<22}{ms:>9.1f}{ms / cold_ms:>13.0%}")
    print(
        f"warm/cold ratio: {rows['read, warm cache'] / cold_ms:.2f}; "
        f"audio seconds per second of cold read: {len(joined) / cold_ms:.0f}"
    )


if __name__ == "__main__":
    main()
