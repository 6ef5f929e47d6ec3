"""piper: an offline neural voice from an operator-provided model (``.onnx`` + ``.onnx.json``).

Optional: ``pip install 'reader-service[piper]'`` (piper-tts, GPL-3.0-or-later: see README).
The model path comes from READER_PIPER_MODEL (through EngineConfig); no text leaves the machine
and nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reader_service.engines.base import EngineConfig, EngineInfo
from reader_service.errors import EngineUnavailableError, InvalidInputError, SynthesisError
from reader_service.models import Clip, SynthesisOptions

# piper's length scale 1.0 is its natural pace, taken as our default 150 words a minute.
_NATURAL_WPM = 150


class PiperEngine:
    def __init__(self, model_path: Path | None = None, config: EngineConfig | None = None) -> None:
        if model_path is None and config is not None and config.piper_model:
            model_path = Path(config.piper_model)
        if model_path is None:
            raise EngineUnavailableError(
                "Chưa cấu hình giọng piper: đặt READER_PIPER_MODEL là đường dẫn tệp .onnx."
            )
        model = Path(model_path)
        voice_config = Path(f"{model}.json")
        if not model.is_file() or not voice_config.is_file():
            raise EngineUnavailableError(
                f"Không thấy giọng piper '{model}' (cần cả tệp .onnx và .onnx.json bên cạnh)."
            )
        try:
            from piper import PiperVoice
        except ImportError as exc:
            raise EngineUnavailableError(
                "Bộ đọc piper cần gói phụ: pip install 'reader-service[piper]'."
            ) from exc
        try:
            self._voice = PiperVoice.load(model, config_path=voice_config)
        except Exception as exc:  # onnxruntime and json raise several unrelated types
            raise EngineUnavailableError(f"Không nạp được giọng piper '{model}': {exc}") from exc
        self._lock = threading.Lock()  # one inference session, one synthesis at a time
        name = model.name.removesuffix(".onnx")
        self.info = EngineInfo(
            name="piper",
            online=False,
            max_chars=1_000,
            voices=(name,),
            sample_rate=self._voice.config.sample_rate,
            default_voice=name,
        )

    def synthesize(self, text: str, voice: str, options: SynthesisOptions) -> Clip:
        if voice not in self.info.voices:
            raise InvalidInputError(f"Giọng piper '{voice}' chưa được cấu hình.")
        from piper import SynthesisConfig

        config = SynthesisConfig(
            length_scale=_NATURAL_WPM / options.rate_wpm, volume=options.volume / 100
        )
        try:
            with self._lock:
                chunks = list(self._voice.synthesize(text, syn_config=config))
        except Exception as exc:
            raise SynthesisError(f"piper không đọc được đoạn văn bản: {exc}") from exc
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        return Clip(pcm, self.info.sample_rate, "piper", voice)
