"""Giving memory back to the system after a large piece of work.

glibc keeps freed heap pages for reuse, so a process that once parsed a 2 MB page holds on to the
hundreds of MB that took; ``malloc_trim`` returns the free pages at the top of the heap and the
free arenas. Elsewhere (musl, macOS) it is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
from functools import lru_cache
from typing import Any

log = logging.getLogger(__name__)

# Inputs larger than this are followed by a trim (smaller ones leave little to give back).
LARGE_INPUT_BYTES = 500_000


@lru_cache(maxsize=1)
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


def release_memory() -> None:
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
