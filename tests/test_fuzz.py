"""Property-based fuzzing of every endpoint: no input, however broken, gives a 5xx or a stack trace.

Endpoints are read from the app's URL map, so a route added later is fuzzed
without touching this file. Webhook channels are enabled with test secrets and
part of the bodies are signed correctly, so the platform parsers behind the
signature checks are fuzzed too, not only the checks. Outbound platform APIs
point at a closed local port: nothing leaves the machine.
"""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.runtime import build_runtime
from bot.server.app import create_app
from bot.settings import Settings
from tests.prod_support import free_port, write_content

ADMIN_TOKEN = "fuzz-admin-token"
SECRET = "fuzz-secret"
FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
REQUESTS = {"n": 0}


def _channel_settings(dead_api: str):
    try:
        from bot.channels.config import (ChannelSettings, DialogflowConfig, MetaConfig, SlackConfig,
                                         TelegramConfig, TwilioConfig)
    except ImportError:  # webhooks not built yet: the URL map simply has no such routes
        return None
    return ChannelSettings(
        telegram=TelegramConfig(SECRET, "", dead_api),
        whatsapp=MetaConfig(SECRET, "verify", "", dead_api),
        messenger=MetaConfig(SECRET, "verify", "", dead_api),
        twilio=TwilioConfig(SECRET),
        slack=SlackConfig(SECRET, "", dead_api),
        dialogflow=DialogflowConfig(auth="user:pass"),
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = write_content(tmp_path_factory.mktemp("fuzz") / "content")
    runtime = build_runtime(Settings(content_root=str(root), store_url="memory://", unanswered_url="memory://", admin_token=ADMIN_TOKEN,
                                     rate_limit_per_minute=0, ip_rate_limit_per_minute=0, reload_interval=0))
    channels = _channel_settings(f"http://127.0.0.1:{free_port()}")
    if channels is not None:
        runtime.channels = channels  # type: ignore[attr-defined]
    application = create_app(runtime=runtime)
    application.config["PROPAGATE_EXCEPTIONS"] = False
    return application


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def endpoints(app) -> list[tuple[str, list[str]]]:
    """Every concrete URL of the app with its methods (``<platform>`` expanded to each platform)."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))
        if "<" not in rule.rule:
            out.append((rule.rule, methods))
            continue
        if "platform" in rule.arguments:
            from bot.server.webhooks import ROUTES

            for name in [*ROUTES, "nonexistent"]:
                out.append((rule.rule.replace("<platform>", name), methods))
        else:
            out.append((rule.rule.split("<")[0] + "fuzz", methods))
    return out


def signed_headers(path: str, body: bytes, content_type: str) -> dict[str, str]:
    """Correct credentials for the platform behind ``path``, so parsers see the fuzzed body."""
    from bot.channels import signatures as sig

    headers = {"Content-Type": content_type, "Authorization": f"Bearer {ADMIN_TOKEN}"}
    if path.endswith("/telegram"):
        headers["X-Telegram-Bot-Api-Secret-Token"] = SECRET
    elif path.endswith(("/whatsapp", "/messenger")):
        headers["X-Hub-Signature-256"] = sig.meta_signature(body, SECRET)
    elif path.endswith("/slack"):
        stamp = str(int(time.time()))
        headers["X-Slack-Request-Timestamp"] = stamp
        headers["X-Slack-Signature"] = sig.slack_signature(body, stamp, SECRET)
    elif path.endswith(("/dialogflow", "/dialogflow-cx")):
        headers["Authorization"] = sig.basic_auth_header("user", "pass")
    elif path.endswith("/twilio"):
        from urllib.parse import parse_qsl

        params = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        headers["X-Twilio-Signature"] = sig.twilio_signature(f"http://localhost{path}", params, SECRET)
    return headers


def check(response) -> None:
    REQUESTS["n"] += 1
    body = response.get_data()
    assert response.status_code < 500, (response.status_code, body[:300])
    assert b"Traceback" not in body and b'File "' not in body
    if 400 <= response.status_code < 500 and body:  # HEAD answers carry no body
        assert response.is_json, (response.status_code, response.content_type, body[:200])
        assert "error" in json.loads(body), body[:200]


# -- strategies ------------------------------------------------------------------------
edge_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=50),
    st.sampled_from(["", " ", "\x00", "\u202e", "\ufeff", "🫀" * 300, "a\u0301" * 100, "\ud800", "İ" * 10,
                     "what is angioplasty?", "ask:what_is:angioplasty", "topic:colonoscopy", "ask:::", "%s%n{0}",
                     "<script>alert(1)</script>", "x" * 1001, "chest pain now"]),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | edge_text,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(edge_text, children, max_size=5),
    max_leaves=30,
)
chat_bodies = st.fixed_dictionaries({}, optional={
    "text": json_values, "session_id": st.one_of(json_values, st.from_regex(r"[A-Za-z0-9_.:\-]{1,128}", fullmatch=True)),
    "payload": json_values, "extra": json_values,
})


def nested(depth: int) -> bytes:
    return b'{"text":' * depth + b"1" + b"}" * depth


raw_bodies = st.one_of(
    st.binary(max_size=2048),
    json_values.map(lambda v: json.dumps(v, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")),
    chat_bodies.map(lambda v: json.dumps(v, ensure_ascii=True).encode()),
    st.integers(min_value=1, max_value=200_000).map(lambda n: b"[" * n + b"]" * n),
    st.integers(min_value=1, max_value=50_000).map(nested),
    st.integers(min_value=10_000, max_value=400_000).map(lambda n: b'{"text": "' + b"a" * n + b'"}'),
    st.text(max_size=300).map(lambda t: ("Body=" + t + "&From=whatsapp:+15550001&MessageSid=SM1").encode()),
)
content_types = st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain",
                                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                 "", "application/json; charset=latin-1", "\x00/\x7f"])


# -- properties --------------------------------------------------------------------------
@FUZZ
@given(body=raw_bodies, content_type=content_types, signed=st.booleans())
def test_raw_bodies_on_every_endpoint(client, app, body, content_type, signed):
    for path, methods in endpoints(app):
        headers = signed_headers(path, body, content_type) if signed else {"Content-Type": content_type}
        for method in methods:
            check(client.open(path, method=method, data=body, headers=headers))


@settings(FUZZ, max_examples=1500)
@given(body=chat_bodies, locale=st.one_of(st.none(), edge_text.filter(lambda s: "\n" not in s and "\r" not in s)))
def test_structured_chat_requests(client, body, locale):
    headers = {"X-Healthbot-Locale": locale.encode("utf-8", "surrogatepass").decode("latin-1")} if locale else {}
    try:
        data = json.dumps(body)
    except (TypeError, ValueError):
        return
    check(client.post("/api/chat", data=data, content_type="application/json", headers=headers))


@settings(FUZZ, max_examples=300)
@given(query=st.dictionaries(edge_text, edge_text, max_size=4), method=st.sampled_from(
    ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FUZZ"]),
    header=st.tuples(st.sampled_from(["Origin", "Authorization", "X-Request-Id", "Content-Length", "Accept",
                                      "X-Forwarded-For", "Cookie", "X-Healthbot-Locale"]), edge_text))
def test_query_strings_methods_and_headers(client, app, query, method, header):
    value = header[1].replace("\r", "").replace("\n", "").encode("utf-8", "surrogatepass").decode("latin-1")
    paths = [p for p, _ in endpoints(app)] + ["/", "/nope", "/api/chat/../admin", "/%00", "/" + "a" * 3000]
    for path in paths:
        try:
            response = client.open(path, method=method, query_string=query, headers={header[0]: value})
        except (ValueError, UnicodeError):  # the test client itself refuses to build it: nothing reached the app
            continue
        check(response)


def test_enough_requests_were_fuzzed():
    """The acceptance asks for at least 10,000 fuzzed requests across all endpoints."""
    if REQUESTS["n"] == 0:
        pytest.skip("run together with the fuzz properties above")
    print(f"fuzzed requests: {REQUESTS['n']}")
    assert REQUESTS["n"] >= 10_000, REQUESTS["n"]
