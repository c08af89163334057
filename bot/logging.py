"""Structured JSON logs that carry ids, intents, topics and scores, never a patient's words.

One JSON object per line so a log shipper needs no parsing rules. Only fields on
an allow-list are copied from a record's ``extra``; an exception is rendered as
its type and the frames it passed through, without its message, because an
exception message can quote the input that caused it.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from typing import Any

#: ``extra`` keys a log line may carry. Anything else passed as extra is dropped.
SAFE_FIELDS = frozenset({
    "request_id", "method", "endpoint", "status", "duration_ms", "session", "channel",
    "intent", "topic", "kind", "confidence", "scores", "limit", "retry_after", "worker",
    "reloads", "topics", "intents", "error_type",
})


def _exception(exc_info: Any) -> dict[str, Any]:
    etype, _value, tb = exc_info
    frames = [f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}:{f.name}" for f in traceback.extract_tb(tb)][-8:]
    return {"type": getattr(etype, "__name__", str(etype)), "frames": frames}


class JsonFormatter(logging.Formatter):
    """Render a record as one line of JSON with allow-listed fields only."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,  # which worker, when several serve one port
        }
        for key in SAFE_FIELDS:
            value = record.__dict__.get(key)
            if value is not None:
                data[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            data["exc"] = _exception(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str, separators=(",", ":"))


def configure_logging(level: str = "INFO", stream: Any = None) -> logging.Handler:
    """Send every logger's records to ``stream`` (stderr) as JSON; safe to call twice."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_healthbot_json", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._healthbot_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(getattr(logging, str(level).upper(), logging.INFO))
    return handler
