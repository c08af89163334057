"""Every golden dialogue in tests/conversations/ runs against the shipped content."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.content.convtest import EXAMPLES_MIN_ACCURACY, check_examples, format_examples, run_files
from bot.content.load import load_content
from bot.core.engine import Engine
from bot.core.knowledge import build
from bot.sessions.memory import MemoryStore

REPO = Path(__file__).resolve().parent.parent
FILES = sorted((REPO / "tests" / "conversations").glob("*.yaml"))


@pytest.fixture(scope="module")
def shipped():
    content = load_content(REPO, checks=[])  # only needs to load; validate runs separately in CI
    assert content.ok, [str(e) for e in content.errors]
    knowledge = build(content)
    return content, (lambda: Engine(knowledge, MemoryStore()))


def test_there_are_conversations():
    assert len(FILES) >= 3


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_conversation_file(path, shipped):
    content, factory = shipped
    result = run_files([path], factory, content, REPO)
    assert not result.errors, [str(e) for e in result.errors]
    assert result.turns, "the file has no turns"
    assert result.ok, "\n\n".join(t.diff() for t in result.failures)


def test_intent_examples_classify_as_their_own_intent(shipped):
    content, factory = shipped
    check = check_examples(content, factory)
    print(format_examples(check, EXAMPLES_MIN_ACCURACY))  # the figure, shown with -s or on failure
    assert check.total > 100
    assert check.accuracy >= EXAMPLES_MIN_ACCURACY, format_examples(check, EXAMPLES_MIN_ACCURACY)



def test_an_example_is_filled_with_a_topic_of_whose_kind_it_still_asks_that_intent(shipped):
    # why_needed reads as causes for a condition, so its examples are tried on procedures, tests and medicines.
    content, factory = shipped
    asked: list[str] = []

    class Recording:
        def handle(self, message):
            asked.append(message.text)
            return factory().handle(message)

    check = check_examples(dataclasses.replace(content, intents={"why_needed": content.intents["why_needed"]}),
                           Recording)
    conditions = [t.title.lower() for t in content.topics.values() if t.kind == "condition"]
    assert asked and not [text for text in asked if any(text.endswith(title) for title in conditions)]
    assert check.correct == check.total
