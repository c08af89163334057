"""Unfamiliar words that look like a medicine's generic name."""

from __future__ import annotations

import pytest

from bot.core.drugnames import looks_like_a_medicine


@pytest.mark.parametrize("word", ["metformin", "doxycycline", "semaglutide", "levothyroxine", "omeprazole",
                                  "alprazolam", "montelukast", "tamsulosin", "amoxicillin", "sertraline",
                                  # Pain relievers, heart-rhythm and other medicines asked about in real messages.
                                  "meloxicam", "ketorolac", "tramadol", "mercaptopurine", "memantine",
                                  "amiodarone", "verapamil", "clonidine", "pregabalin", "ticagrelor"])
def test_generic_names_carry_their_class_ending(word: str) -> None:
    assert looks_like_a_medicine(word)


@pytest.mark.parametrize("word", ["spine", "question", "rosin", "ozempic", "cholesterol", "metfor", "x1olol"])
def test_english_words_brands_and_short_words_are_not(word: str) -> None:
    # English words ("spine", "cholesterol") end like a class by chance; a brand ("Ozempic") carries no stem.
    assert not looks_like_a_medicine(word)
