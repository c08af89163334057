"""The outbox: a reply acknowledged to the platform survives the worker being killed.

The "killed" worker here is a real process ended with SIGKILL right after it
accepted a reply; a second sender on the same store then sends it to a local
server playing the platform API.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from bot.channels.outbox import SQLiteOutbox, open_outbox
from bot.channels.sender import Outbound, Response, Sender, job_from_record, job_record, Secrets
from bot.channels.telegram import TelegramChannel  # noqa: F401  (registers the Telegram check)

TOKEN = "123456:TEST-bot-token-never-stored"
REPO = Path(__file__).resolve().parents[2]


def check_outbox_semantics(outbox) -> None:
    """What every outbox must do; the Redis one runs this too (tests/test_redis.py)."""
    outbox.add("a", "job a", lease_until=100.0)
    outbox.add("b", "job b", lease_until=200.0)
    assert outbox.pending() == 2
    assert outbox.claim(now=150.0, lease_until=250.0, limit=10) == [("a", "job a")]  # only the expired one
    assert outbox.claim(now=150.0, lease_until=250.0, limit=10) == []  # now leased again
    outbox.renew(["b"], lease_until=400.0)
    assert outbox.claim(now=300.0, lease_until=500.0, limit=10) == [("a", "job a")]  # "b" was renewed
    outbox.remove("a")
    outbox.remove("b")
    assert outbox.pending() == 0 and outbox.claim(now=10_000.0, lease_until=10_100.0, limit=10) == []


def test_sqlite_outbox_semantics(tmp_path):
    check_outbox_semantics(SQLiteOutbox(str(tmp_path / "outbox.db")))


def test_two_claimers_never_take_the_same_job(tmp_path):
    outbox = SQLiteOutbox(str(tmp_path / "outbox.db"))
    for i in range(200):
        outbox.add(f"job{i}", "x", lease_until=0.0)
    taken: list[str] = []
    lock = threading.Lock()

    def claim() -> None:
        other = SQLiteOutbox(str(tmp_path / "outbox.db"))
        while got := other.claim(now=1.0, lease_until=1e12, limit=7):
            with lock:
                taken.extend(job_id for job_id, _ in got)

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(taken) == sorted(f"job{i}" for i in range(200))  # each exactly once


def test_open_outbox_follows_the_session_store_url(tmp_path):
    assert open_outbox("memory://") is None  # one process: nothing to hand over
    assert isinstance(open_outbox(f"sqlite:///{tmp_path}/s.db"), SQLiteOutbox)


def test_a_record_hides_tokens_and_names_its_check():
    from bot.channels.telegram import _telegram_check

    job = [Outbound("telegram", f"https://api.example/bot{TOKEN}/sendMessage", {"chat_id": 5, "text": "Hi"},
                    {"Authorization": f"Bearer {TOKEN}"}, action="sendMessage", check=_telegram_check)]
    record = job_record(job, Secrets([TOKEN]), created=10.0)
    assert TOKEN not in record and "{{secret:" in record
    created, restored = job_from_record(record, Secrets([TOKEN]))
    assert created == 10.0 and restored == job and restored[0].check is _telegram_check
    assert job_from_record(record, Secrets(["another-token-after-rotation"])) is None


KILLED_WORKER = textwrap.dedent("""
    import os, signal, sys, threading
    from bot.channels.outbox import SQLiteOutbox
    from bot.channels.sender import Outbound, Sender
    from bot.channels.telegram import _telegram_check

    db, url, token = sys.argv[1:4]
    hang = threading.Event()
    sender = Sender(workers=1, outbox=SQLiteOutbox(db), secrets=[token], lease=1.0,
                    transport=lambda request, timeout: hang.wait())
    sender.submit([Outbound("telegram", f"{url}/bot{token}/sendMessage", {"chat_id": 42, "text": "Your answer"},
                            {"Authorization": f"Bearer {token}"}, action="sendMessage", check=_telegram_check)])
    print("accepted", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
""")


def test_a_reply_accepted_by_a_killed_worker_is_sent_by_another(api, tmp_path):
    db = tmp_path / "sessions.db"
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-c", KILLED_WORKER, str(db), api.url, TOKEN],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.stdout.strip() == "accepted" and done.returncode == -signal.SIGKILL
    assert api.calls == []  # the killed worker never sent it
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("sessions.db*"))
    assert b"Your answer" in stored and TOKEN.encode() not in stored  # written down, without the token

    outbox = SQLiteOutbox(str(db))
    sender = Sender(workers=1, outbox=outbox, secrets=[TOKEN], lease=1.0, timeout=5)
    sender.start()
    deadline = time.monotonic() + 20
    while not api.calls and time.monotonic() < deadline:
        time.sleep(0.05)
    sender.flush()
    try:
        assert len(api.calls) == 1
        call = api.calls[0]
        assert call.path == f"/bot{TOKEN}/sendMessage" and call.headers["authorization"] == f"Bearer {TOKEN}"
        assert call.body == {"chat_id": 42, "text": "Your answer"}
        assert sender.stats.recovered == 1 and sender.stats.sent == 1
        assert outbox.pending() == 0
    finally:
        sender.close()


def test_a_live_sender_keeps_its_jobs_from_other_senders(api, tmp_path):
    outbox_path = str(tmp_path / "sessions.db")
    release = threading.Event()

    def slow(request, timeout):
        release.wait(10)
        return Response(200, {}, b"{}")

    busy = Sender(workers=1, outbox=SQLiteOutbox(outbox_path), lease=0.6, transport=slow)
    busy.submit([Outbound("x", f"{api.url}/send", {"text": "slow"})])
    other = Sender(workers=1, outbox=SQLiteOutbox(outbox_path), lease=0.6, timeout=5)
    other.start()
    try:
        time.sleep(1.8)  # three leases: the busy sender renewed its job every 0.2 s
        assert other.stats.recovered == 0 and api.calls == []
        release.set()
        busy.flush()
        assert busy.stats.sent == 1 and SQLiteOutbox(outbox_path).pending() == 0
    finally:
        release.set()
        busy.close()
        other.close()


def test_a_job_whose_token_changed_or_that_is_too_old_is_given_up(api, tmp_path, caplog):
    outbox = SQLiteOutbox(str(tmp_path / "sessions.db"))
    old = [Outbound("telegram", f"{api.url}/bot{TOKEN}/sendMessage", {"text": "a"})]
    outbox.add("rotated", job_record(old, Secrets([TOKEN]), time.time()), lease_until=0.0)
    late = [Outbound("telegram", f"{api.url}/send", {"text": "b"})]
    outbox.add("late", job_record(late, Secrets(), time.time() - 7200), lease_until=0.0)
    sender = Sender(workers=1, outbox=outbox, secrets=["a-new-token-123"], lease=1.0)
    with caplog.at_level(logging.ERROR, logger="healthbot.channels.sender"):
        sender.keep()
    sender.flush()
    sender.close()
    assert api.calls == [] and outbox.pending() == 0  # never sent with a placeholder, nor hours late
    assert {r.getMessage() for r in caplog.records} == {
        "outbox job given up: cannot be restored (token changed?)", "outbox job given up: too old"}


def test_when_the_outbox_is_down_the_reply_is_still_sent(api, caplog):
    class DownOutbox:
        def add(self, *args):
            raise ConnectionError("down")

        renew = claim = remove = add

        def pending(self):
            return 0

    sender = Sender(workers=1, outbox=DownOutbox(), lease=30.0, timeout=5)
    with caplog.at_level(logging.WARNING, logger="healthbot.channels.sender"):
        assert sender.submit([Outbound("x", f"{api.url}/send", {"text": "hi"})])
        sender.flush()
    sender.close()
    assert [c.body for c in api.calls] == [{"text": "hi"}] and sender.stats.sent == 1
    assert "outbox unavailable; x reply kept in memory only" in caplog.text


def test_the_server_writes_platform_replies_to_the_session_store_first(api, tmp_path, content_root):
    """With channels on and a SQLite session store, the app's sender has an outbox there."""
    import json

    from bot.channels.config import ChannelSettings, TelegramConfig
    from bot.runtime import build_runtime
    from bot.server.app import create_app
    from bot.settings import Settings

    settings = Settings(content_root=str(content_root), store_url=f"sqlite:///{tmp_path}/sessions.db",
                        unanswered_url="memory://", reload_interval=0)
    runtime = build_runtime(settings)
    runtime.channels = ChannelSettings(telegram=TelegramConfig("secret_abc", TOKEN, api.url))  # type: ignore[attr-defined]
    app = create_app(runtime=runtime)
    sender = app.extensions["healthbot.webhooks"].sender
    try:
        assert isinstance(sender.outbox, SQLiteOutbox)
        update = {"update_id": 7, "message": {"message_id": 7, "date": 1700000000, "text": "what is angioplasty?",
                                              "from": {"id": 5, "is_bot": False}, "chat": {"id": 5, "type": "private"}}}
        res = app.test_client().post("/webhooks/telegram", data=json.dumps(update), content_type="application/json",
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "secret_abc"})
        assert res.status_code == 200
        sender.flush()
        assert [c.path for c in api.calls][-1] == f"/bot{TOKEN}/sendMessage"
        assert sender.outbox.pending() == 0  # sent, so no longer written down
    finally:
        sender.close()
