"""Sessions, dedupe keys and rate-limit counters shared by every instance through Redis.

Any worker on any machine can serve any turn of a conversation because all
state lives under one Redis. Timeouts are short on purpose: when Redis is
unreachable the engine must answer *now*, without memory, rather than hang a
worker. redis-py's pool drops a broken connection and dials again on the next
call, so the store recovers by itself when Redis comes back; no restart.

Failure policy, per call:

* ``load``/``save``/``delete`` raise :class:`StoreUnavailable`; the engine
  catches it and answers without memory (telling the patient once).
* ``first_time`` answers True and ``hit`` answers 0 while Redis is down: a
  duplicate delivery or an unthrottled minute is better than refusing every
  patient during an outage (fail open).

After a failure the store stops dialling for ``retry_interval`` seconds and
fails at once instead (a circuit breaker): when Redis sits behind a dead network
path every call would otherwise wait out its timeout, several times per turn.
``ping`` always dials, so a readiness probe notices the return straight away.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.sessions.base import SessionState

log = logging.getLogger("healthbot.sessions.redis")

#: Errors that mean "Redis is not there right now", as opposed to a bug.
DOWN_ERRORS = (redis.ConnectionError, redis.TimeoutError, OSError)


class StoreUnavailable(RuntimeError):
    """The shared store cannot be reached; the caller answers without memory."""


class RedisStore:
    def __init__(
        self,
        url: str,
        *,
        prefix: str = "healthbot:",
        timeout: float = 0.25,
        retry_interval: float = 1.0,
        client: "redis.Redis | None" = None,
        clock=time.monotonic,
    ) -> None:
        self.prefix = prefix
        self.retry_interval = retry_interval
        self._clock = clock
        self._retry_at = 0.0
        self.client = client or redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=0,
        )
        self._lock = threading.Lock()
        self._down = False

    # -- outage bookkeeping ----------------------------------------------------
    @property
    def down(self) -> bool:
        """Whether the last call failed to reach Redis."""
        return self._down

    def _mark(self, down: bool) -> None:
        # Log transitions only: an outage at 1,000 requests a second is one line, not 1,000.
        with self._lock:
            changed, self._down = self._down != down, down
        if changed:
            if down:
                log.warning("redis unreachable; answering without memory until it returns")
            else:
                log.info("redis reachable again; conversation memory resumes")

    def _call(self, fn, *args, probe: bool = False):
        if self._down and not probe and self._clock() < self._retry_at:
            raise StoreUnavailable("circuit open")
        try:
            result = fn(*args)
        except DOWN_ERRORS as exc:
            self._retry_at = self._clock() + self.retry_interval
            self._mark(True)
            raise StoreUnavailable(type(exc).__name__) from None
        if self._down:
            self._mark(False)
        return result

    def _key(self, kind: str, name: str) -> str:
        return f"{self.prefix}{kind}:{name}"

    # -- the SessionStore protocol ---------------------------------------------
    def load(self, session_id: str) -> SessionState | None:
        raw = self._call(self.client.get, self._key("s", session_id))
        if raw is None:
            return None
        try:
            return SessionState.from_dict(json.loads(raw))
        except (ValueError, UnicodeDecodeError):
            return None

    def save(self, session_id: str, state: SessionState, ttl: int) -> None:
        data = json.dumps(state.to_dict(), separators=(",", ":"))
        self._call(self.client.set, self._key("s", session_id), data, max(1, int(ttl)))

    def delete(self, session_id: str) -> None:
        self._call(self.client.delete, self._key("s", session_id))

    def first_time(self, key: str, ttl: int) -> bool:
        try:
            return bool(self._call(self._set_nx, self._key("once", key), max(1, int(ttl))))
        except StoreUnavailable:
            return True

    def hit(self, key: str, window: int) -> int:
        try:
            return int(self._call(self._incr, self._key("hit", key), max(1, int(window))))
        except StoreUnavailable:
            return 0

    def ping(self) -> bool:
        try:
            return bool(self._call(self.client.ping, probe=True))
        except StoreUnavailable:
            return False

    # -- atomic helpers ------------------------------------------------------------
    def _set_nx(self, key: str, ttl: int) -> bool:
        return bool(self.client.set(key, b"1", nx=True, ex=ttl))

    def _incr(self, key: str, window: int) -> int:
        # INCR then EXPIRE NX in one round trip: the window starts at the first hit
        # and is never extended by later ones (a fixed window, as in the other stores).
        pipe = self.client.pipeline(transaction=True)
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count, _ = pipe.execute()
        return int(count)


class RedisUnansweredLog:
    """The unanswered-question log shared by every instance: a capped, expiring Redis list.

    Newest first; at most ``cap`` records; each record carries its own expiry and
    the list itself expires when nothing was added for a whole TTL. Records are
    redacted before they get here (:class:`bot.unanswered.UnansweredRecorder`).
    During an outage ``add`` drops the record and reads answer empty: the report
    is a staff tool, never a reason to fail a patient's turn or an admin page.
    """

    def __init__(self, url: str, *, prefix: str = "healthbot:", cap: int = 10_000, timeout: float = 0.25,
                 client: "redis.Redis | None" = None, clock=None) -> None:
        import time

        self._store = RedisStore(url, prefix=prefix, timeout=timeout, client=client, retry_interval=0)
        self.client = self._store.client
        self.key = f"{prefix}unanswered"
        self.cap = cap
        self._clock = clock or time.time

    def add(self, record) -> None:
        self.add_many([record])

    def add_many(self, records) -> None:
        """Push a batch in one round trip (ids from one INCRBY)."""
        if not records:
            return
        ttl = max(1, max(int(r.expires_at - r.at) for r in records))

        def push() -> None:
            last_id = int(self.client.incrby(self.key + ":id", len(records)))
            pipe = self.client.pipeline(transaction=True)
            for offset, record in enumerate(records):
                data = record.to_dict()
                data["id"] = last_id - len(records) + 1 + offset
                pipe.lpush(self.key, json.dumps(data, separators=(",", ":")))
            pipe.ltrim(self.key, 0, self.cap - 1)
            pipe.expire(self.key, ttl)
            pipe.expire(self.key + ":id", ttl)
            pipe.execute()

        try:
            self._store._call(push)
        except StoreUnavailable:
            pass

    def _records(self, stop: int = -1) -> list:
        from bot.unanswered import UnansweredRecord

        try:
            raw = self._store._call(self.client.lrange, self.key, 0, stop)
        except StoreUnavailable:
            return []
        now = self._clock()
        out = []
        for item in raw:
            try:
                record = UnansweredRecord(**json.loads(item))
            except (ValueError, TypeError):
                continue
            if record.expires_at > now:
                out.append(record)
        return out

    def recent(self, limit: int = 100) -> list:
        return self._records(max(0, int(limit)) - 1)[: max(0, int(limit))] if limit > 0 else []

    def all(self) -> list:
        return list(reversed(self._records()))

    def count(self) -> int:
        return len(self._records())

    def purge(self) -> int:
        """Drop expired records from the old end of the list; returns how many."""
        from bot.unanswered import UnansweredRecord

        removed = 0
        now = self._clock()
        try:
            while True:
                tail = self._store._call(self.client.lindex, self.key, -1)
                if tail is None:
                    break
                try:
                    expired = UnansweredRecord(**json.loads(tail)).expires_at <= now
                except (ValueError, TypeError):
                    expired = True
                if not expired:
                    break
                self._store._call(self.client.rpop, self.key)
                removed += 1
        except StoreUnavailable:
            pass
        return removed
