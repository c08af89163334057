"""A message in Spanish gets a reply in both languages, with the emergency number."""

from __future__ import annotations

import pytest

from bot.core.language import is_spanish
from bot.core.normalize import normalize


@pytest.mark.parametrize(("text", "spanish"), [
    ("¿Qué es la angioplastia?", True),
    ("me duele el pecho", True),
    ("tengo dolor de pecho y falta de aire", True),
    ("what is angioplasty", False),
    ("is la angioplastia safe", False),  # an English word makes it English
    ("angioplastia", False),  # one word is too little to tell
    ("el stent", False),
])
def test_is_spanish(text: str, spanish: bool) -> None:
    assert is_spanish(normalize(text).split()) is spanish


def test_a_spanish_message_is_told_the_emergency_number_and_where_to_read(say) -> None:
    reply = say("me duele el pecho, ¿qué hago?")
    assert reply.kind == "fallback" and reply.topic is None
    text = reply.text
    assert "llame al 911" in text and "call 911" in text and "https://medlineplus.gov/spanish/" in text
    assert "llame al 999" in say("me duele el pecho", session="uk", locale="en-GB").text


def test_an_english_message_with_a_spanish_name_is_answered(say) -> None:
    assert say("what is angioplasty, la angioplastia?").topic_id == "angioplasty"
