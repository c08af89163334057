"""HTTP throughput and latency of ``POST /api/chat`` under ``healthbot serve``, next to a
Flask hello-world app served by gunicorn with exactly the same settings, in the same run.

Load comes from ``wrk`` (apt-get install wrk) with a Lua script that posts the
real questions of ../shared/data/*.jsonl in turn, each under one of 1,000 session
ids. The hello-world app answers the same POST with a fixed JSON object, so the
ratio is what the bot costs over the bare server.

    python3 benchmarks/bench_http.py [--duration 10] [--rounds 3] [--connections 16] [--workers N] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _content  # noqa: E402

from bot.server.serve import gunicorn_options, run_gunicorn  # noqa: E402

LUA = """
local questions = %s
local i = 0
request = function()
  i = i + 1
  local body = '{"session_id": "bench-' .. (i %% 10000) .. '", "text": ' .. questions[(i %% #questions) + 1] .. '}'
  return wrk.format("POST", "/api/chat", {["Content-Type"] = "application/json"}, body)
end
"""


def hello_app():
    from flask import Flask, jsonify

    app = Flask("hello")

    @app.post("/api/chat")
    def chat():
        return jsonify({"kind": "answer", "messages": [{"text": "Hello, world."}]})

    @app.get("/healthz")
    def healthz():
        return jsonify({"status": "ok"})

    return app


def wait_ready(port: int, proc: subprocess.Popen) -> None:
    for _ in range(400):
        if proc.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server on port {port} did not start")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_wrk(port: int, script: Path, duration: int, connections: int) -> dict:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(script),
                          f"http://127.0.0.1:{port}/api/chat"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {}
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        lat[pct] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "p50_ms": lat["50"], "p90_ms": lat["90"], "p99_ms": lat["99"],
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(0) if errors else ""}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per server (default 3)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--store-url", help="session store for the bot (default: a fresh SQLite file)")
    parser.add_argument("--unanswered-url", help="unanswered log for the bot (default: a fresh SQLite file)")
    parser.add_argument("--hello", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    options = gunicorn_options("127.0.0.1", args.hello or 0, args.workers, args.threads)
    if args.hello:  # child: the baseline server
        run_gunicorn(hello_app, options)
        return 0
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2

    tmp = Path(tempfile.mkdtemp(prefix="healthbot-bench-http-"))
    script = tmp / "chat.lua"
    script.write_text(LUA % ("{" + ", ".join(json.dumps(json.dumps(q)) for q in _content.questions()) + "}"))
    # One load generator is one address: the per-address limit is off, the per-conversation one stays on
    # (10,000 conversations keep each under it), so its cost is part of the figure.
    env = dict(os.environ, HEALTHBOT_STORE_URL=args.store_url or f"sqlite:///{tmp}/sessions.db",
               HEALTHBOT_UNANSWERED_URL=args.unanswered_url or f"sqlite:///{tmp}/unanswered.db",
               HEALTHBOT_IP_RATE_LIMIT_PER_MINUTE="0")
    env.pop("REDIS_URL", None)
    extra = [f"--workers={options['workers']}", f"--threads={options['threads']}"]
    bot_port, hello_port = free_port(), free_port()
    servers = {
        "healthbot serve": (bot_port, subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "--content", str(_content.REPO), "serve", "--port", str(bot_port), *extra],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)),
        "flask hello-world": (hello_port, subprocess.Popen(
            [sys.executable, __file__, "--hello", str(hello_port), *extra],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)),
    }
    results = {}
    try:
        for name, (port, proc) in servers.items():
            wait_ready(port, proc)
            run_wrk(port, script, 2, args.connections)  # warm-up
        # The machine's speed drifts (a shared virtual machine): short alternating rounds expose
        # both servers to the same drift, and each round gives its own ratio.
        for _ in range(args.rounds):
            for name, (port, proc) in servers.items():
                results.setdefault(name, []).append(run_wrk(port, script, args.duration, args.connections))
    finally:
        for _, proc in servers.values():
            proc.send_signal(signal.SIGTERM)
        for _, proc in servers.values():
            proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"gunicorn gthread, {options['workers']} workers x {options['threads']} threads; "
          f"wrk 1 thread, {args.connections} connections, {args.rounds} alternating rounds of {args.duration} s, "
          f"{len(_content.questions())} real questions")
    print(f"{'round':<6} {'server':<18} {'req/s':>8} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'non-2xx':>7}")
    ratios = []
    for i in range(args.rounds):
        for name, runs in results.items():
            r = runs[i]
            print(f"{i + 1:<6} {name:<18} {r['rps']:>8.0f} {r['p50_ms']:>7.2f} {r['p90_ms']:>7.2f} "
                  f"{r['p99_ms']:>7.2f} {r['non2xx']:>7}")
        ratios.append(results["healthbot serve"][i]["rps"] / results["flask hello-world"][i]["rps"])
    print("throughput ratio healthbot / hello-world per round: " + ", ".join(f"{r:.2f}" for r in ratios)
          + f"; median {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
