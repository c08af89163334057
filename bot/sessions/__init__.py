"""Where conversation state lives between turns.

The engine talks to a :class:`SessionStore`; which one is used is a deployment
choice: memory (tests), SQLite (one machine, the default) or Redis (many).
"""

from bot.sessions.base import SessionState, SessionStore
from bot.sessions.memory import MemoryStore

__all__ = ["SessionState", "SessionStore", "MemoryStore", "open_store"]


def open_store(url: str | None) -> SessionStore:
    """Open a store from a URL: ``memory://``, ``sqlite:///path.db`` or ``redis://...``."""
    if not url or url.startswith("memory:"):
        return MemoryStore()
    if url.startswith(("redis://", "rediss://", "unix://")):
        from bot.sessions.redis import RedisStore

        return RedisStore(url)
    from bot.sessions.sqlite import SQLiteStore

    path = url.split("sqlite:///", 1)[1] if url.startswith("sqlite:///") else url
    return SQLiteStore(path)
