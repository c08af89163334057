"""Redis-backed sessions against a real redis-server: sharing, outages, recovery, limits."""

from __future__ import annotations

import threading
import time

import pytest
import redis

from bot.server.app import create_app
from bot.sessions import open_store
from bot.sessions.base import SessionState
from bot.sessions.redis import RedisStore, StoreUnavailable
from bot.settings import Settings
from tests.prod_support import REDIS_BIN, RedisServer, write_content

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(REDIS_BIN is None, reason="redis-server binary not installed (scripts/test.sh installs it)"),
]

MEMORY_LOST = "lost track of our earlier messages"
NOTICE = "not medical advice"


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def content(tmp_path):
    return write_content(tmp_path / "content")


def make_app(content, redis_url: str, **overrides):
    overrides.setdefault("unanswered_url", redis_url)  # as Settings.from_env does with REDIS_URL
    settings = Settings(content_root=str(content), redis_url=redis_url, **overrides)
    return create_app(settings).test_client()


def say(client, session: str, text: str) -> dict:
    response = client.post("/api/chat", json={"session_id": session, "text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def texts(body: dict) -> str:
    return "\n".join(m["text"] for m in body["messages"])


def test_open_store_picks_redis_from_url(redis_server):
    store = open_store(redis_server.url)
    assert isinstance(store, RedisStore)
    assert store.ping()


def test_store_protocol_round_trip(redis_server):
    store = RedisStore(redis_server.url, prefix="t1:")
    assert store.load("a") is None
    store.save("a", SessionState(topic="angioplasty", intent="what_is", turns=2), ttl=60)
    state = store.load("a")
    assert state is not None and (state.topic, state.intent, state.turns) == ("angioplasty", "what_is", 2)
    assert 0 < store.client.ttl("t1:s:a") <= 60
    store.delete("a")
    assert store.load("a") is None

    assert store.first_time("msg-1", ttl=60) is True
    assert store.first_time("msg-1", ttl=60) is False
    assert [store.hit("k", 60) for _ in range(3)] == [1, 2, 3]
    assert 0 < store.client.ttl("t1:hit:k") <= 60


def test_store_reports_outage_and_fails_open_for_dedupe_and_limits(redis_server):
    store = RedisStore(redis_server.url)
    redis_server.kill()
    with pytest.raises(StoreUnavailable):
        store.load("a")
    with pytest.raises(StoreUnavailable):
        store.save("a", SessionState(), 60)
    assert store.ping() is False and store.down
    assert store.first_time("m", 60) is True  # never drop a patient's message because Redis is down
    assert store.hit("k", 60) == 0
    redis_server.start()
    assert store.ping() is True and not store.down  # reconnects without a restart


def test_breaker_fails_fast_during_an_outage_then_dials_again(redis_server):
    now = [100.0]
    store = RedisStore(redis_server.url, retry_interval=5.0, clock=lambda: now[0])
    store.save("a", SessionState(topic="angioplasty"), 60)
    redis_server.kill()
    with pytest.raises(StoreUnavailable):
        store.load("a")
    redis_server.start()
    with pytest.raises(StoreUnavailable, match="circuit open"):  # no dialling inside the interval
        store.load("a")
    now[0] += 5.0
    assert store.load("a") is None  # dials again (a fresh, empty Redis) and works
    assert not store.down


def test_two_instances_keep_one_conversation(redis_server, content):
    a = make_app(content, redis_server.url)
    b = make_app(content, redis_server.url)
    first = say(a, "shared-1", "what is angioplasty?")
    assert (first["intent"], first["topic_id"]) == ("what_is", "angioplasty")
    assert NOTICE in texts(first)

    second = say(b, "shared-1", "how is it done?")  # the other instance knows the topic
    assert (second["intent"], second["topic_id"]) == ("how_done", "angioplasty")
    assert NOTICE not in texts(second)  # and that the notice was already given

    third = say(a, "shared-1", "what is a colonoscopy?")
    fourth = say(b, "shared-1", "how is it done?")
    assert third["topic_id"] == fourth["topic_id"] == "colonoscopy"
    assert fourth["intent"] == "how_done"


def test_redis_killed_mid_conversation_then_memory_resumes(redis_server, content):
    client = make_app(content, redis_server.url)
    assert say(client, "outage-1", "what is angioplasty?")["topic_id"] == "angioplasty"
    assert client.get("/readyz").status_code == 200

    redis_server.kill()
    during = [say(client, "outage-1", "what is a colonoscopy?"),
              say(client, "outage-1", "what is angioplasty?"),
              say(client, "outage-1", "how is it done?")]
    assert [d["topic_id"] for d in during[:2]] == ["colonoscopy", "angioplasty"]  # answers continue
    notes = [texts(d).count(MEMORY_LOST) for d in during]
    assert notes == [1, 0, 0]  # said once per outage, not on every turn
    assert all(NOTICE not in texts(d) for d in during[1:])
    assert say(client, "outage-other", "what is angioplasty?")["messages"][-1]["text"].count(MEMORY_LOST) == 1
    assert client.get("/readyz").status_code == 503

    redis_server.start()  # empty: started with --save "" --appendonly no
    assert client.get("/readyz").status_code == 200  # the probe dials at once and closes the breaker
    after = say(client, "outage-1", "what is a colonoscopy?")
    assert after["topic_id"] == "colonoscopy" and MEMORY_LOST not in texts(after)
    follow = say(client, "outage-1", "how is it done?")
    assert (follow["intent"], follow["topic_id"]) == ("how_done", "colonoscopy")  # memory resumed

    redis_server.kill()  # a second outage is news again
    again = say(client, "outage-1", "what is angioplasty?")
    assert texts(again).count(MEMORY_LOST) == 1


def test_rate_limit_is_shared_across_instances(redis_server, content):
    a = make_app(content, redis_server.url, rate_limit_per_minute=3, ip_rate_limit_per_minute=1000)
    b = make_app(content, redis_server.url, rate_limit_per_minute=3, ip_rate_limit_per_minute=1000)
    statuses = []
    for client in (a, b, a, b):
        response = client.post("/api/chat", json={"session_id": "limited", "text": "what is angioplasty?"})
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]
    limited = b.post("/api/chat", json={"session_id": "limited", "text": "hi"})
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert limited.get_json()["error"]["code"] == "rate_limited"
    # Another patient is not affected.
    assert a.post("/api/chat", json={"session_id": "other", "text": "hi"}).status_code == 200


def test_ip_rate_limit_is_shared_across_instances(redis_server, content):
    a = make_app(content, redis_server.url, rate_limit_per_minute=1000, ip_rate_limit_per_minute=4)
    b = make_app(content, redis_server.url, rate_limit_per_minute=1000, ip_rate_limit_per_minute=4)
    statuses = [c.post("/api/chat", json={"session_id": f"ip-{i}", "text": "hi"}).status_code
                for i, c in enumerate((a, b, a, b, a))]
    assert statuses == [200, 200, 200, 200, 429]


def test_unanswered_log_is_shared_capped_and_expiring(redis_server):
    from bot.sessions.redis import RedisUnansweredLog
    from bot.unanswered import UnansweredRecord, open_unanswered_log

    import time

    now = [time.time()]
    a = RedisUnansweredLog(redis_server.url, cap=3, clock=lambda: now[0])
    b = open_unanswered_log(redis_server.url)
    assert isinstance(b, RedisUnansweredLog)
    for i in range(4):
        a.add(UnansweredRecord(text=f"question {i}", kind="fallback", at=now[0], expires_at=now[0] + 500 + i))
    assert [r.text for r in a.recent(10)] == ["question 3", "question 2", "question 1"]  # capped at 3
    assert [r.id for r in a.all()] == [2, 3, 4]
    assert b.count() == 3  # another instance sees the same log
    now[0] += 501.5  # question 1 expired
    assert a.count() == 2 and a.purge() == 1 and a.client.llen(a.key) == 2
    assert 0 < a.client.ttl(a.key) <= 503

    redis_server.kill()
    a.add(UnansweredRecord(text="lost", kind="fallback", at=now[0], expires_at=now[0] + 50))  # dropped, no error
    assert a.recent() == [] and a.count() == 0


def test_redis_url_shares_the_unanswered_log_unless_set_on_purpose():
    assert Settings.from_env({"REDIS_URL": "redis://h:1/0"}).unanswered_url == "redis://h:1/0"
    explicit = Settings.from_env({"REDIS_URL": "redis://h:1/0", "HEALTHBOT_UNANSWERED_URL": "memory://"})
    assert explicit.unanswered_url == "memory://"
    assert Settings.from_env({}).unanswered_url.startswith("sqlite:")


def test_unanswered_questions_from_two_instances_land_in_one_log(redis_server, content):
    settings = Settings(content_root=str(content), redis_url=redis_server.url, unanswered_url=redis_server.url)
    a, b = create_app(settings), create_app(settings)
    a.test_client().post("/api/chat", json={"session_id": "u1", "text": "blorp zint?"})
    b.test_client().post("/api/chat", json={"session_id": "u2", "text": "quazzle frip?"})
    log_a, log_b = a.extensions["healthbot"].unanswered, b.extensions["healthbot"].unanswered
    deadline = time.monotonic() + 5  # b's turn is written behind its reply, within a fraction of a second
    while len(log_a.all()) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [r.kind for r in log_a.all()] == ["fallback", "fallback"]
    assert log_b.count() == 2


def test_redis_outbox_semantics_and_hand_over(redis_server, tmp_path):
    """The outbox shared through Redis: a job left by a stopped instance is sent by another."""
    from bot.channels.outbox import RedisOutbox, open_outbox
    from bot.channels.sender import Outbound, Response, Sender
    from tests.channels.test_outbox import check_outbox_semantics

    assert isinstance(open_outbox(redis_server.url), RedisOutbox)
    check_outbox_semantics(RedisOutbox(redis_server.url, prefix="semantics:"))

    sent: list[Outbound] = []
    token = "xoxb-redis-test-token"
    hang = threading.Event()

    def stuck(request, timeout):  # does not finish while the test runs: as good as dead
        hang.wait(30)
        return Response(200, {}, b"{}")

    stopped = Sender(workers=1, outbox=RedisOutbox(redis_server.url), secrets=[token], lease=0.5, transport=stuck)
    stopped.submit([Outbound("slack", "http://127.0.0.1:9/chat.postMessage", {"text": "hello"},
                             {"Authorization": f"Bearer {token}"}, action="chat.postMessage")])
    stopped._stop.set()  # its keeper stops renewing, as a killed process's would
    client = redis.Redis.from_url(redis_server.url)
    stored = b"".join(client.dump(k) or b"" for k in client.keys("healthbot:outbox*"))
    assert b"hello" in stored and token.encode() not in stored

    def record(request, timeout):
        sent.append(request)
        return Response(200, {}, b"{}")

    taker = Sender(workers=1, outbox=RedisOutbox(redis_server.url), secrets=[token], lease=0.5, transport=record)
    taker.start()
    deadline = time.monotonic() + 10
    while not sent and time.monotonic() < deadline:
        time.sleep(0.05)
    taker.flush()
    taker.close()
    hang.set()
    stopped.close()
    assert [r.headers["Authorization"] for r in sent] == [f"Bearer {token}"]
    assert taker.stats.recovered == 1 and RedisOutbox(redis_server.url).pending() == 0
