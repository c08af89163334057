"""Analysed staff patterns kept on disk between processes, as Python keeps bytecode.

Parsing a regular expression is pure Python, and parsing every cue and safety
pattern is most of what a fresh process pays to load content (about 0.15 s of
0.45 s at a thousand topics). What the parse yields is plain data: the
compiled program that ``_sre`` runs, the strings the pre-check needs and the
reach (``bot.core.patterns``). A worker that starts after a deploy or a crash
reads it back from one JSON file instead of parsing again.

The file's name carries a digest of the Python version, the regex engine's
magic number and the source of the modules that analyse patterns, so a new
Python or a change to the analysis never reads an old file. A missing, stale,
damaged or unwritable file costs only the parse it would have saved: ``_sre``
checks a program before running it, and anything odd is parsed afresh.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import _sre

from bot.core.cachefiles import store

log = logging.getLogger("healthbot.patterns")

#: One stored pattern: its compiled program, its marked required ways and its reach, as JSON-able lists.
Entry = list[Any]
_PREFIX = "patterns-"


def version_tag() -> str:
    """A digest of everything a stored entry depends on besides the pattern's own text."""
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}".encode())
    here = Path(__file__).resolve().parent
    for module in ("patterns.py", "reach.py", "pattern_store.py"):
        digest.update((here / module).read_bytes())
    return digest.hexdigest()


class PatternStore:
    """Entries by pattern text, read from ``folder`` on first use and written by ``flush``.

    The first flush of a process keeps only the patterns looked up since it started, which is
    the whole content of its first load, so entries of patterns staff deleted do not pile up.
    Later flushes (live reloads) add to it.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.path = self.folder / f"{_PREFIX}{version_tag()}.json"
        self._entries: dict[str, str] | None = None
        self._on_disk: set[str] = set()
        self._used: set[str] = set()
        self._new = False
        self._pruned = False

    def get(self, pattern: str) -> Entry | None:
        """[program, ways, reach] as ``bot.core.patterns`` made them, or None (may be damaged)."""
        entries = self._load()
        self._used.add(pattern)
        entry = entries.get(pattern)
        return None if entry is None else json.loads(entry)

    def put(self, pattern: str, entry: Entry) -> None:
        # Each entry is kept as its own JSON text: a worker that decoded a thousand programs into
        # lists of numbers at once would keep megabytes of freed small objects it never gives back.
        self._load()[pattern] = json.dumps(entry, separators=(",", ":"))
        self._used.add(pattern)
        self._new = True

    def forget(self, pattern: str) -> None:
        """Drop an entry that turned out unusable, so the next flush writes the fresh one."""
        self._load().pop(pattern, None)

    def flush(self) -> bool:
        """Write the file when it lacks an entry or (first time) holds ones no longer used.

        The entries are then let go: the compiled patterns hold what a worker needs. They are
        read again only when a later reload meets a pattern not analysed yet.
        """
        try:
            return self._write()
        finally:
            self._entries = None

    def _write(self) -> bool:
        entries = self._load()
        if not self._pruned:
            keep = {p: e for p, e in entries.items() if p in self._used}
            dirty = self._new or set(keep) != self._on_disk
        else:
            keep, dirty = entries, self._new
        if not dirty:
            return False
        data = json.dumps(keep, separators=(",", ":")).encode("utf-8")
        # Files written for another Python or an older analysis: nothing will read them again.
        if not store(self.path, lambda out: out.write(data), f"{_PREFIX}*.json", log, logging.DEBUG):
            return False
        self._new, self._pruned = False, True
        self._used.clear()
        return True

    def _load(self) -> dict[str, str]:
        if self._entries is None:
            self._entries = {}
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict):
                self._entries = {p: e for p, e in data.items() if isinstance(e, str)}
            self._on_disk = set(self._entries)
        return self._entries

