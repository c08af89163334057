"""data/phrasings/*.jsonl: labelled patient questions, checked like any other content."""

from __future__ import annotations

import json
from pathlib import Path

from bot.content.load import content_files, fingerprint, load_content
from tests.contentkit import TODAY, write_content

REPO = Path(__file__).resolve().parents[2]


def _errors(root: Path) -> list[str]:
    return [str(e) for e in load_content(root, today=TODAY).errors]


def test_the_shipped_phrasings_load_without_a_problem():
    content = load_content(REPO, checks=[])
    assert not [e for e in content.errors if e.rule == "phrasings"]
    assert len(content.phrasings) > 1500
    labels = {p.intent for p in content.phrasings}
    assert "other" in labels and labels - {"other"} <= set(content.intents)


def test_a_phrasing_file_is_content(tmp_path):
    root = write_content(tmp_path, {"data/phrasings/mine.jsonl": json.dumps(
        {"question": "how long  until I   can drive?", "intent": "what_is", "topic": "ignored"}) + "\n\n"})
    content = load_content(root, today=TODAY)
    assert content.ok, content.errors
    assert [(p.intent, p.text) for p in content.phrasings] == [("what_is", "how long until I can drive?")]
    assert root / "data" / "phrasings" / "mine.jsonl" in content_files(root)


def test_each_bad_line_is_named_with_its_fix(tmp_path):
    lines = [
        '{"question": "fine", "intent": "other"}',
        '{"question": "no closing quote, "intent": "other"}',
        '["a", "list"]',
        '{"intent": "what_is"}',
        '{"question": "a misspelt label", "intent": "what_iss"}',
        '{"question": "an unknown label", "intent": "dosage"}',
    ]
    root = write_content(tmp_path, {"data/phrasings/mine.jsonl": "\n".join(lines) + "\n"})
    errors = _errors(root)
    assert len(errors) == 5, errors
    assert errors[0].startswith("data/phrasings/mine.jsonl:2:") and "not valid JSON" in errors[0]
    assert errors[1].startswith("data/phrasings/mine.jsonl:3:") and "not a {...} object" in errors[1]
    assert errors[2].startswith("data/phrasings/mine.jsonl:4:") and "no 'question'" in errors[2]
    assert errors[3].startswith("data/phrasings/mine.jsonl:5:") and "did you mean 'what_is'?" in errors[3]
    assert errors[4].startswith("data/phrasings/mine.jsonl:6:") and "use an intent id or 'other'" in errors[4]


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    root = write_content(tmp_path)
    (root / "data" / "phrasings").mkdir(parents=True)
    (root / "data" / "phrasings" / "latin1.jsonl").write_bytes('{"question": "caf\xe9"}'.encode("latin-1"))
    assert any(e.startswith("data/phrasings/latin1.jsonl:1:") and "not UTF-8" in e for e in _errors(root))


def test_editing_a_phrasing_file_changes_the_fingerprint(tmp_path):
    root = write_content(tmp_path, {"data/phrasings/mine.jsonl": '{"question": "a", "intent": "other"}\n'})
    before = fingerprint(root)
    (root / "data" / "phrasings" / "mine.jsonl").write_text('{"question": "a longer one", "intent": "other"}\n')
    assert fingerprint(root) != before
