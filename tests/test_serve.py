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


@pytest.fixture
def server(tmp_path):
    content = write_content(tmp_path / "content")
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    env = dict(os.environ, HEALTHBOT_STORE_URL=f"sqlite:///{tmp_path}/sessions.db",
               HEALTHBOT_UNANSWERED_URL=f"sqlite:///{tmp_path}/unanswered.db", PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
               HEALTHBOT_RATE_LIMIT_PER_MINUTE="0", HEALTHBOT_IP_RATE_LIMIT_PER_MINUTE="0")
    env.pop("REDIS_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "--content", str(content), "serve", "--port", str(port),
         "--workers", "2", "--threads", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if _get(f"{base}/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        raise RuntimeError(proc.stderr.read().decode()[-2000:])
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
