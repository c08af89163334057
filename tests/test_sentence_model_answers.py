"""The engine with the optional sentence model, on the shipped content and its phrasings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.live import LiveContent
from bot.content.load import load_content
from bot.core import second_opinion
from bot.core.engine import Engine, understand
from bot.core.knowledge import build
from bot.core.models import Message
from bot.evaluation import evaluate, read_questions
from bot.sessions import MemoryStore

REPO = Path(__file__).resolve().parent.parent
#: No cue reads it surely (their best guess is recovery); the model reads what is asked: a side
#: effect. Its probability is about 0.57 in float32 and in int8 on CPUs with and without VNNI;
#: the int8 rounding differs between those CPUs, so an example near 0.4 is not a fair test.
UNSURE = "my knees swell since the amlodipine, anything known about that"
READS = "risks"


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def content():
    return load_content(REPO, checks=[])


@pytest.fixture(scope="module")
def knowledge(content, minilm, cache):
    return build(content, minilm, cache)


def test_it_is_trained_on_the_phrasings_and_may_only_name_answers(knowledge, content):
    opinion = knowledge.opinion
    assert opinion is not None
    assert set(opinion.classes) == opinion.answerable | {second_opinion.OTHER}
    assert {"what_is", "causes", "risks", "recovery", "treatment"} <= opinion.answerable
    assert not opinion.answerable & {"personal_advice", "practical", "emergency", "compare", "greet"}


def test_an_unclear_message_gets_the_answer_the_model_reads(knowledge, content):
    without = understand(build(content), UNSURE)
    assert without.intents[0][0] != READS and without.intents[0][1] < second_opinion.ASK_BELOW
    reply = Engine(knowledge, MemoryStore()).handle(Message(session_id="s", text=UNSURE))
    assert (reply.kind, reply.intent, reply.topic_id) == ("answer", READS, "blood-pressure-medicines")
    assert reply.debug["opinion"][0] == READS
    assert reply.citations


def test_a_clear_message_never_asks_the_model(knowledge):
    u = understand(knowledge, "what are the side effects of statins?")
    assert u.intents[0][0] == "risks" and u.opinion is None


def test_emergencies_come_first_with_the_model_too(knowledge):
    reply = Engine(knowledge, MemoryStore()).handle(
        Message(session_id="s", text="my husband has crushing chest pain right now and cannot breathe"))
    assert reply.kind == "emergency"


def test_it_reads_more_of_the_never_read_written_questions(knowledge, content):
    # Measured on 2026-11-27: 70.5% intent without the model, 75.4% with it.
    rows = read_questions([REPO / "tests" / "data" / "written-questions-5-kept-aside.jsonl"])
    base = evaluate(Engine(build(content), MemoryStore()), rows).figures["by_group"]["consumer"]
    model = evaluate(Engine(knowledge, MemoryStore()), rows).figures["by_group"]["consumer"]
    assert model["intent_accuracy"] >= 0.74
    assert model["intent_accuracy"] >= base["intent_accuracy"] + 0.03
    assert model["topic_accuracy"] >= base["topic_accuracy"]
    assert model["abstention"] >= base["abstention"]


def test_a_reload_retrains_it_on_added_phrasings(tmp_path, minilm, cache):
    root = tmp_path / "content"
    for folder in ("intents", "data"):
        shutil.copytree(REPO / folder, root / folder)
    live = LiveContent(root, checks=[], sentence_model=minilm, cache_dir=str(cache))
    first = live.current.opinion
    assert first is not None
    with open(root / "data" / "phrasings" / "staff.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"question": "what can make topic come back", "intent": "causes"}) + "\n")
    assert live.reload()
    assert live.current.opinion is not None and live.current.opinion is not first
    assert live.current.opinion.trained_on == first.trained_on + 1


def test_the_command_line_uses_the_configured_model(capsys, monkeypatch, minilm_folder, cache):
    monkeypatch.setenv("HEALTHBOT_SENTENCE_MODEL", str(minilm_folder))
    monkeypatch.setenv("HEALTHBOT_CACHE_DIR", str(cache))
    monkeypatch.setenv("HEALTHBOT_UNANSWERED_URL", "memory://")
    assert main(["--content", str(REPO), "ask", UNSURE, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == READS
    questions = REPO / "tests" / "data" / "written-questions-5-kept-aside.jsonl"
    assert main(["--content", str(REPO), "eval", str(questions)]) == 0
    # With the [model] extra installed, "auto" runs the layers in int8.
    assert capsys.readouterr().out.startswith(f"sentence model: {minilm_folder} (int8, trained on ")


def test_a_wrong_model_folder_is_a_configuration_error(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("HEALTHBOT_SENTENCE_MODEL", str(tmp_path / "nowhere"))
    monkeypatch.setenv("HEALTHBOT_UNANSWERED_URL", "memory://")
    assert main(["--content", str(REPO), "ask", "what is angina"]) == 2
    err = capsys.readouterr().err
    assert "configuration error: HEALTHBOT_SENTENCE_MODEL" in err and "Traceback" not in err


def test_an_unknown_precision_is_a_configuration_error(capsys, monkeypatch, minilm_folder):
    monkeypatch.setenv("HEALTHBOT_SENTENCE_MODEL", str(minilm_folder))
    monkeypatch.setenv("HEALTHBOT_SENTENCE_PRECISION", "fast")
    monkeypatch.setenv("HEALTHBOT_UNANSWERED_URL", "memory://")
    assert main(["--content", str(REPO), "ask", "what is angina"]) == 2
    err = capsys.readouterr().err
    assert "configuration error: HEALTHBOT_SENTENCE_PRECISION='fast' is not one of auto, int8, float32" in err
    assert "Traceback" not in err


def test_the_conversation_tests_pass_with_the_model_too(knowledge, content):
    from bot.content.convtest import run_files

    result = run_files([REPO / "tests" / "conversations"], lambda: Engine(knowledge, MemoryStore()), content, REPO)
    assert result.ok and result.turns, [t.diff() for t in result.failures]


def test_fragments_and_short_statements_keep_the_cues_reading(knowledge):
    # The conversation explains "and ischemic?"; a worry said outright is met with a question back.
    for text in ("and ischemic?", "i'm worried about my dad's heart attack"):
        assert understand(knowledge, text).opinion is None, text


def test_training_reads_a_phrasing_as_a_message_without_scoring_it(knowledge):
    full, reading = understand(knowledge, UNSURE), understand(knowledge, UNSURE, intents=False)
    assert reading.masked == full.masked and "topic" in reading.masked
    assert reading.intents == [] and reading.opinion is None


def test_operators_see_what_the_model_said_without_the_patients_words(minilm_folder, cache):
    import io
    import logging

    from bot.logging import configure_logging
    from bot.server.app import create_app
    from bot.settings import Settings
    from tests.test_ops import metric

    stream = io.StringIO()
    handler = configure_logging("INFO", stream)
    try:
        app = create_app(Settings(content_root=str(REPO), store_url="memory://", unanswered_url="memory://",
                                  sentence_model=str(minilm_folder), cache_dir=str(cache), admin_token="t0ken"))
        client = app.test_client()
        for session, text in (("a", UNSURE), ("b", "what are the side effects of statins?")):
            assert client.post("/api/chat", json={"session_id": session, "text": text}).status_code == 200
        body = client.get("/metrics").get_data(as_text=True)
    finally:
        logging.getLogger().removeHandler(handler)
    status = client.get("/admin/status", headers={"Authorization": "Bearer t0ken"}).get_json()
    assert status["sentence_model"]["precision"] == "int8" and status["sentence_model"]["trained_on"] > 1500
    assert metric(body, "healthbot_second_opinions_total", result="followed") == 1  # the clear one was not read
    assert metric(body, "healthbot_second_opinions_total", result="not_followed") == 0
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    opinions = [e["scores"]["opinion"] for e in entries if e["logger"] == "healthbot.access"]
    assert opinions[0][0] == READS and 0.4 <= opinions[0][1] <= 1 and opinions[1] is None
    assert "grandma" not in stream.getvalue()
