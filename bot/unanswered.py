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
import threading
import time
import weakref
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Protocol, Sequence

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

    def add_many(self, records: Sequence[UnansweredRecord]) -> None: ...

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
        self.add_many([record])

    def add_many(self, records: Sequence[UnansweredRecord]) -> None:
        with self._lock:
            for record in records:
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
    """One SQLite file shared by the workers of one machine (WAL, short transactions)."""

    def __init__(self, path: str, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        self._db = ThreadConnections(path, _SCHEMA)
        self._adds = 0

    def add(self, record: UnansweredRecord) -> None:
        self.add_many([record])

    def add_many(self, records: Sequence[UnansweredRecord]) -> None:
        """Write a batch in one transaction: one commit, one wait for the lock."""
        self._db.write_many(
            "INSERT INTO unanswered (at, expires_at, text, kind, intent, topic_id, confidence, guesses, channel) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(r.at, r.expires_at, r.text, r.kind, r.intent, r.topic_id, r.confidence, json.dumps(r.guesses),
              r.channel) for r in records])
        self._adds += len(records)
        if self._adds >= 200:
            self._adds = 0
            self.purge()

    def _select(self, tail: str, args: tuple[Any, ...]) -> list[UnansweredRecord]:
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
    """Engine observer: keeps the turns the bot did not answer well, redacted.

    Only the decision is made during the patient's turn. With ``background``
    (the server's setting) redacting and writing happen on a thread of their
    own, in batches every ``FLUSH_SECONDS`` or at ``BATCH`` turns, so a long
    message's redaction and a busy store's write never delay an answer.
    ``flush`` writes what is queued now; :class:`RecordedLog` calls it before
    every read, and a normal exit calls it too. A worker that dies hard loses
    at most ``FLUSH_SECONDS`` of the log. While the store cannot be written,
    turns are kept, up to ``MAX_PENDING``, and retried.
    """

    FLUSH_SECONDS = 0.2
    BATCH = 200
    MAX_PENDING = 10_000
    #: A writer with nothing to write for this many rounds stops; the next turn starts another.
    IDLE_ROUNDS = 50

    def __init__(self, store: UnansweredLog, *, ttl_days: float = 30, min_confidence: float = 0.5,
                 clock: Callable[[], float] = time.time, background: bool = False) -> None:
        self.store = store
        self.ttl = ttl_days * 86400
        self.min_confidence = min_confidence
        self._clock = clock
        self.background = background
        self._pending: list[_Turn] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._writer: threading.Thread | None = None
        if background:  # a weak reference: a test suite builds many recorders and must not keep them all
            atexit.register(_flush_at_exit, weakref.ref(self))

    def wants(self, message: Message, reply: Reply) -> bool:
        if message.payload or reply.debug.get("payload"):
            return False  # a tapped button says nothing new about wording
        if reply.kind in UNANSWERED_KINDS:
            return True
        return reply.kind == "answer" and reply.confidence < self.min_confidence

    def __call__(self, message: Message, reply: Reply) -> None:
        if not self.wants(message, reply):
            return
        text = " ".join((message.text or "").split())[:MAX_TEXT]
        if not text:
            return
        guesses = {key: [list(pair) for pair in reply.debug.get(key, [])] for key in ("intents", "topics")}
        turn = _Turn(text, reply.kind, self._clock(), reply.intent, reply.topic_id,
                     round(float(reply.confidence), 3), guesses, message.channel)
        log.info("unanswered turn kept: kind=%s intent=%s topic=%s", reply.kind, reply.intent, reply.topic_id)
        if not self.background:
            self._write([turn])
            return
        with self._lock:
            self._pending.append(turn)
            # Started on demand: after a fork (gunicorn workers) or once an idle writer has stopped.
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write_behind, name="unanswered-writer", daemon=True)
                self._writer.start()
            full = len(self._pending) >= self.BATCH
        if full:
            self._wake.set()

    def flush(self) -> None:
        """Redact and write every queued turn now."""
        with self._lock:
            turns, self._pending = self._pending, []
        if not turns:
            return
        try:
            self._write(turns)
        except Exception:
            with self._lock:  # keep them for the next round, up to a bound, rather than lose them
                self._pending[:0] = turns
                dropped = len(self._pending) - self.MAX_PENDING
                if dropped > 0:
                    del self._pending[:dropped]
                    log.warning("unanswered log unavailable: %d oldest turns dropped", dropped)
            raise

    def _write(self, turns: Sequence[_Turn]) -> None:
        records = []
        for t in turns:
            if self.background:
                # Let a waiting request thread have the interpreter between turns, rather than
                # after Python's 5 ms switch interval: a batch must not stall a patient's turn.
                time.sleep(0)
            text = redact(t.text)
            if text:
                records.append(UnansweredRecord(
                    text=text, kind=t.kind, at=t.at, expires_at=t.at + self.ttl, intent=t.intent,
                    topic_id=t.topic_id, confidence=t.confidence, guesses=t.guesses, channel=t.channel))
        if records:
            self.store.add_many(records)

    def _write_behind(self) -> None:
        idle = 0
        while True:
            self._wake.wait(self.FLUSH_SECONDS)
            self._wake.clear()
            wrote = bool(self._pending)
            self._flush_quietly()
            with self._lock:  # decided under the lock ``__call__`` takes, so no turn waits for a writer that left
                idle = 0 if wrote or self._pending else idle + 1
                if idle >= self.IDLE_ROUNDS:
                    self._writer = None
                    return

    def _flush_quietly(self) -> None:
        try:
            self.flush()
        except Exception as exc:  # the next round retries what is still pending
            log.warning("unanswered log: batch not written (%s); will retry", type(exc).__name__)


def _flush_at_exit(ref: "weakref.ReferenceType[UnansweredRecorder]") -> None:
    recorder = ref()
    if recorder is not None:
        recorder._flush_quietly()


@dataclass(frozen=True, slots=True)
class _Turn:
    """A turn waiting for redaction: it never leaves this process unredacted."""

    text: str
    kind: str
    at: float
    intent: str | None
    topic_id: str | None
    confidence: float
    guesses: dict[str, Any]
    channel: str


class RecordedLog:
    """The log as readers see it: every read first writes the turns still queued in this process."""

    def __init__(self, store: UnansweredLog, recorder: UnansweredRecorder) -> None:
        self.store = store
        self.recorder = recorder

    def add(self, record: UnansweredRecord) -> None:
        self.store.add(record)

    def add_many(self, records: Sequence[UnansweredRecord]) -> None:
        self.store.add_many(records)

    def recent(self, limit: int = 100) -> list[UnansweredRecord]:
        self.recorder.flush()
        return self.store.recent(limit)

    def all(self) -> list[UnansweredRecord]:
        self.recorder.flush()
        return self.store.all()

    def count(self) -> int:
        self.recorder.flush()
        return self.store.count()

    def purge(self) -> int:
        return self.store.purge()
