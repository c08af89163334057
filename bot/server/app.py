"""The Flask application factory.

Routes are grouped in blueprints by who calls them (the widget, platforms,
operators, content staff); this module only assembles them.
"""

from __future__ import annotations

import importlib
import logging

from flask import Flask, jsonify

from bot.runtime import Runtime, build_runtime
from bot.server import chat, errors
from bot.settings import Settings

log = logging.getLogger("healthbot.http")


def create_app(settings: Settings | None = None, *, runtime: Runtime | None = None) -> Flask:
    runtime = runtime or build_runtime(settings)
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = runtime.settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["healthbot"] = runtime
    errors.register(app)
    app.register_blueprint(chat.bp)
    # Each area registers its own routes and hooks; see the module docstrings.
    for module_name in ("bot.server.security", "bot.server.widget", "bot.server.webhooks",
                        "bot.server.admin", "bot.server.ops"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.init_app(app, runtime)

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    return app
