"""The per-word memo stays bounded however many new words arrive."""

from __future__ import annotations

from bot.core import wordcache
from bot.core.wordcache import WordCache


def test_remember_returns_the_value_and_reads_are_plain_dict_reads() -> None:
    cache = WordCache()
    assert cache.remember("stent", ("stent", 1.0)) == ("stent", 1.0)
    assert cache.get("stent") == ("stent", 1.0) and cache.get("other") is None


def test_a_full_memo_starts_again_instead_of_growing(monkeypatch) -> None:
    monkeypatch.setattr(wordcache, "LIMIT", 3)
    cache = WordCache()
    for word in ("a", "b", "c", "d"):
        cache.remember(word, word.upper())
    assert len(cache) == 1 and cache["d"] == "D"
