"""How fast the command starts: `reader-service --help`, `normalize` of one sentence, and, side
by side, a process that imports the whole pipeline (what every command paid before the heavy
imports moved into the commands that need them). Median of several runs each.

    python benchmarks/cli_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "reader-service --help": [sys.executable, "-m", "reader_service", "--help"],
    "reader-service normalize": [
        sys.executable,
        "-m",
        "reader_service",
        "normalize",
        "Ngày 14/5/2021, UBND tỉnh họp.",
    ],
    "import the pipeline (before)": [sys.executable, "-c", "import reader_service.pipeline"],
    "python alone": [sys.executable, "-c", "pass"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, command in CASES.items():  # interleaved: the machine's load hits all alike
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[name].append(time.perf_counter() - started)
    reference = statistics.median(times["import the pipeline (before)"])
    print(f"start-up over {args.runs} runs: median seconds, and against importing the pipeline")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<30} {median:6.3f} s   {median / reference:5.2f}x")


if __name__ == "__main__":
    main()
