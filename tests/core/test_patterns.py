"""The regex pre-check: it may skip a pattern only when the pattern cannot match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content.load import load_content
from bot.core import patterns
from bot.core.patterns import PatternSet, clear_caches, compiled, required_groups, required_strings, required_ways

ROOT = Path(__file__).resolve().parents[2]


def shipped_patterns() -> list[str]:
    """Every intent cue and safety pattern staff have written."""
    # As the loader gives them, with their word lists ({anticoagulants}, {food_and_drink}) filled in.
    content = load_content(ROOT)
    out = [pattern for intent in content.intents.values() for pattern, _ in intent.cues]
    for rule in content.safety:
        out.extend(rule.patterns)
    return out


PATTERNS = shipped_patterns()
#: Words the patterns are made of, so generated texts hit many of them.
VOCAB = sorted({w for p in PATTERNS for w in required_strings(p) for w in w.split()} | {"topic", "my", "the", "is"})


def test_shipped_patterns_are_many_and_mostly_prechecked():
    assert len(PATTERNS) > 150
    assert sum(1 for p in PATTERNS if required_strings(p)) / len(PATTERNS) > 0.9


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"\bside effects?\b", ("side effect",)),
        (r"\b(risk|danger)s?\b", ("danger", "risk")),
        (r"^(hi|hello|hey)$", ("hello", "hey", "hi")),
        (r"^(k|ok)$", ()),  # "k" is too short to be worth a test: the pattern always runs
        (r"\b\d+ ?mg\b", ("mg",)),  # a word beats a digit
        (r"\b\d{2,3} (over )?\d{2,3}\b", tuple("0123456789")),  # a reading must have a digit
        (r"\bhow long .* (recover|heal)\b", ("how long",)),
        (r"[", ()),  # an invalid pattern is never pre-checked away
        (r"\b(when|while) (taking|on)\b", ("when", "while")),  # Python parses this as "wh" + (en|ile)
        (r"\b(who (does|do)|where is)\b", ("where is", "who")),
    ],
)
def test_required_strings(pattern, required):
    assert tuple(sorted(required_strings(pattern))) == required


def test_a_pattern_compiled_from_its_analysed_parse_is_the_one_re_compiles():
    """Compiling from the parse the pre-check reads must give the very pattern re.compile gives."""
    clear_caches()
    for pattern in PATTERNS + [r"(?P<n>a)(?:b)(c)\1", r"(?i)Heart", r"(?<=\w )and\b"]:
        assert compiled(pattern) == re.compile(pattern), pattern  # same flags, text and code
        assert compiled(pattern).groupindex == re.compile(pattern).groupindex
        # The analysis read from that shared parse is the one a parse of its own gives.
        assert required_ways(pattern, marked=True) == patterns._ways(patterns._parse(pattern), marked=True), pattern


def test_an_invalid_pattern_fails_to_compile_as_with_re():
    for pattern in (r"(unclosed", r"(?<=a+)b"):  # a parse error, and one only the compiler finds
        with pytest.raises(re.error) as ours:
            compiled(pattern)
        with pytest.raises(re.error) as theirs:
            re.compile(pattern)
        assert str(ours.value) == str(theirs.value)


def test_candidates_keep_the_given_order():
    patterns = PatternSet([(r"\bchest pain\b", "a"), (r"\bpain\b", "b"), (r"^x", "c"), (r"\bstroke\b", "d")])
    assert [payload for _, payload in patterns.candidates(" crushing chest pain and stroke ")] == ["a", "b", "c", "d"]
    assert [payload for _, payload in patterns.candidates(" a headache ")] == ["c"]


def test_text_that_is_not_plain_ascii_gets_every_pattern():
    # \d and \w match other scripts' digits and letters, which the required strings do not list.
    patterns = PatternSet([(r"\b\d{2,3} over \d{2,3}\b", "reading"), (r"\bstroke\b", "stroke")])
    assert [payload for _, payload in patterns.candidates(" my pressure is 150 over 95 ")] == ["reading"]
    assert [payload for _, payload in patterns.candidates(" \u0661\u0665\u0660 over \u0669\u0665 ")] == ["reading", "stroke"]


def test_every_required_group_is_listed():
    assert required_groups(r"\bhow long .* (recover|heal)\b") == (("how long",), ("heal", "recover"))
    assert required_groups(r"\btopic (vs|versus) topic\b") == (("topic",), ("versus", "vs"), ("topic",))
    assert required_groups(r"^(k|ok)$") == ()


def test_each_top_level_alternative_is_its_own_way_to_match():
    pattern = r"\bhow long .* (recover|heal)\b|\btopic (vs|versus) topic\b"
    assert required_ways(pattern) == ((("how long",), ("heal", "recover")), (("topic",), ("versus", "vs"), ("topic",)))
    patterns = PatternSet([(pattern, "either")])
    assert [p for _, p in patterns.candidates(" how long is the topic ")] == []  # neither way is complete
    assert [p for _, p in patterns.candidates(" how long to heal ")] == ["either"]
    assert [p for _, p in patterns.candidates(" topic vs topic ")] == ["either"]


def test_a_pattern_runs_only_when_each_group_is_met():
    patterns = PatternSet([(r"\bhow long .* (recover|heal)\b", "recovery"), (r"\btopic (vs|versus) topic\b", "compare")])
    assert [p for _, p in patterns.candidates(" how long does it take to heal ")] == ["recovery"]
    assert [p for _, p in patterns.candidates(" how long is the topic ")] == []  # "how long" alone is not enough
    assert [p for _, p in patterns.candidates(" topic or topic ")] == []
    assert [p for _, p in patterns.candidates(" topic vs topic ")] == ["compare"]


def test_overlapping_required_strings_are_all_found():
    patterns = PatternSet([(r"\bside effects\b", 1), (r"\bside\b", 2), (r"effect", 3)])
    assert [payload for _, payload in patterns.candidates("any side effects")] == [1, 2, 3]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=25))
def test_precheck_never_skips_a_real_match(words):
    text = " " + " ".join(words) + " "
    patterns = PatternSet([(p, p) for p in PATTERNS])
    kept = {payload for _, payload in patterns.candidates(text)}
    for pattern, payload in zip(PATTERNS, PATTERNS):
        if re.search(pattern, text):
            assert payload in kept, pattern


def test_a_word_is_looked_for_where_words_start():
    patterns = PatternSet([(r"\bhe (is|was)\b", "he"), (r"^(hi|hello)\b", "hi")])
    assert [p for _, p in patterns.candidates("he is here")] == ["he"]  # at the very start too
    assert [p for _, p in patterns.candidates("the isle")] == []  # "he" and "is" only inside words
    assert [p for _, p in patterns.candidates("hi there")] == ["hi"]
    assert [p for _, p in patterns.candidates("this")] == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=25))
def test_precheck_never_skips_a_real_match_at_the_start_of_a_text(words):
    text = " ".join(words)  # as the intent cues read a sentence: no space before its first word
    patterns = PatternSet([(p, p) for p in PATTERNS])
    kept = {payload for _, payload in patterns.candidates(text)}
    for pattern in PATTERNS:
        if re.search(pattern, text):
            assert pattern in kept, pattern


SHIPPED_SET = PatternSet([(p, p) for p in PATTERNS])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCAB + ["1", "12", "140", "ago", "now", "x" * 30, "a"]), min_size=1, max_size=160))
def test_a_long_text_searched_near_the_needed_words_gives_every_match(words):
    """``matches`` searches only near the required strings: it must find what finditer finds, in order."""
    text = " " + " ".join(words) + " "
    expected = [(payload, m.span()) for pattern, payload in SHIPPED_SET.candidates(text) for m in pattern.finditer(text)]
    original = patterns.WINDOWED_MIN
    patterns.WINDOWED_MIN = 0  # windowed whatever the length, so short texts try it too
    try:
        assert [(payload, m.span()) for payload, m in SHIPPED_SET.matches(text, lambda _: True)] == expected
    finally:
        patterns.WINDOWED_MIN = original


def test_matches_keeps_only_the_wanted_payloads_in_order():
    pats = PatternSet([(r"\bchest pain\b", "a"), (r"\bpain\b", "b"), (r"\bchest\b", "c")])
    text = " " + "filler words here " * 60 + "chest pain and more pain " + "tail " * 100
    assert [(p, m.group(0)) for p, m in pats.matches(text, lambda p: p != "c")] == [
        ("a", "chest pain"), ("b", "pain"), ("b", "pain")]


def test_a_match_may_reach_as_far_as_the_longest_word():
    """"my \\w+" has no fixed width; a long word in the text widens the search around "breathe"."""
    pats = PatternSet([(r"\b(i|my \w+) cant breathe\b", "x")])
    long_word = "grand" + "ma" * 200
    text = " " + "word " * 200 + f"my {long_word} cant breathe " + "word " * 200
    assert [m.group(0) for _, m in pats.matches(text, lambda _: True)] == [f"my {long_word} cant breathe"]


SAMPLED_SET = PatternSet([(p, p) for p in PATTERNS], sample=["what is topic", "how to take topic", "topic and my heart"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=25))
def test_a_sample_changes_how_fast_not_which_patterns_are_candidates(words):
    text = " " + " ".join(words) + " "
    assert [p for _, p in SAMPLED_SET.candidates(text)] == [p for _, p in SHIPPED_SET.candidates(text)]
