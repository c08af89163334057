"""A bounded background sender for replies that go out through platform APIs.

Webhooks must be acknowledged in seconds (Slack: 3 s), so the reply is queued
and sent by a small pool of worker threads. A job is a list of requests sent in
order (the chunks of one long answer). 429 honours ``Retry-After``; 5xx and
connection errors back off exponentially with jitter; any other 4xx (or a 200
that the platform marks as failed, as Slack's ``ok: false``) is given up and
logged by status and platform, never with the message text. When the queue is
full a new job is refused rather than letting memory grow without bound.

The queue lives in memory, and the platform was told "received" before the
reply went out, so a process that exits drains it first: ``drain`` waits, up to
``exit_timeout`` seconds, for queued replies at interpreter exit (a gunicorn
worker's graceful stop). Only a process that is killed loses what is queued.
"""

from __future__ import annotations

import atexit
import email.utils
import json
import logging
import queue
import random
import threading
import time
import urllib.error
import urllib.request
import weakref
from dataclasses import dataclass, field
from typing import Callable, Mapping

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
    ) -> None:
        self._queue: queue.Queue[list[Outbound] | None] = queue.Queue(maxsize=max_queue)
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

    def submit(self, job: list[Outbound]) -> bool:
        """Queue the requests of one reply, to be sent in order; False when the queue is full."""
        if not job:
            return True
        self._start()
        try:
            self._queue.put_nowait(job)
        except queue.Full:
            with self._lock:
                self.stats.dropped += 1
            log.error("outbound queue full; dropped %s %s", job[0].platform, job[0].action)
            return False
        return True

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
        self.flush()
        with self._lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._queue.put(None)
        for thread in threads:
            thread.join()

    def _start(self) -> None:
        with self._lock:
            if self._threads:
                return
            for i in range(self._workers):
                thread = threading.Thread(target=self._work, name=f"healthbot-sender-{i}", daemon=True)
                thread.start()
                self._threads.append(thread)
            atexit.register(_drain_at_exit, weakref.ref(self))

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                for request in job:
                    if not self.send(request):
                        break  # later chunks would arrive out of context
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


def _drain_at_exit(ref: "weakref.ReferenceType[Sender]") -> None:
    sender = ref()
    if sender is not None and sender._threads:
        sender.drain(sender.exit_timeout)
