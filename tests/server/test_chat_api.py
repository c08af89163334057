"""POST /api/chat over the Flask test client, on the repo's own content."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.runtime import build_runtime
from bot.server.app import create_app
from bot.settings import Settings
from tests.conftest import REPO


@pytest.fixture(scope="module")
def app() -> Flask:
    settings = Settings(content_root=str(REPO), store_url="memory://")
    return create_app(runtime=build_runtime(settings))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def chat(client: FlaskClient, text: str, session: str = "conv-1") -> dict:
    response = client.post("/api/chat", json={"session_id": session, "text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_the_issue_conversation_over_http(client: FlaskClient) -> None:
    hi = chat(client, "hi")
    assert hi["intent"] == "greet"
    assert hi["messages"][0]["role"] == "notice"
    assert "not medical advice" in hi["messages"][0]["text"]
    assert hi["session_id"] == "conv-1"

    what = chat(client, "what is angeoplasty")
    assert (what["kind"], what["intent"], what["topic"]) == ("answer", "what_is", "Angioplasty")
    assert any(c["url"].startswith(("https://medlineplus.gov/", "https://www.nhlbi.nih.gov/"))
               for c in what["citations"])
    assert what["reviewed"]

    how = chat(client, "how is it done?")
    assert (how["intent"], how["topic"]) == ("how_done", "Angioplasty")

    rec = chat(client, "and recovery")
    assert (rec["intent"], rec["topic"]) == ("recovery", "Angioplasty")

    switch = chat(client, "what about bypass surgery")
    assert (switch["intent"], switch["topic"]) == ("recovery", "Coronary Artery Bypass Surgery")

    more = chat(client, "where can I learn more")
    assert more["intent"] == "learn_more"
    assert more["citations"] and all(c["url"].startswith("https://") for c in more["citations"])

    sos = chat(client, "I have crushing chest pain right now")
    assert sos["kind"] == "emergency"
    assert "911" in " ".join(m["text"] for m in sos["messages"])


def test_payload_quick_reply_over_http(client: FlaskClient) -> None:
    first = chat(client, "what is angioplasty", session="qr")
    payload = first["quick_replies"][0]["payload"]
    response = client.post("/api/chat", json={"session_id": "qr", "text": first["quick_replies"][0]["title"],
                                              "payload": payload})
    body = response.get_json()
    assert response.status_code == 200
    assert body["topic_id"] == "angioplasty" and body["intent"] == payload.split(":")[1]


def test_a_missing_session_id_gets_a_new_one(client: FlaskClient) -> None:
    response = client.post("/api/chat", json={"text": "what is angioplasty"})
    assert response.status_code == 200
    assert response.get_json()["session_id"]


def assert_json_error(response, status: int, words: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    assert words.lower() in error["message"].lower()
    assert "Traceback" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        (b"{not json", "application/json", 400, "not valid JSON"),
        (b"\xff\xfe\x00", "application/json", 400, "not valid JSON"),
        (b'{"text": "hi"}', "text/plain", 415, "Content-Type"),
        (b'{"text": "hi"}', None, 415, "Content-Type"),
        (b'["hi"]', "application/json", 400, "JSON object"),
        (b'"hi"', "application/json", 400, "JSON object"),
        (b"null", "application/json", 400, "JSON object"),
        (b'{"session_id": "a"}', "application/json", 400, "'text'"),
        (b'{"session_id": "a", "text": 42}', "application/json", 400, "'text'"),
        (b'{"session_id": "a", "text": ["hi"]}', "application/json", 400, "'text'"),
        (b'{"session_id": "a", "text": null}', "application/json", 400, "'text'"),
        (b'{"session_id": "a", "text": "   "}', "application/json", 400, "empty"),
        (b'{"session_id": "a", "text": ""}', "application/json", 400, "empty"),
        (b'{"session_id": 7, "text": "hi"}', "application/json", 400, "session_id"),
        (b'{"session_id": "", "text": "hi"}', "application/json", 400, "session_id"),
        (b'{"session_id": "../../etc/passwd", "text": "hi"}', "application/json", 400, "session_id"),
        (b'{"session_id": "a b", "text": "hi"}', "application/json", 400, "session_id"),
        (b'{"session_id": "a", "text": "hi", "payload": 5}', "application/json", 400, "payload"),
        (b"[" * 5000 + b"]" * 5000, "application/json", 400, "JSON"),  # deep nesting
    ],
    ids=lambda v: v[:40].decode("latin-1") if isinstance(v, bytes) else str(v),
)
def test_bad_input_is_a_clear_4xx_json_error(client: FlaskClient, body: bytes, content_type: str | None,
                                             status: int, words: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/api/chat", data=body, headers=headers)
    assert_json_error(response, status, words)


def test_over_long_text(client: FlaskClient, app: Flask) -> None:
    limit = app.extensions["healthbot"].settings.max_text_chars
    response = client.post("/api/chat", json={"session_id": "a", "text": "a" * (limit + 1)})
    assert_json_error(response, 400, "longer than")
    ok = client.post("/api/chat", json={"session_id": "a", "text": "what is angioplasty " + "a" * (limit - 30)})
    assert ok.status_code == 200


def test_over_long_session_id(client: FlaskClient) -> None:
    response = client.post("/api/chat", json={"session_id": "s" * 129, "text": "hi"})
    assert_json_error(response, 400, "session_id")


def test_oversized_body_is_413(client: FlaskClient, app: Flask) -> None:
    limit = app.extensions["healthbot"].settings.max_body_bytes
    body = json.dumps({"session_id": "a", "text": "x" * (limit + 10)})
    response = client.post("/api/chat", data=body, headers={"Content-Type": "application/json"})
    assert_json_error(response, 413, "too large")


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_wrong_method_is_405_json(client: FlaskClient, method: str) -> None:
    response = getattr(client, method)("/api/chat")
    assert_json_error(response, 405, "method")


def test_unknown_address_is_404_json(client: FlaskClient) -> None:
    assert_json_error(client.get("/api/nothing-here"), 404, "nothing")


def test_replies_never_echo_internals(client: FlaskClient) -> None:
    body = chat(client, "what is angioplasty", session="dbg")
    assert "debug" not in body
