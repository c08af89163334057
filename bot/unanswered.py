"""The unanswered-question log: what the bot could not answer well, for staff to fix.

An engine observer records every fallback, abstention, clarification and
missing answer, and every answer below a confidence threshold, with the intent
and topic guesses and their scores. The patient's words are redacted
(:mod:`bot.redact`) *before* they reach a store, and every record expires after
``HEALTHBOT_UNANSWERED_TTL_DAYS``. ``healthbot report`` reads this log.

Stores follow :class:`UnansweredLog`; SQLite is the default, memory is for
tests and the CLI, and another backend (e.g. Redis) only has to implement the
five methods and be returned by :func:`open_unanswered_log` for its URL.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Protocol

from bot.core.models import Message, Reply
from bot.redact import redact
from bot.sqlitedb import ThreadConnections

log = logging.getLogger("healthbot.unanswered")

#: Reply kinds that mean the bot did not answer the question asked.
UNANSWERED_KINDS = frozenset({"fallback", "abstain", "clarify", "missing"})
MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class UnansweredRecord:
    """One turn the bot did not answer well; ``text`` is already redacted."""

    text: str
    kind: str
    at: float
    expires_at: float
    intent: str | None = None
    topic_id: str | None = None
    confidence: float = 0.0
    #: Top guesses with scores: {"intents": [[id, score], ...], "topics": [[id, score], ...]}.
    guesses: dict[str, Any] = field(default_factory=dict)
    channel: str = "web"
    id: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class UnansweredLog(Protocol):
    def add(self, record: UnansweredRecord) -> None: ...

    def recent(self, limit: int = 100) -> list[UnansweredRecord]: ...

    def all(self) -> list[UnansweredRecord]: ...

    def count(self) -> int: ...

    def purge(self) -> int: ...


class MemoryUnansweredLog:
    """In-process log for tests and the terminal chat; expired records are skipped."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._records: list[UnansweredRecord] = []
        self._lock = threading.Lock()

    def add(self, record: UnansweredRecord) -> None:
        with self._lock:
            self._records.append(_with_id(record, len(self._records) + 1))

    def all(self) -> list[UnansweredRecord]:
        now = self._clock()
        with self._lock:
            return [r for r in self._records if r.expires_at > now]

    def recent(self, limit: int = 100) -> list[UnansweredRecord]:
        return list(reversed(self.all()))[:limit]

    def count(self) -> int:
        return len(self.all())

    def purge(self) -> int:
        now = self._clock()
        with self._lock:
            before = len(self._records)
            self._records = [r for r in self._records if r.expires_at > now]
            return before - len(self._records)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, expires_at REAL NOT NULL,
  text TEXT NOT NULL, kind TEXT NOT NULL, intent TEXT, topic_id TEXT, confidence REAL NOT NULL,
  guesses TEXT NOT NULL, channel TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS unanswered_expires ON unanswered(expires_at);
"""


class SQLiteUnansweredLog:
    """One SQLite file shared by the workers of one machine (WAL, short transactions).

    Records are written behind the reply: ``add`` queues them and a background
    thread writes each batch in one transaction, every ``FLUSH_SECONDS`` or at
    ``BATCH`` records, so a busy worker commits a few times a second instead of
    once per turn. Reads in this process flush first; other processes see a
    record within ``FLUSH_SECONDS``. A worker that dies hard loses at most that
    much of the log; a normal exit flushes.
    """

    FLUSH_SECONDS = 0.2
    BATCH = 200
    #: Records kept in memory while the file cannot be written (disk full, locked for 10 s).
    MAX_PENDING = 10_000

    def __init__(self, path: str, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._db = ThreadConnections(path, _SCHEMA)
        self._adds = 0
        self._pending: list[tuple[Any, ...]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._writer_pid = 0
        atexit.register(self.flush)

    def add(self, record: UnansweredRecord) -> None:
        row = (record.at, record.expires_at, record.text, record.kind, record.intent, record.topic_id,
               record.confidence, json.dumps(record.guesses), record.channel)
        with self._lock:
            self._pending.append(row)
            if self._writer_pid != os.getpid():  # first add in this process (workers are forked)
                self._writer_pid = os.getpid()
                threading.Thread(target=self._write_behind, name="unanswered-writer", daemon=True).start()
            full = len(self._pending) >= self.BATCH
        if full:
            self._wake.set()

    def _write_behind(self) -> None:
        while True:
            self._wake.wait(self.FLUSH_SECONDS)
            self._wake.clear()
            try:
                self.flush()
            except Exception as exc:  # the next round retries what is still pending
                log.warning("unanswered log: batch not written (%s); will retry", type(exc).__name__)

    def flush(self) -> None:
        """Write every queued record now."""
        with self._lock:
            rows, self._pending = self._pending, []
        if not rows:
            return
        try:
            self._db.write_many(
                "INSERT INTO unanswered (at, expires_at, text, kind, intent, topic_id, confidence, guesses, channel) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        except Exception:
            with self._lock:  # keep them for the next round, up to a bound, rather than lose them
                self._pending[:0] = rows
                dropped = len(self._pending) - self.MAX_PENDING
                if dropped > 0:
                    del self._pending[:dropped]
                    log.warning("unanswered log unavailable: %d oldest records dropped", dropped)
            raise
        self._adds += len(rows)
        if self._adds >= 200:
            self._adds = 0
            self.purge()

    def _select(self, tail: str, args: tuple[Any, ...]) -> list[UnansweredRecord]:
        self.flush()
        rows = self._db.read(
            "SELECT id, at, expires_at, text, kind, intent, topic_id, confidence, guesses, channel "
            f"FROM unanswered WHERE expires_at > ? {tail}", (self._clock(), *args))
        return [UnansweredRecord(text=r[3], kind=r[4], at=r[1], expires_at=r[2], intent=r[5], topic_id=r[6],
                                 confidence=r[7], guesses=json.loads(r[8]), channel=r[9], id=r[0]) for r in rows]

    def all(self) -> list[UnansweredRecord]:
        return self._select("ORDER BY id", ())

    def recent(self, limit: int = 100) -> list[UnansweredRecord]:
        return self._select("ORDER BY id DESC LIMIT ?", (int(limit),))

    def count(self) -> int:
        self.flush()
        rows = self._db.read("SELECT COUNT(*) FROM unanswered WHERE expires_at > ?", (self._clock(),))
        return int(rows[0][0])

    def purge(self) -> int:
        _, deleted = self._db.write("DELETE FROM unanswered WHERE expires_at <= ?", (self._clock(),))
        return deleted


def _with_id(record: UnansweredRecord, id_: int) -> UnansweredRecord:
    data = record.to_dict()
    data["id"] = id_
    return UnansweredRecord(**data)


def open_unanswered_log(url: str, clock: Callable[[], float] = time.time) -> UnansweredLog | None:
    """``sqlite:///path`` (default), ``memory://``, or empty/``off`` for no log."""
    if not url or url in ("off", "none"):
        return None
    if url.startswith("memory:"):
        return MemoryUnansweredLog(clock)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from bot.sessions.redis import RedisUnansweredLog  # type: ignore[attr-defined]

        return RedisUnansweredLog(url)  # type: ignore[no-any-return]
    path = url.split("sqlite:///", 1)[1] if url.startswith("sqlite:///") else url
    return SQLiteUnansweredLog(path, clock)


class UnansweredRecorder:
    """Engine observer: keeps the turns the bot did not answer well, redacted."""

    def __init__(self, store: UnansweredLog, *, ttl_days: float = 30, min_confidence: float = 0.5,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.ttl = ttl_days * 86400
        self.min_confidence = min_confidence
        self._clock = clock

    def wants(self, message: Message, reply: Reply) -> bool:
        if message.payload or reply.debug.get("payload"):
            return False  # a tapped button says nothing new about wording
        if reply.kind in UNANSWERED_KINDS:
            return True
        return reply.kind == "answer" and reply.confidence < self.min_confidence

    def __call__(self, message: Message, reply: Reply) -> None:
        if not self.wants(message, reply):
            return
        text = redact(" ".join((message.text or "").split())[:MAX_TEXT])
        if not text:
            return
        now = self._clock()
        guesses = {key: [list(pair) for pair in reply.debug.get(key, [])] for key in ("intents", "topics")}
        self.store.add(UnansweredRecord(
            text=text, kind=reply.kind, at=now, expires_at=now + self.ttl, intent=reply.intent,
            topic_id=reply.topic_id, confidence=round(float(reply.confidence), 3), guesses=guesses,
            channel=message.channel))
        log.info("unanswered turn kept: kind=%s intent=%s topic=%s", reply.kind, reply.intent, reply.topic_id)
