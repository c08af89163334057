"""Checks that look across files: references, shared names, stale reviews.

Each check is a function ``Content -> iterable of ContentError`` so new rules are
added by writing one function and listing it in :func:`default_checks`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Callable, Iterable, Iterator

from bot.content.schema import Content, ContentError

Check = Callable[[Content], Iterable[ContentError]]

#: Answers that are not intents of their own but belong to every topic.
BUILTIN_ANSWERS = {"learn_more"}
MIN_EXAMPLES = 3


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
    for intent in content.intents.values():
        for i, follow in enumerate(intent.follow_ups):
            if follow not in content.intents:
                yield ContentError(intent.file, intent.line("follow_ups", i), f"follow-up intent '{follow}' does not exist",
                                   "use the id of a file in intents/", rule="reference")


def check_shared_names(content: Content) -> Iterator[ContentError]:
    """A name that points to two topics makes the bot guess: each name has one owner."""
    owners: dict[str, list[tuple[str, str, tuple]]] = defaultdict(list)
    for topic in content.topics.values():
        for field_name in ("title", "also_called", "keywords"):
            values = (topic.title,) if field_name == "title" else getattr(topic, field_name)
            for i, name in enumerate(values):
                path = (field_name,) if field_name == "title" else (field_name, i)
                owners[_norm(name)].append((topic.id, topic.file, path))
    for name, uses in owners.items():
        topic_ids = {u[0] for u in uses}
        if len(topic_ids) < 2:
            continue
        first = uses[0]
        for topic_id, file, path in uses[1:]:
            if topic_id == first[0]:
                continue
            topic = content.topics[topic_id]
            yield ContentError(file, topic.line(*path), f"the name '{name}' is also used by topic '{first[0]}' ({first[1]})",
                               "keep the name in the one topic it belongs to", rule="shared-name")


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


def default_checks(*, max_review_age_days: int = 365, today: dt.date | None = None) -> list[Check]:
    return [check_references, check_shared_names, check_examples, make_review_check(max_review_age_days, today)]
