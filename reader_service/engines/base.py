"""The Engine protocol: the one seam every speech engine plugs into."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from reader_service.models import Clip, SynthesisOptions
from reader_service.settings import setting_default

if TYPE_CHECKING:
    from reader_service.settings import Settings


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What callers need to know about an engine before using it."""

    name: str
    online: bool
    max_chars: int
    voices: tuple[str, ...]
    sample_rate: int
    default_voice: str


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """The settings engines are built with, taken from the Settings of the app or command that
    uses them (never from the process's environment behind their back). Hashable: engines are
    built once per distinct configuration."""

    gtts_tld: str = field(default_factory=lambda: setting_default("gtts_tld"))
    gtts_timeout_s: float = field(default_factory=lambda: setting_default("gtts_timeout_s"))
    gtts_budget_s: float = field(default_factory=lambda: setting_default("gtts_budget_s"))
    piper_model: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> EngineConfig:
        return cls(
            gtts_tld=settings.gtts_tld,
            gtts_timeout_s=settings.gtts_timeout_s,
            gtts_budget_s=settings.gtts_budget_s,
            piper_model=str(settings.piper_model) if settings.piper_model else None,
        )


@runtime_checkable
class Engine(Protocol):
    """Turns one utterance of spoken text into a clip of PCM audio."""

    info: EngineInfo

    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip: ...
