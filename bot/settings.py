"""Settings: defaults, then ``HEALTHBOT_*`` environment variables, validated once."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping

from bot.paths import bundled_content_root


class SettingsError(ValueError):
    pass


def _default_content_root() -> str:
    cwd = Path.cwd()
    if (cwd / "intents").is_dir() and (cwd / "data").is_dir():
        return str(cwd)
    return str(bundled_content_root())


@dataclass(frozen=True)
class Settings:
    content_root: str = field(default_factory=_default_content_root)
    #: Where sessions live: sqlite:///path (default), memory://, or a redis:// URL.
    store_url: str = "sqlite:///.healthbot/sessions.sqlite3"
    redis_url: str = ""
    locale: str = "en-US"
    session_ttl: int = 1800
    max_text_chars: int = 1000
    max_body_bytes: int = 16_384
    cors_origins: tuple[str, ...] = ()
    admin_token: str = ""
    #: Seconds between checks for edited content files (0 turns the watcher off).
    reload_interval: float = 0.5
    rate_limit_per_minute: int = 60
    ip_rate_limit_per_minute: int = 300
    review_max_age_days: int = 365
    unanswered_ttl_days: int = 30
    #: Where unanswered questions (redacted) are kept: sqlite:///path or memory://.
    unanswered_url: str = "sqlite:///.healthbot/unanswered.sqlite3"
    #: Answers below this confidence are logged as unanswered too.
    unanswered_min_confidence: float = 0.5
    #: Answers reading above this Flesch-Kincaid grade get a validate warning.
    reading_grade_max: float = 8.5
    log_level: str = "INFO"
    #: Where analysed cue and safety patterns are kept for the next process to start faster ("" = nowhere).
    cache_dir: str = ".healthbot/cache"
    #: Folder of a sentence-transformers BERT model (all-MiniLM-L6-v2) for a second opinion on
    #: what unclear messages ask; "" = none. Needs ``pip install 'healthbot[model]'``.
    sentence_model: str = ""
    #: How its layers run: "int8" (ONNX Runtime, about 4x faster), "float32" (NumPy, the
    #: published model exactly) or "auto" (int8 when onnxruntime is installed).
    sentence_precision: str = "auto"

    @property
    def sessions_url(self) -> str:
        return self.redis_url or self.store_url

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            key = f"HEALTHBOT_{f.name.upper()}"
            raw = env.get(key)
            if f.name == "redis_url":
                raw = env.get("REDIS_URL", raw) if raw is None else raw
            if raw is None:
                continue
            values[f.name] = _parse(f.name, f.type, raw)
        # With Redis, the unanswered log is shared across instances too, unless set on purpose.
        if values.get("redis_url") and "HEALTHBOT_UNANSWERED_URL" not in env:
            values["unanswered_url"] = values["redis_url"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _parse(name: str, type_: object, raw: str) -> object:
    text = str(type_)
    try:
        if "tuple" in text:
            return tuple(p.strip() for p in raw.split(",") if p.strip())
        if text in ("int", "<class 'int'>"):
            return int(raw)
        if text in ("float", "<class 'float'>"):
            return float(raw)
    except ValueError:
        raise SettingsError(f"HEALTHBOT_{name.upper()}={raw!r} is not a number") from None
    return raw
