"""``/webhooks/<platform>``: messaging platforms call the bot here.

This module only translates HTTP: the Flask request becomes an
:class:`~bot.channels.base.Inbound` (raw bytes first), the adapter verifies and
answers, and its :class:`~bot.channels.base.Outcome` becomes the response. A
channel without its secrets configured answers 404; a bad signature 401/403,
logged by platform and status only, never with the body.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from bot.channels.base import BadRequest, Channel, Headers, Inbound, Outcome, Unauthorized
from bot.channels.config import ChannelSettings
from bot.channels.dialogflow import DialogflowChannel
from bot.channels.messenger import MessengerChannel
from bot.channels.outbox import open_outbox
from bot.channels.sender import Sender
from bot.channels.slack import SlackChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.twilio import TwilioChannel
from bot.channels.whatsapp import WhatsAppChannel
from bot.server.errors import ApiError
from bot.server.ops import over_limit

log = logging.getLogger("healthbot.webhooks")
bp = Blueprint("webhooks", __name__)

#: Meta batches can be large (payloads up to 3 MB); other platforms send small bodies.
BODY_LIMITS = {"whatsapp": 3 * 1024 * 1024, "messenger": 1024 * 1024}
DEFAULT_BODY_LIMIT = 256 * 1024
#: URL name -> (adapter name, extra handle() arguments)
ROUTES: dict[str, tuple[str, dict[str, str]]] = {
    "telegram": ("telegram", {}),
    "whatsapp": ("whatsapp", {}),
    "messenger": ("messenger", {}),
    "twilio": ("twilio", {}),
    "slack": ("slack", {}),
    "dialogflow": ("dialogflow", {"flavor": "es"}),
    "dialogflow-cx": ("dialogflow", {"flavor": "cx"}),
}
#: Which platforms call with GET (Meta's subscription handshake; Twilio when configured so).
GET_ALLOWED = {"whatsapp", "messenger", "twilio"}


@dataclass
class Webhooks:
    settings: ChannelSettings
    sender: Sender
    adapters: dict[str, Channel]


def build_adapters(settings: ChannelSettings, runtime: Any, sender: Sender) -> dict[str, Channel]:
    """One adapter per enabled channel, sharing the engine, the store and the sender."""
    classes = {"telegram": TelegramChannel, "whatsapp": WhatsAppChannel, "messenger": MessengerChannel,
               "twilio": TwilioChannel, "slack": SlackChannel, "dialogflow": DialogflowChannel}
    limit = runtime.settings.rate_limit_per_minute

    def limiter(who: str) -> int | None:
        wait = over_limit(runtime, "user", who, limit)
        metrics = current_app.extensions.get("healthbot.metrics") if wait is not None else None
        if metrics is not None:
            metrics.rate_limited.labels("user").inc()
        return wait

    kwargs = {"max_text_chars": runtime.settings.max_text_chars, "clock": settings.clock, "limiter": limiter}
    return {name: cls(getattr(settings, name), runtime.engine, runtime.store, sender, **kwargs)
            for name, cls in classes.items() if getattr(settings, name) is not None}


def init_app(app: Flask, runtime: Any) -> None:
    """Register the routes; channel settings come from the runtime (tests) or the environment."""
    settings = getattr(runtime, "channels", None) or ChannelSettings.from_env()
    sender = getattr(runtime, "sender", None)
    if sender is None:
        # Replies to platforms are written down first (in the session store), so a killed worker loses none.
        outbox = open_outbox(runtime.settings.sessions_url) if settings.enabled() else None
        sender = Sender(outbox=outbox, secrets=settings.secrets())
        if outbox is not None:
            sender.start()  # sends what a stopped worker left, without waiting for new traffic
    app.extensions["healthbot.webhooks"] = Webhooks(settings, sender, build_adapters(settings, runtime, sender))
    app.register_blueprint(bp)
    if settings.enabled():
        log.info("webhooks enabled: %s", ", ".join(settings.enabled()))


def _inbound(name: str) -> Inbound:
    request.max_content_length = BODY_LIMITS.get(name, DEFAULT_BODY_LIMIT)
    raw = request.get_data(cache=True)  # the exact bytes, before any parsing
    form: list[tuple[str, str]] = []
    if request.method == "POST" and request.mimetype == "application/x-www-form-urlencoded":
        form = [(k, v) for k in request.form for v in request.form.getlist(k)]
    return Inbound(request.method, request.url, raw, Headers(list(request.headers.items())),
                   {k: request.args.get(k, "") for k in request.args}, form)


def _response(outcome: Outcome) -> Response:
    if isinstance(outcome.body, dict):
        response = jsonify(outcome.body)
    else:
        response = Response(outcome.body or b"", content_type=outcome.content_type or "text/plain; charset=utf-8")
    response.status_code = outcome.status
    response.headers.update(outcome.headers)
    return response


@bp.route("/webhooks/<platform>", methods=["GET", "POST"])
def webhook(platform: str):
    hooks: Webhooks = current_app.extensions["healthbot.webhooks"]
    route = ROUTES.get(platform)
    adapter = hooks.adapters.get(route[0]) if route else None
    if route is None or adapter is None:
        raise ApiError(404, "not_found", "This channel is not enabled.")
    if request.method == "GET" and platform not in GET_ALLOWED:
        raise ApiError(405, "method_not_allowed", "This address does not accept that method.")
    try:
        outcome = adapter.handle(_inbound(platform), **route[1])
    except Unauthorized as exc:
        log.warning("webhook %s rejected: %d", platform, exc.status)
        raise ApiError(exc.status, "unauthorized" if exc.status == 401 else "forbidden", exc.message) from None
    except BadRequest as exc:
        log.warning("webhook %s bad request: %s", platform, exc.code)
        raise ApiError(400, exc.code, exc.message) from None
    return _response(outcome)
