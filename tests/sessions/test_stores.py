"""The session-store contract, checked on the memory and SQLite stores alike."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from bot.sessions import MemoryStore, SessionState
from bot.sessions.sqlite import SQLiteStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "sqlite"])
def store_and_clock(request, tmp_path: Path):
    clock = Clock()
    if request.param == "memory":
        return MemoryStore(clock=clock), clock
    return SQLiteStore(str(tmp_path / "s.sqlite3"), clock=clock), clock


def test_state_round_trips_and_expires(store_and_clock) -> None:
    store, clock = store_and_clock
    state = SessionState(topic="angioplasty", intent="what_is", pending=["a", "b"], pending_intent="risks", turns=3,
                         compared=["angioplasty", "coronary-artery-bypass-surgery"])
    store.save("s1", state, ttl=60)
    assert store.load("s1") == state
    clock.now += 61
    assert store.load("s1") is None
    assert store.load("never-seen") is None


def test_delete_forgets(store_and_clock) -> None:
    store, _ = store_and_clock
    store.save("s1", SessionState(topic="stroke"), ttl=60)
    store.delete("s1")
    assert store.load("s1") is None


def test_first_time_is_true_once_per_ttl(store_and_clock) -> None:
    store, clock = store_and_clock
    assert store.first_time("msg:1", ttl=10) is True
    assert store.first_time("msg:1", ttl=10) is False
    assert store.first_time("msg:2", ttl=10) is True
    clock.now += 11
    assert store.first_time("msg:1", ttl=10) is True
    assert store.first_time("msg:1", ttl=10) is False


def test_hit_counts_in_a_fixed_window(store_and_clock) -> None:
    store, clock = store_and_clock
    assert [store.hit("ip:1", window=60) for _ in range(3)] == [1, 2, 3]
    assert store.hit("ip:2", window=60) == 1
    clock.now += 60
    assert store.hit("ip:1", window=60) == 1


def test_first_time_is_exactly_once_under_concurrency(tmp_path: Path) -> None:
    # Two handles on one file, as two gunicorn workers would have.
    stores = [SQLiteStore(str(tmp_path / "s.sqlite3")) for _ in range(2)]
    wins: list[bool] = []
    lock = threading.Lock()

    def claim(store: SQLiteStore) -> None:
        for i in range(50):
            won = store.first_time(f"msg:{i}", ttl=60)
            with lock:
                wins.append(won)

    threads = [threading.Thread(target=claim, args=(stores[i % 2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 50 and len(wins) == 200


def test_hit_is_atomic_under_concurrency(tmp_path: Path) -> None:
    stores = [SQLiteStore(str(tmp_path / "s.sqlite3")) for _ in range(2)]
    counts: list[int] = []
    lock = threading.Lock()

    def hammer(store: SQLiteStore) -> None:
        for _ in range(25):
            n = store.hit("ip:shared", window=3600)
            with lock:
                counts.append(n)

    threads = [threading.Thread(target=hammer, args=(stores[i % 2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == list(range(1, 101))


def test_a_damaged_record_keeps_what_it_can_and_drops_lists_that_are_not_lists() -> None:
    state = SessionState.from_dict({"topic": "stroke", "compared": 5, "pending": "angina", "turns": 2})
    assert (state.topic, state.turns, state.compared, state.pending) == ("stroke", 2, [], [])
