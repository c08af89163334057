"""Twilio SMS and WhatsApp-via-Twilio: signature over the public URL, TwiML replies."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from bot.channels.config import ChannelSettings, TwilioConfig
from bot.channels.signatures import twilio_signature
from tests.channels.conftest import HOW_DONE, SOURCE_URL, WHAT_IS
from tests.channels.test_signatures import TWILIO_SMS, TWILIO_TOKEN, TWILIO_URL


@pytest.fixture
def tw(make_app):
    return make_app(ChannelSettings(twilio=TwilioConfig(TWILIO_TOKEN, TWILIO_URL)))


def sms(text: str, sid: str, sender: str = "+15551234567") -> list[tuple[str, str]]:
    return [("MessageSid", sid), ("AccountSid", "AC1"), ("From", sender), ("To", "+15005550006"),
            ("Body", text), ("NumMedia", "0")]


def post(client, params, token=TWILIO_TOKEN, signature=None):
    sig = signature or twilio_signature(TWILIO_URL, params, token)
    return client.post("/webhooks/twilio", data=urlencode(params), headers={"X-Twilio-Signature": sig},
                       content_type="application/x-www-form-urlencoded")


def messages(res) -> list[str]:
    assert res.status_code == 200 and res.mimetype == "text/xml"
    root = ET.fromstring(res.data)  # well-formed XML, or this raises
    assert root.tag == "Response"
    return [m.text or "" for m in root.findall("Message")]


def test_spec_inbound_vector_is_answered(tw):
    raw = ("ToCountry=US&SmsMessageSid=SM00000000000000000000000000000001&NumMedia=0&SmsSid=SM00000000000000000000000000000001"
           "&SmsStatus=received&Body=Hello+%26+welcome&To=%2B15005550006&NumSegments=1"
           "&MessageSid=SM00000000000000000000000000000001&AccountSid=AC00000000000000000000000000000001"
           "&From=%2B15551234567&ApiVersion=2010-04-01")
    res = tw.client.post("/webhooks/twilio", data=raw, content_type="application/x-www-form-urlencoded",
                         headers={"X-Twilio-Signature": "fVwXA03kof+4KGXBfVOqshNvVDo="})
    assert messages(res)  # a real reply (a greeting or fallback), in TwiML
    assert twilio_signature(TWILIO_URL, TWILIO_SMS, TWILIO_TOKEN) == "fVwXA03kof+4KGXBfVOqshNvVDo="


def test_what_is_answer_with_numbered_links_and_two_turns(tw):
    texts = messages(post(tw.client, sms("what is angioplasty?", "SM1")))
    joined = "\n".join(texts)
    assert WHAT_IS[:50] in joined
    assert f"[1] Stents: What to Expect <During> & After (National Heart, Lung, and Blood Institute): {SOURCE_URL}" in joined
    assert all(len(t) <= 1600 for t in texts)
    follow = "\n".join(messages(post(tw.client, sms("how is it done?", "SM2"))))
    assert HOW_DONE[:50] in follow


def test_twiml_escapes_markup(tw):
    res = post(tw.client, sms("what is <angioplasty> & </Message>?", "SM3"))
    assert b"<During>" not in res.data and b"&lt;During&gt; &amp; After" in res.data
    assert messages(res)


@pytest.mark.parametrize("case", ["tampered", "wrong_token", "missing"])
def test_bad_signature_is_refused(tw, case):
    params = sms("what is angioplasty?", "SM4")
    if case == "tampered":
        sig = twilio_signature(TWILIO_URL, params, TWILIO_TOKEN)
        res = post(tw.client, params[:-1] + [("NumMedia", "1")], signature=sig)
    elif case == "wrong_token":
        res = post(tw.client, params, token="other-token")
    else:
        res = tw.client.post("/webhooks/twilio", data=urlencode(params), content_type="application/x-www-form-urlencoded")
    assert res.status_code == 403
    assert tw.store.load("twilio:+15551234567") is None


def test_duplicate_message_sid_gets_an_empty_response(tw):
    assert messages(post(tw.client, sms("what is angioplasty?", "SM5")))
    assert messages(post(tw.client, sms("what is angioplasty?", "SM5"))) == []


def test_whatsapp_via_twilio_vector_and_button_payload(tw):
    params = [("MessageSid", "SM00000000000000000000000000000002"), ("AccountSid", "AC00000000000000000000000000000001"),
              ("From", "whatsapp:+15551234567"), ("To", "whatsapp:+14155238886"), ("Body", "hi"),
              ("NumMedia", "0"), ("ProfileName", "Ana"), ("WaId", "15551234567")]
    res = post(tw.client, params, signature="TS8FhQumrFL+SUtB712D5u0H6B4=")
    assert messages(res)
    tap = sms("How is it done?", "SM6", sender="whatsapp:+15550000000") + [("ButtonPayload", "ask:how_done:angioplasty")]
    assert HOW_DONE[:50] in "\n".join(messages(post(tw.client, tap)))


def test_request_url_is_used_without_public_url(make_app):
    h = make_app(ChannelSettings(twilio=TwilioConfig(TWILIO_TOKEN)))
    params = sms("what is angioplasty?", "SM7")
    sig = twilio_signature("http://localhost/webhooks/twilio", params, TWILIO_TOKEN)
    res = h.client.post("/webhooks/twilio", data=urlencode(params), headers={"X-Twilio-Signature": sig},
                        content_type="application/x-www-form-urlencoded")
    assert WHAT_IS[:50] in "\n".join(messages(res))


def test_a_phone_without_buttons_answers_a_numbered_follow_up(tw):
    first = "\n".join(messages(post(tw.client, sms("what is angioplasty?", "SM30", sender="+15550000030"))))
    offered = first.split("Reply with a number:\n", 1)[1].splitlines()
    how_done = next(line for line in offered if line.endswith("How is it done?"))
    number = how_done.split(".", 1)[0]
    picked = "\n".join(messages(post(tw.client, sms(f" {number} ", "SM31", sender="+15550000030"))))
    assert HOW_DONE[:50] in picked
    out_of_range = "\n".join(messages(post(tw.client, sms("9", "SM32", sender="+15550000030"))))
    assert HOW_DONE[:50] not in out_of_range and WHAT_IS[:50] not in out_of_range  # not an option: read as text
