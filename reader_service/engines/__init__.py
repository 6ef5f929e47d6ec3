"""Speech engines, found through the entry-point group ``reader_service.engines``.

A third party adds an engine by declaring an entry point in that group that names a class (or
factory) satisfying :class:`~reader_service.engines.base.Engine`; it is called with
``config=EngineConfig`` when it takes a ``config`` argument, else with no arguments.
"""

from __future__ import annotations

import inspect
import threading
from importlib.metadata import entry_points

from reader_service.engines.base import Engine, EngineConfig, EngineInfo
from reader_service.errors import EngineUnavailableError

__all__ = ["Engine", "EngineConfig", "EngineInfo", "available_engines", "get_engine"]

ENTRY_POINT_GROUP = "reader_service.engines"

# Engines registered by name, whatever the configuration (tests, embedding applications).
_instances: dict[str, Engine] = {}
# Engines built here, once per name and configuration.
_built: dict[tuple[str, EngineConfig], Engine] = {}
_instances_lock = threading.Lock()


def available_engines() -> list[str]:
    """Names of the engines registered in this installation."""
    return sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)} | {"espeak"})


def _load(name: str, config: EngineConfig) -> Engine:
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
    try:
        takes_config = "config" in inspect.signature(factory).parameters
    except (TypeError, ValueError):
        takes_config = False
    engine = factory(config=config) if takes_config else factory()
    if not isinstance(engine, Engine):
        raise EngineUnavailableError(f"Bộ đọc '{name}' không đúng giao diện Engine.")
    return engine


def get_engine(name: str, config: EngineConfig | None = None) -> Engine:
    """The engine called ``name`` built with ``config`` (the defaults of Settings when None),
    created once per configuration."""
    config = config or EngineConfig()
    with _instances_lock:
        if (registered := _instances.get(name)) is not None:
            return registered
        if (name, config) not in _built:
            _built[(name, config)] = _load(name, config)
        return _built[(name, config)]
