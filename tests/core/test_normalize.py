"""Normalisation: one place decides what "the same text" means."""

from __future__ import annotations

import pytest

from bot.core.normalize import normalize, sentences, stem, tokens


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("What is ANGIOPLASTY?!", "what is angioplasty"),
        ("Heart\u2019s  attack", "heart attack"),  # curly apostrophe, possessive, double space
        ("I'm not sure", "im not sure"),
        ("can\u2019t breathe", "cant breathe"),
        ("Caf\u00e9 na\u00efve", "cafe naive"),  # accents folded
        ("what\u200bis", "what is"),  # zero-width space is a separator, not glue
        ("line\x00one", "line one"),  # control characters
        ("\uff21\uff22\uff23", "abc"),  # full-width letters (NFKC)
        ("   ", ""),
        ("80%-90% blocked", "80 percent 90 percent blocked"),  # a share, not a reading of "80 90"
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_tokens_split_on_normalised_spaces() -> None:
    assert tokens("Stents, balloons & PCI.") == ["stents", "balloons", "pci"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("stents", "stent"),
        ("arteries", "artery"),
        ("crosses", "cross"),
        ("bypass", "bypass"),  # not a plural
        ("stenosis", "stenosis"),
        ("diabetes", "diabetes"),
        ("is", "is"),
        ("gas", "gas"),
        ("stent", "stent"),
        # Acronyms in the plural are the acronym: "DVTs", "ECGs", "PCIs", "MRIs".
        ("dvts", "dvt"),
        ("ecgs", "ecg"),
        ("cabgs", "cabg"),
        ("pcis", "pci"),
        ("mris", "mri"),
        ("iris", "iris"),  # a word ending in "is", not an acronym
        ("crisis", "crisis"),
    ],
)
def test_stem_is_a_light_plural_stemmer(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_sentences_split_subject_lines_and_questions() -> None:
    text = "Question about my dad\nHe had a stent. How long is recovery? Thanks"
    assert sentences(text) == ["Question about my dad", "He had a stent.", "How long is recovery?", "Thanks"]


def test_a_greeting_before_the_first_words_is_a_sentence_of_its_own() -> None:
    # "Hi doctor, what is Keytruda?": the question starts after the greeting.
    assert sentences("Hi doctor, what is keytruda? My mother has cancer.") == [
        "Hi doctor", "what is keytruda?", "My mother has cancer."]
    assert sentences("Dear Sir, I need help") == ["Dear Sir", "I need help"]
    assert sentences("Good morning sir/madam, my triglycerides are 680") == [
        "Good morning sir/madam", "my triglycerides are 680"]
    assert sentences("hi") == ["hi"]
    assert sentences("hey im new here") == ["hey im new here"]  # no comma: one sentence


def test_sentences_of_blank_text() -> None:
    assert sentences("  \n ") == []


def test_digits_of_other_scripts_become_ascii_digits() -> None:
    # A reading typed with Arabic-Indic digits is still a reading the safety rules can see.
    assert normalize("BP \u0661\u0668\u0660/\u0661\u0662\u0660") == "bp 180 120"
    assert normalize("\uff14\uff15 mg") == "45 mg"  # full-width


def test_contractions_are_words_not_misspellings():
    """"Aren't" reads as "arent", one letter from "agent": it must not be corrected into another word."""
    from pathlib import Path

    from bot.content.load import load_content
    from bot.core.knowledge import build

    knowledge = build(load_content(Path(__file__).resolve().parents[2], checks=[]))
    for word in ("arent", "isnt", "wont", "theyre"):
        assert knowledge.read_word(word) == (word, True)
