"""The bot keeps reading the questions written for this project (tests/data/README.md).

Floors sit a little under the figures measured when the files were added, so an
unrelated change that misreads many questions fails here rather than in production.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.load import load_content
from bot.core.engine import Engine
from bot.core.knowledge import build
from bot.evaluation import evaluate, read_questions
from bot.sessions import MemoryStore

DATA = Path(__file__).resolve().parent / "data"
REPO = DATA.parent.parent
#: The halves read while fixing are content now: they teach the optional sentence model.
READ = REPO / "data" / "phrasings"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(build(load_content(REPO, checks=[])), MemoryStore())


@pytest.mark.parametrize(("name", "intent", "topic", "abstention"), [
    # Read one by one while fixing the bot: 84.2% / 86.4% / 84.5% on 2026-11-27 (eighth session).
    ("written-questions.jsonl", 0.81, 0.83, 0.80),
    # Kept aside, scored only: 77.7% / 85.2% / 88.8% on 2026-11-27 (eighth session).
    ("written-questions-kept-aside.jsonl", 0.75, 0.82, 0.84),
    # The second set (thirteenth session), half read while fixing: 90.0% / 89.5% / 98.0%.
    ("written-questions-2.jsonl", 0.87, 0.86, 0.95),
    # Its other half, scored only: 84.3% / 87.8% / 98.0%.
    ("written-questions-2-kept-aside.jsonl", 0.81, 0.85, 0.95),
    # The third set (fourteenth session), half read while fixing: 88.6% / 81.8% / 99.0%.
    ("written-questions-3.jsonl", 0.84, 0.77, 0.95),
    # Its other half, scored only: 73.6% / 86.8% / 100%.
    ("written-questions-3-kept-aside.jsonl", 0.70, 0.83, 0.95),
    # The fourth set (fifteenth session), half read while fixing: 65.2% / 82.0% / 96.0% at the start, 74.3% / 83.8% / 96.0% now.
    ("written-questions-4.jsonl", 0.71, 0.80, 0.93),
    # Its other half, scored only: 61.9% / 79.7% / 96.2%.
    ("written-questions-4-kept-aside.jsonl", 0.59, 0.77, 0.93),
    # The fifth set (fifteenth session, written at its end, none of it read): 70.5% / 85.2% / 98.3%,
    # the same with the session's starting code.
    ("written-questions-5-kept-aside.jsonl", 0.68, 0.83, 0.95),
])
def test_written_questions_stay_above_their_floors(engine, name, intent, topic, abstention):
    rows = read_questions([READ / name if (READ / name).is_file() else DATA / name])
    figures = evaluate(engine, rows).figures
    assert figures["n"] == len(rows) > 200
    assert figures["intent_accuracy"] >= intent, figures
    assert figures["topic_accuracy"] >= topic, figures
    assert figures["abstention"] >= abstention, figures
