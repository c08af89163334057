"""A memo of how one word reads, kept per content snapshot.

Most words of a message were seen in earlier messages, so stemming, typo
correction and look-ups are done once per word. The memo is bounded: text
made of endless new words (typos, noise, an attack) empties it instead of
growing it without end.
"""

from __future__ import annotations

from typing import TypeVar

V = TypeVar("V")

#: Words remembered before the memo starts again; a few megabytes at most.
LIMIT = 50_000


class WordCache(dict):
    """A dict whose ``remember`` clears it when full; reads are plain (fast) dict reads."""

    def remember(self, word: str, value: V) -> V:
        if len(self) >= LIMIT:
            self.clear()
        self[word] = value
        return value
