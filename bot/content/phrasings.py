"""Read ``data/phrasings/*.jsonl``: questions as patients write them, each labelled with its intent.

They teach the optional sentence model (:mod:`bot.core.second_opinion`) how
people ask; without a model they are only checked. Each line is one labelled
question in the format ``healthbot eval`` reads, so a file of questions staff
have labelled can be copied in as it is::

    {"question": "how long before I can drive after a stent?", "intent": "recovery"}

``intent`` is an intent's id, or ``other`` for a question no topic answer
covers (a dose, stopping a medicine, a cost). Other fields are ignored.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Collection

from bot.content.schema import ContentError, Phrasing

FOLDER = ("data", "phrasings")
SUFFIX = ".jsonl"
#: The label for questions that no intent answered from a topic covers.
OTHER = "other"


def phrasing_files(root: Path) -> list[Path]:
    folder = root.joinpath(*FOLDER)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix == SUFFIX and not p.name.startswith("."))


def load_phrasings(root: Path, intents: Collection[str]) -> tuple[list[Phrasing], list[ContentError]]:
    """Every usable phrasing, and an error naming the file and line of each one that is not."""
    known = sorted(set(intents) | {OTHER})
    out: list[Phrasing] = []
    problems: list[ContentError] = []
    for path in phrasing_files(root):
        rel = str(path.relative_to(root))

        def error(line: int, message: str, fix: str) -> None:
            problems.append(ContentError(rel, line, message, fix, "error", "phrasings"))

        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            error(1, f"the file is not UTF-8 text ({exc.reason})", "save it as UTF-8")
            continue
        numbered = [(number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip()]
        try:  # one parse for the whole file; a file with a bad line is parsed line by line to name it
            rows = json.loads("[" + ",".join(line for _, line in numbered) + "]")
            if len(rows) != len(numbered):
                raise ValueError("a line held more than one value")
        except ValueError:
            rows = None
        for i, (number, line) in enumerate(numbered):
            if rows is not None:
                row = rows[i]
            else:
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    error(number, f"this line is not valid JSON ({exc.msg})",
                          'write one {"question": "...", "intent": "..."} per line, with double quotes')
                    continue
            if not isinstance(row, dict):
                error(number, "this line is not a {...} object", 'write {"question": "...", "intent": "..."}')
                continue
            question, intent = row.get("question"), row.get("intent")
            if not isinstance(question, str) or not question.strip():
                error(number, "the line has no 'question' text", 'add "question": "the words as a patient wrote them"')
                continue
            if intent not in known:
                close = difflib.get_close_matches(str(intent), known, n=1, cutoff=0.6)
                fix = f"did you mean '{close[0]}'?" if close else f"use an intent id or '{OTHER}'"
                error(number, f"intent {intent!r} is not an intent", fix)
                continue
            out.append(Phrasing(intent, " ".join(question.split())))
    return out, problems
