"""``healthbot serve`` for real: gunicorn workers, merged metrics, graceful shutdown."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.prod_support import free_port, write_content


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _chat(base: str, session: str, text: str) -> dict:
    request = urllib.request.Request(f"{base}/api/chat", json.dumps({"session_id": session, "text": text}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


def start_serve(content, port: int, env: dict, workers: int, threads: int) -> tuple[str, subprocess.Popen]:
    """``healthbot serve`` in a subprocess, once /healthz answers."""
    env = {**env}
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--content", str(content), "serve", "--port", str(port),
         "--workers", str(workers), "--threads", str(threads)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if _get(f"{base}/healthz")[0] == 200:
                return base, proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError(proc.stderr.read().decode()[-2000:])


@pytest.fixture
def server(tmp_path):
    content = write_content(tmp_path / "content")
    metrics_dir = tmp_path / "metrics"
    env = dict(os.environ, HEALTHBOT_STORE_URL=f"sqlite:///{tmp_path}/sessions.db",
               HEALTHBOT_UNANSWERED_URL=f"sqlite:///{tmp_path}/unanswered.db", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
               HEALTHBOT_RATE_LIMIT_PER_MINUTE="0", HEALTHBOT_IP_RATE_LIMIT_PER_MINUTE="0")
    base, proc = start_serve(content, free_port(), env, workers=2, threads=2)
    yield base, proc, metrics_dir
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_serve_answers_merges_metrics_and_stops_gracefully(server):
    base, proc, metrics_dir = server
    assert _chat(base, "serve-1", "what is angioplasty?")["topic_id"] == "angioplasty"
    # The follow-up may land on the other worker: sessions live in the shared SQLite file.
    assert _chat(base, "serve-1", "how is it done?")["intent"] == "how_done"
    for i in range(18):
        _chat(base, f"serve-n{i}", "hi")
    assert _get(f"{base}/readyz")[0] == 200
    for _ in range(4):  # whichever worker takes the scrape, it reports both workers' requests
        body = _get(f"{base}/metrics")[1].decode()
        line = next(x for x in body.splitlines()
                    if x.startswith("healthbot_http_request_duration_seconds_count") and 'endpoint="/api/chat"' in x)
        assert float(line.rsplit(" ", 1)[1]) == 20
    assert any(metrics_dir.iterdir())

    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    logs = proc.stderr.read().decode()
    access = [json.loads(x) for x in logs.splitlines() if x.startswith("{") and '"healthbot.access"' in x]
    assert len(access) == 20 and {a["endpoint"] for a in access} == {"/api/chat"}
    assert "angioplasty?" not in logs


def test_a_graceful_stop_still_sends_the_replies_already_queued(tmp_path):
    """The platform was told "received" before the reply went out: SIGTERM must not lose it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[dict] = []

    class SlowTelegram(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            time.sleep(1.5)  # slower than the stop below, so the reply is still queued when it comes
            received.append(body)
            data = b'{"ok": true, "result": {}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    fake = ThreadingHTTPServer(("127.0.0.1", 0), SlowTelegram)
    threading.Thread(target=fake.serve_forever, daemon=True).start()
    content = write_content(tmp_path / "content")
    env = dict(os.environ, HEALTHBOT_STORE_URL=f"sqlite:///{tmp_path}/sessions.db",
               HEALTHBOT_UNANSWERED_URL="memory://", HEALTHBOT_TELEGRAM_SECRET_TOKEN="s3cret",
               HEALTHBOT_TELEGRAM_BOT_TOKEN="123:abc", HEALTHBOT_TELEGRAM_API_BASE=f"http://127.0.0.1:{fake.server_port}",
               PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"))
    base, proc = start_serve(content, free_port(), env, workers=1, threads=2)
    try:
        update = {"update_id": 1, "message": {"message_id": 1, "date": 1700000000, "text": "what is angioplasty?",
                                              "from": {"id": 7, "is_bot": False, "first_name": "A"},
                                              "chat": {"id": 7, "type": "private"}}}
        request = urllib.request.Request(f"{base}/webhooks/telegram", json.dumps(update).encode(),
                                         {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200  # acknowledged; the reply goes out through the API
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        assert received and received[0]["chat_id"] == 7 and "Angioplasty is a test topic" in received[0]["text"]
    finally:
        if proc.poll() is None:
            proc.kill()
        fake.shutdown()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_every_worker_takes_its_share_of_keep_alive_connections(server):
    """Clients that connect in the same instant must not all land on one worker (one core idle)."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor

    base, proc, _ = server
    port = int(base.rsplit(":", 1)[1])
    # /healthz answered once the first worker was up; the second may not have forked yet.
    for _ in range(200):
        if len(_children(proc.pid)) == 2:
            break
        time.sleep(0.05)
    time.sleep(0.2)  # from its fork to its own socket

    # All connect at once, as a load balancer or a busy widget page does, then talk.
    conns = [http.client.HTTPConnection("127.0.0.1", port, timeout=10) for _ in range(24)]
    for conn in conns:
        conn.connect()

    def client(n: int) -> None:
        for turn in range(3):  # one kept-alive connection, several requests
            conns[n].request("POST", "/api/chat", json.dumps({"session_id": f"share-{n}", "text": "hi"}),
                             {"Content-Type": "application/json"})
            assert conns[n].getresponse().read()
        conns[n].close()

    with ThreadPoolExecutor(24) as pool:
        list(pool.map(client, range(24)))
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    access = [json.loads(x) for x in proc.stderr.read().decode().splitlines()
              if x.startswith("{") and '"healthbot.access"' in x]
    by_worker: dict[int, int] = {}
    for line in access:
        by_worker[line["pid"]] = by_worker.get(line["pid"], 0) + 1
    assert sum(by_worker.values()) == 72
    # The kernel hashes each connection to one of the two workers' sockets: fewer than 3 of
    # the 24 on either has a chance of about 1 in 28,000.
    assert len(by_worker) == 2 and min(by_worker.values()) >= 9, by_worker


def test_serve_refuses_a_port_already_in_use_with_a_clear_message(tmp_path):
    import socket

    content = write_content(tmp_path / "content")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "bot.cli", "--content", str(content), "serve", "--port", str(port)],
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_workers_listen_on_their_own_sockets_except_on_a_random_port():
    from bot.server.serve import gunicorn_options

    assert gunicorn_options("127.0.0.1", 8000)["reuse_port"] is True
    assert gunicorn_options("127.0.0.1", 0)["reuse_port"] is False
