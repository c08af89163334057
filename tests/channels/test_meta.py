"""WhatsApp Cloud API and Messenger: handshake, signature over raw bytes, Graph replies."""

from __future__ import annotations

import json

import pytest

from bot.channels.config import ChannelSettings, MetaConfig
from bot.channels.signatures import meta_signature
from tests.channels.conftest import HOW_DONE, SOURCE_URL, WHAT_IS
from tests.channels.test_signatures import MESSENGER_BODY, META_SECRET, WHATSAPP_BODY

TOKEN = "graph-token-1"


def wa_body(text: str, mid: str, user: str = "16505551234") -> bytes:
    msg = {"from": user, "id": mid, "timestamp": "1749416383", "type": "text", "text": {"body": text}}
    return json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp", "metadata": {"display_phone_number": "1555", "phone_number_id": "106540352242922"},
        "contacts": [{"profile": {"name": "S"}, "wa_id": user}], "messages": [msg]}}]}]}).encode()


def fb_body(event: dict) -> bytes:
    return json.dumps({"object": "page", "entry": [{"id": "PAGE", "time": 1, "messaging": [event]}]}).encode()


def fb_text(text: str, mid: str, psid: str = "PSID_9", **extra) -> bytes:
    return fb_body({"sender": {"id": psid}, "recipient": {"id": "PAGE"}, "timestamp": 1,
                    "message": {"mid": mid, "text": text, **extra}})


def post(client, path: str, raw: bytes, secret: str = META_SECRET, signature: str | None = None):
    sig = signature if signature is not None else meta_signature(raw, secret)
    return client.post(path, data=raw, content_type="application/json", headers={"X-Hub-Signature-256": sig})


@pytest.fixture
def wa(make_app, api):
    return make_app(ChannelSettings(whatsapp=MetaConfig(META_SECRET, "vt-123", TOKEN, api.url)))


@pytest.fixture
def fb(make_app, api):
    return make_app(ChannelSettings(messenger=MetaConfig(META_SECRET, "vt-123", TOKEN, api.url)))


@pytest.mark.parametrize("platform", ["whatsapp", "messenger"])
def test_handshake_vector(make_app, platform):
    h = make_app(ChannelSettings(**{platform: MetaConfig(META_SECRET, "vt-123")}))
    ok = h.client.get(f"/webhooks/{platform}?hub.mode=subscribe&hub.verify_token=vt-123&hub.challenge=1158201444")
    assert ok.status_code == 200 and ok.get_data(as_text=True) == "1158201444"
    bad = h.client.get(f"/webhooks/{platform}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1158201444")
    assert bad.status_code == 403


def test_whatsapp_spec_vector_is_accepted(wa, api):
    res = post(wa.client, "/webhooks/whatsapp", WHATSAPP_BODY,
               signature="sha256=8ea10a37d12ee738e2b2b83ed585a05836403b81234afbe8014c94ab8e8c0bd5")
    assert res.status_code == 200
    wa.flush()
    assert api.calls and api.calls[0].body["to"] == "16505551234"


def test_whatsapp_answers_with_citations_and_buttons(wa, api):
    res = post(wa.client, "/webhooks/whatsapp", wa_body("what is angioplasty?", "wamid.A1"))
    assert res.status_code == 200
    wa.flush()
    assert all(c.path == "/v23.0/106540352242922/messages" for c in api.calls)
    assert api.calls[0].headers["authorization"] == f"Bearer {TOKEN}"
    text = api.calls[0].body
    assert text["type"] == "text" and text["context"] == {"message_id": "wamid.A1"}
    assert WHAT_IS[:50] in text["text"]["body"] and SOURCE_URL in text["text"]["body"]
    buttons = api.calls[-1].body["interactive"]["action"]["buttons"]
    assert 1 <= len(buttons) <= 3 and all(len(b["reply"]["title"]) <= 20 for b in buttons)
    assert "ask:how_done:angioplasty" in [b["reply"]["id"] for b in buttons]


def test_whatsapp_button_tap_and_two_turns(wa, api):
    post(wa.client, "/webhooks/whatsapp", wa_body("what is angioplasty?", "wamid.B1", user="111"))
    post(wa.client, "/webhooks/whatsapp", wa_body("how is it done?", "wamid.B2", user="111"))
    tap = json.loads(wa_body("", "wamid.B3", user="222"))
    tap["entry"][0]["changes"][0]["value"]["messages"][0].update(
        type="interactive", interactive={"type": "button_reply", "button_reply": {"id": "ask:how_done:angioplasty",
                                                                                 "title": "How is it done?"}})
    post(wa.client, "/webhooks/whatsapp", json.dumps(tap).encode())
    wa.flush()
    texts = {c.body["to"]: [] for c in api.calls}
    for c in api.calls:
        if c.body["type"] == "text":
            texts[c.body["to"]].append(c.body["text"]["body"])
    assert any(HOW_DONE[:50] in t for t in texts["111"])
    assert any(HOW_DONE[:50] in t for t in texts["222"])


@pytest.mark.parametrize("tamper", ["body", "secret", "missing"])
def test_whatsapp_rejects_bad_signatures(wa, api, tamper):
    raw = wa_body("what is angioplasty?", "wamid.C1")
    if tamper == "body":
        res = post(wa.client, "/webhooks/whatsapp", raw.replace(b"angioplasty", b"angioplastY"),
                   signature=meta_signature(raw, META_SECRET))
    elif tamper == "secret":
        res = post(wa.client, "/webhooks/whatsapp", raw, secret="not-the-secret")
    else:
        res = wa.client.post("/webhooks/whatsapp", data=raw, content_type="application/json")
    assert res.status_code == 401
    wa.flush()
    assert api.calls == [] and wa.store.load("whatsapp:16505551234") is None


def test_whatsapp_duplicates_and_statuses(wa, api):
    raw = wa_body("what is angioplasty?", "wamid.D1")
    assert post(wa.client, "/webhooks/whatsapp", raw).status_code == 200
    assert post(wa.client, "/webhooks/whatsapp", raw).status_code == 200
    status = json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [{"field": "messages",
        "value": {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "106540352242922"},
                  "statuses": [{"id": "wamid.OUT", "status": "delivered", "timestamp": "1", "recipient_id": "1"}]}}]}]})
    assert post(wa.client, "/webhooks/whatsapp", status.encode()).status_code == 200
    wa.flush()
    first_answers = [c for c in api.calls if c.body["type"] == "text" and "context" in c.body]
    assert len(first_answers) == 1


def test_messenger_spec_vector_and_reply(fb, api):
    res = post(fb.client, "/webhooks/messenger", MESSENGER_BODY,
               signature="sha256=e83880266c2c63f25c32388bd8d533d59b581e33f44e7d137df99a86ac0db75d")
    assert res.status_code == 200
    fb.flush()
    assert api.calls[0].body["recipient"] == {"id": "PSID_1"}
    assert api.calls[0].query["access_token"] == [TOKEN]


def test_messenger_answers_with_quick_replies_and_keeps_topic(fb, api):
    post(fb.client, "/webhooks/messenger", fb_text("what is angioplasty?", "mid.1"))
    fb.flush()
    first = api.calls[-1].body["message"]
    assert WHAT_IS[:50] in api.calls[0].body["message"]["text"] and SOURCE_URL in "".join(
        c.body["message"]["text"] for c in api.calls)
    assert all(len(c.body["message"]["text"]) <= 2000 for c in api.calls)
    assert "ask:how_done:angioplasty" in [q["payload"] for q in first["quick_replies"]]
    post(fb.client, "/webhooks/messenger", fb_text("How is it done?", "mid.2",
                                                   quick_reply={"payload": "ask:how_done:angioplasty"}))
    post(fb.client, "/webhooks/messenger", fb_text("how is it done?", "mid.3", psid="PSID_OTHER"))
    fb.flush()
    by_user = {}
    for c in api.calls:
        by_user.setdefault(c.body["recipient"]["id"], []).append(c.body["message"]["text"])
    assert HOW_DONE[:50] in by_user["PSID_9"][-1] or any(HOW_DONE[:50] in t for t in by_user["PSID_9"])
    assert not any(HOW_DONE[:50] in t for t in by_user["PSID_OTHER"])  # another user has no context


def test_messenger_ignores_echoes_deliveries_and_duplicates(fb, api):
    echo = fb_text("what is angioplasty?", "mid.E", is_echo=True, app_id=1)
    delivery = fb_body({"sender": {"id": "PSID_9"}, "recipient": {"id": "PAGE"}, "delivery": {"mids": ["m"]}})
    read = fb_body({"sender": {"id": "PSID_9"}, "recipient": {"id": "PAGE"}, "read": {"watermark": 1}})
    for raw in (echo, delivery, read):
        assert post(fb.client, "/webhooks/messenger", raw).status_code == 200
    raw = fb_text("what is angioplasty?", "mid.D")
    post(fb.client, "/webhooks/messenger", raw)
    post(fb.client, "/webhooks/messenger", raw)
    fb.flush()
    answers = [c for c in api.calls if WHAT_IS[:50] in c.body["message"]["text"]]
    assert len(answers) == 1  # the echo and the redelivery got no answer


def test_messenger_rejects_tampered_body(fb, api):
    raw = fb_text("what is angioplasty?", "mid.T")
    res = post(fb.client, "/webhooks/messenger", raw + b" ", signature=meta_signature(raw, META_SECRET))
    assert res.status_code == 401
    fb.flush()
    assert api.calls == []
