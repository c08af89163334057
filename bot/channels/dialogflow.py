"""Dialogflow ES and CX fulfillment: the bot answers inside the agent's webhook call.

The answer goes in the response JSON (there is no callback). The bot reads the
user's words itself, unless the agent matched an intent whose name is one of
ours and gave a ``topic`` parameter that names one of our topics; then it
answers that question directly. Dialogflow does not redeliver; a repeated response id
still gets an empty response (the agent's own fallback), never a second answer.
"""

from __future__ import annotations

from typing import Any

from bot.channels import render
from bot.channels.base import DAY, Channel, Inbound, Outcome, Turn, Unauthorized
from bot.channels.config import DialogflowConfig
from bot.channels.signatures import basic_auth_ok, secret_ok
from bot.core.models import Reply


def session_key(path: str) -> str:
    """``projects/P/agent/sessions/S`` (or ``.../environments/E/users/U/sessions/S``) -> ``P:S``."""
    parts = path.split("/")
    project = parts[1] if len(parts) > 1 and parts[0] == "projects" else "-"
    session = parts[-1] if "sessions" in parts else path
    return f"{project}:{session}"[:200]


class DialogflowChannel(Channel):
    name = "dialogflow"
    dedupe_ttl = DAY

    def __init__(self, config: DialogflowConfig, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = config

    def verify(self, request: Inbound) -> None:
        ok = False
        if self.config.auth:
            user, _, password = self.config.auth.partition(":")
            ok = basic_auth_ok(request.headers.get("Authorization"), user, password)
        if not ok and (pair := self.config.header_pair):
            ok = secret_ok(request.headers.get(pair[0]), pair[1])
        if not ok:
            raise Unauthorized(401, "The Dialogflow credentials are missing or wrong.")

    def _payload(self, intent_name: str | None, parameters: Any) -> str | None:
        """``ask:<intent>:<topic>`` when the agent's intent and topic are ours."""
        if not intent_name or not isinstance(parameters, dict):
            return None
        knowledge = self.engine.knowledge
        intent_id = intent_name.strip().lower().replace(" ", "_").removeprefix("healthbot.")
        value = parameters.get("topic")
        if isinstance(value, dict):  # CX: {"originalValue": ..., "resolvedValue": ...}
            value = value.get("resolvedValue") or value.get("originalValue")
        if intent_id not in knowledge.content.intents or not isinstance(value, str) or not value.strip():
            return None
        wanted = value.strip().lower()
        for topic in knowledge.content.topics.values():
            names = {topic.id, topic.title.lower(), *(n.lower() for n in getattr(topic, "also_called", ()) or ())}
            if wanted in names:
                return f"ask:{intent_id}:{topic.id}"
        return None

    def handle(self, request: Inbound, flavor: str = "es") -> Outcome:
        """``flavor`` is ``es`` (v2 ``queryResult``) or ``cx`` (v3 ``text``/``intentInfo``)."""
        self.verify(request)
        data = request.json()
        if not isinstance(data, dict):
            return Outcome(200, {})
        return self._cx(data) if flavor == "cx" else self._es(data)

    def _es(self, data: dict[str, Any]) -> Outcome:
        result = data.get("queryResult") if isinstance(data.get("queryResult"), dict) else {}
        text = result.get("queryText") if isinstance(result.get("queryText"), str) else ""
        intent = (result.get("intent") or {}).get("displayName") or result.get("action")
        payload = self._payload(intent, result.get("parameters"))
        turn_id = str(data.get("responseId") or "")
        reply = self.answer(Turn(self.name, session_key(str(data.get("session") or "-")), text,
                                 turn_id, payload=payload))
        if reply is None:
            return Outcome(200, {})
        chunks = render.plain(reply, render.DIALOGFLOW_LIMIT, suggestions=False)
        messages: list[dict[str, Any]] = [{"text": {"text": chunks}}]
        if reply.quick_replies:
            messages.append({"quickReplies": {"title": "You can also ask:",
                                              "quickReplies": [render.button_title(q.title)
                                                               for q in reply.quick_replies]}})
        return Outcome(200, {"fulfillmentText": "\n\n".join(chunks), "fulfillmentMessages": messages,
                             "source": "healthbot", "payload": {"healthbot": _summary(reply)}})

    def _cx(self, data: dict[str, Any]) -> Outcome:
        text = data.get("text") if isinstance(data.get("text"), str) else data.get("transcript")
        info = data.get("intentInfo") if isinstance(data.get("intentInfo"), dict) else {}
        payload = self._payload(info.get("displayName"), info.get("parameters"))
        session = (data.get("sessionInfo") or {}).get("session") if isinstance(data.get("sessionInfo"), dict) else None
        turn_id = str(data.get("detectIntentResponseId") or "")
        reply = self.answer(Turn(self.name, session_key(str(session or "-")), text if isinstance(text, str) else "",
                                 turn_id, payload=payload))
        if reply is None:
            return Outcome(200, {})
        chunks = render.plain(reply, render.DIALOGFLOW_LIMIT, suggestions=True)
        return Outcome(200, {
            "fulfillmentResponse": {"messages": [{"text": {"text": chunks}}], "mergeBehavior": "REPLACE"},
            "sessionInfo": {"parameters": {"healthbot_topic": reply.topic_id, "healthbot_intent": reply.intent}},
            "payload": {"healthbot": _summary(reply)},
        })


def _summary(reply: Reply) -> dict[str, Any]:
    """Structured reply for integrations that render their own rich cards."""
    data = reply.to_dict()
    return {k: data[k] for k in ("kind", "intent", "topic_id", "citations", "quick_replies")}
