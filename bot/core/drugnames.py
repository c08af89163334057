"""Whether an unfamiliar word is the generic name of a medicine.

Generic names carry the ending of their drug class (metformin, doxycycline, semaglutide), so
a question about a medicine the bot does not cover still reads as one about a medicine: "can
X cause pancreatitis?" asks about a side effect, not the causes of pancreatitis.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from bot.core.spelling import english_words

#: Shorter words ending like a stem are mostly something else ("osin" in "rosin").
MIN_LEN = 7


@lru_cache(maxsize=1)
def _endings() -> tuple[str, ...]:
    text = resources.files("bot.core").joinpath("data/medicine-stems.txt").read_text(encoding="utf-8")
    return tuple(sorted({line.strip().lower() for line in text.splitlines()
                         if line.strip() and not line.startswith("#")}, key=len, reverse=True))


def looks_like_a_medicine(word: str) -> bool:
    """True for a word outside the dictionary that ends like a drug class: "metformin", "ozempic" not."""
    return len(word) >= MIN_LEN and word.isalpha() and word.endswith(_endings()) and word not in english_words()
