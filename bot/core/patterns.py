"""Cheap pre-checks for staff-written regular expressions.

Safety phrases and intent cues are regular expressions written by content
staff. Running a hundred of them over a long message costs milliseconds; most
cannot match because a word they need is absent. ``required_strings`` finds,
from the parsed pattern, strings of which every match contains at least one,
so a plain substring test can skip the regex without ever missing a match.
A pattern may need several such groups ("how long" and then "recover" or
"heal"); it runs only when each group has a string in the text.

``PatternSet`` does that test for all patterns at once: one Aho-Corasick pass
(pyahocorasick, in C) over the text finds every required string present, so
the cost no longer grows with the number of strings staff have written.
Where every match has a string at the start of a word (after a space, "\\b"
or "^"), the set looks for it only there: "he" is in most texts ("the",
"when"), "he" as a word in far fewer, so fewer patterns run for nothing.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable, Generic, Iterable, Iterator, NamedTuple, Sequence, TypeVar

import _sre
import ahocorasick
import re._compiler as _compiler
import re._constants as _constants
import re._parser as _parser

from bot.core import reach as _reach
from bot.core.pattern_store import PatternStore
from bot.core.reach import Reach


T = TypeVar("T")
#: Shortest required string worth a look-up; shorter ones are in almost every text.
MIN_REQUIRED = 2
#: A pattern that must match a digit (a dose, a reading) requires one of these.
DIGITS = list("0123456789")
#: The texts the pre-check reads: normalised words and single spaces (see ``bot.core.normalize``).
_PLAIN = re.compile(r"[a-z0-9 ]*")
_SPACES = re.compile(" +")
#: Texts at least this long are searched only around the required strings (see ``PatternSet.matches``);
#: in shorter ones, finding where the strings stand costs about what it saves.
WINDOWED_MIN = 750


class PatternSet(Generic[T]):
    """Compiled patterns, each with a payload, that yields only those able to match.

    Order is kept: ``candidates`` yields in the order the patterns were given,
    so callers that stop at the first hit (safety rules) keep their priority.
    """

    def __init__(self, patterns: Sequence[tuple[str, T]], sample: Iterable[str] = ()) -> None:
        """``sample``: texts worded like those the set will check (optional); see ``_hanging``."""
        self._items: list[tuple[re.Pattern[str], T]] = []
        self._always: list[int] = []
        self._automaton = ahocorasick.Automaton()
        numbers: dict[str, int] = {}
        # Per pattern, the required groups of each of its top-level alternatives ("a ... b|c ... d").
        ways_of: list[tuple[tuple[tuple[str, ...], ...], ...]] = []
        #: Per pattern, how far its matches reach (None: unbounded, or it can match nothing).
        self._reach: list[Reach | None] = []
        for pattern, payload in patterns:
            self._items.append((compiled(pattern), payload))
            ways_of.append(required_ways(pattern, marked=True))
            self._reach.append(_analysed(pattern).reach)
        shared_by: dict[str, int] = {}
        for ways in ways_of:
            for word in {w for groups in ways for group in groups for w in group}:
                numbers.setdefault(word, len(numbers))
                shared_by[word] = shared_by.get(word, 0) + 1
        for word, number in numbers.items():
            self._automaton.add_word(word, number)
        if numbers:
            self._automaton.make_automaton()
        # How many sample texts hold each string: "to" is in most questions, "recover" in few.
        held = [0] * len(numbers)
        for text in sample if numbers else ():
            for number in {number for _, number in self._automaton.iter(" " + text)}:
                held[number] += 1
        # Each way a pattern can match hangs on the group the sample texts hold least often, then on
        # the one whose strings the fewest other patterns use; only when one of those is in a text
        # are its other groups looked up, so words that most texts or many patterns have ("topic",
        # "how") cost nothing for the patterns that also need a rarer one. Which group a way hangs on
        # changes how fast, never which, patterns are candidates: each way needs all its groups.
        self._hanging: list[list[tuple[int, tuple[frozenset[int], ...]]]] = [[] for _ in numbers]
        for index, ways in enumerate(ways_of):
            if any(not groups for groups in ways):
                self._always.append(index)  # some way to match needs nothing we can look for
                continue
            for groups in ways:
                primary = min(groups, key=lambda group: (sum(held[numbers[w]] for w in group),
                                                         max(shared_by[w] for w in group), len(group)))
                others = tuple(frozenset(numbers[w] for w in group) for group in groups if group is not primary)
                for word in primary:
                    self._hanging[numbers[word]].append((index, others))
        #: Per pattern, each way's groups as string numbers; per string, the letters every match
        #: holds (a marked string's leading space may stand before the match).
        self._ways: list[tuple[tuple[tuple[int, ...], ...], ...]] = [
            tuple(tuple(tuple(numbers[w] for w in group) for group in groups) for groups in ways) for ways in ways_of]
        self._core = [0] * len(numbers)
        for word, number in numbers.items():
            self._core[number] = len(word) - word.startswith(" ")
        self._empty = not numbers
        self._always_set = frozenset(self._always)

    def __len__(self) -> int:
        return len(self._items)

    def candidates(self, text: str) -> list[tuple[re.Pattern[str], T]]:
        """Patterns that may match ``text``, in their original order.

        Texts are normalised (lower-case ASCII letters, digits and spaces); any other text gets
        every pattern, since ``\\d`` and ``\\w`` also match characters the required strings do not
        list, and a word may start after other characters than a space.
        """
        if not _PLAIN.fullmatch(text):
            return list(self._items)
        # The leading space lets a word at the very start be found as one (" he").
        present = set() if self._empty else {number for _, number in self._automaton.iter(" " + text)}
        items = self._items
        return [items[index] for index in self._possible(present)]

    def _possible(self, present: set[int]) -> list[int]:
        """Indexes, in order, of the patterns that may match a text holding the strings ``present``."""
        found = set(self._always)
        hanging = self._hanging
        for number in present:
            for index, others in hanging[number]:
                for group in others:
                    if group.isdisjoint(present):
                        break
                else:
                    found.add(index)
        return sorted(found)

    def matches(self, text: str, wanted: Callable[[T], bool]) -> Iterator[tuple[T, re.Match[str]]]:
        """Every match of each pattern that may match ``text`` and whose payload is ``wanted``:
        pattern by pattern in their order, each one's matches as ``finditer`` gives them.

        A long text is searched, pattern by pattern, only where a match could start: within a
        match's width before a string every match holds ("chest pain .{0,40} now" cannot match
        three paragraphs away from "chest"). Those places come from the same Aho-Corasick pass
        that picks the candidates; a pattern whose matches have no bounded width runs through
        the whole text as usual.
        """
        if len(text) < WINDOWED_MIN or self._empty or not _PLAIN.fullmatch(text):
            for pattern, payload in self.candidates(text):
                if wanted(payload):
                    for match in pattern.finditer(text):
                        yield payload, match
            return
        ends: dict[int, list[int]] = {}
        for end, number in self._automaton.iter(" " + text):  # the end in " " + text is the end in text
            ends.setdefault(number, []).append(end)
        word = max(map(len, text.split()), default=0)
        gap = max(map(len, _SPACES.findall(text))) if "  " in text else 1
        for index in self._possible(set(ends)):
            pattern, payload = self._items[index]
            if not wanted(payload):
                continue
            reach = self._reach[index]
            if reach is None or index in self._always_set:
                found = pattern.finditer(text)
            else:
                width, reads = reach.chars(word, gap)
                found = _windowed(pattern, text, self._starts(index, ends, width), reads)
            for match in found:
                yield payload, match

    def _starts(self, index: int, ends: dict[int, list[int]], width: int) -> list[tuple[int, int]]:
        """Sorted, merged ranges of the places where a match of pattern ``index`` could start.

        A match holds a string of each group of the way it matches by; of each way, the group
        found least often gives the places: from ``width`` before each string's end to its start.
        """
        spans: list[tuple[int, int]] = []
        core = self._core
        for groups in self._ways[index]:
            counts = [sum(len(ends.get(number, ())) for number in group) for group in groups]
            if 0 in counts:
                continue  # a group that is not in the text: this way cannot match
            group = groups[counts.index(min(counts))]
            spans.extend((max(0, end - width), end - core[number]) for number in group for end in ends.get(number, ()))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for lo, hi in spans:
            if merged and lo <= merged[-1][1] + 1:
                if hi > merged[-1][1]:
                    merged[-1] = (merged[-1][0], hi)
            else:
                merged.append((lo, hi))
        return merged


def _windowed(pattern: re.Pattern[str], text: str, starts: list[tuple[int, int]], reads: int) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a pattern whose matches all start in ``starts``.

    Each range is searched with the text cut ``reads`` characters after its last start, so an
    attempt from any place in it sees all it would in the whole text (a match found starting
    later is left for the next range to find uncut). ``pos`` keeps what comes before in view.
    """
    pos, size = 0, len(text)
    for lo, hi in starts:
        start = max(lo, pos)
        while start <= hi:
            match = pattern.search(text, start, min(size, hi + reads))
            if match is None or match.start() > hi:
                break
            yield match
            pos = start = match.end()  # never empty: only patterns that match at least one character


def required_strings(pattern: str) -> tuple[str, ...]:
    """Strings of which every match of ``pattern`` contains at least one.

    Found from the parsed pattern: a run of plain letters that every match
    must pass through, or a group whose every alternative has such a run.
    An empty result means no such guarantee was found, and the pattern always
    runs; so the pre-check never skips a real match.
    """
    groups = required_groups(pattern)
    return max(groups, key=_strength) if groups else ()


@lru_cache(maxsize=8192)
def required_groups(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Groups of strings, each of which every match of ``pattern`` must contain one of.

    "how long .* (recover|heal)" needs "how long" and one of "recover" or "heal":
    a text lacking either group cannot match, so the pre-check tests them all.
    Cached: every content reload builds the pattern sets again from the same patterns.
    """
    parsed = _parse(pattern)
    return () if parsed is None else _usable(_options(parsed))


@lru_cache(maxsize=8192)
def required_ways(pattern: str, marked: bool = False) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The required groups of each top-level alternative of ``pattern``.

    A pattern written as several alternatives ("how long .* recover|back to work") can
    match only when one alternative can, so each is checked with all its own groups; the
    groups the whole pattern shares are weaker (often just "topic"). A pattern with no
    top-level alternation is its own single way.

    With ``marked``, a string that every match has at the start of a word comes with a
    leading space (" how long"): in a normalised text with a space put before it, every
    match has that string, space included.
    """
    if marked:
        try:
            return _analysed(pattern).ways  # shares its parse with the compiled pattern
        except re.error:
            pass  # parsed on its own below, as it may parse without compiling
    parsed = _parse(pattern)
    return ((),) if parsed is None else _ways(parsed, marked)


def compiled(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``, from the parse that ``required_ways`` reads too (see ``_analysed``).

    Raises ``re.error`` for an invalid pattern, as ``re.compile`` does.
    """
    return _analysed(pattern).compiled


class _Analysed(NamedTuple):
    compiled: re.Pattern[str]
    ways: tuple[tuple[tuple[str, ...], ...], ...]
    reach: Reach | None


@lru_cache(maxsize=8192)
def _analysed(pattern: str) -> _Analysed:
    """The compiled pattern, its marked required ways and its reach, from a single parse.

    The parser (pure Python) is most of what compiling and analysing a pattern cost; a
    cold load of a thousand topics' content parsed every cue and safety pattern twice.
    With a pattern store (``use_store``), a pattern analysed by an earlier process is
    not parsed at all.
    """
    store = _store
    if store is not None:
        try:
            entry = store.get(pattern)
            if entry is not None:
                program, ways, reach = entry
                ways = tuple(tuple(tuple(group) for group in groups) for groups in ways)
                reach = None if reach is None else Reach(*(tuple(part) for part in reach))
                return _Analysed(_from_program(pattern, program), ways, reach)
        except Exception:  # a damaged entry: parse afresh, and store that instead
            store.forget(pattern)
    parsed = _parser.parse(pattern)
    ways = _ways(parsed.data, marked=True)  # read before compiling, which may annotate the tree
    program = _program(parsed)
    try:
        regex = _from_program(pattern, program) if program is not None else re.compile(pattern)
    except (TypeError, RuntimeError):  # pragma: no cover - another Python's internals
        regex, program = re.compile(pattern), None
    found = _Analysed(regex, ways, _reach.of(parsed))
    if store is not None and program is not None:
        store.put(pattern, [program, found.ways, found.reach])
    return found


def _program(parsed: _parser.SubPattern) -> list | None:
    """What ``re.compile`` makes of a parsed pattern (CPython's ``re._compiler.compile``), as plain data:
    [flags, code, groups, group index, index group]; None if this Python's internals differ.

    Relies on the compiler's internals as the analysis relies on the parser's. A test checks
    that the pattern made from it equals the one ``re.compile`` gives.
    """
    try:
        state = parsed.state
        code = _compiler._code(parsed, 0)
        indexgroup: list[str | None] = [None] * state.groups
        for name, index in state.groupdict.items():
            indexgroup[index] = name
        return [state.flags, code, state.groups - 1, state.groupdict, indexgroup]
    except (AttributeError, TypeError):  # pragma: no cover - another Python's internals
        return None


def _from_program(pattern: str, program: list) -> re.Pattern[str]:
    """The compiled pattern of a ``_program``; ``_sre`` validates the code before accepting it."""
    flags, code, groups, groupindex, indexgroup = program
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))


def _ways(parsed: list, marked: bool) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """``required_ways`` of a parsed pattern's items."""
    branches = [i for i, (op, _) in enumerate(parsed) if op is _constants.BRANCH]
    if len(branches) == 1:
        # Python moves what all alternatives start or end with ("\\b") out of the alternation:
        # each way is that shared part around one alternative.
        at = branches[0]
        before, after = parsed[:at], parsed[at + 1:]
        return tuple(_usable(_options(before + alternative.data + after, marked))
                     for alternative in parsed[at][1][1])
    return (_usable(_options(parsed, marked)),)  # the same as required_groups, from the parse already made


def _parse(pattern: str) -> list | None:
    """The parsed items of ``pattern``, or None if it is not a valid regex (not cached: parse trees are big)."""
    try:
        return _parser.parse(pattern).data
    except re.error:
        return None


def clear_caches() -> None:
    """Forget every analysed pattern, as a fresh process would (for benchmarks of a cold load)."""
    for cached in (required_groups, required_ways, _analysed):
        cached.cache_clear()


_store: PatternStore | None = None


def use_store(folder: str | os.PathLike[str] | None) -> None:
    """Keep analysed patterns in ``folder`` for the next process (see ``bot.core.pattern_store``); None: don't."""
    global _store
    if folder is None or str(folder) == "":
        _store = None
    elif _store is None or _store.folder != Path(folder):
        _store = PatternStore(folder)


def flush_store() -> bool:
    """Write patterns analysed since the last flush to the store; True when the file was written."""
    return _store.flush() if _store is not None else False


def _usable(options: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """The requirements worth a look-up: digits, or strings of at least ``MIN_REQUIRED`` letters."""
    return tuple(tuple(words) for words in options if words == DIGITS or _shortest(words) >= MIN_REQUIRED)


def _shortest(words: Sequence[str]) -> int:
    """Letters in the shortest string; the space that marks a word's start does not count."""
    return min(len(w) - w.startswith(" ") for w in words)


def _strength(words: Sequence[str]) -> tuple[int, int]:
    """Longer shortest string first, then fewer strings: the rarer requirement."""
    return (_shortest(words), -len(words))


def _required(items: list, marked: bool = False, word_start: bool = False) -> list[str] | None:
    """The best requirement of a sequence of parsed items (longest shortest string)."""
    options = _options(items, marked, word_start)
    return max(options, key=_strength) if options else None


#: Zero-width items: a word that starts before one starts after it too.
_IN_PLACE = (_constants.ASSERT, _constants.ASSERT_NOT)
#: Positions where a word starts if a letter or digit follows: "\b", "^" and "\A".
_WORD_START = (_constants.AT_BOUNDARY, _constants.AT_BEGINNING, _constants.AT_BEGINNING_STRING)


def _options(items: list, marked: bool = False, word_start: bool = False) -> list[list[str]]:
    """Every requirement found in a sequence of parsed items: each must be met by a match.

    With ``marked``, a string found where a word starts in every match (``word_start`` says
    whether the first item is at such a place) gets a leading space; see ``required_ways``.
    """
    options: list[list[str]] = []
    run = ""
    mark = ""
    for op, arg in items + [(None, None)]:
        if op is _constants.LITERAL and 32 <= arg < 127:
            if not run and marked and (arg == 32 or (word_start and chr(arg).isalnum())):
                mark = " "  # leading spaces are stripped: the string starts a word
            run += chr(arg)
            word_start = arg == 32
            continue
        if len(run.strip()) >= MIN_REQUIRED:
            options.append([mark + run.strip()])
        if op is _constants.BRANCH and run:
            # Python factors a shared start out of alternatives ("when|while" -> "wh" + "en|ile"):
            # put it back, so each alternative's own opening letters count too.
            joined = sorted({mark + (run + _leading_literals(alt.data)).strip() for alt in arg[1]})
            if _shortest(joined) >= MIN_REQUIRED:
                options.append(joined)
        run, mark = "", ""
        if op is _constants.IN and arg == [(_constants.CATEGORY, _constants.CATEGORY_DIGIT)]:
            options.append(DIGITS)
        elif op is _constants.SUBPATTERN:
            inner = _required(arg[-1].data, marked, word_start)
            if inner:
                options.append(inner)
        elif op is _constants.BRANCH:
            alts = [_required(alt.data, marked, word_start) for alt in arg[1]]
            if alts and all(alts):
                options.append(sorted({w for alt in alts for w in alt}))
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT) and arg[0] >= 1:
            inner = _required(arg[2].data, marked, word_start)  # its first round starts here
            if inner:
                options.append(inner)
        if op is _constants.AT:
            word_start = arg in _WORD_START
        elif op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            # "(the )?": after it a word starts if one started before it and after each round.
            word_start = _ends_a_word(arg[2].data) and (arg[0] >= 1 or word_start)
        elif op not in _IN_PLACE:
            word_start = _ends_a_word([(op, arg)])
    return options


def _ends_a_word(items: list) -> bool:
    """Whether every match of the items ends with a space ("(my |the )"), so a word may start next."""
    if not items:
        return False
    op, arg = items[-1]
    if op is _constants.LITERAL:
        return arg == 32
    if op is _constants.IN:
        return arg == [(_constants.CATEGORY, _constants.CATEGORY_SPACE)]  # normalised text has only spaces
    if op is _constants.SUBPATTERN:
        return _ends_a_word(arg[-1].data)
    if op is _constants.BRANCH:
        return all(_ends_a_word(alt.data) for alt in arg[1])
    if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
        return arg[0] >= 1 and _ends_a_word(arg[2].data)
    return False


def _leading_literals(items: list) -> str:
    """The plain letters an alternative starts with (every match of it starts with them)."""
    out = ""
    for op, arg in items:
        if op is not _constants.LITERAL or not 32 <= arg < 127:
            break
        out += chr(arg)
    return out
