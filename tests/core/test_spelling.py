"""Typo correction: near misses reach the known word, and unsure guesses are no answer."""

from __future__ import annotations

from bot.core.spelling import TypoIndex

WORDS = ["cholesterol", "colestipol", "angioplasty", "atherosclerosis", "arrhythmia", "stent", "statin"]


def test_one_slip_reaches_the_known_word() -> None:
    index = TypoIndex(WORDS)
    assert index.correct("angioplasy") == "angioplasty"
    assert index.correct("arrythmia") == "arrhythmia"


def test_two_letters_left_out_of_a_long_word_is_still_that_word() -> None:
    # One-letter deletes of "cholesterol" never meet "colestrol": the long-word scan finds it, and
    # prefers the word it only needs letters put back into over "colestipol" (also two edits off).
    index = TypoIndex(WORDS)
    assert index.correct("colestrol") == "cholesterol"
    assert index.correct("atherosclerosus") == "atherosclerosis"


def test_two_equally_likely_words_are_no_answer() -> None:
    index = TypoIndex(["cardiograms", "cardiograph"])
    assert index.correct("cardiogra") is None  # two letters short of either


def test_everyday_words_and_other_first_letters_are_left_alone() -> None:
    index = TypoIndex(WORDS)
    assert index.correct("vagina") is None  # an English word is never "corrected"
    assert index.correct("kolesterol") is None  # people rarely get the first letter wrong


def test_two_vowels_wrong_in_a_name_heard_more_than_read() -> None:
    index = TypoIndex(["xarelto", "lipitor", "plavix"])
    assert index.correct("xeralto") == "xarelto"  # two vowels swapped: two edits, found by its consonants
    assert index.correct("lopotir") is None  # three vowels wrong is too far
    assert index.correct("xerolta") is None  # three vowels apart
    assert index.correct("plevox") == "plavix"
    assert TypoIndex(["coreg"]).correct("curig") is None  # under six letters, two vowels is too loose a match
    assert TypoIndex(["maralta", "morelto"]).correct("meralto") is None  # two vowels from each: a tie is no answer
