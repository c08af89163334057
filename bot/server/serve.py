"""Run the app under gunicorn, the production WSGI server, from the CLI.

Choices, and why:

* ``gthread`` workers, one per core by default: answering is CPU work in Python,
  so processes give parallelism; a few threads per worker keep a slow client or
  a Redis round trip from idling the core.
* Each worker listens on its own ``SO_REUSEPORT`` socket, so the kernel spreads
  new connections evenly over the workers. With one shared socket, keep-alive
  clients that all connected in the same instant often landed on one worker,
  which then did all the work while the other core idled (half the throughput
  in about half of our benchmark rounds). Before forking, ``serve`` checks that
  the port is free, since sockets with that flag could otherwise share a port
  with another server left running.
* No ``preload_app``: every worker loads the content itself, once, after the
  fork, so a live reload in one worker never leaves another with stale indexes.
* ``PROMETHEUS_MULTIPROC_DIR`` is set to a fresh temporary folder before any
  worker starts, so ``/metrics`` merges all workers (see ``bot.server.ops``).
* SIGTERM drains: gunicorn stops accepting, lets in-flight requests finish for
  up to ``graceful_timeout`` seconds, then exits 0.
"""

from __future__ import annotations

import atexit
import errno
import multiprocessing
import os
import shutil
import socket
import sys
import tempfile

from bot.settings import Settings, SettingsError


def default_workers() -> int:
    """One worker per core (at least 2 so a restart never leaves nobody serving), at most 8."""
    return max(2, min(multiprocessing.cpu_count(), 8))


def default_threads() -> int:
    return 4


def port_problem(host: str, port: int) -> str | None:
    """Why ``host:port`` cannot be served (in use, not allowed), or None if it is free.

    Bound without ``SO_REUSEPORT``, so a server that set the flag counts as using the port.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        return f"unknown host ({exc.strerror})"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            hint = "; stop the other server or choose another --port" if exc.errno == errno.EADDRINUSE else ""
            return f"{exc.strerror}{hint}"
    return None


def _metrics_dir() -> str:
    """A private folder for prometheus_client's per-worker files, removed at exit."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        return folder
    folder = tempfile.mkdtemp(prefix="healthbot-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    atexit.register(shutil.rmtree, folder, True)
    return folder


def gunicorn_options(host: str, port: int, workers: int | None = None, threads: int | None = None) -> dict:
    """The gunicorn settings ``serve`` uses; the HTTP benchmark reuses them for its baseline app."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers or int(os.environ.get("HEALTHBOT_WORKERS", default_workers())),
        "threads": threads or int(os.environ.get("HEALTHBOT_THREADS", default_threads())),
        "worker_class": "gthread",
        "graceful_timeout": int(os.environ.get("HEALTHBOT_GRACEFUL_TIMEOUT", "20")),
        "timeout": 30,
        "keepalive": 5,
        "backlog": 2048,
        "accesslog": None,
        "preload_app": False,
        # Port 0 would give every worker its own random port.
        "reuse_port": port != 0 and hasattr(socket, "SO_REUSEPORT"),
    }


def run_gunicorn(load_app, options: dict, hooks: dict | None = None) -> None:
    """Run a WSGI app factory under gunicorn with ``options`` (blocks until shutdown)."""
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):
        def load_config(self) -> None:
            for key, value in {**options, **(hooks or {})}.items():
                self.cfg.set(key, value)

        def load(self):
            return load_app()

    _App().run()


def serve(settings: Settings, *, host: str, port: int, workers: int | None = None, threads: int | None = None) -> int:
    from bot.content.live import ContentInvalid, LiveContent
    from bot.core import patterns
    from bot.runtime import load_sentence_model

    # Fail fast, before forking workers, if the content does not load. This load reads and fills the
    # pattern store (Settings.cache_dir): a restart parses no pattern the last run had already parsed.
    patterns.use_store(settings.cache_dir or None)
    try:
        # With a sentence model, this also encodes new phrasings into the cache the workers read.
        LiveContent(settings.content_root, sentence_model=load_sentence_model(settings),
                    cache_dir=settings.cache_dir or None)
    except ContentInvalid as exc:
        for err in exc.errors:
            print(err, file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"healthbot: configuration error: {exc}", file=sys.stderr)
        return 2
    problem = port_problem(host, port)
    if problem:
        print(f"healthbot: cannot listen on {host}:{port}: {problem}", file=sys.stderr)
        return 2
    metrics_dir = _metrics_dir()

    def load_app():
        from bot.logging import configure_logging
        from bot.server.app import create_app

        configure_logging(settings.log_level)
        return create_app(settings)

    def child_exit(server, worker) -> None:
        # A dead worker's live gauges must not linger in the merged /metrics.
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid, metrics_dir)

    options = gunicorn_options(host, port, workers, threads)
    print(f"healthbot: serving on http://{host}:{port}/ with {options['workers']} workers x "
          f"{options['threads']} threads (content: {settings.content_root})", flush=True)
    run_gunicorn(load_app, options, {"child_exit": child_exit})
    return 0
