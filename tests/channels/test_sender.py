"""The background sender against a local HTTP server playing a platform API."""

from __future__ import annotations

import logging
import random
import threading

from bot.channels.sender import Outbound, Response, Sender, retry_after


def make_sender(**options):
    slept: list[float] = []
    sender = Sender(workers=1, sleep=slept.append, rng=random.Random(7), timeout=5, **options)
    return sender, slept


def test_429_and_500_are_retried_then_delivered(api):
    api.script = [(429, {"Retry-After": "3"}, {"ok": False}), (500, {}, {"ok": False}), (503, {}, {})]
    sender, slept = make_sender(base_delay=0.5)
    assert sender.submit([Outbound("test", f"{api.url}/send", {"text": "hi"}, action="send")])
    sender.flush()
    assert [c.body for c in api.calls] == [{"text": "hi"}] * 4
    assert slept[0] == 3.0  # Retry-After honoured
    assert 0.5 <= slept[1] <= 1.0 and 1.0 <= slept[2] <= 2.0  # exponential backoff with jitter
    assert sender.stats.sent == 1 and sender.stats.retried == 3 and sender.stats.failed == 0
    sender.close()


def test_permanent_400_is_given_up_and_logged(api, caplog):
    api.script = [(400, {}, {"error": {"message": "secret patient words"}})]
    sender, slept = make_sender()
    with caplog.at_level(logging.ERROR, logger="healthbot.channels.sender"):
        sender.submit([Outbound("whatsapp", f"{api.url}/send", {"text": "private"}, action="messages"),
                       Outbound("whatsapp", f"{api.url}/send", {"text": "second chunk"}, action="messages")])
        sender.flush()
    assert len(api.calls) == 1  # no retry, and the later chunk is not sent out of context
    assert slept == []
    assert sender.stats.failed == 1
    assert "whatsapp messages given up: status=400" in caplog.text
    assert "private" not in caplog.text and "secret patient" not in caplog.text
    sender.close()


def test_retries_are_bounded(api):
    api.default = (502, {}, {})
    sender, slept = make_sender(max_attempts=3, max_delay=1.0)
    sender.submit([Outbound("test", f"{api.url}/send", {"n": 1})])
    sender.flush()
    assert len(api.calls) == 3 and len(slept) == 2 and all(s <= 1.0 for s in slept)
    assert sender.stats.failed == 1
    sender.close()


def test_ok_false_in_a_200_is_a_failure(api):
    api.script = [(200, {}, {"ok": False, "error": "channel_not_found"})]
    sender, _ = make_sender()
    sender.submit([Outbound("slack", f"{api.url}/chat.postMessage", {},
                            check=lambda d: None if d.get("ok") else d.get("error"))])
    sender.flush()
    assert sender.stats.failed == 1 and sender.stats.sent == 0
    sender.close()


def test_connection_errors_are_retried():
    sender, slept = make_sender(max_attempts=2)
    sender.submit([Outbound("test", "http://127.0.0.1:9/unreachable", {})])
    sender.flush()
    assert len(slept) == 1 and sender.stats.failed == 1
    sender.close()


def test_queue_is_bounded():
    entered, release = threading.Event(), threading.Event()

    def blocking(request, timeout):
        entered.set()
        release.wait(10)
        return Response(200, {}, b"{}")

    sender = Sender(workers=1, max_queue=1, transport=blocking)
    job = [Outbound("x", "http://127.0.0.1:9/", {})]
    assert sender.submit(job)  # taken by the worker, which blocks
    assert entered.wait(10)
    assert sender.submit(job)  # fills the queue
    assert sender.submit(job) is False  # refused, not buffered without bound
    assert sender.stats.dropped == 1
    release.set()
    sender.flush()
    assert sender.stats.sent == 2
    sender.close()


def test_retry_after_sources():
    assert retry_after({"retry-after": "12"}, b"") == 12.0
    assert retry_after({}, b'{"ok":false,"error_code":429,"parameters":{"retry_after":5}}') == 5.0
    assert retry_after({}, b"not json") is None


def test_drain_waits_for_queued_replies_within_a_bound():
    release = threading.Event()

    def slow(request, timeout):
        release.wait(10)
        return Response(200, {}, b"{}")

    sender = Sender(workers=1, transport=slow)
    for _ in range(3):
        sender.submit([Outbound("x", "http://127.0.0.1:9/", {})])
    assert sender.drain(0.1) is False  # still blocked: the bound holds
    release.set()
    assert sender.drain(10) is True and sender.stats.sent == 3
    sender.close()
