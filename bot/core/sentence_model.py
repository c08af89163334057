"""A sentence encoder (a small BERT such as all-MiniLM-L6-v2), without PyTorch.

Word and word-pair statistics, however they are weighted, learn the wording of
the questions they were tuned on; a model pre-trained on a billion sentence
pairs carries over to how other people ask. Measured on real patient questions
kept aside, it is the first signal that does (docs/understanding.md).

It is optional (``pip install 'healthbot[model]'``, then point
``HEALTHBOT_SENTENCE_MODEL`` at a sentence-transformers folder), because it
costs what the rest of the engine does not: about 110 MB in each worker and
1-8 ms of CPU for each message it reads. The embeddings and pooling are NumPy;
the six layers run in int8 by ONNX Runtime (:mod:`bot.core.sentence_int8`) or,
without it, in float32 NumPy, written out here. PyTorch would add a gigabyte
of install and hundreds of megabytes per worker for the same arithmetic.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

#: Tokens read per message. The main ask is in the first sentences; measured on the
#: written questions, 64 tokens decide as well as 256 at a quarter of the cost.
MAX_TOKENS = 64
_NEEDED = ("config.json", "model.safetensors", "tokenizer.json")
_PREFIXES = ("0.auto_model.", "bert.", "model.")
#: How the transformer layers are run (see SentenceEncoder).
PRECISIONS = ("auto", "int8", "float32")


class SentenceModelError(Exception):
    """The model folder or the libraries it needs are missing or not usable; the text says the fix."""


#: BLAS libraries start a thread per core for each product. One message's matrices are small, so
#: threads cost more than they give, and under gunicorn's worker threads they fight for the cores:
#: with them, /api/chat served 40 requests a second instead of 358. Set before NumPy loads.
_ONE_THREAD = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _libraries() -> tuple[Any, Any, Any]:
    for name in _ONE_THREAD:
        os.environ.setdefault(name, "1")
    try:
        import numpy
        from safetensors import safe_open
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise SentenceModelError(
            f"the sentence model needs numpy, safetensors and tokenizers ({exc.name} is missing): "
            "pip install 'healthbot[model]'") from None
    return numpy, safe_open, Tokenizer


def _bert_name(key: str) -> str:
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


class SentenceEncoder:
    """Turns a text into a unit vector; texts that mean alike get vectors that point alike."""

    def __init__(self, folder: str | os.PathLike[str], *, max_tokens: int = MAX_TOKENS,
                 precision: str = "auto", cache_dir: str | os.PathLike[str] | None = None) -> None:
        """``precision``: "int8" runs the layers by ONNX Runtime (a quarter of the time), "float32" by
        NumPy (exactly the published model), "auto" the first whose libraries are installed.
        ``cache_dir`` keeps the int8 graph, so only the first start builds it."""
        if precision not in PRECISIONS:
            raise SentenceModelError(f"precision {precision!r} is not one of {', '.join(PRECISIONS)}")
        np, safe_open, Tokenizer = _libraries()
        self._np = np
        self.folder = Path(folder)
        missing = [name for name in _NEEDED if not (self.folder / name).is_file()]
        if missing:
            raise SentenceModelError(
                f"{self.folder} has no {', '.join(missing)}: point HEALTHBOT_SENTENCE_MODEL at the folder of a "
                "sentence-transformers BERT model (all-MiniLM-L6-v2 is the one measured)")
        config = json.loads((self.folder / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert" or config.get("hidden_act", "gelu") != "gelu":
            raise SentenceModelError(f"{self.folder}: only BERT models with GELU are supported, "
                                     f"not {config.get('model_type')!r}")
        pooling = self.folder / "1_Pooling" / "config.json"
        if pooling.is_file() and not json.loads(pooling.read_text(encoding="utf-8")).get("pooling_mode_mean_tokens", True):
            raise SentenceModelError(f"{pooling}: only mean pooling is supported")
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        self.max_tokens = min(max_tokens, int(config.get("max_position_embeddings", 512)))
        self.precision = self._precision(precision)
        self.digest = self._digest()
        run = None
        if self.precision == "int8":
            from bot.core import sentence_int8

            run = sentence_int8.cached(cache_dir, self.digest)
        try:
            # With the int8 graph built before, the float32 layers (60 MB) are not even read.
            self._w = self._weights(safe_open, layers=run is None)
            self._tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        except SentenceModelError:
            raise
        except Exception as exc:  # a damaged download: say which folder, not a library's traceback
            raise SentenceModelError(f"{self.folder}: the model files could not be read ({exc})") from None
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(self.max_tokens)
        self.dimensions = int(self._w["embeddings.word_embeddings.weight"].shape[1])
        if self.precision == "int8":
            if run is None:
                try:
                    graph = sentence_int8.build(self._w, self._layers, self._heads, self._eps)
                    run = sentence_int8.runner(graph)
                except Exception as exc:  # a library version that builds or runs the graph differently
                    raise SentenceModelError(f"{self.folder}: the int8 layers could not be built ({exc}); "
                                             "set HEALTHBOT_SENTENCE_PRECISION=float32 to run them in NumPy") from None
                sentence_int8.keep(cache_dir, self.digest, graph)
            self._w = {name: value for name, value in self._w.items() if not name.startswith("encoder.")}
        self._run_layers = run or self._float32_layers

    @staticmethod
    def _precision(asked: str) -> str:
        from bot.core.sentence_int8 import available

        if asked == "float32" or (asked == "auto" and not available()):
            return "float32"
        if not available():
            raise SentenceModelError("int8 precision needs onnx and onnxruntime: pip install 'healthbot[model]'")
        return "int8"

    def _weights(self, safe_open: Any, *, layers: bool = True) -> dict[str, Any]:
        """The tensors by their BERT names; without ``layers``, only the embeddings."""
        np = self._np
        weights: dict[str, Any] = {}
        with safe_open(str(self.folder / "model.safetensors"), framework="numpy") as tensors:
            stored = {_bert_name(key): key for key in tensors.keys()}
            for name, key in stored.items():
                if name.startswith("embeddings.") or (layers and name.startswith("encoder.")):
                    weights[name] = self._prepared(name, tensors.get_tensor(key))
        needed = ["embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
                  "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight"]
        if layers:
            needed += [f"encoder.layer.{i}.output.dense.weight" for i in range(self._layers)]
        absent = [name for name in needed if name not in weights]
        if absent:
            raise SentenceModelError(f"{self.folder}: model.safetensors lacks {absent[0]}; is it a BERT model?")
        return weights

    def _prepared(self, name: str, value: Any) -> Any:
        np = self._np
        # The word table is a third of the weights and only a message's own rows are read:
        # half precision halves its memory, and each row is widened when looked up.
        value = value.astype(np.float16 if name == "embeddings.word_embeddings.weight" else np.float32)
        if name.startswith("encoder.") and name.endswith(".weight") and value.ndim == 2:
            value = np.ascontiguousarray(value.T)  # stored (out, in); x @ w wants (in, out), contiguous is faster
        return value

    def _digest(self) -> str:
        """Names what the vectors depend on, so cached vectors of another model are never read."""
        digest = hashlib.sha256()
        for name in _NEEDED:
            with open(self.folder / name, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
        digest.update(f"|{self.max_tokens}|{self.precision}|".encode())
        digest.update(Path(__file__).read_bytes())  # a change to the arithmetic is a new model too
        if self.precision == "int8":
            digest.update((Path(__file__).parent / "sentence_int8.py").read_bytes())
        return digest.hexdigest()[:16]

    def encode(self, text: str) -> Any:
        """The mean of the last layer's token vectors, scaled to length 1 (a float32 array)."""
        np, w = self._np, self._w
        ids = self._tokenizer.encode(text or "").ids
        n = len(ids)
        x = (w["embeddings.word_embeddings.weight"][ids].astype(np.float32) + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        pooled = self._run_layers(self._norm(x, "embeddings.LayerNorm")).mean(axis=0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    def _float32_layers(self, x: Any) -> Any:
        np = self._np
        n = x.shape[0]
        heads = self._heads
        size = x.shape[1] // heads
        scale = 1.0 / size ** 0.5  # a Python float: a NumPy float64 here would turn every step into float64
        for i in range(self._layers):
            p = f"encoder.layer.{i}."
            q = self._linear(x, p + "attention.self.query").reshape(n, heads, size).transpose(1, 0, 2)
            k = self._linear(x, p + "attention.self.key").reshape(n, heads, size).transpose(1, 2, 0)
            v = self._linear(x, p + "attention.self.value").reshape(n, heads, size).transpose(1, 0, 2)
            a = (q @ k) * scale
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            context = (a @ v).transpose(1, 0, 2).reshape(n, heads * size)
            x = self._norm(x + self._linear(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            h = self._linear(x, p + "intermediate.dense")
            # GELU, tanh form: within 1e-5 of the exact one in the pooled vector; x*x*x, as ** is 100x slower.
            h = 0.5 * h * (1.0 + np.tanh(0.7978845608 * (h + 0.044715 * h * h * h)))
            x = self._norm(x + self._linear(h, p + "output.dense"), p + "output.LayerNorm")
        return x

    def _linear(self, x: Any, name: str) -> Any:
        return x @ self._w[name + ".weight"] + self._w[name + ".bias"]

    def _norm(self, x: Any, name: str) -> Any:
        mean = x.mean(-1, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(-1, keepdims=True)
        return centred / self._np.sqrt(var + self._eps) * self._w[name + ".weight"] + self._w[name + ".bias"]
