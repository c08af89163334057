"""The NumPy forward pass gives the vectors the reference implementation gives, and the int8
layers (ONNX Runtime) give nearly the same.

Reference values: sentence-transformers 5 on PyTorch, all-MiniLM-L6-v2, max_seq_length 64,
normalised, computed once in a scratch environment (PyTorch is not a dependency).
"""

from __future__ import annotations

import builtins
import json
import shutil

import numpy as np
import pytest

from bot.core import sentence_int8
from bot.core.sentence_model import MAX_TOKENS, SentenceEncoder, SentenceModelError

REFERENCE = {
    "how long does it take to recover from topic": [0.0201, -0.0375, 0.0533, 0.0391, 0.1177, 0.0367],
    "what are the side effects of topic": [0.0238, 0.0166, 0.0228, 0.0535, 0.0895, 0.0753],
    "is it safe to drive after the procedure?": [0.0432, 0.0296, -0.0436, 0.0023, -0.0188, -0.0252],
}


@pytest.fixture(params=["float32", "int8"])
def encoder(request, minilm, minilm_float32):
    return minilm_float32 if request.param == "float32" else minilm


def test_float32_vectors_match_the_reference_implementation(minilm_float32):
    assert minilm_float32.precision == "float32"
    vectors = {text: minilm_float32.encode(text) for text in REFERENCE}
    for text, expected in REFERENCE.items():
        assert vectors[text].dtype == np.float32 and vectors[text].shape == (384,)
        assert np.allclose(vectors[text][:6], expected, atol=5e-4), text
        assert abs(float(np.linalg.norm(vectors[text])) - 1.0) < 1e-5
    recover, side_effects, drive = vectors.values()
    assert abs(float(recover @ side_effects) - 0.3193) < 1e-3
    assert abs(float(recover @ drive) - 0.1160) < 1e-3


def test_int8_vectors_stay_close_to_float32(minilm, minilm_float32):
    # Measured: cosine 0.99 or more on CPUs with VNNI; without it (AVX2 only) ONNX Runtime rounds
    # differently: 0.985 or more for 200 written questions, 0.976 for the empty text (two tokens).
    # One scale per weight matrix (not per column) gave 0.95.
    assert minilm.precision == "int8"
    texts = [*REFERENCE, "my dad had a stent put in last week and he is tired all the time, is that normal?",
             "Eliquis and ibuprofen", ""]
    for text in texts:
        a, b = minilm.encode(text), minilm_float32.encode(text)
        assert a.dtype == np.float32 and a.shape == (384,)
        assert float(a @ b) > (0.98 if text else 0.97), text


def test_alike_questions_point_alike(encoder):
    a = encoder.encode("what are the side effects of topic")
    b = encoder.encode("does topic have any bad reactions")
    c = encoder.encode("where can i read more about topic")
    assert float(a @ b) > float(a @ c) + 0.2


def test_a_long_message_reads_only_its_first_tokens(encoder):
    # Every word here is one token, and the tokenizer adds two markers around them.
    words = ["heart"] * (MAX_TOKENS - 2)
    assert np.allclose(encoder.encode(" ".join(words + ["valve"] * 500)), encoder.encode(" ".join(words)), atol=1e-5)


def test_empty_text_still_gives_a_unit_vector(encoder):
    assert abs(float(np.linalg.norm(encoder.encode(""))) - 1.0) < 1e-5


def test_the_digest_names_the_model_and_its_arithmetic(minilm, minilm_float32, minilm_folder):
    assert minilm_float32.digest == SentenceEncoder(minilm_folder, precision="float32").digest
    assert minilm_float32.digest != SentenceEncoder(minilm_folder, precision="float32", max_tokens=32).digest
    # Cached vectors of one arithmetic are never read by the other.
    assert minilm.digest != minilm_float32.digest


def test_the_int8_graph_is_built_once_and_kept(tmp_path, minilm_folder, monkeypatch):
    first = SentenceEncoder(minilm_folder, precision="int8", cache_dir=tmp_path)
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == [f"layers-int8-{first.digest}.onnx"]

    def no_build(*args, **kwargs):
        raise AssertionError("the kept graph should have been read")

    monkeypatch.setattr(sentence_int8, "build", no_build)
    second = SentenceEncoder(minilm_folder, precision="int8", cache_dir=tmp_path)
    text = "how long is the hospital stay after bypass surgery"
    assert np.allclose(first.encode(text), second.encode(text), atol=1e-6)
    assert sorted(p.name for p in tmp_path.iterdir()) == kept


def test_an_unwritable_cache_folder_costs_only_the_build(tmp_path, minilm_folder, minilm, caplog):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with caplog.at_level("WARNING", logger="healthbot.sentence_model"):
        encoder = SentenceEncoder(minilm_folder, precision="int8", cache_dir=blocked / "cache")
    assert "not written" in caplog.text
    text = "is it safe to fly after a pacemaker"
    assert np.allclose(encoder.encode(text), minilm.encode(text), atol=1e-6)


def test_a_damaged_int8_graph_is_built_again(tmp_path, minilm_folder, minilm):
    digest = minilm.digest
    (tmp_path / f"layers-int8-{digest}.onnx").write_bytes(b"not a graph")
    encoder = SentenceEncoder(minilm_folder, precision="int8", cache_dir=tmp_path)
    text = "what are the risks of a pacemaker"
    assert np.allclose(encoder.encode(text), minilm.encode(text), atol=1e-6)


def test_without_onnx_runtime_auto_runs_float32_and_int8_names_the_fix(monkeypatch, minilm_folder, minilm_float32):
    monkeypatch.setattr(sentence_int8, "available", lambda: False)
    assert SentenceEncoder(minilm_folder).precision == "float32"
    with pytest.raises(SentenceModelError, match=r"int8 precision needs onnx and onnxruntime: pip install 'healthbot\[model\]'"):
        SentenceEncoder(minilm_folder, precision="int8")


def test_an_unknown_precision_is_refused(minilm_folder):
    with pytest.raises(SentenceModelError, match="precision 'int4' is not one of auto, int8, float32"):
        SentenceEncoder(minilm_folder, precision="int4")


def test_a_folder_without_the_model_files_says_what_it_needs(tmp_path):
    with pytest.raises(SentenceModelError, match="no config.json, model.safetensors, tokenizer.json"):
        SentenceEncoder(tmp_path)


def test_a_model_of_another_kind_is_refused(tmp_path, minilm_folder):
    for name in ("model.safetensors", "tokenizer.json"):
        (tmp_path / name).symlink_to(minilm_folder / name)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    with pytest.raises(SentenceModelError, match="only BERT"):
        SentenceEncoder(tmp_path)


def test_damaged_weights_are_a_clear_error(tmp_path, minilm_folder):
    shutil.copy(minilm_folder / "config.json", tmp_path)
    shutil.copy(minilm_folder / "tokenizer.json", tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"\x08\x00\x00\x00\x00\x00\x00\x00{broken}")
    with pytest.raises(SentenceModelError, match="could not be read"):
        SentenceEncoder(tmp_path)


def test_a_missing_library_names_the_install_command(monkeypatch, minilm_folder):
    real_import = builtins.__import__

    def without_tokenizers(name, *args, **kwargs):
        if name == "tokenizers":
            raise ModuleNotFoundError("No module named 'tokenizers'", name="tokenizers")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_tokenizers)
    with pytest.raises(SentenceModelError, match=r"tokenizers is missing\): pip install 'healthbot\[model\]'"):
        SentenceEncoder(minilm_folder)
