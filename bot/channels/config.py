"""Which channels are on, from ``HEALTHBOT_<PLATFORM>_<NAME>`` variables.

A channel is enabled by its inbound secret: without a way to tell the platform's
requests from anyone else's, the endpoint stays off (404). Tests build
:class:`ChannelSettings` from their own mapping instead of ``os.environ``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

GRAPH_VERSION = "v23.0"


def _get(env: Mapping[str, str], platform: str, name: str, default: str = "") -> str:
    return env.get(f"HEALTHBOT_{platform.upper()}_{name.upper()}", default).strip()


@dataclass(frozen=True)
class TelegramConfig:
    secret_token: str
    #: Without a bot token the reply goes in the webhook response body (one message).
    bot_token: str = ""
    api_base: str = "https://api.telegram.org"


@dataclass(frozen=True)
class MetaConfig:
    """WhatsApp Cloud API and Messenger share Meta's handshake and signature."""

    app_secret: str
    verify_token: str = ""
    #: WhatsApp: system-user access token; Messenger: page access token.
    access_token: str = ""
    api_base: str = "https://graph.facebook.com"
    graph_version: str = GRAPH_VERSION


@dataclass(frozen=True)
class TwilioConfig:
    auth_token: str
    #: The public URL Twilio calls (behind a proxy the request URL differs).
    public_url: str = ""


@dataclass(frozen=True)
class SlackConfig:
    signing_secret: str
    bot_token: str = ""
    api_base: str = "https://slack.com/api"


@dataclass(frozen=True)
class DialogflowConfig:
    #: ``user:password`` for HTTP Basic (Dialogflow ES login fields).
    auth: str = ""
    #: ``Header-Name: value`` for a custom header secret (CX ``request_headers``).
    header: str = ""

    @property
    def header_pair(self) -> tuple[str, str] | None:
        name, sep, value = self.header.partition(":")
        return (name.strip(), value.strip()) if sep and name.strip() and value.strip() else None


@dataclass(frozen=True)
class ChannelSettings:
    telegram: TelegramConfig | None = None
    whatsapp: MetaConfig | None = None
    messenger: MetaConfig | None = None
    twilio: TwilioConfig | None = None
    slack: SlackConfig | None = None
    dialogflow: DialogflowConfig | None = None
    #: The clock for replay windows; tests pin it to a vector's timestamp.
    clock: Callable[[], float] = field(default=time.time, compare=False)

    def enabled(self) -> list[str]:
        names = ("telegram", "whatsapp", "messenger", "twilio", "slack", "dialogflow")
        return [n for n in names if getattr(self, n) is not None]

    def secrets(self) -> list[str]:
        """Every token and secret configured: the outbox stores none of them (see bot.channels.sender)."""
        names = ("secret_token", "bot_token", "app_secret", "verify_token", "access_token", "auth_token",
                 "signing_secret", "auth", "header")
        return [value for channel in self.enabled() for name in names
                if isinstance(value := getattr(getattr(self, channel), name, ""), str) and value]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "ChannelSettings":
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        if secret := _get(env, "telegram", "secret_token"):
            values["telegram"] = TelegramConfig(
                secret, _get(env, "telegram", "bot_token"),
                _get(env, "telegram", "api_base", "https://api.telegram.org"),
            )
        if secret := _get(env, "whatsapp", "app_secret"):
            values["whatsapp"] = MetaConfig(
                secret, _get(env, "whatsapp", "verify_token"), _get(env, "whatsapp", "access_token"),
                _get(env, "whatsapp", "api_base", "https://graph.facebook.com"),
                _get(env, "whatsapp", "graph_version", GRAPH_VERSION),
            )
        if secret := _get(env, "messenger", "app_secret"):
            values["messenger"] = MetaConfig(
                secret, _get(env, "messenger", "verify_token"), _get(env, "messenger", "page_token"),
                _get(env, "messenger", "api_base", "https://graph.facebook.com"),
                _get(env, "messenger", "graph_version", GRAPH_VERSION),
            )
        if token := _get(env, "twilio", "auth_token"):
            values["twilio"] = TwilioConfig(token, _get(env, "twilio", "public_url"))
        if secret := _get(env, "slack", "signing_secret"):
            values["slack"] = SlackConfig(
                secret, _get(env, "slack", "bot_token"), _get(env, "slack", "api_base", "https://slack.com/api"),
            )
        auth, header = _get(env, "dialogflow", "auth"), _get(env, "dialogflow", "header")
        if auth or header:
            values["dialogflow"] = DialogflowConfig(auth, header)
        return cls(**values)  # type: ignore[arg-type]
