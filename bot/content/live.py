"""Live content: load, validate, build indexes, swap atomically.

A reload builds a complete new :class:`~bot.core.knowledge.Knowledge` off to the
side and replaces the reference in one assignment, so a request sees either the
old snapshot or the new one, never half of each. An invalid edit leaves the last
good snapshot serving and keeps the errors for ``/admin/status`` and the log.
"""

from __future__ import annotations

import gc
import logging
import signal
import threading
import time
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from bot.content.load import Check, fingerprint, load_content
from bot.content.schema import ContentError
from bot.core.knowledge import Knowledge, build
from bot.core.patterns import flush_store

if TYPE_CHECKING:
    from bot.core.sentence_model import SentenceEncoder

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


def settle_heap(*, return_memory: bool = False) -> None:
    """Take the content's objects out of the garbage collector's rounds.

    A full collection walks every live object; with 10,000 topics that is a
    pause of 10 ms or more in the middle of some patient's turn. Loading
    leaves cyclic garbage, so it is collected once here, and what survives
    (mostly content) is frozen: later collections skip it. A replaced
    snapshot holds no cycles (a test checks), so reference counting still
    frees it although it was frozen.
    """
    gc.collect()
    gc.freeze()
    if return_memory:
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Hand the heap's free pages back to the system.

    glibc keeps memory freed by a load for later use. With a sentence model a load frees a
    lot: building its int8 graph leaves 170 MB, encoding phrasings some more, and every worker
    would carry it for its lifetime. Without a model it measured nothing, so it is not done
    there. Elsewhere (no glibc), nothing is done.
    """
    import ctypes

    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


class LiveContent:
    """Holds the current knowledge for one process; callable, for the engine."""

    def __init__(self, root: str | Path, *, checks: Iterable[Check] | None = None,
                 sentence_model: "SentenceEncoder | None" = None, cache_dir: str | None = None) -> None:
        self.root = Path(root)
        #: Retrained on every reload, so added phrasings teach it without a restart.
        self.sentence_model, self.cache_dir = sentence_model, cache_dir
        #: The validation rules every reload must pass (None: the defaults).
        self.checks = list(checks) if checks is not None else None
        self._lock = threading.Lock()
        self._watcher: threading.Thread | None = None
        self._stop = threading.Event()
        self.status = ReloadStatus()
        content = load_content(self.root, checks=self.checks, phrasings=sentence_model is not None)
        if not content.ok:
            raise ContentInvalid(content.errors)
        self._current = build(content, self.sentence_model, self.cache_dir)
        self._record(content.fingerprint, content.warnings)
        flush_store()
        settle_heap(return_memory=sentence_model is not None)

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
            content = load_content(self.root, checks=self.checks, phrasings=self.sentence_model is not None)
            if not content.ok:
                self.status.ok = False
                self.status.errors = list(content.errors)
                self.status.fingerprint = content.fingerprint
                self.status.failures += 1
                for err in content.errors[:20]:
                    log.error("content reload rejected: %s", err)
                return False
            knowledge = build(content, self.sentence_model, self.cache_dir)
            self._current = knowledge  # the atomic swap
            self.status.reloads += 1
            self._record(content.fingerprint, content.warnings)
            flush_store()
            log.info("content reloaded: %d topics, %d intents", len(content.topics), len(content.intents))
        settle_heap(return_memory=self.sentence_model is not None)
        return True

    # -- noticing edits ------------------------------------------------------
    def watch(self, interval: float) -> threading.Thread | None:
        """Poll the files' fingerprint every ``interval`` seconds and reload on change.

        Polling needs no extra dependency and works on every file system,
        including network mounts where inotify is silent. One daemon thread per
        process (each gunicorn worker has its own); it holds only a weak
        reference, so a discarded LiveContent is not kept alive by its watcher.
        """
        if interval <= 0:
            return None
        if self._watcher is not None and self._watcher.is_alive():
            return self._watcher
        self._stop.clear()
        thread = threading.Thread(target=_watch_loop, args=(weakref.ref(self), interval, self._stop),
                                  name="healthbot-content-watch", daemon=True)
        self._watcher = thread
        thread.start()
        return thread

    def stop_watching(self) -> None:
        self._stop.set()

    def reload_in_background(self) -> threading.Thread:
        """Reload off the caller's thread (a signal handler must return quickly)."""
        thread = threading.Thread(target=self._safe_reload, name="healthbot-content-reload", daemon=True)
        thread.start()
        return thread

    def _safe_reload(self, force: bool = True) -> None:
        try:
            self.reload(force=force)
        except Exception:  # a reload must never take the process down
            log.exception("content reload failed unexpectedly")

    def install_sighup(self) -> bool:
        """``kill -HUP <pid>`` reloads now; only possible from the main thread."""
        if not hasattr(signal, "SIGHUP") or threading.current_thread() is not threading.main_thread():
            return False
        ref = weakref.ref(self)

        def _on_hup(signum: int, frame: object) -> None:
            live = ref()
            if live is not None:
                log.info("SIGHUP: reloading content")
                live.reload_in_background()

        signal.signal(signal.SIGHUP, _on_hup)
        return True


#: The watcher spends at most this share of the time looking for edits (it holds the interpreter).
WATCH_SHARE = 0.02


def _watch_loop(ref: "weakref.ReferenceType[LiveContent]", interval: float, stop: threading.Event) -> None:
    wait = interval
    while not stop.wait(wait):
        live = ref()
        if live is None:
            return
        started = time.perf_counter()
        try:
            if live.changed():
                live.reload()
        except Exception:
            log.exception("content watcher failed; retrying")
        del live
        # With thousands of files a look costs milliseconds: look less often, never more than WATCH_SHARE.
        wait = max(interval, (time.perf_counter() - started) / WATCH_SHARE)
