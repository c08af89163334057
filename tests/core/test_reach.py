"""How far a pattern's matches reach in a normalised text (see bot.core.reach)."""

from __future__ import annotations

import re._parser as _parser

import pytest

from bot.core import reach


def of(pattern: str) -> reach.Reach | None:
    return reach.of(_parser.parse(pattern))


@pytest.mark.parametrize(
    ("pattern", "width"),
    [
        (r"\bchest pain\b", (10, 0, 0)),
        (r"\b(i|my \w+) cant breathe\b", (16, 1, 0)),  # "my " + a word + " cant breathe"
        (r"\b(a|bb)( \w+){0,3} c\s*$", (2 + 3 + 2, 3, 1)),
        (r"\bpain\b.{0,40}\bnow\b", (47, 0, 0)),
        (r"\bx[^ ]+", (1, 1, 0)),
    ],
)
def test_width_of_a_match(pattern: str, width: reach.Linear) -> None:
    found = of(pattern)
    assert found is not None and found.width == width


@pytest.mark.parametrize("pattern", [r"\bhow long .* recover", r"a.+", r"(ab)+", r"(?i)pain\w+", r"(a)\1", r"x?", r"[^x]+"])
def test_unbounded_or_empty_matches_have_no_reach(pattern: str) -> None:
    assert of(pattern) is None


def test_look_aheads_count_in_what_an_attempt_reads() -> None:
    found = of(r"\bpain\b(?! (gone|over))")
    assert found is not None and found.width == (4, 0, 0)
    assert found.reads == (4 + 5 + 2, 0, 0)  # " gone" is the longest look-ahead, plus a peek
    assert found.chars(word=12, gap=1) == (4, 11)
