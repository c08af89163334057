"""What operators need: readiness, Prometheus metrics, rate limits and one JSON log line per request.

Metrics and multiple workers: under ``healthbot serve`` gunicorn forks several
workers, and a scrape reaches only one of them. ``serve`` therefore sets
``PROMETHEUS_MULTIPROC_DIR`` to a fresh temporary folder before any worker
starts; prometheus_client then keeps every worker's values in memory-mapped files
there and ``/metrics`` merges them, so one scrape shows the whole server. Without
that variable (tests, ``flask run``) each app has its own registry.

Rate limits use the session store's fixed-window ``hit`` counter, so with Redis
they hold across every instance. Keys carry the window number, which gives the
exact ``Retry-After`` without another round trip.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from dataclasses import dataclass

from flask import Flask, Response, g, has_request_context, jsonify, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.core.models import Message, Reply
from bot.runtime import Runtime
from bot.server.chat import json_body
from bot.server.errors import error_response

log = logging.getLogger("healthbot.access")

#: Paths that are never rate limited: probes and scrapes must always get through.
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})
#: Platforms deliver every user's messages from a few addresses; their per-user limit
#: belongs in the channel adapter, which knows the platform user (see :func:`over_limit`).
PLATFORM_PREFIXES = ("/webhooks/", "/webhook/")
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
REQUEST_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_ids = {"pid": 0, "prefix": "", "counter": itertools.count()}


def new_request_id() -> str:
    """Unique per process and restart (random prefix) and cheap (a counter): ids need no secrecy."""
    if _ids["pid"] != os.getpid():  # a forked worker must not repeat its parent's ids
        _ids.update(pid=os.getpid(), prefix=os.urandom(6).hex(), counter=itertools.count())
    return f"{_ids['prefix']}{next(_ids['counter']):010x}"
WINDOW = 60
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


@dataclass
class Metrics:
    registry: CollectorRegistry
    latency: Histogram
    requests: Counter
    answers: Counter
    fallbacks: Counter
    clarifications: Counter
    emergencies: Counter
    reloads: Counter
    rate_limited: Counter
    topics: Gauge
    #: Messages the optional sentence model read, by whether the reply took its intent.
    opinions: Counter

    @classmethod
    def create(cls) -> "Metrics":
        r = CollectorRegistry()
        return cls(
            registry=r,
            latency=Histogram("healthbot_http_request_duration_seconds", "Time to answer an HTTP request.",
                              ["endpoint", "method"], buckets=LATENCY_BUCKETS, registry=r),
            requests=Counter("healthbot_http_requests", "HTTP requests by endpoint and status.",
                             ["endpoint", "method", "status"], registry=r),
            answers=Counter("healthbot_replies", "Replies by kind and intent.", ["kind", "intent", "channel"], registry=r),
            fallbacks=Counter("healthbot_fallbacks", "Messages the bot did not understand.", ["channel"], registry=r),
            clarifications=Counter("healthbot_clarifications", "Replies that asked which topic or question.",
                                   ["channel"], registry=r),
            emergencies=Counter("healthbot_emergencies", "Emergency and crisis replies.", ["channel"], registry=r),
            reloads=Counter("healthbot_content_reloads", "Content reloads by result.", ["result"], registry=r),
            rate_limited=Counter("healthbot_rate_limited", "Requests refused by a rate limit.", ["scope"], registry=r),
            topics=Gauge("healthbot_content_topics", "Topics in the live content.", registry=r,
                         multiprocess_mode="livemax"),
            opinions=Counter("healthbot_second_opinions", "Messages the sentence model read, by whether the "
                             "reply took its intent.", ["result", "channel"], registry=r),
        )

    def observe_reply(self, message: Message, reply: Reply) -> None:
        """Engine observer: count the reply and hand its ids and scores to the request log."""
        channel = message.channel or "web"
        self.answers.labels(reply.kind, reply.intent or "none", channel).inc()
        if reply.kind == "fallback":
            self.fallbacks.labels(channel).inc()
        elif reply.kind == "clarify":
            self.clarifications.labels(channel).inc()
        elif reply.kind == "emergency":
            self.emergencies.labels(channel).inc()
        debug = reply.debug or {}
        opinion = debug.get("opinion")
        if opinion:
            self.opinions.labels("followed" if opinion[0] == reply.intent else "not_followed", channel).inc()
        if has_request_context():
            g.healthbot_turn = {
                "session": message.session_id, "channel": channel, "kind": reply.kind,
                "intent": reply.intent, "topic": reply.topic_id, "confidence": round(reply.confidence, 3),
                "scores": {"intents": debug.get("intents"), "topics": debug.get("topics"), "opinion": opinion},
            }

    def render(self) -> bytes:
        folder = multiprocess_dir()
        if folder:
            from prometheus_client import multiprocess

            merged = CollectorRegistry()
            multiprocess.MultiProcessCollector(merged, path=folder)
            return generate_latest(merged)
        return generate_latest(self.registry)


def over_limit(runtime: Runtime, scope: str, who: str, limit: int) -> int | None:
    """Count one request for ``who``; return seconds to wait when over ``limit`` per minute, else None.

    A limit of 0 switches the check off. Channels can call this with the platform user id.
    """
    if limit <= 0 or not who:
        return None
    now = time.time()
    window = int(now // WINDOW)
    try:
        count = runtime.store.hit(f"rl:{scope}:{who}:{window}", WINDOW + 1)
    except Exception:  # a store outage must not refuse patients
        return None
    if count <= limit:
        return None
    return max(1, int((window + 1) * WINDOW - now + 0.999))


def _session_for_limit() -> str | None:
    """The widget's session id, from the JSON body the chat route will read too (parsed once)."""
    if request.path != "/api/chat" or request.method != "POST":
        return None
    data = json_body()
    sid = data.get("session_id") if isinstance(data, dict) else None
    return sid if isinstance(sid, str) and 0 < len(sid) <= 128 else None


def _endpoint() -> str:
    # The route template, never the raw path: a path can carry text and has no bound.
    return request.url_rule.rule if request.url_rule is not None else "unmatched"


def init_app(app: Flask, runtime: Runtime) -> None:
    metrics = Metrics.create()
    app.extensions["healthbot.metrics"] = metrics
    runtime.engine.observers.append(metrics.observe_reply)
    seen = {"reloads": runtime.content.status.reloads, "failures": runtime.content.status.failures}
    metrics.topics.set(runtime.content.status.topics)

    def _count_reloads() -> None:
        status = runtime.content.status
        if status.reloads != seen["reloads"]:
            metrics.reloads.labels("ok").inc(max(0, status.reloads - seen["reloads"]))
            seen["reloads"] = status.reloads
            metrics.topics.set(status.topics)
        if status.failures != seen["failures"]:
            metrics.reloads.labels("failed").inc(max(0, status.failures - seen["failures"]))
            seen["failures"] = status.failures

    def _refuse(scope: str, retry_after: int) -> Response:
        metrics.rate_limited.labels(scope).inc()
        response = error_response(429, "rate_limited", "Too many messages at once. Please wait a moment and try again.")
        response.headers["Retry-After"] = str(retry_after)
        g.healthbot_limit = scope
        return response

    @app.before_request
    def _before():
        g.healthbot_start = time.perf_counter()
        rid = request.headers.get("X-Request-Id", "")
        g.healthbot_request_id = rid if REQUEST_ID.match(rid) else new_request_id()
        _count_reloads()
        if request.path in PROBES or request.path.startswith(PLATFORM_PREFIXES) or request.method == "OPTIONS":
            return None
        settings = runtime.settings
        wait = over_limit(runtime, "ip", request.remote_addr or "unknown", settings.ip_rate_limit_per_minute)
        if wait is not None:
            return _refuse("ip", wait)
        session = _session_for_limit()
        if session is not None:
            wait = over_limit(runtime, "user", f"web:{session}", settings.rate_limit_per_minute)
            if wait is not None:
                return _refuse("user", wait)
        return None

    @app.after_request
    def _after(response: Response) -> Response:
        start = g.get("healthbot_start")
        duration = time.perf_counter() - start if start is not None else 0.0
        endpoint = _endpoint()
        method = request.method if request.method in METHODS else "OTHER"
        metrics.latency.labels(endpoint, method).observe(duration)
        metrics.requests.labels(endpoint, method, str(response.status_code)).inc()
        rid = g.get("healthbot_request_id")
        if rid:
            response.headers["X-Request-Id"] = rid
        if endpoint not in PROBES:
            extra = {"request_id": rid, "method": method, "endpoint": endpoint, "status": response.status_code,
                     "duration_ms": round(duration * 1000, 3), "limit": g.get("healthbot_limit")}
            extra.update(g.get("healthbot_turn") or {})
            log.info("request", extra=extra)
        return response

    @app.get("/readyz")
    def readyz():
        """Ready when content is loaded and the session store answers; a balancer drains us otherwise."""
        content_ok = runtime.content.current is not None
        try:
            store_ok = bool(runtime.store.ping())
        except Exception:
            store_ok = False
        ready = content_ok and store_ok
        body = {"status": "ready" if ready else "unready",
                "checks": {"content": content_ok, "store": store_ok},
                "topics": runtime.content.status.topics,
                "content_ok": runtime.content.status.ok}
        response = jsonify(body)
        response.status_code = 200 if ready else 503
        return response

    @app.get("/metrics")
    def metrics_endpoint():
        _count_reloads()
        return Response(metrics.render(), mimetype=CONTENT_TYPE_LATEST.split(";")[0],
                        headers={"Content-Type": CONTENT_TYPE_LATEST})
