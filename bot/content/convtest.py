"""Conversation tests as data, and the intent examples as automatic checks.

A conversation file (``tests/conversations/*.yaml``) lists dialogues: what the
patient says, turn by turn, and what must come back::

    conversations:
      - name: angioplasty, start to finish
        turns:
          - say: what is angeoplasty
            expect:
              intent: what_is
              topic: Angioplasty            # title or id; 'none' for no topic
              kind: answer
              text_contains: "blocked"       # text or a list of texts, all required
              citation_url_contains: [medlineplus.gov, nhlbi.nih.gov]   # any one
              quick_replies_include: ["How is it done?"]

Each dialogue runs in a fresh session, so follow-ups ("how is it done?") use
the context of the turns before them, exactly as a patient's would. Staff need
no Python: a failure names the file, line and turn, and shows expected against
actual, like a diff.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from bot.content.schema import Content, ContentError
from bot.content.yamlfile import YamlError, load_with_lines
from bot.core.engine import Engine
from bot.core.intents import _PLACEHOLDER
from bot.core.models import Message, Reply

EXPECT_KEYS = ("intent", "topic", "kind", "text_contains", "text_not_contains",
               "citation_url_contains", "quick_replies_include")
#: Share of intent examples that must classify as their own intent.
EXAMPLES_MIN_ACCURACY = 0.90


@dataclass
class TurnResult:
    file: str
    line: int
    conversation: str
    turn: int
    say: str
    #: (field, expected, actual) for each expectation that did not hold.
    mismatches: list[tuple[str, Any, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def diff(self) -> str:
        head = f"FAIL {self.file}:{self.line}: '{self.conversation}', turn {self.turn}: patient says \"{self.say}\""
        lines = [head]
        for name, expected, actual in self.mismatches:
            lines.append(f"  - expected {name}: {expected}")
            lines.append(f"  + got      {name}: {actual}")
        return "\n".join(lines)


@dataclass
class RunResult:
    turns: list[TurnResult] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)  # problems in the test files themselves
    conversations: int = 0

    @property
    def failures(self) -> list[TurnResult]:
        return [t for t in self.turns if not t.ok]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.errors


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def check_reply(reply: Reply, expect: dict[str, Any], content: Content) -> list[tuple[str, Any, Any]]:
    """Compare one reply with what the test expects; return the mismatches."""
    out: list[tuple[str, Any, Any]] = []
    if "intent" in expect and str(expect["intent"]) != str(reply.intent):
        out.append(("intent", expect["intent"], reply.intent))
    if "kind" in expect and str(expect["kind"]) != reply.kind:
        out.append(("kind", expect["kind"], reply.kind))
    if "topic" in expect:
        want = expect["topic"]
        if want in (None, "none", "None", ""):
            if reply.topic_id is not None:
                out.append(("topic", "none", reply.topic))
        else:
            topic = content.topics.get(reply.topic_id or "")
            names = {n.lower() for n in ((topic.title, topic.id) if topic else ())}
            if str(want).lower() not in names:
                out.append(("topic", want, reply.topic))
    text = reply.text
    for piece in _as_list(expect.get("text_contains")):
        if piece.lower() not in text.lower():
            out.append(("text containing", repr(piece), _excerpt(text)))
    for piece in _as_list(expect.get("text_not_contains")):
        if piece.lower() in text.lower():
            out.append(("text not containing", repr(piece), _excerpt(text)))
    urls = [c.url for c in reply.citations]
    wanted = _as_list(expect.get("citation_url_contains"))
    if wanted and not any(w in url for w in wanted for url in urls):
        out.append(("a citation URL containing", " or ".join(wanted), urls or "no citations"))
    titles = [q.title for q in reply.quick_replies]
    for want in _as_list(expect.get("quick_replies_include")):
        if want.lower() not in (t.lower() for t in titles):
            out.append(("quick reply", repr(want), titles or "no quick replies"))
    return out


def _excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= limit else flat[:limit] + "…")


def conversation_files(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(x for x in p.iterdir() if x.suffix in (".yaml", ".yml") and not x.name.startswith(".")))
        else:
            files.append(p)
    return files


def run_files(paths: Iterable[str | Path], engine_factory, content: Content, root: Path | None = None) -> RunResult:
    """Run every conversation in the given files or folders; ``engine_factory()`` gives a fresh engine."""
    result = RunResult()
    for path in conversation_files(paths):
        rel = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        try:
            data, lines = load_with_lines(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            result.errors.append(ContentError(rel, 1, f"cannot read the file ({exc})", "check the path"))
            continue
        except YamlError as exc:
            result.errors.append(ContentError(rel, exc.line, f"this is not valid YAML: {exc}",
                                              "check the indentation and quotes on this line or the one above"))
            continue
        convs = data.get("conversations") if isinstance(data, dict) else None
        if not isinstance(convs, list):
            result.errors.append(ContentError(rel, 1, "the file needs a 'conversations:' list", "see docs/content-guide.md"))
            continue
        engine = engine_factory()
        for ci, conv in enumerate(convs):
            _run_one(conv, ci, rel, lines, engine, content, result)
    return result


def _run_one(conv: Any, ci: int, rel: str, lines: dict, engine: Engine, content: Content, result: RunResult) -> None:
    line = lambda *p: lines.get(("conversations", ci, *p), lines.get(("conversations", ci), 1))  # noqa: E731
    if not isinstance(conv, dict) or not isinstance(conv.get("turns"), list):
        result.errors.append(ContentError(rel, line(), f"conversation {ci + 1} needs 'name' and a 'turns' list",
                                          "indent '- say: ...' lines under 'turns:'"))
        return
    name = str(conv.get("name") or f"conversation {ci + 1}")
    session = f"convtest:{uuid.uuid4().hex}"
    result.conversations += 1
    for ti, turn in enumerate(conv["turns"]):
        if not isinstance(turn, dict) or not isinstance(turn.get("say"), str) or not turn["say"].strip():
            result.errors.append(ContentError(rel, line("turns", ti), f"turn {ti + 1} of '{name}' has no 'say'",
                                              "write '- say: what the patient types'"))
            return
        expect = turn.get("expect") or {}
        unknown = [k for k in expect if k not in EXPECT_KEYS] if isinstance(expect, dict) else ["(not a mapping)"]
        if unknown:
            result.errors.append(ContentError(rel, line("turns", ti, "expect"), f"unknown expectation(s): {', '.join(map(str, unknown))}",
                                              f"use: {', '.join(EXPECT_KEYS)}"))
            return
        reply = engine.handle(Message(session_id=session, text=turn["say"], channel="test",
                                      locale=str(conv["locale"]) if conv.get("locale") else None))
        result.turns.append(TurnResult(rel, line("turns", ti), name, ti + 1, turn["say"],
                                       check_reply(reply, expect, content)))


# -- intent examples as checks ------------------------------------------------
@dataclass
class ExampleCheck:
    total: int = 0
    correct: int = 0
    #: (expected intent, got intent) -> count
    confusions: Counter = field(default_factory=Counter)
    misses: list[tuple[str, str, str | None]] = field(default_factory=list)  # (intent, text, got)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 1.0


def check_examples(content: Content, engine_factory) -> ExampleCheck:
    """Every intent example, its {topic} filled with a real topic that has that answer, must come back as its intent.

    Only topics of whose kind the words still ask this intent are used: "why would someone need
    {topic}" asks the causes of a condition (``reads_as``), so it is filled with a procedure.
    """
    out = ExampleCheck()
    topics = sorted(content.topics.values(), key=lambda t: t.id)
    for intent in content.intents.values():
        answering = [t for t in topics if intent.answer and intent.answer in t.answers
                     and intent.reads_for(t) == intent.id] or topics
        for i, example in enumerate(intent.examples):
            text = example
            if _PLACEHOLDER.search(example):
                if not answering:
                    continue
                text = _PLACEHOLDER.sub(answering[i % len(answering)].title.lower(), example)
            reply = engine_factory().handle(Message(session_id=f"example:{uuid.uuid4().hex}", text=text, channel="test"))
            out.total += 1
            if reply.intent == intent.id:
                out.correct += 1
            else:
                out.confusions[(intent.id, reply.intent or "none")] += 1
                out.misses.append((intent.id, text, reply.intent))
    return out


def format_examples(check: ExampleCheck, minimum: float) -> str:
    verdict = "OK" if check.accuracy >= minimum else "FAILED"
    lines = [f"{verdict}: intent examples {check.correct}/{check.total} classify as their own intent "
             f"({check.accuracy:.1%}; required {minimum:.0%})"]
    if check.confusions:
        lines.append("  confused with (expected -> got: count):")
        for (want, got), n in check.confusions.most_common():
            lines.append(f"    {want} -> {got}: {n}")
        lines.append("  examples that missed:")
        for want, text, got in check.misses[:25]:
            lines.append(f"    [{want} -> {got}] {text}")
    return "\n".join(lines)
