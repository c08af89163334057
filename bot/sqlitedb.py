"""One SQLite connection per thread and per process, shared by the SQLite-backed stores.

gunicorn forks workers and runs threads in each; a connection must not cross
either boundary. WAL lets one writer and many readers work at once, and in WAL
mode ``synchronous=NORMAL`` stays crash-safe while sparing an fsync per write.

The threads of one process queue their writes on a lock rather than on
SQLite's busy timeout, whose handler sleeps in growing steps (1, 2, 5 ... 100
ms): a blocked lock wakes the moment the other writer is done. (Queuing the
processes too, on a lock file, measured slower: it serialises the readers'
work that WAL lets run alongside.)
"""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any, Sequence


class ThreadConnections:
    def __init__(self, path: str, schema: str = "") -> None:
        self.path = path
        self._local = threading.local()
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._write_lock = threading.Lock()
        if schema:
            self.get().executescript(schema)

    def get(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def write(self, sql: str, args: Sequence[Any] = ()) -> tuple[list[Any], int]:
        """Run one writing statement, queued behind other writers; return (rows, rowcount).

        Rows are read before the lock is released: a RETURNING statement is not
        finished, and its write lock not given back, until its rows are read.
        """
        with self._write_lock:
            cursor = self.get().execute(sql, args)
            return cursor.fetchall(), cursor.rowcount
