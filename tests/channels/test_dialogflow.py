"""Dialogflow ES and CX fulfillment: the answer in the response JSON, behind auth."""

from __future__ import annotations

import json

import pytest

from bot.channels.config import ChannelSettings, DialogflowConfig
from tests.channels.conftest import HOW_DONE, SOURCE_URL, WHAT_IS

BASIC = "Basic ZGYtdXNlcjpkZi1wYXNz"  # spec §10.7: df-user / df-pass


@pytest.fixture
def df(make_app):
    return make_app(ChannelSettings(dialogflow=DialogflowConfig("df-user:df-pass", "X-Webhook-Secret: s3cret")))


def es(text: str, rid: str, session: str = "S1", intent: str = "Default Fallback Intent", params=None) -> dict:
    return {"responseId": rid, "session": f"projects/p1/agent/sessions/{session}",
            "queryResult": {"queryText": text, "parameters": params or {}, "languageCode": "en",
                            "intent": {"name": "projects/p1/agent/intents/1", "displayName": intent}}}


def cx(text: str, rid: str, session: str = "C1", intent: str | None = None, params=None) -> dict:
    body = {"detectIntentResponseId": rid, "text": text, "languageCode": "en", "fulfillmentInfo": {"tag": "healthbot"},
            "sessionInfo": {"session": f"projects/p1/locations/global/agents/a/sessions/{session}"}}
    if intent:
        body["intentInfo"] = {"displayName": intent, "parameters": params or {}, "confidence": 0.9}
    return body


def post(client, path, body, headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def test_es_answers_in_response_json_and_keeps_topic(df):
    res = post(df.client, "/webhooks/dialogflow", es("what is angioplasty?", "r1"), {"Authorization": BASIC})
    assert res.status_code == 200
    body = res.get_json()
    assert WHAT_IS[:50] in body["fulfillmentText"] and SOURCE_URL in body["fulfillmentText"]
    assert body["fulfillmentMessages"][0]["text"]["text"]
    follow = post(df.client, "/webhooks/dialogflow", es("how is it done?", "r2"), {"Authorization": BASIC}).get_json()
    assert HOW_DONE[:50] in follow["fulfillmentText"]


def test_es_uses_the_agents_intent_and_topic_when_they_are_ours(df):
    body = post(df.client, "/webhooks/dialogflow",
                es("tell me about it", "r3", session="S2", intent="how_done", params={"topic": "PCI"}),
                {"Authorization": BASIC}).get_json()
    assert HOW_DONE[:50] in body["fulfillmentText"]


def test_cx_answers_with_header_secret(df):
    res = post(df.client, "/webhooks/dialogflow-cx", cx("what is angioplasty?", "c1"), {"X-Webhook-Secret": "s3cret"})
    body = res.get_json()
    assert WHAT_IS[:50] in "\n".join(body["fulfillmentResponse"]["messages"][0]["text"]["text"])
    assert body["sessionInfo"]["parameters"]["healthbot_topic"] == "angioplasty"
    tagged = post(df.client, "/webhooks/dialogflow-cx",
                  cx("", "c2", session="C9", intent="how_done", params={"topic": {"resolvedValue": "angioplasty"}}),
                  {"X-Webhook-Secret": "s3cret"}).get_json()
    assert HOW_DONE[:50] in "\n".join(tagged["fulfillmentResponse"]["messages"][0]["text"]["text"])


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic ZGYtdXNlcjp3cm9uZw=="}, {"X-Webhook-Secret": "nope"}])
def test_missing_or_wrong_credentials_are_refused(df, headers):
    res = post(df.client, "/webhooks/dialogflow", es("what is angioplasty?", "r9", session="S9"), headers)
    assert res.status_code == 401
    assert df.store.load("dialogflow:p1:S9") is None


def test_repeated_response_id_is_not_answered_twice(df):
    first = post(df.client, "/webhooks/dialogflow", es("what is angioplasty?", "r5", "S5"), {"Authorization": BASIC})
    again = post(df.client, "/webhooks/dialogflow", es("what is angioplasty?", "r5", "S5"), {"Authorization": BASIC})
    assert "fulfillmentText" in first.get_json() and again.get_json() == {}
