"""Shared fixtures: a small content folder, an engine, a fake platform API, an app."""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from bot.channels.config import ChannelSettings
from bot.channels.sender import Sender
from bot.content.live import LiveContent
from bot.content.load import load_content
from bot.core.engine import Engine
from bot.core.knowledge import build
from bot.runtime import Runtime
from bot.server.app import create_app
from bot.sessions.memory import MemoryStore
from bot.settings import Settings

REPO = Path(__file__).resolve().parents[2]

WHAT_IS = (
    "Angioplasty is a procedure that opens a narrowed or blocked artery with a tiny balloon, "
    "and a stent is usually left in to keep it open."
)
HOW_DONE = (
    "A doctor guides a thin tube called a catheter through a blood vessel in the wrist or groin "
    "to the narrowed artery, then fills a tiny balloon to widen it."
)
SOURCE_URL = "https://www.nhlbi.nih.gov/health/stents?tab=during&lang=en"

TOPIC = f"""
id: angioplasty
title: Angioplasty
kind: procedure
also_called: [balloon angioplasty, PCI]
reviewed: 2026-01-15
sources:
  nhlbi:
    title: "Stents: What to Expect <During> & After"
    publisher: National Heart, Lung, and Blood Institute
    url: "{SOURCE_URL}"
answers:
  what_is: {{text: "{WHAT_IS}", sources: [nhlbi]}}
  how_done: {{text: "{HOW_DONE}", sources: [nhlbi]}}
  recovery: {{text: "Most people go home the same day or the next day.", sources: [nhlbi]}}
  learn_more: {{links: [nhlbi]}}
"""


@pytest.fixture(scope="session")
def content_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repo's intents, safety rules and messages, with one topic written here."""
    root = tmp_path_factory.mktemp("content")
    shutil.copytree(REPO / "intents", root / "intents")
    (root / "data" / "topics").mkdir(parents=True)
    shutil.copytree(REPO / "data" / "safety", root / "data" / "safety")
    shutil.copy(REPO / "data" / "messages.yaml", root / "data" / "messages.yaml")
    (root / "data" / "topics" / "angioplasty.yaml").write_text(TOPIC, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def knowledge(content_root: Path):
    content = load_content(content_root, checks=[])
    assert content.ok, content.errors
    return build(content)


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class FakeApi:
    """A local HTTP server that plays a platform's API and records every call.

    ``script`` holds (status, headers, body) answers used in order; afterwards
    every call gets ``default``.
    """

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    script: list[tuple[int, dict[str, str], Any]] = field(default_factory=list)
    default: tuple[int, dict[str, str], Any] = (200, {}, {"ok": True})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, call: Call) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            self.calls.append(call)
            return self.script.pop(0) if self.script else self.default


@pytest.fixture
def api():
    fake = FakeApi()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            parts = urlsplit(self.path)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw
            status, headers, answer = fake.answer(
                Call("POST", parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()}, body))
            data = json.dumps(answer).encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


@dataclass
class Harness:
    client: Any
    store: MemoryStore
    sender: Sender
    slept: list[float]
    app: Any

    def flush(self) -> None:
        self.sender.flush()


@pytest.fixture
def make_app(content_root):
    """Build the Flask app with the given channel settings, a memory store and a test sender."""
    senders: list[Sender] = []

    def factory(channels: ChannelSettings, settings_extra: dict[str, Any] | None = None,
                **sender_options: Any) -> Harness:
        store = MemoryStore()
        settings = Settings(content_root=str(content_root), store_url="memory://", reload_interval=0,
                            **(settings_extra or {}))
        content = LiveContent(content_root, checks=[])
        runtime = Runtime(settings, content, store, Engine(content, store))
        slept: list[float] = []
        sender = Sender(workers=2, sleep=slept.append, timeout=5, **sender_options)
        senders.append(sender)
        runtime.channels = channels  # type: ignore[attr-defined]
        runtime.sender = sender  # type: ignore[attr-defined]
        app = create_app(runtime=runtime)
        return Harness(app.test_client(), store, sender, slept, app)

    yield factory
    for sender in senders:
        sender.close()
