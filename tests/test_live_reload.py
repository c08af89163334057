"""Live reload and the admin API: atomic swaps under load, last good content on a bad edit."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from bot.content.live import LiveContent
from bot.core.engine import Engine
from bot.core.models import Message
from bot.runtime import build_runtime
from bot.server.app import create_app
from bot.sessions.memory import MemoryStore
from bot.settings import Settings
from tests.contentkit import edit, write_content

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ANSWER = "It opens a blocked blood vessel. A small balloon pushes it open."


def _settings(root: Path, **extra) -> Settings:
    values = dict(content_root=str(root), store_url="memory://", unanswered_url="memory://",
                  admin_token=TOKEN, reload_interval=0.05,
                  rate_limit_per_minute=1_000_000, ip_rate_limit_per_minute=1_000_000)
    values.update(extra)
    return Settings(**values)


def _wait_for(predicate, what: str, tries: int = 400) -> None:
    """Poll a condition (the watcher runs on its own thread); fail with a message, not a hang."""
    for _ in range(tries):
        if predicate():
            return
        time.sleep(0.025)
    raise AssertionError(f"timed out waiting for {what}")


def _ask(client, text: str = "what is angioplasty", session: str = "t1") -> dict:
    resp = client.post("/api/chat", json={"session_id": session, "text": text})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    body["text"] = "\n".join(m["text"] for m in body["messages"])
    return body


@pytest.fixture()
def app_and_root(tmp_path):
    root = write_content(tmp_path)
    runtime = build_runtime(_settings(root, reload_interval=0))
    app = create_app(runtime=runtime)
    yield app, root, runtime
    runtime.content.stop_watching()


def test_admin_is_off_without_a_token(tmp_path):
    root = write_content(tmp_path)
    app = create_app(runtime=build_runtime(_settings(root, admin_token="", reload_interval=0)))
    client = app.test_client()
    for method, path in (("get", "/admin/status"), ("post", "/admin/reload"), ("get", "/admin/unanswered")):
        resp = getattr(client, method)(path, headers={"Authorization": "Bearer anything"})
        assert resp.status_code == 404
        assert resp.get_json()["error"]["code"] == "not_found"


def test_status_says_the_sentence_model_is_off(app_and_root):
    app, _, _ = app_and_root
    body = app.test_client().get("/admin/status", headers=AUTH).get_json()
    assert body["ok"] is True and body["sentence_model"] is None


def test_admin_requires_the_bearer_token(app_and_root):
    app, _, _ = app_and_root
    client = app.test_client()
    assert client.get("/admin/status").status_code == 401
    assert client.get("/admin/status", headers={"Authorization": "Basic abc"}).status_code == 401
    wrong = client.get("/admin/status", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and wrong.get_json()["error"]["code"] == "forbidden"
    body = client.get("/admin/status", headers=AUTH).get_json()
    assert body["ok"] is True and body["errors"] == []
    assert (body["topics"], body["intents"]) == (2, 3)
    assert body["loaded_at"] > 0 and isinstance(body["warnings"], int)


def test_admin_never_gets_cors_headers(app_and_root):
    app, _, _ = app_and_root
    client = app.test_client()
    headers = {**AUTH, "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    for resp in (client.options("/admin/reload", headers=headers), client.get("/admin/status", headers=headers)):
        assert not [h for h in resp.headers.keys() if h.lower().startswith("access-control-")]


def test_broken_edit_keeps_last_good_and_status_shows_file_and_line(app_and_root):
    app, root, _ = app_and_root
    client = app.test_client()
    assert ANSWER in _ask(client)["text"]

    edit(root, "data/topics/angioplasty.yaml", ANSWER, "NEW TEXT: [unclosed")  # bad YAML on line 11
    body = client.post("/admin/reload", headers=AUTH).get_json()
    assert body["reloaded"] is False and body["ok"] is False
    err = body["errors"][0]
    assert (err["file"], err["line"]) == ("data/topics/angioplasty.yaml", 11)
    assert "not valid YAML" in err["message"]
    assert ANSWER in _ask(client, session="t2")["text"]  # still the last good content
    status = client.get("/admin/status", headers=AUTH).get_json()
    assert status["ok"] is False and status["errors"][0]["line"] == 11

    edit(root, "data/topics/angioplasty.yaml", "NEW TEXT: [unclosed", "Fixed text about the artery.")
    body = client.post("/admin/reload", headers=AUTH).get_json()
    assert body["reloaded"] is True and body["ok"] is True and body["errors"] == []
    assert "Fixed text about the artery." in _ask(client, session="t3")["text"]


def test_duplicate_alias_is_rejected_with_file_and_line(app_and_root):
    app, root, runtime = app_and_root
    edit(root, "data/topics/stent-care.yaml", "[caring for a stent]", "[caring for a stent, PCI]")
    assert runtime.content.reload() is False
    err = runtime.content.status.errors[0]
    assert err.rule == "shared-name" and err.line == 4 and "pci" in err.message
    assert ANSWER in _ask(app.test_client())["text"]


def test_file_watcher_brings_an_edit_live_without_a_restart(tmp_path):
    root = write_content(tmp_path)
    runtime = build_runtime(_settings(root))
    app = create_app(runtime=runtime)  # starts the watcher for this worker
    try:
        client = app.test_client()
        assert runtime.content._watcher is not None and runtime.content._watcher.is_alive()
        edit(root, "data/topics/angioplasty.yaml", ANSWER, "Watched edit went live.")
        _wait_for(lambda: "Watched edit went live." in _ask(client, session=str(time.time()))["text"],
                  "the watcher to reload")
        assert runtime.content.status.reloads == 1
    finally:
        runtime.content.stop_watching()


def test_new_topic_and_intent_files_go_live(tmp_path):
    root = write_content(tmp_path)
    runtime = build_runtime(_settings(root))
    app = create_app(runtime=runtime)
    try:
        (root / "intents/recovery.yaml").write_text(
            "id: recovery\nkind: topic\nanswer: recovery\nexamples:\n  - how long is recovery from {topic}\n"
            "  - recovery time after {topic}\n  - when can i go back to work after {topic}\n"
            "cues:\n  - {pattern: '\\brecover', weight: 1.0}\n", encoding="utf-8")
        edit(root, "data/topics/angioplasty.yaml", "  learn_more:",
             "  recovery:\n    text: Most people go home the next day.\n    sources: [mplus]\n  learn_more:")
        client = app.test_client()
        _wait_for(lambda: runtime.content.status.intents == 4, "the new intent to load")
        reply = _ask(client, "how long is recovery from angioplasty")
        assert reply["intent"] == "recovery" and "go home the next day" in reply["text"]
    finally:
        runtime.content.stop_watching()


def test_sighup_reloads(app_and_root):
    _, root, runtime = app_and_root
    assert runtime.content.install_sighup()
    edit(root, "data/topics/angioplasty.yaml", ANSWER, "Reloaded by a hang-up signal.")
    os.kill(os.getpid(), signal.SIGHUP)
    _wait_for(lambda: runtime.content.status.reloads == 1, "SIGHUP to reload")
    reply = runtime.engine.handle(Message("sig", "what is angioplasty"))
    assert "Reloaded by a hang-up signal." in reply.text


def test_reload_race_every_reply_comes_from_one_snapshot(tmp_path):
    """Requests in threads during repeated swaps: zero failures, never a mix of two versions."""
    root = write_content(tmp_path)
    edit(root, "data/topics/angioplasty.yaml", ANSWER, "VERSION-0 opens a blocked blood vessel.")
    edit(root, "data/topics/angioplasty.yaml", "{title: Angioplasty,", "{title: Angioplasty VERSION-0,")
    runtime = build_runtime(_settings(root, reload_interval=0))
    app = create_app(runtime=runtime)
    stop = threading.Event()
    failures: list[str] = []
    seen: set[int] = set()
    served = [0]

    def hammer(worker: int) -> None:
        client = app.test_client()
        n = 0
        while not stop.is_set():
            n += 1
            resp = client.post("/api/chat", json={"session_id": f"w{worker}-{n}", "text": "what is angioplasty"})
            if resp.status_code != 200:
                failures.append(f"HTTP {resp.status_code}")
                continue
            body = resp.get_json()
            text = " ".join(m["text"] for m in body["messages"])
            cite = body["citations"][0]["title"] if body["citations"] else ""
            answer_v = text.split("VERSION-")[1].split()[0] if "VERSION-" in text else "?"
            cite_v = cite.split("VERSION-")[1] if "VERSION-" in cite else "?"
            if answer_v != cite_v or answer_v == "?":
                failures.append(f"mixed snapshot: answer {answer_v}, citation {cite_v}")
            else:
                seen.add(int(answer_v))
            served[0] += 1

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    try:
        for version in range(1, 9):
            edit(root, "data/topics/angioplasty.yaml", f"VERSION-{version - 1} opens", f"VERSION-{version} opens")
            edit(root, "data/topics/angioplasty.yaml", f"Angioplasty VERSION-{version - 1},", f"Angioplasty VERSION-{version},")
            assert runtime.content.reload(force=True) is True
            if version == 4:  # a broken edit in the middle: still serving version 4
                edit(root, "data/topics/angioplasty.yaml", "sources:\n", "sources:\n  - [broken\n")
                assert runtime.content.reload(force=True) is False
                edit(root, "data/topics/angioplasty.yaml", "sources:\n  - [broken\n", "sources:\n")
            _wait_for(lambda: version in seen, f"a reply from version {version} (failures: {failures[:3]}, seen {seen})")
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert failures == []
    assert served[0] > 8 and set(range(1, 9)) <= seen


def test_a_replaced_snapshot_is_freed_without_the_cycle_collector(tmp_path):
    """Content is frozen out of the collector's rounds; that is only safe if old snapshots hold no cycles."""
    import gc
    import weakref

    root = write_content(tmp_path / "content")
    live = LiveContent(root, checks=[])
    engine = Engine(live, MemoryStore())
    engine.handle(Message("s", "what is angioplasty"))  # fill the caches a snapshot keeps
    old = live.current
    refs = [weakref.ref(x) for x in (old, old.intents, old.topics, old.content)]
    del old
    assert gc.get_freeze_count() > 0
    gc.disable()
    try:
        assert live.reload(force=True)
        assert all(ref() is None for ref in refs)
    finally:
        gc.enable()


def test_freed_memory_is_handed_back_after_a_load_with_a_sentence_model(tmp_path, monkeypatch, minilm):
    """glibc's malloc_trim after each load with a model (the int8 graph's build alone frees 170 MB);
    without a model it gained nothing measurable, and without glibc nothing is done."""
    import ctypes

    calls = []

    class Libc:
        def malloc_trim(self, pad):
            calls.append(pad)
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Libc())
    root = write_content(tmp_path / "content")
    plain = LiveContent(root, checks=[])
    assert plain.reload(force=True) and calls == []
    live = LiveContent(root, checks=[], sentence_model=minilm, cache_dir=str(tmp_path / "cache"))
    assert live.reload(force=True)
    assert calls == [0, 0]

    def no_libc(name):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    assert live.reload(force=True) and live.current.opinion is not None
