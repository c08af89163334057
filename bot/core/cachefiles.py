"""Files under ``HEALTHBOT_CACHE_DIR``: written whole or not at all, one version kept.

Several workers start at once and read what another may be writing, so a file
is written beside its place and moved in with one rename. A file named for
another version (older code, another model) will never be read again, so it is
removed once the new one is in.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import IO, Callable, TypeVar

T = TypeVar("T")


def replace_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write ``path`` through ``write``; raises OSError, never leaving a partial or temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)  # a reader sees the old file or the new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_others(path: Path, pattern: str) -> None:
    """Delete the files matching ``pattern`` beside ``path``, other than ``path`` itself."""
    for other in path.parent.glob(pattern):
        if other != path:
            try:
                other.unlink()
            except OSError:
                pass


def load(path: Path | None, read: Callable[[Path], T], log: logging.Logger) -> T | None:
    """What ``read`` makes of ``path``; None when there is no such file or it is damaged (logged).

    Any failure means only that the work is done again, so none is raised.
    """
    if path is None or not path.is_file():
        return None
    try:
        return read(path)
    except Exception as exc:  # unreadable, cut short, or written by a version that no longer loads
        log.warning("cache file %s not usable (%s); doing the work again", path, type(exc).__name__)
        return None


def store(path: Path, write: Callable[[IO[bytes]], None], others: str, log: logging.Logger,
          level: int = logging.WARNING) -> bool:
    """Write ``path`` whole, then remove the other versions (``others``) beside it.

    False, and a line in ``log``, when it could not be written: a missing cache file
    costs only the work it would have saved.
    """
    try:
        replace_atomically(path, write)
    except OSError as exc:
        log.log(level, "cache file %s not written (%s)", path, exc.strerror or exc)
        return False
    remove_others(path, others)
    return True
