"""What WhatsApp Cloud API and Messenger share: the GET handshake and the signature."""

from __future__ import annotations

from typing import Any

from bot.channels.base import Channel, Inbound, Outcome, Unauthorized
from bot.channels.config import MetaConfig
from bot.channels.sender import named_check
from bot.channels.signatures import meta_ok, secret_ok

SIGNATURE_HEADER = "X-Hub-Signature-256"


def handshake(request: Inbound, config: MetaConfig) -> Outcome:
    """Echo ``hub.challenge`` when the mode is subscribe and the verify token matches."""
    mode = request.args.get("hub.mode")
    challenge = request.args.get("hub.challenge", "")
    if mode != "subscribe" or not secret_ok(request.args.get("hub.verify_token"), config.verify_token):
        raise Unauthorized(403, "The verify token is missing or wrong.")
    return Outcome(200, challenge, "text/plain; charset=utf-8")


def verify(request: Inbound, config: MetaConfig) -> None:
    if not meta_ok(request.body, request.headers.get(SIGNATURE_HEADER), config.app_secret):
        raise Unauthorized(401, "The X-Hub-Signature-256 signature is missing or invalid.")


@named_check
def graph_check(data: object) -> str | None:
    """A 2xx from the Graph API carrying an error object still failed."""
    if isinstance(data, dict) and isinstance(data.get("error"), dict):
        return str(data["error"].get("code") or "error")
    return None


class MetaChannel(Channel):
    """A Meta platform: GET is the subscription handshake; every POST is signed."""

    def __init__(self, config: MetaConfig, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.config = config

    def handle(self, request: Inbound) -> Outcome:
        if request.method == "GET":
            return handshake(request, self.config)
        verify(request, self.config)
        return self.handle_events(request)

    def handle_events(self, request: Inbound) -> Outcome:
        """Answer a verified POST."""
        raise NotImplementedError
