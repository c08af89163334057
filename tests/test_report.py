"""The unanswered-question loop: record, redact, expire, cluster, suggest, accept."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.load import load_content
from bot.core.models import Message, Reply
from bot.report import build_report, cluster, knowledge_for, plan_accept
from bot.runtime import build_runtime
from bot.server.app import create_app
from bot.settings import Settings
from bot.unanswered import (
    MemoryUnansweredLog,
    RecordedLog,
    SQLiteUnansweredLog,
    UnansweredRecord,
    UnansweredRecorder,
)
from tests.contentkit import write_content

PHONES = ["555-201-3344", "(555) 987-6543"]
EMAILS = ["ann.lee@example.org", "bob@mail.example.com"]
DATES = ["03/04/2025", "March 3rd, 2025", "2025-11-02"]

#: A scripted mix: answered questions, small talk, and three kinds of trouble with planted details.
SCRIPT = [
    "what is angioplasty", "hi", "how is angioplasty done",
    f"what is zorblax? email me at {EMAILS[0]}", "what is zorblax", "whats zorblax",
    f"what is zorblax, my name is Ann Lee, call {PHONES[0]}",
    "what is stent caring", "what is stent carin", f"what is stent caring, I had one on {DATES[0]}",
    "blah blah purple monkey", f"purple monkey blah blah {PHONES[1]}",
    f"purple monkey on {DATES[1]} write to {EMAILS[1]}", f"blah blah monkey purple {DATES[2]}",
]


def _settings(root: Path, db: Path) -> Settings:
    return Settings(content_root=str(root), store_url="memory://", unanswered_url=f"sqlite:///{db}",
                    admin_token="tok", reload_interval=0)


@pytest.fixture()
def scripted(tmp_path, monkeypatch):
    """Run the script through a runtime like the server's, logging to SQLite; CLI sees the same settings."""
    root = write_content(tmp_path / "content")
    db = tmp_path / "unanswered.sqlite3"
    runtime = build_runtime(_settings(root, db))
    for i, text in enumerate(SCRIPT):
        runtime.engine.handle(Message(f"s{i}", text))
    wait_until_written(db, 11)  # the CLI is another reader: it sees what the background writer has written
    monkeypatch.setenv("HEALTHBOT_UNANSWERED_URL", f"sqlite:///{db}")
    monkeypatch.setenv("HEALTHBOT_CONTENT_ROOT", str(root))
    return root, db, runtime


def wait_until_written(db: Path, n: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(db) as conn:
            if conn.execute("SELECT COUNT(*) FROM unanswered").fetchone()[0] >= n:
                return
        time.sleep(0.02)
    raise AssertionError(f"fewer than {n} records written to {db} within {timeout} s")


def test_background_recorder_redacts_and_writes_behind_in_batches(tmp_path):
    db = tmp_path / "u.sqlite3"
    store = SQLiteUnansweredLog(str(db))
    recorder = UnansweredRecorder(store, background=True)
    view = RecordedLog(store, recorder)
    for i in range(5):
        recorder(Message(f"s{i}", f"what is zorblax {i}, call me on 555-123-4567"), Reply("abstain", []))
    assert view.count() == 5  # a read in this process writes what is queued first
    assert all("555" not in r.text and "[PHONE]" in r.text for r in view.all())
    recorder(Message("s9", "later"), Reply("fallback", []))
    wait_until_written(db, 6)  # another process sees it once the background writer has run
    assert [r.text for r in SQLiteUnansweredLog(str(db)).recent(1)] == ["later"]


def test_background_recorder_keeps_turns_while_the_store_cannot_be_written(tmp_path, monkeypatch):
    import bot.sqlitedb as sqlitedb

    db = tmp_path / "u.sqlite3"
    store = SQLiteUnansweredLog(str(db))
    recorder = UnansweredRecorder(store, background=True)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(sqlitedb, "BUSY_TIMEOUT", 0.05)
    try:
        recorder(Message("s", "what is zorblax"), Reply("abstain", []))
        time.sleep(3 * recorder.FLUSH_SECONDS)  # the writer tries, fails and keeps the turn
        assert store.count() == 0
    finally:
        blocker.execute("ROLLBACK")
    assert [r.text for r in RecordedLog(store, recorder).all()] == ["what is zorblax"]


def test_recorder_keeps_only_unanswered_turns_redacted(scripted):
    _, _, runtime = scripted
    records = runtime.unanswered.all()
    texts = [r.text for r in records]
    assert "what is angioplasty" not in texts and "hi" not in texts
    assert {r.kind for r in records} <= {"fallback", "abstain", "clarify", "missing", "answer"}
    assert len(records) == 11
    zorblax = next(r for r in records if r.text == "what is zorblax")
    assert zorblax.kind == "abstain" and zorblax.guesses["intents"][0][0] == "what_is"
    blob = json.dumps([r.to_dict() for r in records])
    for secret in PHONES + EMAILS + DATES + ["Ann Lee"]:
        assert secret not in blob


def test_low_confidence_answers_and_payloads():
    log = MemoryUnansweredLog()
    recorder = UnansweredRecorder(log, min_confidence=0.6)
    from bot.core.models import Reply

    recorder(Message("a", "how long after angioplasty"), Reply("answer", [], "recovery", confidence=0.5))
    recorder(Message("a", "what is angioplasty"), Reply("answer", [], "what_is", confidence=0.9))
    recorder(Message("a", "topic:angioplasty", payload="topic:angioplasty"), Reply("clarify", []))
    recorder(Message("a", "chest pain now"), Reply("emergency", []))
    assert [r.text for r in log.all()] == ["how long after angioplasty"]


def test_records_expire(tmp_path):
    now = [1_000_000.0]
    log = SQLiteUnansweredLog(str(tmp_path / "u.sqlite3"), clock=lambda: now[0])
    recorder = UnansweredRecorder(log, ttl_days=2, clock=lambda: now[0])
    from bot.core.models import Reply

    recorder(Message("a", "what is zorblax"), Reply("abstain", [], "what_is"))
    assert log.count() == 1
    now[0] += 3 * 86400
    assert log.count() == 0 and log.all() == []
    assert log.purge() == 1


def _rec(text: str, kind: str = "abstain", intents=(), topics=()) -> UnansweredRecord:
    return UnansweredRecord(text=text, kind=kind, at=0, expires_at=1e12,
                            guesses={"intents": [list(p) for p in intents], "topics": [list(p) for p in topics]})


def test_clustering_groups_similar_wordings_and_ranks_by_count():
    records = [_rec(t) for t in (
        "what is zorblax", "whats zorblax", "what is zorblax? email me at [EMAIL]", "what is zorblax",
        "stent caring", "what is stent caring",
        "purple monkey",
    )]
    groups = cluster(records)
    assert [g.count for g in groups] == [4, 2, 1]
    assert groups[0].leader == "what is zorblax" and groups[0].n == 1
    assert {r.text for r in groups[1].members} == {"stent caring", "what is stent caring"}


def test_suggestions_name_an_intent_or_a_topic(tmp_path):
    root = write_content(tmp_path)
    knowledge = knowledge_for(root, checks=[])
    groups = build_report([
        _rec("what is stent carin", intents=[("what_is", 0.8)]),
        _rec("what is stent carin", intents=[("what_is", 0.8)]),
        _rec("docs put a angioplasty in how", kind="fallback", intents=[("how_done", 0.25)]),
        _rec("what is zorblax", intents=[("what_is", 0.8)]),
        _rec("blah purple", kind="fallback", intents=[("greet", 0.0)]),
    ], knowledge)
    by_leader = {g.leader: g.suggestion for g in groups}
    alias = by_leader["what is stent carin"]
    assert (alias.kind, alias.target, alias.value) == ("alias", "stent-care", "stent carin")
    example = by_leader["docs put a angioplasty in how"]
    assert (example.kind, example.target, example.value) == ("example", "how_done", "docs put a {topic} in how")
    assert by_leader["what is zorblax"].kind == "none" and "new topic" in by_leader["what is zorblax"].reason
    assert by_leader["blah purple"].kind == "none"


def test_report_cli_lists_groups_counts_and_suggestions_without_personal_details(scripted, capsys):
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert "11 unanswered question(s) in 4 group(s)" in out
    assert "1. (4x) what is zorblax" in out and "2. (3x)" in out and "3. (3x)" in out and "4. (1x)" in out
    assert 'add also-called name "stent caring" to topic \'stent-care\'' in out
    assert "zorblax" in out and "new topic" in out
    for secret in PHONES + EMAILS + DATES + ["Ann Lee", "Ann"]:
        assert secret not in out
    assert main(["report", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 11 and [g["count"] for g in data["groups"]] == [4, 3, 3, 1]


def _group_n(capsys, leader_word: str) -> int:
    assert main(["report", "--format", "json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    return next(g["n"] for g in groups if leader_word in g["leader"])


def test_accept_shows_the_diff_and_writes_only_with_yes(scripted, capsys):
    root, _, _ = scripted
    n = _group_n(capsys, "stent")
    topic_file = root / "data/topics/stent-care.yaml"
    before = topic_file.read_text()
    assert main(["report", "--accept", str(n)]) == 0  # stdin is not a terminal: show, don't write
    out = capsys.readouterr().out
    assert "--- a/data/topics/stent-care.yaml" in out and "+also_called: [caring for a stent, \"stent caring\"]" in out
    assert "Nothing written" in out and topic_file.read_text() == before

    assert main(["report", "--accept", str(n), "--yes"]) == 0
    assert "validate' passes" in capsys.readouterr().out
    content = load_content(root)
    assert content.ok, [str(e) for e in content.errors]
    assert "stent caring" in content.topics["stent-care"].also_called
    assert main(["validate"]) == 0


def test_accept_an_example_into_a_block_list_keeps_the_file_valid(tmp_path):
    root = write_content(tmp_path)
    knowledge = knowledge_for(root, checks=[])
    group = build_report([_rec("docs put a angioplasty in how", "fallback", intents=[("how_done", 0.3)])], knowledge)[0]
    path, old, new = plan_accept(group, knowledge)
    assert path.name == "how_done.yaml"
    added = [line for line in new.splitlines() if line not in old.splitlines()]
    assert added == ['  - "docs put a {topic} in how"']
    path.write_text(new)
    content = load_content(root)
    assert content.ok and "docs put a {topic} in how" in content.intents["how_done"].examples


def test_accept_rejects_a_group_without_suggestion(scripted, capsys):
    n = _group_n(capsys, "zorblax")
    assert main(["report", "--accept", str(n), "--yes"]) == 1
    assert "cannot be accepted" in capsys.readouterr().err
    assert main(["report", "--accept", "99"]) == 2


def test_admin_unanswered_endpoint_is_redacted(scripted):
    root, db, _ = scripted
    app = create_app(runtime=build_runtime(_settings(root, db)))
    client = app.test_client()
    assert client.get("/admin/unanswered").status_code == 401
    resp = client.get("/admin/unanswered?limit=50", headers={"Authorization": "Bearer tok"})
    body = resp.get_json()
    assert resp.status_code == 200 and body["count"] == 11 and len(body["items"]) == 11
    blob = json.dumps(body)
    for secret in PHONES + EMAILS + DATES:
        assert secret not in blob
    assert client.get("/admin/unanswered?limit=abc", headers={"Authorization": "Bearer tok"}).status_code == 400


def test_an_idle_background_writer_stops_and_the_next_turn_starts_another(tmp_path, monkeypatch):
    monkeypatch.setattr(UnansweredRecorder, "FLUSH_SECONDS", 0.01)
    monkeypatch.setattr(UnansweredRecorder, "IDLE_ROUNDS", 3)
    db = tmp_path / "u.sqlite3"
    recorder = UnansweredRecorder(SQLiteUnansweredLog(str(db)), background=True)
    recorder(Message("a", "what is zorblax"), Reply("abstain", []))
    wait_until_written(db, 1)
    deadline = time.monotonic() + 5
    while recorder._writer is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert recorder._writer is None  # no thread left waking up for nothing
    recorder(Message("b", "what is frobnitz"), Reply("abstain", []))
    wait_until_written(db, 2)
