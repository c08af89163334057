"""Content staff and operators: ``/admin/status``, ``/admin/reload``, ``/admin/unanswered``.

The admin API exists only when ``HEALTHBOT_ADMIN_TOKEN`` is set; otherwise its
routes are never registered and every ``/admin/*`` address is a plain 404, so
an unconfigured server has nothing to attack. Callers send
``Authorization: Bearer <token>``, compared in constant time.

Live reload is started here too, for every worker, whether or not the admin
API is on: a file watcher polls the content every ``HEALTHBOT_RELOAD_INTERVAL``
seconds and SIGHUP reloads at once. Each worker reloads its own snapshot, so a
``POST /admin/reload`` (which reaches one worker) is followed by the others
within one interval through their watchers.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request

from bot.server.errors import ApiError

log = logging.getLogger("healthbot.admin")

bp = Blueprint("admin", __name__, url_prefix="/admin")
MAX_UNANSWERED = 500


def _runtime() -> Any:
    return current_app.extensions["healthbot"]


@bp.before_request
def _require_token() -> None:
    expected = _runtime().settings.admin_token
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "unauthorized", "Send 'Authorization: Bearer <admin token>'.")
    if not hmac.compare_digest(token.strip().encode("utf-8"), expected.encode("utf-8")):
        log.warning("admin request with a wrong token from %s", request.remote_addr)
        raise ApiError(403, "forbidden", "The admin token is not valid.")


def status_body(runtime: Any) -> dict[str, Any]:
    """Content status: ok, errors with file and line, warnings count, counts, loaded_at, the sentence model."""
    body = runtime.content.status.to_dict()
    body["content_root"] = str(runtime.content.root)
    body["watching"] = bool(runtime.content._watcher and runtime.content._watcher.is_alive())
    # Whether the sentence model is on, how it runs, and how many phrasings the live content taught it.
    opinion = runtime.content.current.opinion
    body["sentence_model"] = None if opinion is None else {
        "precision": opinion.encoder.precision, "trained_on": opinion.trained_on, "model": opinion.encoder.digest}
    unanswered = getattr(runtime, "unanswered", None)
    if unanswered is not None:
        try:
            body["unanswered"] = unanswered.count()
        except Exception:
            log.warning("unanswered log unavailable")
            body["unanswered"] = None
    return body


@bp.get("/status")
def status():
    return jsonify(status_body(_runtime()))


@bp.post("/reload")
def reload():
    runtime = _runtime()
    went_live = runtime.content.reload(force=True)
    body = status_body(runtime)
    body["reloaded"] = went_live
    # 200 either way: the server is fine and still serving; 'ok' says whether the edit is.
    return jsonify(body)


@bp.get("/unanswered")
def unanswered():
    log_ = getattr(_runtime(), "unanswered", None)
    if log_ is None:
        raise ApiError(404, "not_configured", "The unanswered-question log is off (HEALTHBOT_UNANSWERED_URL).")
    raw_limit = request.args.get("limit", "100")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_UNANSWERED:
        raise ApiError(400, "invalid_limit", f"'limit' must be a whole number from 1 to {MAX_UNANSWERED}.")
    records = log_.recent(int(raw_limit))
    return jsonify({"count": log_.count(), "items": [r.to_dict() for r in records]})


def init_app(app: Flask, runtime: Any) -> None:
    """Start live reload for this worker; expose /admin/* only when a token is set."""
    settings = runtime.settings
    runtime.content.watch(settings.reload_interval)
    runtime.content.install_sighup()
    if settings.admin_token:
        app.register_blueprint(bp)
