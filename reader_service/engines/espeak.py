"""Offline engine: libespeak-ng from the espeakng-loader wheel, driven through ctypes.

libespeak-ng keeps global state and crashes when called from two threads at once, so every call
into it holds one process-wide lock. It runs in synchronous mode: ``espeak_Synth`` returns after
the synth callback has received all the audio and the WORD/SENTENCE events of the text.
"""

from __future__ import annotations

import bisect
import ctypes
import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, field

from reader_service.engines.base import EngineInfo
from reader_service.errors import EngineUnavailableError, InvalidInputError, SynthesisError
from reader_service.models import Clip, SynthesisOptions, WordMark

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\S+")

VOICES = ("vi", "vi-VN-x-central", "vi-VN-x-south")

# Values from espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_PARAM_RATE = 1
_PARAM_VOLUME = 2
_PARAM_PITCH = 3
_EE_OK = 0


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass
class _Capture:
    """Audio and word events of the synthesis in progress (only ever one, under the lock)."""

    chunks: list[bytes] = field(default_factory=list)
    words: list[WordMark] = field(default_factory=list)


class _Library:
    """The loaded, initialised libespeak-ng of this process. Use only while holding ``LOCK``."""

    def __init__(self) -> None:
        try:
            import espeakng_loader

            self._lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data_path = espeakng_loader.get_data_path().encode()
        except (ImportError, OSError, RuntimeError) as exc:
            raise EngineUnavailableError(
                "Không nạp được thư viện espeak-ng (gói espeakng-loader). "
                f"Hãy cài lại reader-service. Chi tiết: {exc}"
            ) from exc
        lib = self._lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        self.sample_rate = int(lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data_path, 0))
        if self.sample_rate <= 0:
            raise EngineUnavailableError(
                "Không khởi động được espeak-ng: thiếu dữ liệu giọng đọc (espeak-ng-data)."
            )
        # Kept on the instance: ctypes frees a callback whose Python object is collected.
        self._callback = _SynthCallback(self._on_audio)
        lib.espeak_SetSynthCallback(self._callback)
        self._capture = _Capture()
        self._voice: str | None = None
        self._params: dict[int, int] = {}

    def _on_audio(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]
    ) -> int:
        if count > 0:
            self._capture.chunks.append(ctypes.string_at(wav, count * 2))
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            event = events[i]
            if event.type == _EVENT_WORD:
                self._capture.words.append(
                    WordMark(event.text_position, event.length, event.audio_position)
                )
            i += 1
        return 0  # 0 = go on synthesising

    def set_voice(self, voice: str) -> None:
        if voice == self._voice:
            return
        if self._lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
            raise EngineUnavailableError(f"espeak-ng không có giọng đọc '{voice}'.")
        self._voice = voice
        self._params.clear()  # a new voice resets rate, volume and pitch

    def set_parameter(self, parameter: int, value: int) -> None:
        if self._params.get(parameter) != value:
            self._lib.espeak_SetParameter(parameter, value, 0)
            self._params[parameter] = value

    def synthesize(self, text: str) -> _Capture:
        self._capture = _Capture()
        data = text.encode("utf-8")
        status = self._lib.espeak_Synth(
            data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
        )
        if status != _EE_OK:
            raise SynthesisError(f"espeak-ng không đọc được câu (mã lỗi {status}).")
        return self._capture


LOCK = threading.Lock()
_library: _Library | None = None


def _get_library() -> _Library:
    global _library
    if _library is None:
        _library = _Library()
    return _library


def _fold_words(marks: list[WordMark], text: str) -> tuple[WordMark, ...]:
    """One mark per written word: espeak emits several WORD events for a number's digits.

    espeak reports 1-based code-point positions; ours are 0-based and span the whole token.
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    folded: dict[int, WordMark] = {}
    for mark in marks:
        position = mark.start - 1
        index = bisect.bisect_right(tokens, (position, len(text) + 1)) - 1
        if index < 0 or not tokens[index][0] <= position < tokens[index][1]:
            continue
        start, end = tokens[index]
        if start not in folded:
            folded[start] = WordMark(start, end - start, mark.time_ms)
    return tuple(folded[start] for start in sorted(folded))


class EspeakEngine:
    """espeak-ng, offline, Vietnamese voices (north ``vi``, central, south)."""

    def __init__(self) -> None:
        with LOCK:
            sample_rate = _get_library().sample_rate
        self.info = EngineInfo(
            name="espeak",
            online=False,
            max_chars=10_000,
            voices=VOICES,
            sample_rate=sample_rate,
            default_voice="vi",
        )

    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
        """Speak ``text`` with ``voice``; returns the clip and its word marks."""
        if voice not in VOICES:
            raise InvalidInputError(
                f"Giọng đọc '{voice}' không có trong espeak; chọn một trong: {', '.join(VOICES)}."
            )
        # Decomposed Vietnamese (combining tone marks) is mis-spoken by espeak-ng.
        text = unicodedata.normalize("NFC", text)
        with LOCK:
            library = _get_library()
            library.set_voice(voice)
            library.set_parameter(_PARAM_RATE, options.rate_wpm)
            library.set_parameter(_PARAM_VOLUME, options.volume)
            library.set_parameter(_PARAM_PITCH, options.pitch)
            capture = library.synthesize(text)
        return Clip(
            pcm=b"".join(capture.chunks),
            sample_rate=self.info.sample_rate,
            engine=self.info.name,
            voice=voice,
            words=_fold_words(capture.words, text),
        )
