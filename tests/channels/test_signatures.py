"""Every vector of the platform spec §10, through the verifiers the webhooks use."""

from __future__ import annotations

import hashlib

import pytest

from bot.channels import signatures as sig

SLACK_SECRET_A = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_BODY_A = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
    b"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
    b"&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
    b"&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
)
SLACK_SECRET = "slack-test-signing-secret-0001"
SLACK_EVENT = (
    b'{"token":"x","team_id":"T0001","api_app_id":"A0001","event":{"type":"message","channel":"D0001",'
    b'"user":"U0001","text":"hello bot","ts":"1700000000.000100","channel_type":"im"},"type":"event_callback",'
    b'"event_id":"Ev0001","event_time":1700000000}'
)
SLACK_CHALLENGE = (
    b'{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}'
)
META_SECRET = "meta-test-app-secret-0123456789ab"
WHATSAPP_BODY = (
    b'{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":'
    b'{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":'
    b'"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":'
    b'[{"from":"16505551234","id":"wamid.TEST0001","timestamp":"1749416383","type":"text","text":{"body":'
    b'"Does it come in another color?"}}]},"field":"messages"}]}]}'
)
MESSENGER_BODY = (
    b'{"object":"page","entry":[{"id":"PAGE_ID_1","time":1458692752478,"messaging":[{"sender":{"id":"PSID_1"},'
    b'"recipient":{"id":"PAGE_ID_1"},"timestamp":1458692752478,"message":{"mid":"mid.TEST0001",'
    b'"text":"hello, world!"}}]}]}'
)
TWILIO_TOKEN = "twilio-test-auth-token-0000000000"
TWILIO_URL = "https://bot.example.com/webhooks/twilio"
TWILIO_SMS = [
    ("ToCountry", "US"), ("SmsMessageSid", "SM00000000000000000000000000000001"), ("NumMedia", "0"),
    ("SmsSid", "SM00000000000000000000000000000001"), ("SmsStatus", "received"), ("Body", "Hello & welcome"),
    ("To", "+15005550006"), ("NumSegments", "1"), ("MessageSid", "SM00000000000000000000000000000001"),
    ("AccountSid", "AC00000000000000000000000000000001"), ("From", "+15551234567"), ("ApiVersion", "2010-04-01"),
]
TWILIO_DOC_PARAMS = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"),
                     ("From", "+14158675309"), ("To", "+18005551212")]


def test_slack_published_vector_and_stale_window():
    ts = "1531420618"
    expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    assert sig.slack_signature(SLACK_BODY_A, ts, SLACK_SECRET_A) == expected
    assert sig.slack_ok(SLACK_BODY_A, ts, expected, SLACK_SECRET_A, now=1531420618)
    assert not sig.slack_ok(SLACK_BODY_A, ts, expected, SLACK_SECRET_A, now=1531420618 + 301)
    assert not sig.slack_ok(SLACK_BODY_A, ts, expected, SLACK_SECRET_A, now=1531420618 - 301)


@pytest.mark.parametrize("body, expected", [
    (SLACK_EVENT, "v0=5bda77b3f693dd055ef83ce13a9b18ee9594518b05d0d1bcc744c51838365da4"),
    (SLACK_CHALLENGE, "v0=b2613780c13d6c59c6c7cb009460a7845cffeff7e1d303fbb79948c5d06e045e"),
])
def test_slack_event_vectors(body, expected):
    assert len(SLACK_EVENT) == 244
    assert sig.slack_signature(body, "1700000000", SLACK_SECRET) == expected
    assert sig.slack_ok(body, "1700000000", expected, SLACK_SECRET, now=1700000000)
    assert not sig.slack_ok(body + b" ", "1700000000", expected, SLACK_SECRET, now=1700000000)
    assert not sig.slack_ok(body, "1700000000", expected, "other-secret", now=1700000000)
    assert not sig.slack_ok(body, "17000000x0", expected, SLACK_SECRET, now=1700000000)
    assert not sig.slack_ok(body, None, expected, SLACK_SECRET, now=1700000000)


def test_meta_github_sanity_vector():
    assert sig.meta_signature(b"Hello, World!", "It's a Secret to Everybody") == (
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")


@pytest.mark.parametrize("body, expected, size", [
    (WHATSAPP_BODY, "sha256=8ea10a37d12ee738e2b2b83ed585a05836403b81234afbe8014c94ab8e8c0bd5", 451),
    (MESSENGER_BODY, "sha256=e83880266c2c63f25c32388bd8d533d59b581e33f44e7d137df99a86ac0db75d", 221),
    (b'{"text":{"body":"caf\\u00e9"}}', "sha256=a063c0d2f90814409eb53cec432a551f05aafdd55f4e3495161add431005b5ff", 29),
])
def test_meta_vectors(body, expected, size):
    assert len(body) == size
    assert sig.meta_ok(body, expected, META_SECRET)
    assert sig.meta_ok(body, expected.upper().replace("SHA256=", "sha256="), META_SECRET)
    assert not sig.meta_ok(body.replace(b"}", b" }", 1), expected, META_SECRET)
    assert not sig.meta_ok(body, expected, "wrong-secret")
    assert not sig.meta_ok(body, expected[7:], META_SECRET)  # no "sha256=" prefix
    assert not sig.meta_ok(body, None, META_SECRET)


def test_meta_rejects_reserialised_unicode():
    wrong = "sha256=496cedfae2b97d47907a4f7ce3722c9dddbd7305a716452168f4157898a55d8f"
    assert sig.meta_ok('{"text":{"body":"café"}}'.encode(), wrong, META_SECRET)
    assert not sig.meta_ok(b'{"text":{"body":"caf\\u00e9"}}', wrong, META_SECRET)


def test_twilio_documentation_vector():
    params = [("Digits", "1234"), ("To", "+18005551212"), ("From", "+14158675310"),
              ("Caller", "+14158675310"), ("CallSid", "CA1234567890ABCDE")]
    url = "https://example.com/myapp.php?foo=1&bar=2"
    assert sig.twilio_signature(url, params, "12345") == "L/OH5YylLD5NRKLltdqwSvS0BnU="
    assert sig.twilio_ok(url, params, "L/OH5YylLD5NRKLltdqwSvS0BnU=", "12345")


def test_twilio_port_tolerance():
    plain = "https://mycompany.com/myapp.php?foo=1&bar=2"
    with_port = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
    assert sig.twilio_signature(plain, TWILIO_DOC_PARAMS, "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert sig.twilio_signature(with_port, TWILIO_DOC_PARAMS, "12345") == "kvajT1Ptam85bY51eRf/AJRuM3w="
    for signature in ("RSOYDt4T1cUTdK1PDd93/VVr8B8=", "kvajT1Ptam85bY51eRf/AJRuM3w="):
        assert sig.twilio_ok(plain, TWILIO_DOC_PARAMS, signature, "12345")
    assert sig.twilio_ok("https://mycompany.com:1234/myapp.php?foo=1&bar=2", TWILIO_DOC_PARAMS,
                         "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345")
    assert not sig.twilio_ok(plain, TWILIO_DOC_PARAMS, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "54321")


def test_twilio_repeated_params_and_json_body():
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
    assert sig.twilio_signature(url, params, "12345") == "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    body = b'{"property": "value", "boolean": true}'
    digest = hashlib.sha256(body).hexdigest()
    assert digest == "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    signed = f"{url}&bodySHA256={digest}"
    assert sig.twilio_ok(signed, [], "a9nBmqA0ju/hNViExpshrM61xv4=", "12345", body)
    assert not sig.twilio_ok(signed, [], "a9nBmqA0ju/hNViExpshrM61xv4=", "12345", body + b" ")
    assert hashlib.sha256(b'{"CallSid":"CA1234567890ABCDE","Caller":"+12349013030"}').hexdigest() == (
        "5ccde7145dfb8f56479710896586cb9d5911809d83afbe34627818790db0aec9")


def test_twilio_inbound_vectors():
    assert sig.twilio_signature(TWILIO_URL, TWILIO_SMS, TWILIO_TOKEN) == "fVwXA03kof+4KGXBfVOqshNvVDo="
    whatsapp = [("MessageSid", "SM00000000000000000000000000000002"), ("AccountSid", "AC00000000000000000000000000000001"),
                ("From", "whatsapp:+15551234567"), ("To", "whatsapp:+14155238886"), ("Body", "hi"),
                ("NumMedia", "0"), ("ProfileName", "Ana"), ("WaId", "15551234567")]
    assert sig.twilio_signature(TWILIO_URL, whatsapp, TWILIO_TOKEN) == "TS8FhQumrFL+SUtB712D5u0H6B4="
    unicode = [("Body", "¡Hola! café"), ("From", "+15551234567"), ("MessageSid", "SM00000000000000000000000000000003")]
    assert sig.twilio_signature(TWILIO_URL, unicode, TWILIO_TOKEN) == "MZpd7iFlnZUgrsjBSduut/KoSRE="
    assert not sig.twilio_ok(TWILIO_URL, TWILIO_SMS[:-1], "fVwXA03kof+4KGXBfVOqshNvVDo=", TWILIO_TOKEN)


def test_line_vectors():
    assert sig.line_ok(b"bodybodybodybody", "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k=", "channel_secret")
    secret = "line-test-channel-secret-00000000"
    verify = b'{"destination":"U00000000000000000000000000000000","events":[]}'
    assert sig.line_ok(verify, "dODDOdHD47KjlqOyGDX05NmLV7Cy8fA9Kiax2LaX894=", secret)
    text = ('{"destination":"U00000000000000000000000000000000","events":[{"type":"message","message":{"type":"text",'
            '"id":"468789577898262530","quoteToken":"q3Plxr4AgKd","text":"こんにちは"},"webhookEventId":'
            '"01H810YECXQQZ37VAXPF6H9E6T","deliveryContext":{"isRedelivery":false},"timestamp":1692251666727,'
            '"source":{"type":"user","userId":"U4af4980629000000000000000000000"},"replyToken":'
            '"38ef843bde154d9b91c21320ffd17a0f","mode":"active"}]}').encode()
    assert len(text) == 431
    assert sig.line_ok(text, "WruLYBuzfICRqPSUTa9uJu+IL/5MWPJ/1/uz1D/FLXY=", secret)
    assert not sig.line_ok(text, None, secret)


def test_telegram_secret_vector():
    assert sig.telegram_ok("abc_DEF-123", "abc_DEF-123")
    for header in (None, "abc_def-123", "abc_DEF-123 ", ""):
        assert not sig.telegram_ok(header, "abc_DEF-123")
    assert not sig.telegram_ok("", "")  # an empty configured secret never matches


def test_dialogflow_basic_auth_vector():
    assert sig.basic_auth_header("df-user", "df-pass") == "Basic ZGYtdXNlcjpkZi1wYXNz"
    assert sig.basic_auth_ok("Basic ZGYtdXNlcjpkZi1wYXNz", "df-user", "df-pass")
    assert sig.basic_auth_ok("basic ZGYtdXNlcjpkZi1wYXNz", "df-user", "df-pass")
    assert not sig.basic_auth_ok("Basic ZGYtdXNlcjpkZi1wYXNt", "df-user", "df-pass")
    assert not sig.basic_auth_ok("Basic not base64!", "df-user", "df-pass")
    assert not sig.basic_auth_ok("Bearer ZGYtdXNlcjpkZi1wYXNz", "df-user", "df-pass")
