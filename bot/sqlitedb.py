"""One SQLite connection per thread and per process, shared by the SQLite-backed stores.

gunicorn forks workers and runs threads in each; a connection must not cross
either boundary. WAL lets one writer and many readers work at once, and in WAL
mode ``synchronous=NORMAL`` stays crash-safe while sparing an fsync per write.
"""

from __future__ import annotations

import os
import sqlite3
import threading


class ThreadConnections:
    def __init__(self, path: str, schema: str = "") -> None:
        self.path = path
        self._local = threading.local()
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
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
