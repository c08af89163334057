"""Checks that look across files: references, shared names, stale reviews.

Each check is a function ``Content -> iterable of ContentError`` so new rules are
added by writing one function and listing it in :func:`default_checks`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Callable, Iterable, Iterator

from rapidfuzz import fuzz, process, utils

from bot.content.schema import NAME_FIELDS, Content, ContentError

Check = Callable[[Content], Iterable[ContentError]]

#: Answers that are not intents of their own but belong to every topic.
BUILTIN_ANSWERS = {"learn_more"}
MIN_EXAMPLES = 3
#: Two examples of different intents scoring at least this (0-100) read the same.
NEAR_DUPLICATE_SCORE = 92.0
#: Flesch-Kincaid grade above which an answer is flagged; the guide asks for grade 6-8.
READING_GRADE_MAX = 8.5
_TOPIC_SLOT = re.compile(r"\{\s*topic\s*\}", re.I)


def _norm(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


def check_references(content: Content) -> Iterator[ContentError]:
    """Related topics, answer keys and follow-ups must point at things that exist."""
    answer_keys = {i.answer for i in content.intents.values() if i.answer} | BUILTIN_ANSWERS
    for topic in content.topics.values():
        for i, rel in enumerate(topic.related):
            if rel not in content.topics:
                yield ContentError(topic.file, topic.line("related", i), f"related topic '{rel}' does not exist",
                                   "use the id of a file in data/topics/ or remove it", rule="reference")
        for key in topic.answers:
            if key not in answer_keys:
                yield ContentError(topic.file, topic.line("answers", key), f"answer '{key}' matches no intent",
                                   f"rename it to one of: {', '.join(sorted(answer_keys))}, or add intents/{key}.yaml", rule="reference")
    for rule in content.safety:
        for topic_id in rule.topics:
            if topic_id not in content.topics:
                # A warning, not an error: the other rules still protect patients, and a content set
                # without that topic (a new site, a test) must still load.
                yield ContentError(rule.file, rule.line,
                                   f"safety rule '{rule.id}' names topic '{topic_id}', which does not exist, so it never applies",
                                   "use the id of a file in data/topics/", "warning", rule="reference")
    for intent in content.intents.values():
        for i, follow in enumerate(intent.follow_ups):
            if follow not in content.intents:
                yield ContentError(intent.file, intent.line("follow_ups", i), f"follow-up intent '{follow}' does not exist",
                                   "use the id of a file in intents/", rule="reference")
        for kind, target in intent.reads_as.items():
            if target not in content.intents:
                yield ContentError(intent.file, intent.line("reads_as", kind), f"reads_as intent '{target}' does not exist",
                                   "use the id of a file in intents/", rule="reference")
        for kind, target in intent.answer_for.items():
            if target not in answer_keys:
                yield ContentError(intent.file, intent.line("answer_for", kind), f"answer_for answer '{target}' is not an answer",
                                   f"use one of: {', '.join(sorted(answer_keys))}", rule="reference")


def check_questions_in_names(content: Content) -> Iterator[ContentError]:
    """A name that is another name of the topic plus a question ("stroke symptoms") hides the question.

    Topic names are masked before the bot reads what is asked, so "what are
    stroke symptoms" would be read as "what is stroke". The shorter name
    already finds the topic; the longer one only takes the question away.
    """
    from bot.core.normalize import normalize  # the engine's own view of text
    from bot.core.patterns import PatternSet

    cues = PatternSet([(pattern, intent.id) for intent in content.intents.values()
                       if intent.kind == "topic" and intent.id != "what_is" for pattern, weight in intent.cues
                       if weight >= 0.8])
    for topic in content.topics.values():
        own = [normalize(n) for n in topic.names()]
        for field_name in NAME_FIELDS:
            for i, name in enumerate(getattr(topic, field_name)):
                text = normalize(name)
                core = next((o for o in sorted(own, key=len, reverse=True)
                             if o and o != text and f" {o} " in f" {text} "), None)
                if core is None:
                    continue
                rest = f" {text} ".replace(f" {core} ", " ", 1)
                asked = next((intent_id for pattern, intent_id in cues.candidates(rest) if pattern.search(rest)), None)
                if asked:
                    yield ContentError(
                        topic.file, topic.line(field_name, i),
                        f"name '{name}' is '{core}' plus a question ({asked}): the bot hides topic names before it "
                        f"reads the question, so in a message like '{text}?' it sees '{core}' and no question",
                        f"remove it; '{core}' already names the topic", severity="warning", rule="question-in-name")


def check_shared_names(content: Content) -> Iterator[ContentError]:
    """A name that points to two topics makes the bot guess: each name has one owner."""
    owners: dict[str, list[tuple[str, str, tuple]]] = defaultdict(list)
    for topic in content.topics.values():
        for field_name in ("title", *NAME_FIELDS):
            values = (topic.title,) if field_name == "title" else getattr(topic, field_name)
            for i, name in enumerate(values):
                path = (field_name,) if field_name == "title" else (field_name, i)
                owners[_norm(name)].append((topic.id, topic.file, path))
    for name, uses in owners.items():
        topic_ids = {u[0] for u in uses}
        if len(topic_ids) < 2 or _told_apart_by_reading(content, uses):
            continue
        first = uses[0]
        for topic_id, file, path in uses[1:]:
            if topic_id == first[0]:
                continue
            topic = content.topics[topic_id]
            yield ContentError(file, topic.line(*path), f"the name '{name}' is also used by topic '{first[0]}' ({first[1]})",
                               "keep the name in the one topic it belongs to", rule="shared-name")


def _told_apart_by_reading(content: Content, uses: list[tuple[str, str, tuple]]) -> bool:
    """A broad name ("BP") of topics about high and about low readings: the reading says which is meant."""
    if any(path[0] != "broad_names" for _, _, path in uses):
        return False
    readings = [content.topics[topic_id].reading for topic_id in {u[0] for u in uses}]
    return all(readings) and len(set(readings)) == len(readings)


def check_examples(content: Content) -> Iterator[ContentError]:
    for intent in content.intents.values():
        if len(intent.examples) < MIN_EXAMPLES and intent.kind == "topic":
            yield ContentError(intent.file, intent.line("examples"),
                               f"intent '{intent.id}' has {len(intent.examples)} examples; at least {MIN_EXAMPLES} are needed",
                               "add more ways a patient might ask this", "warning", rule="examples")


def make_review_check(max_age_days: int, today: dt.date | None = None) -> Check:
    def check_review_age(content: Content) -> Iterator[ContentError]:
        now = today or dt.date.today()
        for topic in content.topics.values():
            if topic.reviewed and (now - topic.reviewed).days > max_age_days:
                yield ContentError(topic.file, topic.line("reviewed"),
                                   f"reviewed {topic.reviewed.isoformat()}, more than {max_age_days} days ago",
                                   "check the answers against the sources and update 'reviewed'", "warning", rule="review-age")
            if topic.reviewed and topic.reviewed > now:
                yield ContentError(topic.file, topic.line("reviewed"), f"review date {topic.reviewed.isoformat()} is in the future",
                                   "use the day the answers were checked", rule="review-age")
    return check_review_age


def make_near_duplicate_check(min_score: float = NEAR_DUPLICATE_SCORE) -> Check:
    """Examples of two intents that read alike teach the classifier both answers at once."""

    def check_near_duplicates(content: Content) -> Iterator[ContentError]:
        rows: list[tuple[str, int, str]] = []  # (intent id, example index, comparable text)
        for intent in content.intents.values():
            for i, example in enumerate(intent.examples):
                text = utils.default_process(_TOPIC_SLOT.sub(" topic ", example))
                if text:
                    rows.append((intent.id, i, " ".join(text.split())))
        if len(rows) < 2:
            return
        texts = [r[2] for r in rows]
        scores = process.cdist(texts, texts, scorer=fuzz.ratio, score_cutoff=min_score)
        for a in range(len(rows)):
            for b in range(a + 1, len(rows)):
                score = float(scores[a][b])
                if score < min_score or rows[a][0] == rows[b][0]:
                    continue
                first, second = content.intents[rows[a][0]], content.intents[rows[b][0]]
                ex_a, ex_b = first.examples[rows[a][1]], second.examples[rows[b][1]]
                yield ContentError(
                    second.file, second.line("examples", rows[b][1]),
                    f"example '{ex_b}' of intent '{second.id}' reads the same as '{ex_a}' of intent "
                    f"'{first.id}' ({first.file}:{first.line('examples', rows[a][1])}), score {score:.0f}",
                    "keep the wording in the one intent it belongs to, or reword one of them",
                    "warning", rule="near-duplicate")

    return check_near_duplicates


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE = re.compile(r"[.!?]+(?=\s|$)|;\s|:\s|\n\s*\n")


def syllables(word: str) -> int:
    """A rule-of-thumb syllable count: vowel groups, less a silent final 'e'."""
    w = word.lower().strip("'")
    if not w:
        return 0
    if len(w) <= 3:
        return 1
    w = re.sub(r"'s$", "", w)
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent e: "stroke", "ure"
    elif w.endswith("le") and len(w) > 2 and w[-3] not in "aeiouy" and count == 1:
        count += 1  # "ta-ble" has no vowel group of its own for "ble"
    if w.endswith(("ed",)) and not w.endswith(("ted", "ded")) and count > 1:
        count -= 1  # "opened", "blocked"
    # Vowel pairs usually said as two syllables: "ra-di-a-tion", "vi-o-lent", "ar-te-ri-al".
    count += sum(w.count(pair) for pair in ("ia", "ua", "eo", "iu", "io"))
    count -= w.count("tion") + w.count("sion")
    return max(1, count)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 words/sentence + 11.8 syllables/word - 15.59."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    n_sentences = max(1, len([s for s in _SENTENCE.split(text) if _WORD.search(s)]))
    n_syllables = sum(syllables(w) for w in words)
    return 0.39 * len(words) / n_sentences + 11.8 * n_syllables / len(words) - 15.59


def make_reading_grade_check(max_grade: float = READING_GRADE_MAX) -> Check:
    """Answers are for patients: flag text that reads above the configured school grade."""

    def check_reading_grade(content: Content) -> Iterator[ContentError]:
        for topic in content.topics.values():
            for key, answer in topic.answers.items():
                if not answer.text or answer.imported:
                    continue
                grade = reading_grade(answer.text)
                if grade > max_grade:
                    yield ContentError(
                        topic.file, topic.line("answers", key, "text"),
                        f"answer '{key}' reads at grade {grade:.1f}, above the limit of {max_grade:g}",
                        "use shorter sentences and everyday words; explain medical words",
                        "warning", rule="reading-grade")

    return check_reading_grade


def default_checks(*, max_review_age_days: int = 365, today: dt.date | None = None,
                   reading_grade_max: float = READING_GRADE_MAX,
                   near_duplicate_score: float = NEAR_DUPLICATE_SCORE) -> list[Check]:
    """Every cross-file rule; limits come from Settings via :func:`checks_for`."""
    return [check_references, check_shared_names, check_questions_in_names, check_examples,
            make_review_check(max_review_age_days, today),
            make_near_duplicate_check(near_duplicate_score),
            make_reading_grade_check(reading_grade_max)]


def serving_checks(settings: object, today: dt.date | None = None) -> list[Check]:
    """The checks a running server applies on every (re)load: those that can reject content.

    The warning-only rules (near-duplicate examples, reading grade) compare every
    pair of examples and score every answer; they take most of a reload's time and
    never block one, so they run in ``healthbot validate`` and CI instead.
    """
    return [check_references, check_shared_names,
            make_review_check(int(getattr(settings, "review_max_age_days", 365)), today)]


def checks_for(settings: object, today: dt.date | None = None) -> list[Check]:
    """The default checks with the limits an operator configured (``HEALTHBOT_*``)."""
    return default_checks(
        max_review_age_days=int(getattr(settings, "review_max_age_days", 365)),
        reading_grade_max=float(getattr(settings, "reading_grade_max", READING_GRADE_MAX)),
        today=today,
    )
