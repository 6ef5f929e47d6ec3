"""The Engine protocol: the one seam every speech engine plugs into."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from reader_service.models import Clip, SynthesisOptions


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What callers need to know about an engine before using it."""

    name: str
    online: bool
    max_chars: int
    voices: tuple[str, ...]
    sample_rate: int
    default_voice: str


@runtime_checkable
class Engine(Protocol):
    """Turns one utterance of spoken text into a clip of PCM audio."""

    info: EngineInfo

    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip: ...
