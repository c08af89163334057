"""Request verifiers for every platform, all constant-time.

Each function takes the raw bytes exactly as received: a signature is over those
bytes, and re-serialising JSON (key order, whitespace, ``\\uXXXX`` escapes) would
change them. The test suite reproduces every vector of the platform spec, §10.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from typing import Iterable
from urllib.parse import parse_qsl, urlsplit, urlunsplit

#: Slack's replay window (slack_sdk SignatureVerifier): five minutes either way.
SLACK_WINDOW = 300


def _eq(a: str, b: str) -> bool:
    """Constant-time comparison of two strings (as UTF-8 bytes)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def telegram_ok(header: str | None, secret: str) -> bool:
    """Telegram has no HMAC: the secret token set with setWebhook comes back verbatim."""
    return bool(secret) and header is not None and _eq(header, secret)


def meta_signature(raw: bytes, app_secret: str) -> str:
    """``X-Hub-Signature-256`` value for a body (WhatsApp Cloud API and Messenger)."""
    return "sha256=" + hmac.new(app_secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()


def meta_ok(raw: bytes, header: str | None, app_secret: str) -> bool:
    """Check ``X-Hub-Signature-256: sha256=<hex>`` over the raw body."""
    if not app_secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), raw, hashlib.sha256).hexdigest()
    return _eq(header[7:].strip().lower(), expected)


def slack_signature(raw: bytes, timestamp: str, secret: str) -> str:
    """``X-Slack-Signature`` value: HMAC-SHA256 over ``v0:<timestamp>:<body>``."""
    base = b"v0:" + timestamp.encode("ascii") + b":" + raw
    return "v0=" + hmac.new(secret.encode("utf-8"), base, hashlib.sha256).hexdigest()


def slack_ok(
    raw: bytes,
    timestamp: str | None,
    signature: str | None,
    secret: str,
    *,
    now: float | None = None,
    window: int = SLACK_WINDOW,
) -> bool:
    """Check the Slack signature and reject requests outside the replay window."""
    if not secret or not timestamp or not signature or not timestamp.isdigit():
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > window:
        return False
    return _eq(signature, slack_signature(raw, timestamp, secret))


def line_ok(raw: bytes, signature: str | None, secret: str) -> bool:
    """LINE ``x-line-signature``: Base64(HMAC-SHA256(channel secret, body))."""
    if not secret or signature is None:
        return False
    mac = base64.b64encode(hmac.new(secret.encode("utf-8"), raw, hashlib.sha256).digest()).decode()
    return _eq(signature, mac)


def twilio_signature(url: str, params: Iterable[tuple[str, str]], token: str) -> str:
    """``X-Twilio-Signature``: the URL, then each name+value with names sorted bytewise.

    A repeated name contributes each of its values, sorted; values are the decoded
    form values (Twilio signs ``Hello & welcome``, not ``Hello+%26+welcome``).
    """
    pairs = list(params)
    data = url
    for name in sorted({n for n, _ in pairs}):
        for value in sorted({v for n, v in pairs if n == name}):
            data += name + value
    digest = hmac.new(token.encode("utf-8"), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def _url_variants(url: str) -> list[str]:
    """The URL as given, without its port and with the scheme's default port.

    Twilio keeps an explicit port for some callbacks and not for others, so a
    validator (as twilio-python's) accepts the signature made either way.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    userinfo = ""
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "") + "@"
    default_port = {"https": 443, "http": 80}.get(parts.scheme)
    bare = urlunsplit((parts.scheme, userinfo + host, parts.path, parts.query, parts.fragment))
    variants = [url, bare]
    if default_port is not None:
        variants.append(
            urlunsplit((parts.scheme, f"{userinfo}{host}:{default_port}", parts.path, parts.query, parts.fragment))
        )
    return list(dict.fromkeys(variants))


def twilio_ok(url: str, params: Iterable[tuple[str, str]], signature: str | None, token: str,
              body: bytes | None = None) -> bool:
    """Check ``X-Twilio-Signature``, tolerant of the default/explicit port.

    For JSON-body callbacks the URL carries ``bodySHA256``; then the URL alone is
    signed and the body must hash to that value.
    """
    if not token or not signature:
        return False
    pairs = list(params)
    query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    if "bodySHA256" in query:
        if body is None or not _eq(query["bodySHA256"], hashlib.sha256(body).hexdigest()):
            return False
        pairs = []
    matched = False
    for candidate in _url_variants(url):
        # Evaluate every variant so timing does not reveal which one matched.
        matched |= _eq(signature, twilio_signature(candidate, pairs, token))
    return matched


def basic_auth_header(user: str, password: str) -> str:
    """``Authorization`` value for HTTP Basic (Dialogflow ES login fields)."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


def basic_auth_ok(header: str | None, user: str, password: str) -> bool:
    """Compare a Basic ``Authorization`` header with the configured login."""
    if not header or not header[:6].lower() == "basic ":
        return False
    try:
        given = base64.b64decode(header[6:].strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(given, f"{user}:{password}".encode("utf-8"))


def secret_ok(given: str | None, expected: str) -> bool:
    """A shared secret sent in a header (Dialogflow CX ``request_headers``)."""
    return bool(expected) and given is not None and _eq(given, expected)
