"""An in-process store for tests and single-process development."""

from __future__ import annotations

import threading
import time

from bot.sessions.base import SessionState


class MemoryStore:
    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._sessions: dict[str, tuple[float, dict]] = {}
        self._keys: dict[str, float] = {}
        self._counters: dict[str, tuple[float, int]] = {}

    def load(self, session_id: str) -> SessionState | None:
        with self._lock:
            item = self._sessions.get(session_id)
            if item is None:
                return None
            expires, data = item
            if expires < self._clock():
                del self._sessions[session_id]
                return None
            return SessionState.from_dict(dict(data))

    def save(self, session_id: str, state: SessionState, ttl: int) -> None:
        with self._lock:
            self._sessions[session_id] = (self._clock() + ttl, state.to_dict())
            if len(self._sessions) > 100_000:
                self._sweep()

    def delete(self, session_id: str) -> None:
        with self._lock:
            self._sessions.pop(session_id, None)

    def first_time(self, key: str, ttl: int) -> bool:
        now = self._clock()
        with self._lock:
            expires = self._keys.get(key)
            if expires is not None and expires > now:
                return False
            self._keys[key] = now + ttl
            if len(self._keys) > 200_000:
                self._keys = {k: v for k, v in self._keys.items() if v > now}
            return True

    def hit(self, key: str, window: int) -> int:
        now = self._clock()
        with self._lock:
            start, count = self._counters.get(key, (now, 0))
            if now - start >= window:
                start, count = now, 0
            count += 1
            self._counters[key] = (start, count)
            return count

    def ping(self) -> bool:
        return True

    def _sweep(self) -> None:
        now = self._clock()
        self._sessions = {k: v for k, v in self._sessions.items() if v[0] >= now}
