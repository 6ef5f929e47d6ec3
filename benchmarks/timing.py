"""The one way the benchmarks time a piece of work: the median of several runs."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def median_seconds(run: Callable[[], Any], repeat: int) -> float:
    """Median wall-clock seconds of ``run()`` over ``repeat`` runs (the machine's noise hits the
    mean, not the median)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
