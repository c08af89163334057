"""Wire the parts together from settings: content, store, engine.

Both the HTTP server and the CLI start here, so a terminal chat behaves exactly
like the web endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.live import LiveContent
from bot.core.engine import Engine, Policy
from bot.sessions import SessionStore, open_store
from bot.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    content: LiveContent
    store: SessionStore
    engine: Engine


def build_runtime(settings: Settings | None = None, *, store: SessionStore | None = None) -> Runtime:
    settings = settings or Settings.from_env()
    content = LiveContent(settings.content_root)
    store = store if store is not None else open_store(settings.sessions_url)
    policy = Policy(session_ttl=settings.session_ttl, locale=settings.locale)
    return Runtime(settings, content, store, Engine(content, store, policy))
