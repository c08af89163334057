"""A planted patient phrase goes through every endpoint; it must never reach a log line.

Every record at DEBUG and above on the root logger is captured and searched in
its message, its arguments, its extra fields and its exception text, and also as
the JSON line production would write. Responses are searched too, except the
admin unanswered-question report, whose purpose is to show (redacted) questions.
"""

from __future__ import annotations

import json
import logging
import time
from urllib.parse import urlencode

import pytest

from bot.logging import JsonFormatter
from bot.runtime import build_runtime
from bot.server.app import create_app
from bot.settings import Settings
from tests.prod_support import free_port, write_content
from tests.test_fuzz import ADMIN_TOKEN, _channel_settings, signed_headers

PHRASE = "Zebulon Quaxwhistle has 4471 palpitations"
MARKERS = ("Quaxwhistle", "4471 palpitations")
#: By design this report shows the questions the bot could not answer (redacted, expiring).
TEXT_REPORTS = ("/admin/unanswered",)


def _webhook_bodies(text: str) -> dict[str, tuple[bytes, str]]:
    now = int(time.time())
    js = "application/json"
    return {
        "telegram": (json.dumps({"update_id": 7, "message": {"message_id": 3, "date": now, "text": text,
                                 "chat": {"id": 42, "type": "private"}, "from": {"id": 42, "is_bot": False}}}).encode(), js),
        "whatsapp": (json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{
            "field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "9"},
                                           "messages": [{"from": "15550001", "id": "wamid.1", "timestamp": str(now),
                                                         "type": "text", "text": {"body": text}}]}}]}]}).encode(), js),
        "messenger": (json.dumps({"object": "page", "entry": [{"id": "1", "time": now, "messaging": [{
            "sender": {"id": "77"}, "recipient": {"id": "1"}, "timestamp": now,
            "message": {"mid": "m.1", "text": text}}]}]}).encode(), js),
        "twilio": (urlencode({"Body": text, "From": "+15550002", "To": "+15550003", "MessageSid": "SM1"}).encode(),
                   "application/x-www-form-urlencoded"),
        "slack": (json.dumps({"type": "event_callback", "event_id": "Ev1", "team_id": "T1", "event": {
            "type": "message", "channel_type": "im", "user": "U1", "channel": "D1", "text": text, "ts": "1.1"}}).encode(), js),
        "dialogflow": (json.dumps({"session": "projects/p/agent/sessions/s1", "responseId": "r1",
                                   "queryResult": {"queryText": text, "languageCode": "en"}}).encode(), js),
        "dialogflow-cx": (json.dumps({"sessionInfo": {"session": "projects/p/locations/l/agents/a/sessions/s2"},
                                      "text": text, "languageCode": "en"}).encode(), js),
    }


def _record_texts(record: logging.LogRecord) -> list[str]:
    out = [record.getMessage(), repr(record.args), JsonFormatter().format(record)]
    out += [repr(v) for k, v in record.__dict__.items() if k not in ("msg", "args", "exc_info")]
    if record.exc_info:
        out.append(logging.Formatter().formatException(record.exc_info))
    return out


@pytest.fixture
def apps(tmp_path):
    root = write_content(tmp_path / "content")
    common = dict(content_root=str(root), admin_token=ADMIN_TOKEN, unanswered_url=f"sqlite:///{tmp_path}/u.db", rate_limit_per_minute=2,
                  ip_rate_limit_per_minute=0, reload_interval=0)
    runtime = build_runtime(Settings(store_url=f"sqlite:///{tmp_path}/s.db", **common))
    channels = _channel_settings(f"http://127.0.0.1:{free_port()}")
    if channels is not None:
        runtime.channels = channels  # type: ignore[attr-defined]
    down = Settings(redis_url=f"redis://127.0.0.1:{free_port()}/0", **common)  # the store is unreachable
    return create_app(runtime=runtime).test_client(), create_app(down).test_client()


def test_planted_phrase_never_reaches_logs_or_responses(apps, caplog):
    client, client_down = apps
    caplog.set_level(logging.DEBUG)
    responses = []

    def keep(path, response):
        responses.append((path, response.status_code, response.get_data()))

    for c in (client, client_down):
        for body in ({"session_id": "p1", "text": PHRASE}, {"session_id": "p1", "text": f"what is {PHRASE}?"},
                     {"session_id": "p1", "text": f"I have chest pain now, {PHRASE}"},
                     {"session_id": "p1", "text": PHRASE},  # over the per-user limit: 429
                     {"session_id": PHRASE, "text": PHRASE},  # invalid session id
                     {"text": PHRASE * 40}, {"text": [PHRASE]}, {"payload": PHRASE}):
            keep("/api/chat", c.post("/api/chat", json=body))
        keep("/api/chat", c.post("/api/chat", data=f'{{"text": "{PHRASE}",', content_type="application/json"))
        keep("/api/chat", c.post("/api/chat", data=PHRASE, content_type="text/plain"))
        keep("/404", c.get("/" + PHRASE.replace(" ", "/"), query_string={"q": PHRASE}))
    for platform, (body, ctype) in _webhook_bodies(PHRASE).items():
        path = f"/webhooks/{platform}"
        keep(path, client.post(path, data=body, headers=signed_headers(path, body, ctype)))
        keep(path, client.post(path, data=body, headers={"Content-Type": ctype}))  # unsigned: rejected
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    for path in ("/admin/status", "/admin/unanswered", "/healthz", "/readyz", "/metrics", "/widget.js"):
        keep(path, client.get(path, headers=auth))
    keep("/admin/reload", client.post("/admin/reload", headers=auth))
    time.sleep(0.2)  # let background senders log whatever they log
    signed = [s for p, s, _ in responses if p.startswith("/webhooks/")][::2]
    assert sum(s == 200 for s in signed) >= 5, signed  # the adapters really parsed the planted messages

    assert len(caplog.records) > 10  # the requests really were logged
    assert any(r.name == "healthbot.access" for r in caplog.records)
    for record in caplog.records:
        for text in _record_texts(record):
            for marker in MARKERS:
                assert marker not in text, f"{record.name}: {text[:300]}"
    for path, status, body in responses:
        assert status < 500, (path, status)
        if path in TEXT_REPORTS:
            continue
        for marker in MARKERS:
            assert marker.encode() not in body, (path, status, body[:300])
