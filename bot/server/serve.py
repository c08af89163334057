"""Run the app under gunicorn, the production WSGI server, from the CLI."""

from __future__ import annotations

import multiprocessing
import os

from bot.settings import Settings


def default_workers() -> int:
    return max(2, min(multiprocessing.cpu_count(), 8))


def serve(settings: Settings, *, host: str, port: int, workers: int | None = None, threads: int | None = None) -> int:
    from gunicorn.app.base import BaseApplication

    from bot.content.live import ContentInvalid

    class _App(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers or int(os.environ.get("HEALTHBOT_WORKERS", default_workers())))
            self.cfg.set("threads", threads or int(os.environ.get("HEALTHBOT_THREADS", "4")))
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("graceful_timeout", 20)
            self.cfg.set("timeout", 30)
            self.cfg.set("keepalive", 5)
            self.cfg.set("accesslog", None)
            self.cfg.set("preload_app", False)

        def load(self):
            from bot.server.app import create_app

            return create_app(settings)

    # Fail fast, before forking workers, if the content does not load.
    try:
        from bot.content.live import LiveContent

        LiveContent(settings.content_root)
    except ContentInvalid as exc:
        import sys

        for err in exc.errors:
            print(err, file=sys.stderr)
        return 2
    print(f"healthbot: serving on http://{host}:{port}/ (content: {settings.content_root})", flush=True)
    _App().run()
    return 0
