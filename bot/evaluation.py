"""``healthbot eval``: accuracy on labelled real questions.

Each question is the first message of a fresh conversation. Figures follow the
evaluation contract in the project docs: intent accuracy; topic accuracy over
questions whose gold topic the loaded content covers; abstention (naming no
topic) over questions whose topic it does not cover; each split by whether the
question was written by a consumer or generated from a template.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from bot.core.engine import Engine
from bot.core.models import Message
from bot.sessions.memory import MemoryStore

#: Topic intents the labelled data uses; anything else the bot predicts counts as "other".
LABELS = ("what_is", "how_done", "recovery", "risks", "learn_more", "symptoms", "causes",
          "treatment", "prevention", "diagnosis")


class EvalInputError(ValueError):
    pass


def read_questions(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        path = Path(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise EvalInputError(f"{path}: cannot read ({exc.strerror})") from None
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError:
                raise EvalInputError(f"{path}:{n}: not a JSON object") from None
            if not isinstance(row, dict) or not isinstance(row.get("question"), str):
                raise EvalInputError(f"{path}:{n}: needs at least a 'question' string")
            rows.append(row)
    return rows


def _names_index(engine: Engine) -> dict[str, str]:
    """Lower-cased title, id and also-called name -> topic id."""
    out: dict[str, str] = {}
    for topic in engine.knowledge.content.topics.values():
        for name in topic.display_names():
            out.setdefault(name.lower().strip(), topic.id)
    return out


@dataclass
class _Tally:
    n: int = 0
    intent_right: int = 0
    topic_n: int = 0
    topic_right: int = 0
    abst_n: int = 0
    abst_right: int = 0

    def figures(self) -> dict[str, Any]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "n": self.n,
            "intent_accuracy": ratio(self.intent_right, self.n),
            "topic_accuracy": ratio(self.topic_right, self.topic_n),
            "topic_n": self.topic_n,
            "abstention": ratio(self.abst_right, self.abst_n),
            "abstention_n": self.abst_n,
        }


@dataclass
class EvalResult:
    figures: dict[str, Any]
    details: list[dict[str, Any]] = field(default_factory=list)


def evaluate(engine: Engine, rows: list[dict[str, Any]]) -> EvalResult:
    names = _names_index(engine)
    labels = set(LABELS) | {str(r.get("intent")) for r in rows if r.get("intent")}
    total = _Tally()
    groups: dict[str, _Tally] = defaultdict(_Tally)
    confusion: dict[str, Counter] = defaultdict(Counter)
    details: list[dict[str, Any]] = []
    for i, row in enumerate(rows):
        # Each question starts a fresh conversation, in a throw-away store.
        probe = Engine(engine.knowledge, MemoryStore(), engine.policy)
        reply = probe.handle(Message(session_id=f"eval-{i}", text=row["question"]))
        predicted = _label(engine.knowledge.content, reply.intent, labels)
        gold_intent = str(row.get("intent") or "other")
        gold_topic = str(row.get("topic") or "")
        gold_id = names.get(gold_topic.lower().strip())
        group = groups["consumer" if row.get("consumer_written", True) else "templated"]
        for tally in (total, group):
            tally.n += 1
            tally.intent_right += predicted == gold_intent
            if gold_id:
                tally.topic_n += 1
                tally.topic_right += reply.topic_id == gold_id
            else:
                tally.abst_n += 1
                tally.abst_right += reply.topic_id is None
        confusion[gold_intent][predicted] += 1
        details.append({
            "id": row.get("id"),
            "question": row["question"],
            "gold_intent": gold_intent,
            "intent": predicted,
            "bot_intent": reply.intent,
            "gold_topic": gold_topic,
            "gold_topic_id": gold_id,
            "topic": reply.topic_id,
            "kind": reply.kind,
            "confidence": round(reply.confidence, 3),
            "consumer_written": bool(row.get("consumer_written", True)),
            "scores": reply.debug,
        })
    figures = total.figures()
    figures["by_group"] = {name: groups[name].figures() for name in ("consumer", "templated")}
    figures["confusion"] = {gold: dict(row) for gold, row in sorted(confusion.items())}
    return EvalResult(figures, details)


def format_report(figures: dict[str, Any]) -> str:
    def pct(value: float | None) -> str:
        return "   n/a" if value is None else f"{value * 100:5.1f}%"

    lines = ["                 intent    topic (n)        abstention (n)      questions"]
    for label, f in [("all", figures)] + list(figures["by_group"].items()):
        lines.append(
            f"{label:<12} {pct(f['intent_accuracy'])}   {pct(f['topic_accuracy'])} ({f['topic_n']:>3})"
            f"     {pct(f['abstention'])} ({f['abstention_n']:>3})        {f['n']}"
        )
    lines.append("")
    cols = sorted({p for row in figures["confusion"].values() for p in row})
    lines.append("confusion (rows: gold, columns: predicted)")
    lines.append(" " * 12 + "".join(f"{c[:9]:>10}" for c in cols))
    for gold, row in figures["confusion"].items():
        lines.append(f"{gold[:11]:<12}" + "".join(f"{row.get(c, 0):>10}" for c in cols))
    return "\n".join(lines)


def _label(content: Any, intent_id: str | None, labels: Any) -> str:
    """The labelled-data intent a reply stands for: its own id, else the answer it shows.

    The labelled data files comparisons ("angina or a heart attack?") under ``other``, so
    an intent that compares what things are counts as ``other`` although it shows what each
    one is; choosing between treatments ("stents or bypass?") is ``treatment``, the answer
    it shows. An intent can name its label (``counts_as``). Anything else that is not a label
    is ``other`` too.
    """
    if intent_id in labels:
        return str(intent_id)
    intent = content.intents.get(intent_id) if intent_id else None
    if intent is not None and intent.counts_as in labels:
        return intent.counts_as
    if intent is not None and intent.compares and intent.answer == "what_is":
        return "other"
    if intent is not None and intent.kind == "topic" and intent.answer in labels:
        return str(intent.answer)
    return "other"

