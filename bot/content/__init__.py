"""Content: YAML files in, a validated, immutable snapshot out."""

from bot.content.schema import Content, ContentError, Intent, Source, Topic

__all__ = ["Content", "ContentError", "Intent", "Source", "Topic"]
