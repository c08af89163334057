"""Helpers for the production tests: a small content folder and a real redis-server.

The content is written here rather than taken from the repository so these tests
do not depend on topic files other people are editing at the same moment.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis

REDIS_BIN = shutil.which("redis-server") or ("/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None)

_TOPIC = """\
id: {id}
title: {title}
kind: procedure
also_called: [{also}]
reviewed: 2026-11-01
sources:
  nhlbi: {{title: "{title}", publisher: "National Heart, Lung, and Blood Institute", url: "https://www.nhlbi.nih.gov/health/{id}"}}
answers:
  what_is: {{text: "{title} is a test topic used to check the server. It has a plain answer.", sources: [nhlbi]}}
  how_done: {{text: "For {title}, a doctor does the steps of the procedure in a hospital.", sources: [nhlbi]}}
  learn_more: {{links: [nhlbi]}}
"""

_INTENTS = {
    "what_is": """\
id: what_is
kind: topic
answer: what_is
ask: "About {topic}"
follow_ups: [how_done, learn_more]
missing_answer: I don't have a general description of {topic} yet.
missing_topic: Which health topic would you like explained?
cues:
  - {pattern: '\\bwhat (is|are)\\b', weight: 0.9}
examples: ["what is {topic}", "tell me about {topic}", "explain {topic}"]
""",
    "how_done": """\
id: how_done
kind: topic
answer: how_done
ask: How is it done?
follow_ups: [learn_more]
missing_answer: I don't have a description of how {topic} is done.
missing_topic: Which procedure do you mean?
cues:
  - {pattern: '\\bhow (is|are) (it|topic|they) (done|performed)\\b', weight: 1.0}
examples: ["how is {topic} done", "how is it done", "how do they perform {topic}"]
""",
    "learn_more": """\
id: learn_more
kind: topic
answer: learn_more
ask: Where can I learn more?
missing_answer: I have no links for {topic} yet.
missing_topic: Which topic would you like links for?
cues:
  - {pattern: '\\b(learn more|more information|read more)\\b', weight: 1.0}
examples: ["where can i learn more about {topic}", "more information on {topic}"]
""",
    "greet": """\
id: greet
kind: fixed
max_words: 6
reply: Hello! Ask me about a health topic.
cues:
  - {pattern: '^(hi|hello|hey)$', weight: 1.0}
examples: [hi, hello]
""",
}

_SAFETY = """\
locales:
  en-US: {emergency: "911", crisis: "988"}
  default: {emergency: "112", crisis: "112"}
negations: [no, not, never]
rules:
  - id: chest-pain-now
    kind: emergency
    patterns: ['\\bchest pain (right )?now\\b']
    reply: {default: "This could be an emergency. Call {emergency} now."}
"""

_MESSAGES = """\
notice: I share general health information. It is not medical advice.
fallback: Sorry, I did not understand that.
abstain: I'm sorry, I don't have reviewed information on that topic.
clarify_topic: Which topic did you mean?
clarify_intent: What would you like to know about {topic}?
ask_topic: Which health topic are you asking about?
reviewed: "Reviewed {date}."
memory_lost: I may have lost track of our earlier messages, so please name the topic again.
starters: |
  What is angioplasty?
"""


def write_content(root: Path) -> Path:
    """A complete, valid content folder: two topics, four intents, one safety rule."""
    (root / "intents").mkdir(parents=True, exist_ok=True)
    (root / "data" / "topics").mkdir(parents=True, exist_ok=True)
    (root / "data" / "safety").mkdir(parents=True, exist_ok=True)
    for name, text in _INTENTS.items():
        (root / "intents" / f"{name}.yaml").write_text(text, encoding="utf-8")
    topics = [("angioplasty", "Angioplasty", "balloon angioplasty, PCI"),
              ("colonoscopy", "Colonoscopy", "colon exam")]
    for tid, title, also in topics:
        (root / "data" / "topics" / f"{tid}.yaml").write_text(_TOPIC.format(id=tid, title=title, also=also), encoding="utf-8")
    (root / "data" / "safety" / "rules.yaml").write_text(_SAFETY, encoding="utf-8")
    (root / "data" / "messages.yaml").write_text(_MESSAGES, encoding="utf-8")
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A real redis-server on a fixed free port that a test can kill and start again."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert REDIS_BIN, "redis-server is not installed"
        self.proc = subprocess.Popen(
            [REDIS_BIN, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        for _ in range(200):
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.025)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None
