"""Speech engines, found through the entry-point group ``reader_service.engines``.

A third party adds an engine by declaring an entry point in that group that names a class (or
factory) taking no arguments and satisfying :class:`~reader_service.engines.base.Engine`.
"""

from __future__ import annotations

import threading
from importlib.metadata import entry_points

from reader_service.engines.base import Engine, EngineInfo
from reader_service.errors import EngineUnavailableError

__all__ = ["Engine", "EngineInfo", "available_engines", "get_engine"]

ENTRY_POINT_GROUP = "reader_service.engines"

_instances: dict[str, Engine] = {}
_instances_lock = threading.Lock()


def available_engines() -> list[str]:
    """Names of the engines registered in this installation."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)} | {"espeak"})


def _load(name: str) -> Engine:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            factory = ep.load()
            break
    else:
        if name != "espeak":
            raise EngineUnavailableError(
                f"Không có bộ đọc '{name}'. Các bộ đọc đã cài: {', '.join(available_engines())}."
            )
        # Running from a source tree without installed metadata: the default is always here.
        from reader_service.engines.espeak import EspeakEngine as factory
    engine = factory()
    if not isinstance(engine, Engine):
        raise EngineUnavailableError(f"Bộ đọc '{name}' không đúng giao diện Engine.")
    return engine


def get_engine(name: str) -> Engine:
    """The engine called ``name``, created once per process."""
    with _instances_lock:
        if name not in _instances:
            _instances[name] = _load(name)
        return _instances[name]
