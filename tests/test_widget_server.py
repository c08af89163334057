"""The widget's server side: serving widget.js and the demo page, security headers, CORS."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.server.app import create_app
from bot.server.security import CorsPolicy
from bot.server.widget import WEB_DIR, style_hashes
from bot.settings import Settings

ALLOWED = "https://clinic.example.org"
MAX_WIDGET_GZIP_BYTES = 20 * 1024


def make_app(content_root: Path, origins: tuple[str, ...] = (ALLOWED,)) -> Flask:
    return create_app(Settings(content_root=str(content_root), store_url="memory://", cors_origins=origins))


@pytest.fixture
def client(content_root: Path) -> FlaskClient:
    return make_app(content_root).test_client()


def chat(client: FlaskClient, origin: str | None = None, **body: object):
    headers = {"Origin": origin} if origin else {}
    return client.post("/api/chat", json={"session_id": "w1", "text": "what is angioplasty", **body}, headers=headers)


# ---- serving ----

def test_widget_js_is_served_as_javascript_with_revalidation(client: FlaskClient) -> None:
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.data == (WEB_DIR / "widget.js").read_bytes()
    assert "max-age=" in response.headers["Cache-Control"]
    etag = response.headers["ETag"]
    again = client.get("/widget.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""


def test_widget_js_is_loadable_from_other_sites(client: FlaskClient) -> None:
    response = client.get("/widget.js", headers={"Origin": "https://anyone.example"})
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_widget_js_gzipped_is_at_most_20_kb() -> None:
    size = len(gzip.compress((WEB_DIR / "widget.js").read_bytes(), compresslevel=9))
    assert size <= MAX_WIDGET_GZIP_BYTES, f"widget.js is {size} bytes gzipped; the budget is {MAX_WIDGET_GZIP_BYTES}"


def test_widget_js_never_interprets_markup() -> None:
    """The promise 'text is rendered as text' rests on never using these sinks."""
    source = (WEB_DIR / "widget.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source, sink


def test_demo_page_embeds_the_widget_under_a_strict_csp(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert re.search(r'<script src="/widget.js"[^>]*defer', html)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    hashes = style_hashes(html)
    assert hashes and all(h in csp for h in hashes)


# ---- security headers on every response ----

@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", "/widget.js"), ("POST", "/api/chat"), ("GET", "/healthz"),
    ("GET", "/no/such/page"), ("PUT", "/api/chat"),
])
def test_security_headers_on_every_response(client: FlaskClient, method: str, path: str) -> None:
    kwargs = {"json": {"session_id": "h1", "text": "hello"}} if method == "POST" else {}
    response = client.open(path, method=method, **kwargs)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Resource-Policy"] in ("same-origin", "cross-origin")
    assert "Strict-Transport-Security" not in headers  # plain http: HSTS would be ignored


def test_json_responses_load_nothing_and_are_not_cached(client: FlaskClient) -> None:
    response = chat(client)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_hsts_over_https(client: FlaskClient) -> None:
    response = client.get("/healthz", base_url="https://bot.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


# ---- CORS ----

def test_cors_allows_a_listed_origin(client: FlaskClient) -> None:
    response = chat(client, ALLOWED)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_ignores_an_unlisted_origin(client: FlaskClient) -> None:
    response = chat(client, "https://evil.example")
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_origin_comparison_ignores_case_and_trailing_slash(content_root: Path) -> None:
    client = make_app(content_root, ("HTTPS://Clinic.Example.org/",)).test_client()
    assert chat(client, ALLOWED).headers["Access-Control-Allow-Origin"] == ALLOWED


def test_preflight_from_a_listed_origin(client: FlaskClient) -> None:
    response = client.options("/api/chat", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_preflight_from_an_unlisted_origin_gets_no_grant(client: FlaskClient) -> None:
    response = client.options("/api/chat", headers={"Origin": "https://evil.example",
                                                    "Access-Control-Request-Method": "POST"})
    assert response.status_code == 204
    assert not [k for k in response.headers.keys() if k.lower().startswith("access-control-")]


def test_no_cors_without_configuration(content_root: Path) -> None:
    client = make_app(content_root, ()).test_client()
    assert "Access-Control-Allow-Origin" not in chat(client, ALLOWED).headers


def test_wildcard_is_never_combined_with_credentials(content_root: Path) -> None:
    client = make_app(content_root, ("*",)).test_client()
    response = chat(client, "https://any.example")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


@pytest.mark.parametrize("path", ["/healthz", "/", "/admin/status", "/admin/anything"])
def test_only_the_chat_endpoint_gets_cors(client: FlaskClient, path: str) -> None:
    for method in ("GET", "OPTIONS"):
        response = client.open(path, method=method, headers={
            "Origin": ALLOWED, "Access-Control-Request-Method": "GET"})
        assert "Access-Control-Allow-Origin" not in response.headers, (method, path)
        assert response.status_code < 500


def test_cors_policy_rejects_opaque_and_missing_origins() -> None:
    policy = CorsPolicy((ALLOWED, ""))
    assert policy.allowed(ALLOWED)
    assert not policy.allowed(None)
    assert not policy.allowed("null")
    assert not policy.allowed("https://clinic.example.org.evil.example")


def test_bad_chat_input_is_still_a_json_4xx_with_cors(client: FlaskClient) -> None:
    response = client.post("/api/chat", data="not json", content_type="application/json",
                           headers={"Origin": ALLOWED})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"
    # The widget must be able to read the error message to show it.
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
