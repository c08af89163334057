"""Live content: load, validate, build indexes, swap atomically.

A reload builds a complete new :class:`~bot.core.knowledge.Knowledge` off to the
side and replaces the reference in one assignment, so a request sees either the
old snapshot or the new one, never half of each. An invalid edit leaves the last
good snapshot serving and keeps the errors for ``/admin/status`` and the log.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.load import fingerprint, load_content
from bot.content.schema import ContentError
from bot.core.knowledge import Knowledge, build

log = logging.getLogger("healthbot.content")


class ContentInvalid(Exception):
    """The content under a folder has errors; ``errors`` lists them."""

    def __init__(self, errors: tuple[ContentError, ...]) -> None:
        super().__init__(f"{len(errors)} content error(s); first: {errors[0] if errors else ''}")
        self.errors = errors


@dataclass
class ReloadStatus:
    ok: bool = True
    loaded_at: float = 0.0
    fingerprint: str = ""
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    reloads: int = 0
    failures: int = 0
    topics: int = 0
    intents: int = 0

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "loaded_at": self.loaded_at,
            "fingerprint": self.fingerprint,
            "topics": self.topics,
            "intents": self.intents,
            "reloads": self.reloads,
            "failures": self.failures,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": len(self.warnings),
        }


class LiveContent:
    """Holds the current knowledge for one process; callable, for the engine."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self.status = ReloadStatus()
        content = load_content(self.root)
        if not content.ok:
            raise ContentInvalid(content.errors)
        self._current = build(content)
        self._record(content.fingerprint, content.warnings)

    def __call__(self) -> Knowledge:
        return self._current

    @property
    def current(self) -> Knowledge:
        return self._current

    def _record(self, sig: str, warnings: tuple[ContentError, ...]) -> None:
        self.status.ok = True
        self.status.errors = []
        self.status.warnings = list(warnings)
        self.status.loaded_at = time.time()
        self.status.fingerprint = sig
        self.status.topics = len(self._current.content.topics)
        self.status.intents = len(self._current.content.intents)

    def changed(self) -> bool:
        return fingerprint(self.root) != self.status.fingerprint

    def reload(self, *, force: bool = False) -> bool:
        """Reload if files changed (or ``force``); True when new content went live."""
        with self._lock:
            if not force and not self.changed():
                return False
            content = load_content(self.root)
            if not content.ok:
                self.status.ok = False
                self.status.errors = list(content.errors)
                self.status.fingerprint = content.fingerprint
                self.status.failures += 1
                for err in content.errors[:20]:
                    log.error("content reload rejected: %s", err)
                return False
            knowledge = build(content)
            self._current = knowledge  # the atomic swap
            self.status.reloads += 1
            self._record(content.fingerprint, content.warnings)
            log.info("content reloaded: %d topics, %d intents", len(content.topics), len(content.intents))
            return True
