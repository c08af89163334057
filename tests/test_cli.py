"""The ``healthbot`` command: validate, ask --json, eval --json."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import REPO


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok_on_shipped_content(capsys) -> None:
    code, out, _ = run(capsys, "--content", str(REPO), "validate")
    assert code == 0, out
    assert re.search(r"^OK: \d+ topics, \d+ intents, 0 error\(s\)", out, re.M)


@pytest.fixture
def broken_copy(tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    shutil.copytree(REPO / "intents", root / "intents")
    shutil.copytree(REPO / "data", root / "data")
    topics = root / "data" / "topics"
    # 1. bad YAML on line 3
    (topics / "bad-yaml.yaml").write_text("id: bad-yaml\ntitle: Bad\nkind: procedure: surgery\n", encoding="utf-8")
    # 2. an answer without a source; 3. an unknown related topic
    text = (topics / "angioplasty.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^related: .*$", "related: [no-such-topic]", text, count=1, flags=re.M)
    text = re.sub(r"(\n  how_done:\n(?:    .*\n|      .*\n)*?)    sources: \[[^\]]*\]\n", r"\1", text, count=1)
    (topics / "angioplasty.yaml").write_text(text, encoding="utf-8")
    return root


def _line(path: Path, pattern: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(pattern, line):
            return n
    raise AssertionError(pattern)


def test_validate_broken_copy_names_each_error_with_file_and_line(capsys, broken_copy: Path) -> None:
    code, out, _ = run(capsys, "--content", str(broken_copy), "validate")
    assert code != 0
    angio = broken_copy / "data" / "topics" / "angioplasty.yaml"
    assert "data/topics/bad-yaml.yaml:3: this is not valid YAML" in out
    assert f"data/topics/angioplasty.yaml:{_line(angio, '^related:')}: related topic 'no-such-topic' does not exist" in out
    assert f"data/topics/angioplasty.yaml:{_line(angio, '^  how_done:')}: answer 'how_done' has no source" in out
    assert "FAILED" in out


def test_validate_json_format(capsys, broken_copy: Path) -> None:
    code, out, _ = run(capsys, "--content", str(broken_copy), "validate", "--format", "json")
    assert code != 0
    report = json.loads(out)
    assert report["ok"] is False
    assert {e["file"] for e in report["errors"]} >= {"data/topics/bad-yaml.yaml", "data/topics/angioplasty.yaml"}
    assert all(isinstance(e["line"], int) and e["line"] >= 1 for e in report["errors"])


def test_ask_json_stent_recovery(capsys) -> None:
    code, out, _ = run(capsys, "--content", str(REPO), "ask", "How long does it take to recover from a stent?", "--json")
    assert code == 0
    reply = json.loads(out)
    assert reply["intent"] == "recovery"
    assert reply["topic"] == "Angioplasty"
    assert 0.0 < reply["confidence"] <= 1.0
    assert any(m["role"] == "answer" and len(m["text"]) > 40 for m in reply["messages"])
    assert reply["citations"] and all(c["url"].startswith("https://") for c in reply["citations"])


def test_ask_plain_text(capsys, content_root: Path) -> None:
    code, out, _ = run(capsys, "--content", str(content_root), "ask", "what is angioplasty")
    assert code == 0
    assert "TEST-ANGIO-WHAT" in out and "https://medlineplus.gov/angioplasty.html" in out


def test_ask_on_invalid_content_exits_with_errors(capsys, broken_copy: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--content", str(broken_copy), "ask", "what is angioplasty"])
    assert exc.value.code != 0
    assert "bad-yaml.yaml:3" in capsys.readouterr().err


QUESTIONS = [
    # our own made-up questions over the test content in tests/conftest.py
    {"question": "what is a balloon angioplasty?", "intent": "what_is", "topic": "Angioplasty", "consumer_written": False},
    {"question": "how do they do an angioplasty", "intent": "how_done", "topic": "Angioplasty", "consumer_written": False},
    {"question": "my mom had a CABG last week, how long is recovery?", "intent": "recovery",
     "topic": "Coronary Artery Bypass Surgery", "consumer_written": True},
    {"question": "what is gout", "intent": "what_is", "topic": "Gout", "consumer_written": True},
]


def test_eval_json(capsys, content_root: Path, tmp_path: Path) -> None:
    data = tmp_path / "q.jsonl"
    data.write_text("\n".join(json.dumps(q) for q in QUESTIONS) + "\n", encoding="utf-8")
    details = tmp_path / "details.jsonl"
    code, out, _ = run(capsys, "--content", str(content_root), "eval", str(data), "--json", "--details", str(details))
    assert code == 0
    figures = json.loads(out)
    assert figures["n"] == 4
    assert figures["intent_accuracy"] == 1.0
    assert (figures["topic_n"], figures["topic_accuracy"]) == (3, 1.0)
    assert (figures["abstention_n"], figures["abstention"]) == (1, 1.0)
    assert figures["by_group"]["consumer"]["n"] == 2 and figures["by_group"]["templated"]["n"] == 2
    assert "confusion" in figures
    assert figures["sentence_model"] == ""  # measured without the optional model
    assert len(details.read_text().splitlines()) == 4


def test_eval_scores_an_intent_as_the_label_it_counts_as(capsys, content_root: Path, tmp_path: Path) -> None:
    """A fixed intent is "other" unless its file says which label it stands for."""
    (content_root / "intents" / "find_doctor.yaml").write_text(
        "id: find_doctor\nkind: fixed\nwith_learn_more: true\ncounts_as: learn_more\n"
        "reply: >\n  I can't recommend a particular doctor. Here is general information about {topic}:\n"
        "cues:\n  - {pattern: '\\brecommend a (good )?surgeon\\b', weight: 1.0}\n"
        "examples:\n  - recommend a surgeon for {topic}\n  - a good surgeon for {topic}\n  - best surgeon for {topic}\n",
        encoding="utf-8")
    data = tmp_path / "q.jsonl"
    data.write_text(json.dumps({"question": "can you recommend a good surgeon for angioplasty", "intent": "learn_more",
                                "topic": "Angioplasty"}) + "\n", encoding="utf-8")
    details = tmp_path / "details.jsonl"
    code, out, _ = run(capsys, "--content", str(content_root), "eval", str(data), "--json", "--details", str(details))
    assert code == 0
    row = json.loads(details.read_text())
    assert (row["bot_intent"], row["intent"]) == ("find_doctor", "learn_more")
    assert json.loads(out)["intent_accuracy"] == 1.0


def test_eval_bad_file_is_a_clear_error(capsys, content_root: Path, tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"question": "ok"}\nnot json\n', encoding="utf-8")
    code, _, err = run(capsys, "--content", str(content_root), "eval", str(data))
    assert code == 2
    assert "bad.jsonl:2" in err



def test_a_closed_pipe_ends_the_command_quietly(monkeypatch, tmp_path: Path) -> None:
    # "healthbot report | head -3": the reader goes away mid-output; the command stops, no traceback.
    import sys

    import bot.cli as cli

    def reader_gone(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(cli, "cmd_validate", reader_gone)
    with open(tmp_path / "out", "w") as out:
        monkeypatch.setattr(sys, "stdout", out)
        assert cli.main(["validate"]) == 1
