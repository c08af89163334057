"""Wire the parts together from settings: content, store, engine.

Both the HTTP server and the CLI start here, so a terminal chat behaves exactly
like the web endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.content.live import LiveContent
from bot.content.validate import serving_checks
from bot.core import patterns
from bot.core.engine import Engine, Policy
from bot.sessions import SessionStore, open_store
from bot.settings import Settings, SettingsError
from bot.unanswered import RecordedLog, UnansweredLog, UnansweredRecorder, open_unanswered_log

if TYPE_CHECKING:
    from bot.core.sentence_model import SentenceEncoder


@dataclass
class Runtime:
    settings: Settings
    content: LiveContent
    store: SessionStore
    engine: Engine
    #: Redacted questions the bot could not answer well (None when switched off).
    unanswered: UnansweredLog | None = None


def build_runtime(settings: Settings | None = None, *, store: SessionStore | None = None) -> Runtime:
    settings = settings or Settings.from_env()
    patterns.use_store(settings.cache_dir or None)
    content = LiveContent(settings.content_root, checks=serving_checks(settings),
                          sentence_model=load_sentence_model(settings), cache_dir=settings.cache_dir or None)
    store = store if store is not None else open_store(settings.sessions_url)
    policy = Policy(session_ttl=settings.session_ttl, locale=settings.locale)
    engine = Engine(content, store, policy)
    log = open_unanswered_log(settings.unanswered_url)
    unanswered: UnansweredLog | None = None
    if log is not None:
        recorder = UnansweredRecorder(log, ttl_days=settings.unanswered_ttl_days,
                                      min_confidence=settings.unanswered_min_confidence, background=True)
        engine.observers.append(recorder)
        unanswered = RecordedLog(log, recorder)
    return Runtime(settings, content, store, engine, unanswered)


def load_sentence_model(settings: Settings) -> "SentenceEncoder | None":
    """The encoder ``settings.sentence_model`` names, or None; a problem is a configuration error."""
    if not settings.sentence_model:
        return None
    from bot.core.sentence_model import PRECISIONS, SentenceEncoder, SentenceModelError

    if settings.sentence_precision not in PRECISIONS:
        raise SettingsError(f"HEALTHBOT_SENTENCE_PRECISION={settings.sentence_precision!r} is not one of "
                            f"{', '.join(PRECISIONS)}")
    try:
        return SentenceEncoder(settings.sentence_model, precision=settings.sentence_precision,
                               cache_dir=settings.cache_dir or None)
    except SentenceModelError as exc:
        raise SettingsError(f"HEALTHBOT_SENTENCE_MODEL: {exc}") from None
