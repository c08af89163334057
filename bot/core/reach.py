"""How far a match of a staff-written pattern can stretch in a normalised text.

A normalised text holds only lower-case letters, digits and spaces. There,
``\\w+`` cannot run past the end of a word, nor ``\\s*`` past a run of spaces:
a pattern such as ``(i|my \\w+) (cant|cannot) breathe`` has no fixed widest
match, but none wider than a few words of the text at hand. ``Reach`` keeps
that bound as "so many characters, plus so many times the longest word, plus
so many times the longest run of spaces", for ``PatternSet.matches`` to search
a long message only near the words a pattern needs.

Read from the parsed pattern (CPython's ``re._parser``, as ``bot.core.patterns``
reads it); anything not understood here makes the pattern unbounded, so it runs
over the whole text as before.
"""

from __future__ import annotations

import re._constants as _constants
import re._parser as _parser
from string import ascii_lowercase, digits
from typing import NamedTuple

#: A length as (characters, times the longest word, times the longest run of spaces).
Linear = tuple[int, int, int]
_NOTHING: Linear = (0, 0, 0)
_ONE: Linear = (1, 0, 0)
#: The characters of a normalised text other than the space.
_WORD_CHARS = ascii_lowercase + digits
_SINGLE = (_constants.LITERAL, _constants.NOT_LITERAL, _constants.ANY, _constants.IN)
_REPEATS = (_constants.MAX_REPEAT, _constants.MIN_REPEAT, getattr(_constants, "POSSESSIVE_REPEAT", None))
_LOOKS = (_constants.ASSERT, _constants.ASSERT_NOT)
_ATOMIC = getattr(_constants, "ATOMIC_GROUP", None)


class Reach(NamedTuple):
    """The widest match, and how far past its start an attempt to match reads (look-aheads, a
    peek at the next character for "\\b"), each as a ``Linear``."""

    width: Linear
    reads: Linear

    def chars(self, word: int, gap: int) -> tuple[int, int]:
        """(widest match, farthest read) in characters, in a text whose longest word is ``word``
        characters long and whose longest run of spaces is ``gap``."""
        return _size(self.width, word, gap), _size(self.reads, word, gap)


def of(parsed: _parser.SubPattern) -> Reach | None:
    """The reach of a parsed pattern; None when unbounded, or when a match may be empty."""
    if parsed.state.flags & _constants.SRE_FLAG_IGNORECASE or parsed.getwidth()[0] == 0:
        return None  # case folding would widen the classes read below; an empty match never ends
    walked = _walk(parsed.data)
    if walked is None:
        return None
    width, ahead = walked
    return Reach(width, _add(_add(width, ahead), (2, 0, 0)))  # a peek at one character, with one to spare


def _walk(items: list) -> tuple[Linear, Linear] | None:
    """The widest that ``items`` can match, and how far past where it stands a look-ahead among
    them may read (every look-ahead's width added up: a bound, however they nest)."""
    chars = 0  # one-character items, counted apart: most items are plain letters
    width, ahead = _NOTHING, _NOTHING
    for op, arg in items:
        if op in _SINGLE:
            chars += 1
            continue
        if op is _constants.AT:
            continue
        if op in _LOOKS:  # matches no characters; a look-ahead reads on, a look-behind back
            inner = _walk(arg[1].data)
            if inner is None:
                return None
            ahead = _add(ahead, _add(inner[0], inner[1]))
            continue
        if op is _constants.SUBPATTERN:
            inner = None if arg[1] & _constants.SRE_FLAG_IGNORECASE else _walk(arg[-1].data)
        elif op is _ATOMIC:
            inner = _walk(arg.data)
        elif op is _constants.BRANCH:
            inner = _branch([_walk(alternative.data) for alternative in arg[1]])
        elif op in _REPEATS:
            inner = _repeat(arg[1], arg[2].data)
        else:
            return None  # a back-reference, a conditional: not bounded here
        if inner is None:
            return None
        width = _add(width, inner[0])
        if inner[1] != _NOTHING:
            ahead = _add(ahead, inner[1])
    return _add(width, (chars, 0, 0)), ahead


def _branch(alternatives: list[tuple[Linear, Linear] | None]) -> tuple[Linear, Linear] | None:
    """Alternatives: the widest of them (each term at its largest), and all their look-aheads."""
    chars = words = gaps = 0
    ahead = _NOTHING
    for alternative in alternatives:
        if alternative is None:
            return None
        (alt_chars, alt_words, alt_gaps), alt_ahead = alternative
        chars, words, gaps = max(chars, alt_chars), max(words, alt_words), max(gaps, alt_gaps)
        if alt_ahead != _NOTHING:
            ahead = _add(ahead, alt_ahead)
    return (chars, words, gaps), ahead


def _repeat(most: int, items: list) -> tuple[Linear, Linear] | None:
    """A repeat of ``items``, at most ``most`` times (MAXREPEAT: unbounded). Its look-aheads read
    as far from each round as from one."""
    if most < _constants.MAXREPEAT:
        once = _walk(items)
        if once is None:
            return None
        (chars, words, gaps), ahead = once
        return (chars * most, words * most, gaps * most), ahead
    if len(items) != 1 or items[0][0] not in _SINGLE:
        return None
    kind = _kind(*items[0])
    return ((0, 1, 0), _NOTHING) if kind == "word" else ((0, 0, 1), _NOTHING) if kind == "gap" else None


def _kind(op: object, arg: object) -> str | None:
    """"word" for a one-character item that never matches a space (so a run of it stays inside a
    word), "gap" for one that matches nothing but a space in a normalised text, else None."""
    spaces = _matches(op, arg, " ")
    if spaces is None:
        return None
    if not spaces:
        return "word"
    others = [_matches(op, arg, ch) for ch in _WORD_CHARS]
    return "gap" if not any(x is None or x for x in others) else None


def _matches(op: object, arg: object, ch: str) -> bool | None:
    """Whether a one-character item matches ``ch`` (None: not known here)."""
    if op is _constants.LITERAL:
        return arg == ord(ch)
    if op is _constants.NOT_LITERAL:
        return arg != ord(ch)
    if op is _constants.ANY:
        return True
    negate, hit = False, False
    for member, value in arg:  # IN: literals, ranges and categories, maybe negated
        if member is _constants.NEGATE:
            negate = True
        elif member is _constants.LITERAL:
            hit = hit or value == ord(ch)
        elif member is _constants.RANGE:
            hit = hit or value[0] <= ord(ch) <= value[1]
        elif member is _constants.CATEGORY and value in _CATEGORIES:
            hit = hit or _CATEGORIES[value](ch)
        else:
            return None
    return hit != negate


#: What "\\d", "\\s", "\\w" and their opposites match, for the characters of a normalised text.
_CATEGORIES = {
    _constants.CATEGORY_DIGIT: str.isdigit,
    _constants.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    _constants.CATEGORY_SPACE: str.isspace,
    _constants.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    _constants.CATEGORY_WORD: str.isalnum,
    _constants.CATEGORY_NOT_WORD: lambda ch: not ch.isalnum(),
}


def _add(a: Linear, b: Linear) -> Linear:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _size(linear: Linear, word: int, gap: int) -> int:
    return linear[0] + linear[1] * word + linear[2] * gap
