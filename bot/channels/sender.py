"""A bounded background sender for replies that go out through platform APIs.

Webhooks must be acknowledged in seconds (Slack: 3 s), so the reply is queued
and sent by a small pool of worker threads. A job is a list of requests sent in
order (the chunks of one long answer). 429 honours ``Retry-After``; 5xx and
connection errors back off exponentially with jitter; any other 4xx (or a 200
that the platform marks as failed, as Slack's ``ok: false``) is given up and
logged by status and platform, never with the message text. When the queue is
full a new job is refused rather than letting memory grow without bound.

The platform was told "received" before the reply went out, so a process that
exits drains the queue first: ``drain`` waits, up to ``exit_timeout`` seconds,
for queued replies at interpreter exit (a gunicorn worker's graceful stop).
With an :mod:`outbox <bot.channels.outbox>`, each job is also written down
before it is queued and removed when done; a killed process's jobs are claimed
and sent by another sender once their lease runs out. Tokens never reach the
outbox: each configured secret is stored as a placeholder naming its hash and
put back from the running configuration when the job is sent.
"""

from __future__ import annotations

import atexit
import email.utils
import hashlib
import json
import logging
import queue
import random
import threading
import time
import urllib.error
import urllib.request
import uuid
import weakref
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Mapping

from bot.channels.outbox import Outbox

log = logging.getLogger("healthbot.channels.sender")


@dataclass(frozen=True)
class Outbound:
    """One HTTP call to a platform API."""

    platform: str
    url: str
    body: Mapping[str, object] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    method: str = "POST"
    #: A short name for logs ("sendMessage", "chat.postMessage"): never the URL, which may hold a token.
    action: str = "send"
    #: Given the decoded JSON response, an error code when a 2xx still failed (Slack's ``ok: false``).
    check: Callable[[object], str | None] | None = None


#: Response checks by name, so a job written to the outbox can name its check.
CHECKS: dict[str, Callable[[object], str | None]] = {}


def named_check(check: Callable[[object], str | None]) -> Callable[[object], str | None]:
    """Register a response check (decorator) so jobs that use it survive a restart."""
    CHECKS[f"{check.__module__}.{check.__qualname__}"] = check
    return check


class Secrets:
    """Token values, swapped for placeholders before a job is written down and back when it is read."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._by_mark = {f"{{{{secret:{hashlib.sha256(v.encode()).hexdigest()[:16]}}}}}": v
                         for v in set(values) if v and len(v) >= 6}

    def hide(self, text: str) -> str:
        for mark, value in self._by_mark.items():
            text = text.replace(_json_inner(value), mark)
        return text

    def reveal(self, text: str) -> str | None:
        """The text with every placeholder filled in; None when a secret is no longer configured."""
        for mark, value in self._by_mark.items():
            text = text.replace(mark, _json_inner(value))
        return None if "{{secret:" in text else text


def _json_inner(value: str) -> str:
    return json.dumps(value)[1:-1]  # as the value appears inside a JSON string


def job_record(job: list[Outbound], secrets: Secrets, created: float) -> str:
    """One job as the outbox keeps it: JSON, checks by name, secrets hidden."""
    requests = []
    for r in job:
        data = asdict(r)
        data["headers"] = dict(r.headers)
        data["check"] = next((name for name, fn in CHECKS.items() if fn is r.check), None)
        requests.append(data)
    return secrets.hide(json.dumps({"created": created, "requests": requests}, ensure_ascii=False))


def job_from_record(record: str, secrets: Secrets) -> tuple[float, list[Outbound]] | None:
    """The job back from its record; None when it cannot be sent as it was (a token was changed)."""
    text = secrets.reveal(record)
    if text is None:
        return None
    try:
        data = json.loads(text)
        job = [Outbound(**{**r, "check": CHECKS.get(r.get("check") or "")}) for r in data["requests"]]
        return float(data["created"]), job
    except (ValueError, TypeError, KeyError):
        return None


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes


Transport = Callable[[Outbound, float], Response]


def urllib_transport(request: Outbound, timeout: float) -> Response:
    """Send with the standard library; HTTP errors come back as responses, not exceptions."""
    data = json.dumps(request.body, ensure_ascii=False).encode("utf-8") if request.body is not None else None
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "healthbot", **request.headers}
    req = urllib.request.Request(request.url, data=data, headers=headers, method=request.method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (configured API base)
            return Response(resp.status, dict(resp.headers), resp.read())
    except urllib.error.HTTPError as exc:
        return Response(exc.code, dict(exc.headers or {}), exc.read() or b"")


def retry_after(headers: Mapping[str, str], body: bytes) -> float | None:
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or Telegram's ``retry_after``."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value:
        value = value.strip()
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
        except (TypeError, ValueError):
            pass
    try:
        data = json.loads(body.decode("utf-8")) if body else None
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(data, dict) and isinstance(data.get("parameters"), dict):
        seconds = data["parameters"].get("retry_after")
        if isinstance(seconds, (int, float)) and seconds >= 0:
            return float(seconds)
    return None


@dataclass
class Stats:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0
    #: Jobs of a stopped process taken over from the outbox.
    recovered: int = 0


class Sender:
    """Thread pool over a bounded queue; ``flush()`` waits until every job is done."""

    def __init__(
        self,
        *,
        workers: int = 4,
        max_queue: int = 1000,
        max_attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 60.0,
        timeout: float = 10.0,
        transport: Transport = urllib_transport,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        exit_timeout: float = 15.0,
        outbox: Outbox | None = None,
        secrets: Iterable[str] = (),
        lease: float = 60.0,
        max_age: float = 3600.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._queue: queue.Queue[tuple[str | None, list[Outbound]] | None] = queue.Queue(maxsize=max_queue)
        self._workers = workers
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.timeout = timeout
        self.transport = transport
        self.sleep = sleep
        self._rng = rng or random.Random()
        self.stats = Stats()
        self.exit_timeout = exit_timeout
        self.outbox = outbox
        self.secrets = Secrets(secrets)
        #: Seconds a job stays ours without renewal; the keeper renews every third of it.
        self.lease = lease
        #: A reply older than this is not sent any more: an answer hours late confuses more than it helps.
        self.max_age = max_age
        self.clock = clock
        self._held: set[str] = set()
        self._stop = threading.Event()

    def submit(self, job: list[Outbound]) -> bool:
        """Queue the requests of one reply, to be sent in order; False when the queue is full."""
        if not job:
            return True
        self._start()
        job_id = self._write_down(job)
        try:
            self._queue.put_nowait((job_id, job))
        except queue.Full:
            with self._lock:
                self.stats.dropped += 1
            log.error("outbound queue full; dropped %s %s", job[0].platform, job[0].action)
            self._done(job_id)
            return False
        return True

    def _write_down(self, job: list[Outbound]) -> str | None:
        """Record the job in the outbox before it is queued; None without one (or while it is down)."""
        if self.outbox is None:
            return None
        job_id = uuid.uuid4().hex
        now = self.clock()
        try:
            self.outbox.add(job_id, job_record(job, self.secrets, now), now + self.lease)
        except Exception:  # the store is down: send from memory, as without an outbox
            log.warning("outbox unavailable; %s reply kept in memory only", job[0].platform)
            return None
        with self._lock:
            self._held.add(job_id)
        return job_id

    def _done(self, job_id: str | None) -> None:
        if job_id is None or self.outbox is None:
            return
        with self._lock:
            self._held.discard(job_id)
        try:
            self.outbox.remove(job_id)
        except Exception:  # sent, but still written down: another sender may send it again
            log.warning("outbox unavailable; a sent reply stays recorded until it can be removed")

    def flush(self) -> None:
        """Block until every queued job has been sent or given up (tests, shutdown)."""
        self._queue.join()

    def drain(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the queue to empty; True when it did."""
        deadline = time.monotonic() + timeout
        while self._queue.unfinished_tasks:
            if time.monotonic() >= deadline:
                log.error("outbound queue not drained at exit: %d job(s) left", self._queue.unfinished_tasks)
                return False
            time.sleep(0.02)
        return True

    def close(self) -> None:
        self._stop.set()
        self.flush()
        with self._lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            if thread.name.startswith("healthbot-sender-"):
                self._queue.put(None)
        for thread in threads:
            thread.join()

    def start(self) -> None:
        """Start the workers now (not at the first reply), so jobs a stopped process left are sent."""
        self._start()

    def _start(self) -> None:
        with self._lock:
            if self._threads:
                return
            for i in range(self._workers):
                thread = threading.Thread(target=self._work, name=f"healthbot-sender-{i}", daemon=True)
                thread.start()
                self._threads.append(thread)
            if self.outbox is not None:
                keeper = threading.Thread(target=_keep, args=(weakref.ref(self), self._stop),
                                          name="healthbot-outbox-keeper", daemon=True)
                keeper.start()
                self._threads.append(keeper)
            atexit.register(_drain_at_exit, weakref.ref(self))

    def keep(self) -> None:
        """Renew the leases of the jobs held here, and take over expired ones (the keeper's round)."""
        outbox = self.outbox
        if outbox is None:
            return
        now = self.clock()
        with self._lock:
            held = list(self._held)
        try:
            outbox.renew(held, now + self.lease)
            room = min(100, self._queue.maxsize - self._queue.qsize()) if self._queue.maxsize else 100
            claimed = outbox.claim(now, now + self.lease, room) if room > 0 else []
        except Exception:
            log.warning("outbox unavailable; leases not renewed this round")
            return
        for job_id, record in claimed:
            restored = job_from_record(record, self.secrets)
            if restored is None or now - restored[0] > self.max_age:
                log.error("outbox job given up: %s", "too old" if restored else "cannot be restored (token changed?)")
                self._done(job_id)
                continue
            with self._lock:
                self._held.add(job_id)
                self.stats.recovered += 1
            log.info("outbox: sending a %s reply left by a stopped process", restored[1][0].platform)
            try:
                self._queue.put_nowait((job_id, restored[1]))
            except queue.Full:  # it stays recorded; its lease runs out and it is claimed again
                with self._lock:
                    self._held.discard(job_id)

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                job_id, job = item
                try:
                    for request in job:
                        if not self.send(request):
                            break  # later chunks would arrive out of context
                finally:
                    self._done(job_id)
            except Exception:  # a bug here must not kill the worker
                log.exception("outbound worker error")
            finally:
                self._queue.task_done()

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter: uniform in [d/2, d], d = base * 2**attempt."""
        delay = min(self.max_delay, self.base_delay * (2 ** attempt))
        return self._rng.uniform(delay / 2, delay)

    def send(self, request: Outbound) -> bool:
        """Send one request with retries; True when the platform accepted it."""
        for attempt in range(self.max_attempts):
            try:
                response = self.transport(request, self.timeout)
            except (OSError, urllib.error.URLError) as exc:
                status, wait = None, self.backoff(attempt)
                reason = type(exc).__name__
            else:
                status = response.status
                if 200 <= status < 300:
                    error = self._check(request, response)
                    if error is None:
                        with self._lock:
                            self.stats.sent += 1
                        return True
                    self._give_up(request, status, error)
                    return False
                if status == 429:
                    hinted = retry_after(response.headers, response.body)
                    wait = min(self.max_delay, hinted) if hinted is not None else self.backoff(attempt)
                elif status >= 500:
                    wait = self.backoff(attempt)
                else:
                    self._give_up(request, status, "rejected")
                    return False
                reason = str(status)
            if attempt + 1 < self.max_attempts:
                with self._lock:
                    self.stats.retried += 1
                log.warning("outbound %s %s failed (%s); retry %d in %.2fs",
                            request.platform, request.action, reason, attempt + 1, wait)
                self.sleep(wait)
        self._give_up(request, status, "retries exhausted")
        return False

    @staticmethod
    def _check(request: Outbound, response: Response) -> str | None:
        if request.check is None:
            return None
        try:
            data = json.loads(response.body.decode("utf-8")) if response.body else None
        except (UnicodeDecodeError, ValueError):
            return "invalid_json_response"
        return request.check(data)

    def _give_up(self, request: Outbound, status: int | None, why: str) -> None:
        with self._lock:
            self.stats.failed += 1
        log.error("outbound %s %s given up: status=%s %s", request.platform, request.action, status, why)


def _keep(ref: "weakref.ReferenceType[Sender]", stop: threading.Event) -> None:
    """Every third of a lease: renew our jobs and take over abandoned ones, until the sender is gone."""
    while True:
        sender = ref()
        if sender is None:
            return
        interval = sender.lease / 3
        try:
            sender.keep()
        except Exception:  # a bug here must not stop the renewals for good
            log.exception("outbox keeper error")
        del sender
        if stop.wait(interval):
            return


def _drain_at_exit(ref: "weakref.ReferenceType[Sender]") -> None:
    sender = ref()
    if sender is not None and sender._threads:
        sender.drain(sender.exit_timeout)
