"""The default store: one SQLite file, safe across gunicorn workers on one machine.

WAL mode lets readers and one writer work at once; every call uses its own
short transaction, and a connection per thread avoids sharing handles.
"""

from __future__ import annotations

import json
import sqlite3
import time

from bot.sessions.base import SessionState
from bot.sqlitedb import ThreadConnections

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, data TEXT NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS once_keys (key TEXT PRIMARY KEY, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, start REAL NOT NULL, count INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions(expires);
CREATE INDEX IF NOT EXISTS once_expires ON once_keys(expires);
"""


class SQLiteStore:
    def __init__(self, path: str, clock=time.time) -> None:
        self.path = path
        self._clock = clock
        self._db = ThreadConnections(path, _SCHEMA)
        self._writes = 0

    def load(self, session_id: str) -> SessionState | None:
        rows = self._db.read("SELECT data FROM sessions WHERE id = ? AND expires >= ?", (session_id, self._clock()))
        if not rows:
            return None
        try:
            return SessionState.from_dict(json.loads(rows[0][0]))
        except ValueError:
            return None

    def save(self, session_id: str, state: SessionState, ttl: int) -> None:
        self._db.write(
            "INSERT INTO sessions (id, data, expires) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data, expires = excluded.expires",
            (session_id, json.dumps(state.to_dict()), self._clock() + ttl),
        )
        self._writes += 1
        if self._writes % 500 == 0:
            self.purge()

    def delete(self, session_id: str) -> None:
        self._db.write("DELETE FROM sessions WHERE id = ?", (session_id,))

    def first_time(self, key: str, ttl: int) -> bool:
        # One statement, so no explicit transaction: insert the key, or renew it only
        # if it has expired; RETURNING yields a row exactly when this call claimed it.
        now = self._clock()
        rows, _ = self._db.write(
            "INSERT INTO once_keys (key, expires) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET expires = excluded.expires WHERE once_keys.expires <= ? "
            "RETURNING 1",
            (key, now + ttl, now),
        )
        return bool(rows)

    def hit(self, key: str, window: int) -> int:
        # A fixed window in one atomic upsert: start a new window when the old one is over.
        now = self._clock()
        rows, _ = self._db.write(
            "INSERT INTO counters (key, start, count) VALUES (?, ?, 1) "
            "ON CONFLICT(key) DO UPDATE SET "
            "count = CASE WHEN ? - counters.start >= ? THEN 1 ELSE counters.count + 1 END, "
            "start = CASE WHEN ? - counters.start >= ? THEN ? ELSE counters.start END "
            "RETURNING count",
            (key, now, now, window, now, window, now),
        )
        return int(rows[0][0])

    def purge(self) -> None:
        now = self._clock()
        self._db.write("DELETE FROM sessions WHERE expires < ?", (now,))
        self._db.write("DELETE FROM once_keys WHERE expires < ?", (now,))
        self._db.write("DELETE FROM counters WHERE start < ?", (now - 86400,))

    def ping(self) -> bool:
        try:
            self._db.read("SELECT 1")
            return True
        except sqlite3.Error:
            return False
