"""A small, valid content folder written into a test's tmp_path.

Tests for validation, live reload, the conversation runner and the report edit
one file of this folder to make exactly the problem they test, so each failure
is caused by the fixture and not by the shipped content (which others edit).
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

TODAY = dt.date(2026, 12, 1)

FILES: dict[str, str] = {
    "intents/what_is.yaml": """\
        id: what_is
        description: What something is.
        kind: topic
        answer: what_is
        ask: "About {topic}"
        follow_ups: [how_done]
        cues:
          - {pattern: '\\bwhat (is|are)( an?| the)? topic\\b', weight: 1.0}
        examples:
          - what is {topic}
          - tell me about {topic}
          - can you explain {topic}
          - what does {topic} mean
        """,
    "intents/how_done.yaml": """\
        id: how_done
        description: How a procedure is done.
        kind: topic
        answer: how_done
        ask: How is it done?
        cues:
          - {pattern: '\\bhow (is|are) (it|topic|they) (done|performed)\\b', weight: 1.0}
        examples:
          - how is {topic} done
          - how do they perform {topic}
          - what happens during {topic}
          - walk me through the {topic} procedure
        """,
    "intents/greet.yaml": """\
        id: greet
        description: Hello.
        kind: fixed
        reply: Hello! Ask me about a heart topic.
        cues:
          - {pattern: '^(hi|hello|hey)$', weight: 1.0}
        examples:
          - hi
          - hello
          - hey there
        """,
    "data/topics/angioplasty.yaml": """\
        id: angioplasty
        title: Angioplasty
        kind: procedure
        also_called: [balloon angioplasty, PCI]
        reviewed: 2026-11-20
        related: [stent-care]
        sources:
          mplus: {title: Angioplasty, publisher: MedlinePlus, url: "https://medlineplus.gov/angioplasty.html"}
        answers:
          what_is:
            text: It opens a blocked blood vessel. A small balloon pushes it open.
            sources: [mplus]
          how_done:
            text: A thin tube goes into a blood vessel. The doctor guides it to the heart.
            sources: [mplus]
          learn_more:
            links: [mplus]
        """,
    "data/topics/stent-care.yaml": """\
        id: stent-care
        title: Stent Care
        kind: wellness
        also_called: [caring for a stent]
        reviewed: 2026-11-20
        related: [angioplasty]
        sources:
          nhlbi: {title: Stents, publisher: NHLBI, url: "https://www.nhlbi.nih.gov/health/stents"}
        answers:
          what_is:
            text: After a stent, you take medicine to keep blood from clotting. Your doctor tells you how long.
            sources: [nhlbi]
          learn_more:
            links: [nhlbi]
        """,
    "data/safety/red-flags.yaml": """\
        locales:
          en-US: {emergency: "911", crisis: "988"}
          default: {emergency: "112", crisis: "112"}
        negations: [no, not]
        rules:
          - id: chest-pain-now
            kind: emergency
            patterns: ['\\bchest pain\\b.{0,20}\\bnow\\b']
            reply: Call {emergency} now.
        """,
    "data/messages.yaml": """\
        notice: General information, not medical advice.
        fallback: Sorry, I did not understand that.
        abstain: I don't have reviewed information on that topic.
        clarify_topic: Which topic did you mean?
        ask_topic: Which topic are you asking about?
        reviewed: "Reviewed {date}."
        memory_lost: I may have lost track.
        starters: |
          What is angioplasty?
        """,
}


def write_content(root: Path, overrides: dict[str, str | None] | None = None) -> Path:
    """Write the sample folder; ``overrides`` replaces (or, with None, deletes) files."""
    files = dict(FILES)
    files.update(overrides or {})
    for rel, text in files.items():
        path = root / rel
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace one piece of text in one file, failing loudly if it is not there."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
