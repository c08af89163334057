"""``POST /api/chat``: the web widget's endpoint."""

from __future__ import annotations

import json
import re
import uuid

from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from bot.core.models import Message
from bot.server.errors import ApiError

bp = Blueprint("chat", __name__)
SESSION_ID = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")


#: What ``json_body`` returns for a body that is not JSON.
INVALID_JSON = object()


def json_body() -> Any:
    """The request's JSON body, parsed once per request; ``INVALID_JSON`` when it is not JSON.

    The rate limiter reads the session id from it before the route runs, so
    both share this one parse.
    """
    if "healthbot_json" not in g:
        try:
            g.healthbot_json = json.loads(request.get_data(cache=True).decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            g.healthbot_json = INVALID_JSON
    return g.healthbot_json


def parse_chat_request(data: Any, content_type: str | None, max_chars: int) -> tuple[str, str, str | None]:
    """Validate the decoded JSON body; return (session_id, text, payload). Raises ApiError."""
    if not content_type or "json" not in content_type.lower():
        raise ApiError(415, "unsupported_media_type", "Send JSON with Content-Type: application/json.")
    if data is INVALID_JSON:
        raise ApiError(400, "invalid_json", "The body is not valid JSON.")
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_body", "The body must be a JSON object with 'text' and 'session_id'.")
    text = data.get("text")
    payload = data.get("payload")
    session_id = data.get("session_id")
    if payload is not None and not isinstance(payload, str):
        raise ApiError(400, "invalid_payload", "'payload' must be a string.")
    if text is None and payload:
        text = payload
    if not isinstance(text, str):
        raise ApiError(400, "invalid_text", "'text' is required and must be a string.")
    if not text.strip():
        raise ApiError(400, "empty_text", "'text' is empty; type a question.")
    if len(text) > max_chars:
        raise ApiError(400, "text_too_long", f"'text' is longer than {max_chars} characters; please shorten it.")
    if payload is not None and len(payload) > 200:
        raise ApiError(400, "invalid_payload", "'payload' is too long.")
    if session_id is None:
        session_id = uuid.uuid4().hex
    if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
        raise ApiError(400, "invalid_session_id", "'session_id' must be 1-128 letters, digits, '-', '_', '.' or ':'.")
    return session_id, text, payload


@bp.post("/api/chat")
def chat():
    runtime = current_app.extensions["healthbot"]
    session_id, text, payload = parse_chat_request(json_body(), request.content_type, runtime.settings.max_text_chars)
    locale = request.headers.get("X-Healthbot-Locale") or None
    reply = runtime.engine.handle(Message(session_id=f"web:{session_id}", text=text, payload=payload, locale=locale))
    body = reply.to_dict()
    body["session_id"] = session_id
    return jsonify(body)
