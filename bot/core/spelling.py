"""Typo correction against a known vocabulary: topic names, or the words questions are asked with.

A symmetric-delete index (as in SymSpell) finds the known words within one
edit, or two for words of eight letters or more, without scanning them all.
Names heard more than read often have two vowels wrong ("xeralto"): words of six letters
or more that differ from a known word only there are corrected too.
Two guards keep it honest: a common English word is never "corrected"
("vagina" is not "angina"), and the first letter must match, because people
rarely get the first letter wrong. A tie between two candidates is no answer.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from importlib import resources
from typing import Iterable

from rapidfuzz.distance import Indel, Levenshtein

from bot.core.wordcache import WordCache

#: Shortest word worth correcting; shorter words have too many neighbours.
MIN_TYPO_LEN = 5


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words (SCOWL; see data/english-words.COPYRIGHT)."""
    text = resources.files("bot.core").joinpath("data/english-words.txt").read_text(encoding="utf-8")
    return frozenset(text.split())


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


#: Words this long may be two edits off in any way, two letters left out too ("colestrol").
LONG_WORD = 9
#: Words this long may have two vowels wrong ("xeralto" for "xarelto"): the slip people make most
#: with names they have only heard, and one that leaves the word's consonants to vouch for it.
VOWEL_SLIP_LEN = 6
_BLANK_VOWELS = str.maketrans("aeiouy", "******")


class TypoIndex:
    """The known word a misspelling most likely meant, or None when unsure."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        #: Tuples, not sets: most deletes lead to one word, and a set of one costs four times a tuple
        #: (several MB over a 1,000-topic vocabulary, counted in every worker); built as tuples
        #: directly, which is also faster than making sets.
        index: dict[str, tuple[str, ...]] = {}
        get = index.get
        #: Long known words by first letter: one-letter deletes cannot meet a word missing two letters.
        self._long: dict[str, list[str]] = defaultdict(list)
        #: Known words by their letters with every vowel but the first letter blanked: words that
        #: differ only in vowels share one entry.
        self._by_skeleton: dict[str, list[str]] = defaultdict(list)
        for word in self.words:
            if len(word) >= MIN_TYPO_LEN:
                for d in (word, *_deletes(word)):  # each word once per key: words and deletes are sets
                    index[d] = get(d, ()) + (word,)
            if len(word) >= LONG_WORD:
                self._long[word[0]].append(word)
            if len(word) >= VOWEL_SLIP_LEN:
                self._by_skeleton[_skeleton(word)].append(word)
        self._index = index
        self._cache: WordCache = WordCache()

    def correct(self, word: str) -> str | None:
        if word in self.words:
            return word
        if len(word) < MIN_TYPO_LEN or word.isdigit() or word in english_words():
            return None
        if word in self._cache:
            return self._cache[word]
        limit = 1 if len(word) < 8 else 2
        candidates: set[str] = set(self._index.get(word, ()))
        for d in _deletes(word):
            candidates.update(self._index.get(d, ()))
        best: str | None = None
        best_dist = limit + 1
        for cand in sorted(candidates):
            if cand[0] != word[0]:
                continue
            dist = Levenshtein.distance(word, cand, score_cutoff=limit)
            if dist < best_dist:
                best, best_dist = cand, dist
        if best is None and len(word) >= LONG_WORD - 2:
            best = self._two_off(word)
        if best is None and len(word) >= VOWEL_SLIP_LEN:
            best = self._vowel_slip(word)
        return self._cache.remember(word, best)

    def _vowel_slip(self, word: str) -> str | None:
        """The one known word, same first letter and length, that differs only in two vowels or fewer."""
        near = [cand for cand in self._by_skeleton.get(_skeleton(word), ())
                if sum(a != b for a, b in zip(word, cand)) <= 2]
        return near[0] if len(near) == 1 else None

    def _two_off(self, word: str) -> str | None:
        """The one long known word within two edits of ``word``, scanning words of its first letter.

        Among equally near ones, the word that needs only letters put in or taken out
        ("colestrol" -> "cholesterol", not "colestipol") is the likelier slip; still a tie is no answer.
        """
        near = [cand for cand in self._long.get(word[0], ())
                if abs(len(cand) - len(word)) <= 2 and Levenshtein.distance(word, cand, score_cutoff=2) <= 2]
        if len(near) > 1:
            ranked = sorted((Indel.distance(word, cand), cand) for cand in near)
            near = [] if ranked[0][0] == ranked[1][0] else [ranked[0][1]]
        return near[0] if near else None


def _skeleton(word: str) -> str:
    """The word with each vowel after the first letter blanked: "xarelto" and "xeralto" both give "x*r*lt*"."""
    return word[0] + word[1:].translate(_BLANK_VOWELS)
