"""A durable record of the replies on their way to a platform, so a killed worker loses none.

A webhook is acknowledged before its reply goes out (platforms wait only seconds),
so until the platform's API accepts the reply it lives in the sender's memory
alone, and a worker killed in between (out of memory, a forced deploy) would
lose it for good: the platform will not send the message again. The sender
therefore writes each job here first and removes it when it is sent or given up.

Every job carries a lease that its sender renews while it holds the job. A job
whose lease ran out belongs to a process that stopped, and any live sender of
the same store claims and sends it: at least once, never lost. The store is the
session store's: one SQLite file on one machine, or Redis for many instances.
"""

from __future__ import annotations

from typing import Protocol, Sequence

from bot.sqlitedb import ThreadConnections


class Outbox(Protocol):
    def add(self, job_id: str, data: str, lease_until: float) -> None:
        """Write a job down before it is queued."""

    def renew(self, job_ids: Sequence[str], lease_until: float) -> None:
        """Keep the jobs this process still holds."""

    def claim(self, now: float, lease_until: float, limit: int) -> list[tuple[str, str]]:
        """Take up to ``limit`` jobs whose lease ran out before ``now``; each is leased anew."""

    def remove(self, job_id: str) -> None:
        """The job was sent or given up."""

    def pending(self) -> int:
        """How many jobs are written down (metrics, tests)."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, data TEXT NOT NULL, lease_until REAL NOT NULL);
CREATE INDEX IF NOT EXISTS outbox_lease ON outbox(lease_until);
"""


class SQLiteOutbox:
    """The outbox in the session database: every worker on the machine sees every job."""

    def __init__(self, path: str) -> None:
        self._db = ThreadConnections(path, _SCHEMA)

    def add(self, job_id: str, data: str, lease_until: float) -> None:
        self._db.write("INSERT OR REPLACE INTO outbox (id, data, lease_until) VALUES (?, ?, ?)",
                       (job_id, data, lease_until))

    def renew(self, job_ids: Sequence[str], lease_until: float) -> None:
        ids = list(job_ids)
        for start in range(0, len(ids), 500):  # SQLite caps the number of bound values
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            self._db.write(f"UPDATE outbox SET lease_until = ? WHERE id IN ({marks})", (lease_until, *chunk))

    def claim(self, now: float, lease_until: float, limit: int) -> list[tuple[str, str]]:
        # One statement: two workers claiming at once never both get a job.
        rows, _ = self._db.write(
            "UPDATE outbox SET lease_until = ? WHERE id IN "
            "(SELECT id FROM outbox WHERE lease_until < ? ORDER BY lease_until LIMIT ?) RETURNING id, data",
            (lease_until, now, limit),
        )
        return [(str(r[0]), str(r[1])) for r in rows]

    def remove(self, job_id: str) -> None:
        self._db.write("DELETE FROM outbox WHERE id = ?", (job_id,))

    def pending(self) -> int:
        return int(self._db.read("SELECT COUNT(*) FROM outbox")[0][0])


#: Claim in one round trip and atomically: take expired jobs, lease them again, return id and data.
_CLAIM = """
local ids = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
for _, id in ipairs(ids) do
  local data = redis.call('HGET', KEYS[1], id)
  if data then
    redis.call('ZADD', KEYS[2], ARGV[2], id)
    table.insert(out, id)
    table.insert(out, data)
  else
    redis.call('ZREM', KEYS[2], id)
  end
end
return out
"""


class RedisOutbox:
    """The outbox shared by every instance: job data in a hash, leases in a sorted set."""

    def __init__(self, url: str, *, prefix: str = "healthbot:", timeout: float = 0.5, client=None) -> None:
        from bot.sessions.redis import RedisStore

        # RedisStore brings the short timeouts and the outage handling; its _call raises StoreUnavailable.
        self._store = RedisStore(url, prefix=prefix, timeout=timeout, client=client, retry_interval=0)
        self.client = self._store.client
        self.data_key, self.lease_key = f"{prefix}outbox:data", f"{prefix}outbox:lease"
        self._claim = self.client.register_script(_CLAIM)

    def add(self, job_id: str, data: str, lease_until: float) -> None:
        def write() -> None:
            pipe = self.client.pipeline(transaction=True)
            pipe.hset(self.data_key, job_id, data)
            pipe.zadd(self.lease_key, {job_id: lease_until})
            pipe.execute()

        self._store._call(write)

    def renew(self, job_ids: Sequence[str], lease_until: float) -> None:
        if job_ids:
            self._store._call(lambda: self.client.zadd(self.lease_key, {i: lease_until for i in job_ids}, xx=True))

    def claim(self, now: float, lease_until: float, limit: int) -> list[tuple[str, str]]:
        flat = self._store._call(lambda: self._claim(keys=[self.data_key, self.lease_key],
                                                     args=[now, lease_until, limit]))
        values = [v.decode("utf-8") if isinstance(v, bytes) else str(v) for v in flat]
        return list(zip(values[0::2], values[1::2]))

    def remove(self, job_id: str) -> None:
        def delete() -> None:
            pipe = self.client.pipeline(transaction=True)
            pipe.hdel(self.data_key, job_id)
            pipe.zrem(self.lease_key, job_id)
            pipe.execute()

        self._store._call(delete)

    def pending(self) -> int:
        return int(self._store._call(lambda: self.client.hlen(self.data_key)))


def open_outbox(url: str | None) -> Outbox | None:
    """The outbox for a session-store URL; none for ``memory://`` (one process, nothing to hand over)."""
    if not url or url.startswith("memory:"):
        return None
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisOutbox(url)
    path = url.split("sqlite:///", 1)[1] if url.startswith("sqlite:///") else url
    return SQLiteOutbox(path)
