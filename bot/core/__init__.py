"""The framework-free engine: a Message goes in, a Reply comes out."""

from bot.core.engine import Engine
from bot.core.models import Citation, Message, QuickReply, Reply

__all__ = ["Engine", "Message", "Reply", "Citation", "QuickReply"]
