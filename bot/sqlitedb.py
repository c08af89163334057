"""One SQLite connection per thread and per process, shared by the SQLite-backed stores.

gunicorn forks workers and runs threads in each; a connection must not cross
either boundary. WAL lets one writer and many readers work at once, and in WAL
mode ``synchronous=NORMAL`` stays crash-safe while sparing an fsync per write.

Waiting for a lock is done here, not by SQLite. SQLite's busy handler sleeps
in growing steps (1, 2, 5 ... 100 ms), and a thread asleep in it holds up
every thread of its worker queued behind it: under load that halved the
throughput of two workers sharing one file. Here the threads of one process
queue their writes on a lock, which wakes the moment the other writer is done,
and a statement that meets another process's lock is retried after 0.1 ms,
doubling to at most 2 ms, for up to ``BUSY_TIMEOUT`` seconds.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from typing import Any, Callable, Sequence, TypeVar

#: How long a statement waits for another process's lock before the error is raised.
BUSY_TIMEOUT = 10.0
_FIRST_WAIT, _LONGEST_WAIT = 0.0001, 0.002
T = TypeVar("T")


class ThreadConnections:
    def __init__(self, path: str, schema: str = "") -> None:
        self.path = path
        self._local = threading.local()
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._write_lock = threading.Lock()
        if schema:
            with self._write_lock:
                _retrying(lambda: self.get().executescript(schema))

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            # timeout=0 turns SQLite's own sleeping wait off; see the module docstring.
            conn = sqlite3.connect(self.path, timeout=0, isolation_level=None, check_same_thread=False)
            _retrying(lambda: conn.execute("PRAGMA journal_mode=WAL"))
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def read(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        """Rows of one reading statement (WAL readers rarely wait, but may during recovery)."""
        return _retrying(lambda: self.get().execute(sql, args).fetchall())

    def write(self, sql: str, args: Sequence[Any] = ()) -> tuple[list[Any], int]:
        """Run one writing statement, queued behind other writers; return (rows, rowcount).

        Rows are read before the lock is released: a RETURNING statement is not
        finished, and its write lock not given back, until its rows are read.
        """

        def run() -> tuple[list[Any], int]:
            cursor = self.get().execute(sql, args)
            return cursor.fetchall(), cursor.rowcount

        with self._write_lock:
            return _retrying(run)

    def write_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one writing statement for many rows in a single transaction (one commit, one lock)."""

        def run() -> None:
            conn = self.get()
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.executemany(sql, rows)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

        with self._write_lock:
            _retrying(run)


def _retrying(statement: Callable[[], T]) -> T:
    wait, deadline = _FIRST_WAIT, time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            return statement()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                raise
        time.sleep(wait)
        wait = min(wait * 2, _LONGEST_WAIT)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)
