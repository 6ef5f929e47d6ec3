"""piper engine with a tiny voice model built here (no download, no real voice needed).

The model has piper's interface (input ids, their lengths, three scales -> audio) and makes a
tone whose length grows with the number of phonemes; piper's own code phonemises Vietnamese
with its bundled espeak-ng and runs the model through onnxruntime.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from reader_service.engines.piper_engine import PiperEngine
from reader_service.errors import EngineUnavailableError
from reader_service.models import Article, SynthesisOptions

SAMPLES_PER_PHONEME = 200
SAMPLE_RATE = 16_000


def build_tiny_voice(folder: Path) -> Path:
    """vi_VN-test-tiny.onnx and its .onnx.json, in the layout piper loads."""
    graph = helper.make_graph(
        [
            helper.make_node("Cast", ["input"], ["ids"], to=TensorProto.FLOAT),
            helper.make_node("Mul", ["ids", "step"], ["phase"]),
            helper.make_node("Unsqueeze", ["phase", "axis"], ["column"]),
            helper.make_node("Tile", ["column", "repeats"], ["tiled"]),
            helper.make_node("Sin", ["tiled"], ["output"]),
        ],
        "tiny-piper",
        [
            helper.make_tensor_value_info("input", TensorProto.INT64, [1, None]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, None])],
        initializer=[
            numpy_helper.from_array(np.array(0.37, dtype=np.float32), "step"),
            numpy_helper.from_array(np.array([1], dtype=np.int64), "axis"),
            numpy_helper.from_array(
                np.array([1, 1, SAMPLES_PER_PHONEME], dtype=np.int64), "repeats"
            ),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    path = folder / "vi_VN-test-tiny.onnx"
    onnx.save(model, str(path))
    from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

    config = {
        "audio": {"sample_rate": SAMPLE_RATE},
        "espeak": {"voice": "vi"},
        "phoneme_type": "espeak",
        "num_symbols": 256,
        "num_speakers": 1,
        "phoneme_id_map": DEFAULT_PHONEME_ID_MAP,
        "inference": {"noise_scale": 0.667, "length_scale": 1.0, "noise_w": 0.8},
    }
    Path(f"{path}.json").write_text(json.dumps(config), "utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_voice(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_voice(tmp_path_factory.mktemp("piper"))


def test_piper_speaks_vietnamese_with_an_operator_voice(tiny_voice: Path) -> None:
    engine = PiperEngine(tiny_voice)
    assert engine.info.voices == ("vi_VN-test-tiny",) and not engine.info.online
    short = engine.synthesize("Xin chào.", "vi_VN-test-tiny", SynthesisOptions())
    longer = engine.synthesize(
        "Xin chào các bạn, hôm nay trời đẹp.", "vi_VN-test-tiny", SynthesisOptions()
    )
    assert short.sample_rate == SAMPLE_RATE and short.engine == "piper"
    assert 0 < short.duration_ms < longer.duration_ms
    assert any(short.pcm)


def test_piper_reads_an_article_through_the_pipeline(
    tiny_voice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader_service import engines
    from reader_service.pipeline import ReadOptions, render

    monkeypatch.setitem(engines._instances, "piper", PiperEngine(tiny_voice))
    options = ReadOptions(engine="piper", voice="vi_VN-test-tiny")
    rendition = render(
        Article(title="Thông báo", paragraphs=("Ngày 14/5, hội nghị họp.",)), options
    )
    assert rendition.engines == ("piper",) and len(rendition.cues) == 2


def test_missing_or_unconfigured_voice_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailableError, match=r"\.onnx\.json"):
        PiperEngine(tmp_path / "nothing.onnx")
