"""Notice a message written in Spanish, which the bot cannot answer yet.

The content is in English. A Spanish question would otherwise get "Sorry, I did
not understand that" in English, or a wrong guess; a patient in an emergency
would not be told what to do. Such a message gets a short reply in both
languages instead: call the emergency number if it is an emergency, and read
MedlinePlus in Spanish.
"""

from __future__ import annotations

#: Common Spanish words that are not also common English words (accents removed, as normalize does).
SPANISH = frozenset(
    "que es la el los las del por para como cual cuales donde cuando porque tengo tiene tienen mi mis "
    "me duele dolor corazon presion sangre puedo puede hay una y con sin pero muy esta estoy estan "
    "son ser fue hace tomar tomo pastilla pastillas medicina medicinas ataque cardiaco derrame "
    "cerebral pecho brazo falta aire mareo mareos ayuda necesito hijo hija esposo esposa madre padre "
    "mama papa despues antes cuanto cuantos tiempo recuperacion sintomas tratamiento causas".split()
)
#: Short English words a Spanish message rarely has; one of them makes the message English.
ENGLISH = frozenset("the what is are how my i you and of with have has does do can why when which".split())
MIN_SPANISH_WORDS = 2


def is_spanish(words: list[str]) -> bool:
    """True when most of the (normalised) words are Spanish and none is a telling English word."""
    if not words or not ENGLISH.isdisjoint(words):  # most messages: one set test, no counting
        return False
    spanish = sum(w in SPANISH for w in words)
    return spanish >= MIN_SPANISH_WORDS and spanish * 2 >= len(words)
