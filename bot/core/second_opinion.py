"""A second opinion on what a message asks, for the messages the cues are unsure of.

The cues and example likeness (:mod:`bot.core.intents`) decide most messages
well and in microseconds. When their best score is low, a sentence model
(:mod:`bot.core.sentence_model`) reads the masked message and a linear
classifier over its vector, trained on labelled phrasings, names the intent.
It changes the answer only to an intent that answers from a topic, and only
when it is fairly sure. On the real patient questions kept aside it turned 4
answers right and 1 wrong (of 82), and it reads up to 5 points more of each
written set kept aside (docs/understanding.md).

The training phrasings are content (``data/phrasings/*.jsonl`` and every
intent's examples), so staff teach the model by adding lines, and a reload
retrains it. Vectors of phrasings already seen are kept on disk, so a reload
reads only the new ones.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import numpy as np  # present whenever a SentenceEncoder could be made

from bot.core.cachefiles import load, store
from bot.core.sentence_model import SentenceEncoder

log = logging.getLogger("healthbot.second_opinion")

#: The label of phrasings that ask something no topic answer covers (a dose, a cost).
OTHER = "other"
#: The cues' best score under which the sentence model is asked, and how sure it must be to
#: change the intent: chosen on the real questions of the tuning part (no answer lost there)
#: and the written questions kept aside, never on the real questions kept aside.
ASK_BELOW = 0.7
MIN_PROBABILITY = 0.4
#: The score the changed intent gets: enough to answer, below a cue's sure match.
REVISED_SCORE = ASK_BELOW
#: Fewer masked words than this ("and topic") is a fragment that the conversation explains.
MIN_WORDS = 3
#: A statement without a question, shorter than this, gets the cues' reading (often a question back).
STATEMENT_WORDS = 10
#: Readings the model never overrides once the cues find them at all (the engine's least
#: score for an intent): a question about one's own care gets the reply that says whom to ask,
#: even where the model reads a medical question in it. Safety over the 2 in 224 it cost.
KEEP = frozenset({"personal_advice"})
KEEP_AT = 0.3
#: L2 penalty of the classifier: 1 / (2 * C * phrasings), with C = 1 as measured.
PENALTY_C = 1.0
_STEPS = 400
_CLASSIFIER = "classifier-"
_SENTENCES = "sentences-"


@dataclass(frozen=True, slots=True)
class Opinion:
    intent: str
    probability: float


class SecondOpinion:
    """A trained classifier with the encoder it reads through; one per content snapshot."""

    def __init__(self, encoder: SentenceEncoder, classes: Sequence[str], weights: Any, bias: Any,
                 answerable: Iterable[str], trained_on: int = 0) -> None:
        self.encoder = encoder
        #: How many phrasings it learnt from.
        self.trained_on = trained_on
        self.classes = list(classes)
        self._weights, self._bias = weights, bias
        #: Intents it may change to: those answered from a topic's content.
        self.answerable = frozenset(answerable) & set(self.classes)

    def opinion(self, masked_text: str) -> Opinion:
        probs = _softmax(self.encoder.encode(masked_text) @ self._weights + self._bias)
        best = int(np.argmax(probs))
        return Opinion(self.classes[best], float(probs[best]))

    def revise(self, ranked: list[tuple[str, float]], masked_text: str,
               asks: bool = True) -> tuple[list[tuple[str, float]], Opinion | None]:
        """``ranked`` with the model's intent first when the cues are unsure and the model is not.

        ``asks``: the message has a question in it. A statement alone ("I'm worried about his
        heart attack") is better met with a question back than with a guess at what it asks.
        """
        top, score = ranked[0] if ranked else ("", 0.0)
        words = len(masked_text.split())
        if (score >= ASK_BELOW or (top in KEEP and score >= KEEP_AT)
                or words < MIN_WORDS or (not asks and words < STATEMENT_WORDS)):
            return ranked, None
        said = self.opinion(masked_text)
        if said.intent not in self.answerable or said.probability < MIN_PROBABILITY or said.intent == top:
            return ranked, said
        rest = [(intent, s) for intent, s in ranked if intent != said.intent]
        return [(said.intent, REVISED_SCORE), *rest], said


def train(encoder: SentenceEncoder, samples: Sequence[tuple[str, str]], answerable: Iterable[str],
          mask: Callable[[str], str], cache_dir: str | os.PathLike[str] | None = None) -> SecondOpinion:
    """Fit the classifier on (intent, text) pairs, each text masked as the engine masks a message."""
    texts = [mask(text) for _, text in samples]
    vectors = VectorCache(cache_dir, encoder).vectors(texts)
    classes = sorted({intent for intent, _ in samples})
    index = {c: i for i, c in enumerate(classes)}
    labels = np.array([index[intent] for intent, _ in samples], dtype=np.int64)
    weights, bias = _fitted(cache_dir, vectors, labels, len(classes))
    return SecondOpinion(encoder, classes, weights, bias, answerable, len(samples))


def _fitted(cache_dir: str | os.PathLike[str] | None, x: Any, y: Any, n_classes: int) -> tuple[Any, Any]:
    """The classifier for these vectors and labels: read back when fitted before, else fitted and kept.

    Fitting is a third of a reload with the model, and most reloads change no phrasing. The
    file is named by a digest of everything the fit depends on, this module's code included.
    """
    if cache_dir is None:
        return _fit(x, y, n_classes)
    digest = hashlib.blake2b(x.tobytes(), digest_size=16)
    digest.update(y.tobytes())
    digest.update(f"|{n_classes}|{PENALTY_C}|{_STEPS}|".encode())
    digest.update(Path(__file__).read_bytes())
    path = Path(cache_dir) / f"{_CLASSIFIER}{digest.hexdigest()}.npz"
    stored = _read_npz(path)
    if stored and stored["weights"].shape == (x.shape[1], n_classes) and stored["bias"].shape == (n_classes,):
        return stored["weights"].astype(np.float32), stored["bias"].astype(np.float32)
    weights, bias = _fit(x, y, n_classes)
    _write_npz(path, f"{_CLASSIFIER}*.npz", weights=weights, bias=bias)  # one set of phrasings at a time
    return weights, bias


def _read_npz(path: Path | None) -> dict[str, Any]:
    """The arrays of a file this module wrote; {} when it is missing or damaged (then work is redone)."""
    return load(path, _arrays, log) or {}


def _arrays(path: Path) -> dict[str, Any]:
    with np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def _write_npz(path: Path, others: str, **arrays: Any) -> None:
    """Keep ``arrays`` in ``path``, in place of the older versions matching ``others``."""
    store(path, lambda out: np.savez(out, **arrays), others, log)


def _softmax(z: Any) -> Any:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def _fit(x: Any, y: Any, n_classes: int) -> tuple[Any, Any]:
    """Multinomial logistic regression, L2-penalised, by full-batch gradient descent with Adam.

    Deterministic (zero start, fixed steps), so the same phrasings give the same model.
    """
    n, d = x.shape
    onehot = np.zeros((n, n_classes), dtype=np.float32)
    onehot[np.arange(n), y] = 1.0
    w = np.zeros((d, n_classes), dtype=np.float32)
    b = np.zeros(n_classes, dtype=np.float32)
    penalty = 1.0 / (PENALTY_C * n)
    m_w, v_w, m_b, v_b = np.zeros_like(w), np.zeros_like(w), np.zeros_like(b), np.zeros_like(b)
    rate, beta1, beta2 = 0.05, 0.9, 0.999
    for step in range(1, _STEPS + 1):
        p = _softmax(x @ w + b)
        err = (p - onehot) / n
        g_w = x.T @ err + penalty * w
        g_b = err.sum(axis=0)
        m_w = beta1 * m_w + (1 - beta1) * g_w
        v_w = beta2 * v_w + (1 - beta2) * g_w * g_w
        m_b = beta1 * m_b + (1 - beta1) * g_b
        v_b = beta2 * v_b + (1 - beta2) * g_b * g_b
        c1, c2 = 1 - beta1 ** step, 1 - beta2 ** step
        w -= rate * (m_w / c1) / (np.sqrt(v_w / c2) + 1e-8)
        b -= rate * (m_b / c1) / (np.sqrt(v_b / c2) + 1e-8)
    return w, b


class VectorCache:
    """Sentence vectors by text digest, in one file per model under the cache folder.

    Encoding two thousand phrasings takes about 20 seconds; a reload that changed one
    line should not pay that again. Each write keeps only the texts of the latest
    training, so removed phrasings do not pile up. A missing, damaged or unwritable
    file costs only the encoding it would have saved.
    """

    def __init__(self, folder: str | os.PathLike[str] | None, encoder: SentenceEncoder) -> None:
        self.encoder = encoder
        self.path = Path(folder) / f"{_SENTENCES}{encoder.digest}.npz" if folder else None

    def _read(self) -> dict[bytes, Any]:
        stored = _read_npz(self.path)
        keys, vectors = stored.get("keys"), stored.get("vectors")
        if keys is None or vectors is None or vectors.ndim != 2 or vectors.shape[1] != self.encoder.dimensions \
                or len(keys) != len(vectors):
            return {}  # none, damaged, or from elsewhere: encode afresh
        return {bytes(k): v for k, v in zip(keys, vectors.astype(np.float32))}

    def vectors(self, texts: Sequence[str]) -> Any:
        known = self._read()
        keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
        out = np.zeros((len(texts), self.encoder.dimensions), dtype=np.float32)
        fresh = 0
        for i, (key, text) in enumerate(zip(keys, texts)):
            vector = known.get(key)
            if vector is None:
                vector = known[key] = self.encoder.encode(text)
                fresh += 1
            out[i] = vector
        if fresh and self.path is not None:
            # Vectors of another model or an older encoder will never be read again.
            _write_npz(self.path, f"{_SENTENCES}*.npz", keys=np.array(keys, dtype="S16"), vectors=out)
        return out

