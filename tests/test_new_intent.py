"""Adding an intent is adding a file plus answers in topics: no code change.

The test writes a brand-new intent ("cost") into a temporary content folder and
an answer for it into one topic; nothing in bot/ knows the word "cost".
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.content.load import load_content
from bot.core.engine import Engine
from bot.core.knowledge import build
from bot.core.models import Message
from bot.sessions.memory import MemoryStore
from tests.conftest import REPO, TOPICS, write_content

COST_INTENT = """\
    id: cost
    description: What a procedure or medicine costs, and whether insurance pays.
    kind: topic
    answer: cost
    ask: What does it cost?
    missing_answer: I don't have cost information about {topic} yet.
    missing_topic: The cost of which procedure or medicine?
    cues:
      - {pattern: '\\b(cost|costs|price|pricey|expensive|afford|insurance cover)\\b', weight: 1.0}
    examples:
      - how much does {topic} cost
      - what is the price of {topic}
      - is {topic} expensive
      - will insurance cover {topic}
    """

COST_ANSWER = """\
      cost:
        text: TEST-ANGIO-COST Costs vary by hospital; ask the hospital's billing office for an estimate.
        sources: [mplus]
    """


def _add_cost_answer(root: Path) -> None:
    angio = textwrap.dedent(TOPICS["angioplasty"]).replace(
        "answers:\n", "answers:\n" + textwrap.indent(textwrap.dedent(COST_ANSWER), "  "))
    (root / "data" / "topics" / "angioplasty.yaml").write_text(angio, encoding="utf-8")


def test_no_code_mentions_the_new_intent() -> None:
    for path in (REPO / "bot").rglob("*.py"):
        assert "'cost'" not in path.read_text(encoding="utf-8") and '"cost"' not in path.read_text(encoding="utf-8"), path


def test_new_intent_file_and_answer_are_enough(tmp_path: Path) -> None:
    root = write_content(tmp_path / "c")
    (root / "intents" / "cost.yaml").write_text(textwrap.dedent(COST_INTENT), encoding="utf-8")
    _add_cost_answer(root)

    content = load_content(root)
    assert content.ok, [str(e) for e in content.errors]
    assert "cost" in content.intents
    engine = Engine(build(content), MemoryStore())

    reply = engine.handle(Message("n", "How much does an angioplasty cost?"))
    assert (reply.kind, reply.intent, reply.topic_id) == ("answer", "cost", "angioplasty")
    assert "TEST-ANGIO-COST" in reply.text
    assert [c.url for c in reply.citations] == ["https://medlineplus.gov/angioplasty.html"]

    # In context, and a topic without the answer says so instead of guessing.
    follow = engine.handle(Message("n", "and bypass surgery, is that expensive?"))
    assert (follow.kind, follow.intent, follow.topic_id) == ("missing", "cost", "coronary-artery-bypass-surgery")
    assert "cost information" in follow.text
    tapped = engine.handle(Message("m", "ask:cost:angioplasty"))
    assert (tapped.intent, tapped.topic_id) == ("cost", "angioplasty")


def test_answer_for_an_intent_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    """The other half of the contract: the answer alone, without the intent file, is rejected."""
    root = write_content(tmp_path / "c")
    _add_cost_answer(root)
    content = load_content(root)
    assert any("'cost' matches no intent" in e.message and e.file == "data/topics/angioplasty.yaml"
               for e in content.errors)
