"""The second opinion: when it is asked, what it may change, and how its vectors are kept."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from bot.core import second_opinion as so
from bot.core.second_opinion import OTHER, SecondOpinion, VectorCache, train

WORDS = ("recover", "risk", "cost", "what")


class WordEncoder:
    """A stand-in for the sentence model: one dimension per key word, counting its calls."""

    dimensions = len(WORDS)
    digest = "words-v1"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, text: str) -> np.ndarray:
        self.calls += 1
        v = np.array([1.0 if w in text else 0.0 for w in WORDS], dtype=np.float32) + 0.01
        return v / np.linalg.norm(v)


SAMPLES = [("recovery", f"how long to recover from topic {i}") for i in range(8)]
SAMPLES += [("risks", f"is there a risk with topic {i}") for i in range(8)]
SAMPLES += [(OTHER, f"what does topic cost {i}") for i in range(8)]
SAMPLES += [("greet", f"what {i}") for i in range(2)]


def trained(tmp_path=None, encoder=None) -> SecondOpinion:
    return train(encoder or WordEncoder(), SAMPLES, ["recovery", "risks"], lambda text: text, tmp_path)


def test_it_learns_the_labels_of_its_phrasings():
    opinion = trained()
    assert opinion.opinion("recover").intent == "recovery"
    assert opinion.opinion("risk").intent == "risks"
    assert opinion.opinion("cost").intent == OTHER
    assert opinion.opinion("risk").probability > 0.6
    assert opinion.answerable == {"recovery", "risks"}


def test_sure_cues_are_kept_without_asking_the_model():
    opinion = trained()
    encoder = opinion.encoder
    before = encoder.calls
    ranked = [("what_is", so.ASK_BELOW + 0.01)]
    assert opinion.revise(ranked, "risk") == (ranked, None)
    assert encoder.calls == before


def test_unsure_cues_give_way_to_a_sure_model():
    ranked, said = trained().revise([("what_is", 0.3), ("risks", 0.2)], "any risk here")
    assert said is not None and said.intent == "risks"
    assert ranked == [("risks", so.REVISED_SCORE), ("what_is", 0.3)]


def test_fragments_and_short_statements_are_not_asked_about():
    opinion = trained()
    ranked = [("what_is", 0.3)]
    assert opinion.revise(ranked, "and risk") == (ranked, None)
    assert opinion.revise(ranked, "i am worried about the risk", asks=False) == (ranked, None)
    long_statement = "my ankles swell and i wonder about the risk since the doctor started it"
    assert opinion.revise(ranked, long_statement, asks=False)[0][0] == ("risks", so.REVISED_SCORE)
    assert opinion.revise(ranked, "i am worried about the risk", asks=True)[0][0] == ("risks", so.REVISED_SCORE)


def test_no_intent_at_all_gets_one_from_the_model():
    ranked, _ = trained().revise([], "how to recover")
    assert ranked == [("recovery", so.REVISED_SCORE)]


def test_the_model_never_turns_a_message_into_other_or_a_fixed_reply():
    opinion = trained()
    ranked = [("personal_advice", 0.4)]
    assert opinion.revise(ranked, "what it will cost")[0] == ranked  # "other": the cues' reading stands
    opinion.answerable = frozenset({"recovery"})  # risks no longer answerable
    assert opinion.revise(ranked, "any risk here")[0] == ranked


def test_a_request_for_personal_advice_keeps_its_reply():
    # "can I skip my pill before the surgery?": whom to ask, even if the model reads risks in it.
    ranked = [("personal_advice", so.KEEP_AT), ("risks", 0.2)]
    assert trained().revise(ranked, "any risk here") == (ranked, None)


def test_an_unsure_model_changes_nothing(monkeypatch):
    monkeypatch.setattr(so, "MIN_PROBABILITY", 0.999)
    ranked = [("what_is", 0.3)]
    assert trained().revise(ranked, "any risk here")[0] == ranked


def test_the_same_phrasings_give_the_same_model():
    a, b = trained(), trained()
    assert np.array_equal(a._weights, b._weights) and a.classes == b.classes


def test_vectors_are_read_back_instead_of_encoded_again(tmp_path):
    trained(tmp_path)
    encoder = WordEncoder()
    again = trained(tmp_path, encoder)
    assert encoder.calls == 0
    assert again.opinion("risk").intent == "risks"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and names[0].startswith("classifier-") and names[1] == "sentences-words-v1.npz"


def test_only_new_phrasings_are_encoded_and_removed_ones_are_dropped(tmp_path):
    trained(tmp_path)
    encoder = WordEncoder()
    cache = VectorCache(tmp_path, encoder)
    cache.vectors([text for _, text in SAMPLES[:3]] + ["a new recover phrasing"])
    assert encoder.calls == 1
    assert len(cache._read()) == 4


def test_a_damaged_cache_is_encoded_again(tmp_path, caplog):
    (tmp_path / "sentences-words-v1.npz").write_bytes(b"not a numpy file")
    encoder = WordEncoder()
    with caplog.at_level(logging.WARNING, logger="healthbot.second_opinion"):
        opinion = trained(tmp_path, encoder)
    assert encoder.calls == len(SAMPLES)
    assert opinion.opinion("recover").intent == "recovery"
    assert "not usable" in caplog.text
    assert len(VectorCache(tmp_path, encoder)._read()) == len(SAMPLES)  # and rewritten whole


def test_vectors_of_another_shape_are_not_used(tmp_path):
    trained(tmp_path)

    class Wider(WordEncoder):
        dimensions = 5

        def encode(self, text: str) -> np.ndarray:
            self.calls += 1
            return np.ones(5, dtype=np.float32) / np.sqrt(5)

    encoder = Wider()
    VectorCache(tmp_path, encoder).vectors(["recover"])
    assert encoder.calls == 1


def test_an_unwritable_cache_folder_costs_only_the_encoding(tmp_path, caplog):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="healthbot.second_opinion"):
        opinion = trained(blocked / "cache")
    assert opinion.opinion("risk").intent == "risks"
    assert "not written" in caplog.text


def _counting_fits(monkeypatch) -> list[int]:
    fits: list[int] = []
    real_fit = so._fit

    def fit(x, y, n):
        fits.append(len(y))
        return real_fit(x, y, n)

    monkeypatch.setattr(so, "_fit", fit)
    return fits


def test_the_fitted_classifier_is_read_back_while_the_phrasings_stay_the_same(tmp_path, monkeypatch):
    fits = _counting_fits(monkeypatch)
    first = trained(tmp_path)
    again = trained(tmp_path)
    assert fits == [len(SAMPLES)]
    assert np.array_equal(first._weights, again._weights) and np.array_equal(first._bias, again._bias)


def test_new_phrasings_are_fitted_again_and_the_old_fit_dropped(tmp_path, monkeypatch):
    fits = _counting_fits(monkeypatch)
    trained(tmp_path)
    train(WordEncoder(), SAMPLES + [("risks", "one more risk")], ["recovery", "risks"], lambda t: t, tmp_path)
    assert fits == [len(SAMPLES), len(SAMPLES) + 1]
    assert len(list(tmp_path.glob("classifier-*.npz"))) == 1


def test_a_damaged_fit_is_fitted_again(tmp_path, monkeypatch):
    trained(tmp_path)
    for path in tmp_path.glob("classifier-*.npz"):
        path.write_bytes(b"damaged")
    fits = _counting_fits(monkeypatch)
    assert trained(tmp_path).opinion("risk").intent == "risks"
    assert fits == [len(SAMPLES)]


def test_vectors_of_another_model_are_removed_once_new_ones_are_written(tmp_path):
    stale = tmp_path / "sentences-an-older-model.npz"
    stale.write_bytes(b"old")
    trained(tmp_path)
    assert not stale.exists()
    assert (tmp_path / "sentences-words-v1.npz").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left
