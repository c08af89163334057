"""The NumPy forward pass gives the vectors the reference implementation gives.

Reference values: sentence-transformers 5 on PyTorch, all-MiniLM-L6-v2, max_seq_length 64,
normalised, computed once in a scratch environment (PyTorch is not a dependency).
"""

from __future__ import annotations

import builtins
import json
import shutil

import numpy as np
import pytest

from bot.core.sentence_model import MAX_TOKENS, SentenceEncoder, SentenceModelError

REFERENCE = {
    "how long does it take to recover from topic": [0.0201, -0.0375, 0.0533, 0.0391, 0.1177, 0.0367],
    "what are the side effects of topic": [0.0238, 0.0166, 0.0228, 0.0535, 0.0895, 0.0753],
    "is it safe to drive after the procedure?": [0.0432, 0.0296, -0.0436, 0.0023, -0.0188, -0.0252],
}


def test_vectors_match_the_reference_implementation(minilm):
    vectors = {text: minilm.encode(text) for text in REFERENCE}
    for text, expected in REFERENCE.items():
        assert vectors[text].dtype == np.float32 and vectors[text].shape == (384,)
        assert np.allclose(vectors[text][:6], expected, atol=5e-4), text
        assert abs(float(np.linalg.norm(vectors[text])) - 1.0) < 1e-5
    recover, side_effects, drive = vectors.values()
    assert abs(float(recover @ side_effects) - 0.3193) < 1e-3
    assert abs(float(recover @ drive) - 0.1160) < 1e-3


def test_alike_questions_point_alike(minilm):
    a = minilm.encode("what are the side effects of topic")
    b = minilm.encode("does topic have any bad reactions")
    c = minilm.encode("where can i read more about topic")
    assert float(a @ b) > float(a @ c) + 0.2


def test_a_long_message_reads_only_its_first_tokens(minilm):
    # Every word here is one token, and the tokenizer adds two markers around them.
    words = ["heart"] * (MAX_TOKENS - 2)
    assert np.allclose(minilm.encode(" ".join(words + ["valve"] * 500)), minilm.encode(" ".join(words)), atol=1e-6)


def test_empty_text_still_gives_a_unit_vector(minilm):
    assert abs(float(np.linalg.norm(minilm.encode(""))) - 1.0) < 1e-5


def test_the_digest_names_the_model(minilm, minilm_folder):
    assert minilm.digest == SentenceEncoder(minilm_folder).digest
    assert minilm.digest != SentenceEncoder(minilm_folder, max_tokens=32).digest


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
