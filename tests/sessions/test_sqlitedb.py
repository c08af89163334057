"""Waiting for another process's SQLite lock: short retries, then a clear error."""

from __future__ import annotations

import sqlite3
import threading

import pytest

import bot.sqlitedb as sqlitedb
from bot.sqlitedb import ThreadConnections

SCHEMA = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v INTEGER NOT NULL);"


def hold_write_lock(path: str) -> sqlite3.Connection:
    """Another connection (as another worker would) in the middle of a write transaction."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES ('other', 1)")
    return other


def test_a_write_waits_for_another_writer_then_succeeds(tmp_path):
    db = ThreadConnections(str(tmp_path / "x.db"), SCHEMA)
    other = hold_write_lock(db.path)
    release = threading.Timer(0.05, other.execute, ("COMMIT",))
    release.start()
    rows, count = db.write("INSERT INTO t VALUES (?, ?) RETURNING v", ("mine", 2))
    release.join()
    assert (rows, count) == ([(2,)], 1)
    assert sorted(db.read("SELECT k, v FROM t")) == [("mine", 2), ("other", 1)]


def test_reads_go_on_while_another_process_writes(tmp_path):
    db = ThreadConnections(str(tmp_path / "x.db"), SCHEMA)
    db.write("INSERT INTO t VALUES ('a', 1)")
    other = hold_write_lock(db.path)
    try:
        assert db.read("SELECT v FROM t WHERE k = 'a'") == [(1,)]  # WAL: the reader sees the last commit
    finally:
        other.execute("ROLLBACK")


def test_a_lock_held_too_long_raises_the_busy_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlitedb, "BUSY_TIMEOUT", 0.05)
    db = ThreadConnections(str(tmp_path / "x.db"), SCHEMA)
    other = hold_write_lock(db.path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            db.write("INSERT INTO t VALUES ('late', 3)")
    finally:
        other.execute("ROLLBACK")
    assert db.write("INSERT INTO t VALUES ('late', 3)")[1] == 1


def test_other_errors_are_not_retried(tmp_path):
    db = ThreadConnections(str(tmp_path / "x.db"), SCHEMA)
    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        db.write("INSERT INTO missing VALUES (1)")
