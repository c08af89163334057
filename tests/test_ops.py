"""Operator endpoints and hooks: /healthz, /readyz, /metrics, rate limits, request size, JSON logs."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logging import JsonFormatter, configure_logging
from bot.server.app import create_app
from bot.settings import Settings
from tests.prod_support import free_port, write_content


@pytest.fixture
def content(tmp_path):
    return write_content(tmp_path / "content")


def make_client(content, **overrides):
    overrides.setdefault("store_url", "memory://")
    overrides.setdefault("unanswered_url", "memory://")
    app = create_app(Settings(content_root=str(content), **overrides))
    return app, app.test_client()


def chat(client, text: str, session: str = "ops-1", ip: str = "10.0.0.1"):
    return client.post("/api/chat", json={"session_id": session, "text": text}, environ_base={"REMOTE_ADDR": ip})


def metric(body: str, name: str, **labels: str) -> float:
    """The value of one sample in Prometheus text format (0 when absent)."""
    for line in body.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        head, value = line.rsplit(" ", 1)
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            return float(value)
    return 0.0


def test_healthz_and_readyz(content):
    _, client = make_client(content)
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.get_json()
    assert body["status"] == "ready" and body["checks"] == {"content": True, "store": True}
    assert body["topics"] == 2


def test_readyz_is_503_when_the_store_is_unreachable(content):
    # A Redis URL on a port nobody listens on: the real client, really refused.
    _, client = make_client(content, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"content": True, "store": False}
    assert client.get("/healthz").status_code == 200  # alive, just not ready
    answer = chat(client, "what is angioplasty?")  # and still answering, without memory
    assert answer.status_code == 200 and answer.get_json()["topic_id"] == "angioplasty"


def test_metrics_count_latency_replies_and_kinds(content):
    _, client = make_client(content)
    chat(client, "what is angioplasty?")
    chat(client, "how is it done?")
    chat(client, "blah blah blah", session="blank")  # fallback (mid-conversation it would offer the topic)
    chat(client, "how is it done?", session="fresh")  # no topic yet: clarify
    chat(client, "I have chest pain right now")  # emergency
    client.get("/no/such/page-with-words")
    body = client.get("/metrics").get_data(as_text=True)

    assert metric(body, "healthbot_http_request_duration_seconds_count", endpoint="/api/chat", method="POST") == 5
    assert metric(body, "healthbot_http_request_duration_seconds_bucket", endpoint="/api/chat", le="+Inf") == 5
    assert metric(body, "healthbot_http_requests_total", endpoint="/api/chat", status="200") == 5
    assert metric(body, "healthbot_replies_total", kind="answer", intent="what_is") == 1
    assert metric(body, "healthbot_replies_total", kind="answer", intent="how_done") == 1
    assert metric(body, "healthbot_fallbacks_total", channel="web") == 1
    assert metric(body, "healthbot_clarifications_total", channel="web") == 1
    assert metric(body, "healthbot_emergencies_total", channel="web") == 1
    assert metric(body, "healthbot_http_requests_total", endpoint="unmatched", status="404") == 1
    assert "page-with-words" not in body  # raw paths never become labels
    assert metric(body, "healthbot_content_topics") == 2


def test_metrics_count_content_reloads(content):
    app, client = make_client(content)
    runtime = app.extensions["healthbot"]
    topic = content / "data" / "topics" / "angioplasty.yaml"
    topic.write_text(topic.read_text().replace("a plain answer", "a short plain answer"))
    assert runtime.content.reload() is True
    topic.write_text("id: [broken")
    assert runtime.content.reload() is False
    body = client.get("/metrics").get_data(as_text=True)
    assert metric(body, "healthbot_content_reloads_total", result="ok") == 1
    assert metric(body, "healthbot_content_reloads_total", result="failed") == 1


def test_per_user_rate_limit_gives_429_with_retry_after(content):
    _, client = make_client(content, rate_limit_per_minute=3, ip_rate_limit_per_minute=0)
    statuses = [chat(client, "hi", session="busy").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = chat(client, "hi", session="busy")
    assert refused.status_code == 429 and refused.is_json
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert chat(client, "hi", session="calm").status_code == 200
    body = client.get("/metrics").get_data(as_text=True)
    assert metric(body, "healthbot_rate_limited_total", scope="user") == 2


def test_per_ip_rate_limit_spares_other_addresses_and_probes(content):
    _, client = make_client(content, rate_limit_per_minute=0, ip_rate_limit_per_minute=2)
    statuses = [chat(client, "hi", session=f"s{i}", ip="10.9.9.9").status_code for i in range(3)]
    assert statuses == [200, 200, 429]
    assert chat(client, "hi", session="s9", ip="10.1.1.1").status_code == 200
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path, environ_base={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200


def test_oversized_body_is_a_json_413(content):
    _, client = make_client(content, max_body_bytes=1024, max_text_chars=100)
    response = client.post("/api/chat", data=b'{"text": "' + b"a" * 5000 + b'"}',
                           content_type="application/json")
    assert response.status_code == 413 and response.is_json
    assert response.get_json()["error"]["code"] == "request_entity_too_large"
    too_long = chat(client, "word " * 30)
    assert too_long.status_code == 400 and too_long.get_json()["error"]["code"] == "text_too_long"


def test_request_id_is_echoed_or_made(content):
    _, client = make_client(content)
    assert client.get("/healthz", headers={"X-Request-Id": "abc-123"}).headers["X-Request-Id"] == "abc-123"
    made = client.get("/healthz", headers={"X-Request-Id": "bad id with spaces"}).headers["X-Request-Id"]
    again = client.get("/healthz").headers["X-Request-Id"]
    assert made != "bad id with spaces" and len(made) == len(again) == 22 and made != again
    assert made[:12] == again[:12]  # one random prefix per process, then a counter


def test_one_json_log_line_per_request_with_ids_and_scores_not_text(content):
    stream = io.StringIO()
    handler = configure_logging("INFO", stream)
    try:
        _, client = make_client(content)
        chat(client, "what is angioplasty? my neighbour Ezekiel asked", session="log-1")
        client.get("/healthz")  # probes are not logged: they would drown the rest
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    requests = [line for line in lines if line["logger"] == "healthbot.access"]
    assert len(requests) == 1
    entry = requests[0]
    assert entry["endpoint"] == "/api/chat" and entry["method"] == "POST" and entry["status"] == 200
    assert entry["session"] == "web:log-1" and entry["intent"] == "what_is" and entry["topic"] == "angioplasty"
    assert entry["kind"] == "answer" and entry["duration_ms"] >= 0 and len(entry["request_id"]) == 22
    assert entry["scores"]["topics"][0][0] == "angioplasty"
    assert "Ezekiel" not in stream.getvalue()


def test_json_formatter_drops_exception_messages_and_unknown_extras():
    record = logging.LogRecord("healthbot.test", logging.ERROR, __file__, 1, "failed", (), None)
    try:
        raise ValueError("patient wrote: Ezekiel has chest pain")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    record.text = "Ezekiel"  # not an allowed field
    record.intent = "what_is"
    line = json.loads(JsonFormatter().format(record))
    assert line["exc"]["type"] == "ValueError" and line["exc"]["frames"]
    assert line["intent"] == "what_is"
    assert "Ezekiel" not in json.dumps(line)


def test_ops_responses_carry_the_security_headers(content):
    _, client = make_client(content, rate_limit_per_minute=1, ip_rate_limit_per_minute=0)
    chat(client, "hi", session="h")
    for response in (client.get("/readyz"), client.get("/metrics"), chat(client, "hi", session="h")):
        assert response.headers.get("X-Content-Type-Options") == "nosniff", response.status_code
        assert "Content-Security-Policy" in response.headers
