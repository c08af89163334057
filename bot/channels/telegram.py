"""Telegram Bot API webhook: secret-token header, HTML replies, inline keyboards.

With a bot token the reply goes out through ``sendMessage`` (every chunk, the
keyboard on the last) and a tapped button is acknowledged with
``answerCallbackQuery``. Without one, the single reply rides in the webhook
response body, Telegram's "method in the response" option.
"""

from __future__ import annotations

from typing import Any

from bot.channels import render
from bot.channels.base import DAY, Channel, Inbound, Outcome, Turn, Unauthorized
from bot.channels.config import TelegramConfig
from bot.channels.sender import Outbound, named_check
from bot.channels.signatures import telegram_ok
from bot.core.models import Reply

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@named_check
def _telegram_check(data: object) -> str | None:
    if isinstance(data, dict) and data.get("ok") is False:
        return str(data.get("error_code") or "not_ok")
    return None


def keyboard(reply: Reply) -> dict[str, Any] | None:
    """Follow-ups as an inline keyboard, one button per row; callback_data is ≤ 64 bytes."""
    rows = [
        [{"text": q.title, "callback_data": q.payload}]
        for q in reply.quick_replies
        if 0 < len(q.payload.encode("utf-8")) <= 64
    ]
    return {"inline_keyboard": rows} if rows else None


def messages(chat_id: int | str, reply: Reply, *, limit: int = render.TELEGRAM_LIMIT) -> list[dict[str, Any]]:
    """``sendMessage`` parameters for each chunk of the reply."""
    chunks = render.telegram_html(reply, limit)
    out: list[dict[str, Any]] = []
    for i, text in enumerate(chunks):
        params: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}
        if i == len(chunks) - 1 and (markup := keyboard(reply)):
            params["reply_markup"] = markup
        params["link_preview_options"] = {"is_disabled": True}
        out.append(params)
    return out


def webhook_reply(chat_id: int | str, text: str) -> dict[str, Any]:
    """The webhook-response form of ``sendMessage`` (spec §10.5)."""
    return {"method": "sendMessage", "chat_id": chat_id, "text": text, "parse_mode": "HTML"}


class TelegramChannel(Channel):
    name = "telegram"
    dedupe_ttl = 2 * DAY  # updates are kept at most 24 h

    def __init__(self, config: TelegramConfig, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = config

    def _api(self, method: str, params: dict[str, Any]) -> Outbound:
        url = f"{self.config.api_base.rstrip('/')}/bot{self.config.bot_token}/{method}"
        return Outbound("telegram", url, params, action=method, check=_telegram_check)

    def handle(self, request: Inbound) -> Outcome:
        if not telegram_ok(request.headers.get(SECRET_HEADER), self.config.secret_token):
            raise Unauthorized(403, "The Telegram secret token is missing or wrong.")
        update = request.json()
        if not isinstance(update, dict) or "update_id" not in update:
            return Outcome(200, {})
        update_id = str(update["update_id"])
        if isinstance(update.get("callback_query"), dict):
            return self._callback(update_id, update["callback_query"])
        message = update.get("message")
        if not isinstance(message, dict):
            return Outcome(200, {})  # edits, channel posts, member updates: acknowledged, ignored
        chat = message.get("chat") or {}
        sender = message.get("from") or {}
        text = message.get("text")
        if not isinstance(text, str) or sender.get("is_bot") or "id" not in chat:
            return Outcome(200, {})
        reply = self.answer(Turn(self.name, str(chat["id"]), text, update_id))
        return self._respond(chat["id"], reply)

    def _callback(self, update_id: str, query: dict[str, Any]) -> Outcome:
        data = query.get("data")
        chat_id = ((query.get("message") or {}).get("chat") or {}).get("id")
        if self.config.bot_token and query.get("id"):
            self.send([self._api("answerCallbackQuery", {"callback_query_id": query["id"]})])
        if not isinstance(data, str) or chat_id is None:
            return Outcome(200, {})
        title = next((b.get("text") for row in (((query.get("message") or {}).get("reply_markup") or {})
                                                .get("inline_keyboard") or []) for b in row
                      if isinstance(b, dict) and b.get("callback_data") == data), None)
        reply = self.answer(Turn(self.name, str(chat_id), title or data, update_id, payload=data))
        return self._respond(chat_id, reply)

    def _respond(self, chat_id: Any, reply: Reply | None) -> Outcome:
        if reply is None:
            return Outcome(200, {})
        params = messages(chat_id, reply)
        if self.config.bot_token:
            self.send([self._api("sendMessage", p) for p in params])
            return Outcome(200, {})
        # One method per response: the first chunk (the answer comes first), with the keyboard.
        body = webhook_reply(chat_id, params[0]["text"])
        body.update({k: v for k, v in params[0].items() if k not in body})
        if len(params) > 1 and (markup := keyboard(reply)):
            body["reply_markup"] = markup
        return Outcome(200, body)
