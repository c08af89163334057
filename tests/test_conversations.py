"""Every golden dialogue in tests/conversations/ runs against the shipped content."""

from __future__ import annotations

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
