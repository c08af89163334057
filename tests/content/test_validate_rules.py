"""Every validation rule, each with a fixture that breaks exactly that rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.load import load_content
from bot.content.validate import default_checks, reading_grade, syllables
from tests.contentkit import TODAY, edit, write_content


def _load(root: Path, **limits):
    return load_content(root, checks=default_checks(today=TODAY, **limits))


def _only(problems, rule: str):
    found = [p for p in problems if p.rule == rule]
    assert found, f"no {rule!r} problem in {[str(p) for p in problems]}"
    return found


def test_sample_content_is_clean(tmp_path):
    content = _load(write_content(tmp_path))
    assert content.ok, [str(e) for e in content.errors]
    assert not content.warnings, [str(w) for w in content.warnings]


def test_bad_yaml_names_file_line_and_fix(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/angioplasty.yaml", "kind: procedure", "kind: procedure\n  oops: [unclosed")
    err = _only(_load(root).errors, "schema")[0]
    assert err.file == "data/topics/angioplasty.yaml"
    assert err.line in (3, 4)
    assert "not valid YAML" in err.message and err.fix


def test_missing_required_field_points_at_file(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "title: Stent Care\n", "")
    err = _only(_load(root).errors, "schema")[0]
    assert (err.file, err.message) == ("data/topics/stent-care.yaml", "'title' is missing")
    assert "title:" in err.fix


@pytest.mark.parametrize("rel, old, new, line, message, fix", [
    # A misspelt optional field would drop its names without a word.
    ("data/topics/angioplasty.yaml", "also_called:", "also_caled:", 4,
     "'also_caled' is not a field of a topic", "did you mean 'also_called'?"),
    ("data/topics/angioplasty.yaml", "    sources: [mplus]\n  how_done", "    source: [mplus]\n  how_done", 12, "'source' is not a field of an answer", "did you mean 'sources'?"),
    ("data/topics/angioplasty.yaml", "publisher: MedlinePlus,", "publisher: MedlinePlus, date: 2020,", 8,
     "'date' is not a field of a source", "use one of: title, publisher, url"),
    ("intents/how_done.yaml", "weight: 1.0}", "weigth: 1.0}", 7, "'weigth' is not a field of a cue", "did you mean 'weight'?"),
    ("intents/how_done.yaml", "examples:", "exmaples:", 8, "'exmaples' is not a field of an intent", "did you mean 'examples'?"),
    ("data/safety/red-flags.yaml", "kind: emergency", "kind: emergency\n    topic: [angioplasty]", 8,
     "'topic' is not a field of a safety rule", "did you mean 'topics'?"),
    # Unquoted commas in { } split a value: the publisher loses its end, and the rest looks like fields.
    ("data/topics/angioplasty.yaml", "publisher: MedlinePlus,", "publisher: National Heart, Lung,", 8,
     "'Lung' is not a field of a source", "a comma inside { } starts a new field: put quotes around a value with a comma in it"),
])
def test_a_field_the_entry_does_not_have_is_an_error_with_the_closest_field(tmp_path, rel, old, new, line, message, fix):
    root = write_content(tmp_path)
    edit(root, rel, old, new)
    errors = [e for e in _load(root).errors if "is not a field" in e.message]
    assert [(e.file, e.line, e.message, e.fix) for e in errors] == [(rel, line, message, fix)]


def test_near_duplicate_examples_across_intents_report_pair_and_score(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "- what happens during {topic}", "- what is a {topic}")
    warn = _only(_load(root).warnings, "near-duplicate")[0]
    # the pair: one side is where the warning points, the other is named with its file:line
    where = {f"{warn.file}:{warn.line}"} | {part.split(")")[0] for part in warn.message.split("(")[1:]}
    assert {"intents/how_done.yaml:11", "intents/what_is.yaml:10"} <= where
    assert "'what is a {topic}'" in warn.message and "'what is {topic}'" in warn.message
    assert "score 9" in warn.message  # fuzzy, not identical


def test_same_example_within_one_intent_is_not_a_cross_intent_duplicate(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/what_is.yaml", "- can you explain {topic}", "- what is {topic}?")
    assert not [w for w in _load(root).warnings if w.rule == "near-duplicate"]


def test_also_called_name_shared_by_two_topics(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "[caring for a stent]", "[caring for a stent, Balloon Angioplasty]")
    err = _only(_load(root).errors, "shared-name")[0]
    assert "balloon angioplasty" in err.message and "angioplasty" in err.message
    assert err.file.endswith(("stent-care.yaml", "angioplasty.yaml"))


def test_a_broad_name_is_owned_by_one_topic_too(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "[caring for a stent]", "[caring for a stent]\nbroad_names: [balloon angioplasty]")
    err = _only(_load(root).errors, "shared-name")[0]
    assert "balloon angioplasty" in err.message


def test_a_broad_name_may_be_shared_by_topics_about_high_and_low_readings(tmp_path):
    # "BP" beside "85/50" means the low-readings topic, beside "150/95" the high one.
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "[caring for a stent]", "[caring for a stent]\nbroad_names: [BP]\nreading: low")
    edit(root, "data/topics/angioplasty.yaml", "related: [stent-care]", "related: [stent-care]\nbroad_names: [BP]\nreading: high")
    assert not [e for e in _load(root).errors if e.rule == "shared-name"]
    edit(root, "data/topics/angioplasty.yaml", "reading: high", "reading: low")
    assert "'bp'" in _only(_load(root).errors, "shared-name")[0].message


def test_an_unknown_reading_names_the_line_and_the_choices(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "[caring for a stent]", "[caring for a stent]\nreading: raised")
    err = next(e for e in _load(root).errors if "reading" in e.message)
    assert err.file == "data/topics/stent-care.yaml" and err.line > 1
    assert "reading: high" in err.fix and "reading: low" in err.fix


@pytest.mark.parametrize("entry", ["chest pain", "chest + sharp pain", "chest + the/pain"])
def test_a_bad_described_as_entry_names_the_line_and_shows_the_form(tmp_path, entry):
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "[caring for a stent]",
         f'[caring for a stent]\ndescribed_as:\n  - "stent + sore/red"\n  - "{entry}"')
    [err] = [e for e in _load(root).errors if "described_as" in e.message]
    assert err.file == "data/topics/stent-care.yaml"
    text = (root / err.file).read_text(encoding="utf-8").splitlines()
    assert entry in text[err.line - 1]  # the line of the bad entry, not the first one
    assert "'chest + pain/ache/pressure'" in err.fix


def test_related_topic_that_does_not_exist(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/angioplasty.yaml", "related: [stent-care]", "related: [stent-care, heart-atack]")
    err = _only(_load(root).errors, "reference")[0]
    assert (err.file, err.line) == ("data/topics/angioplasty.yaml", 6)
    assert "'heart-atack' does not exist" in err.message


def test_follow_up_that_does_not_exist(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/what_is.yaml", "follow_ups: [how_done]", "follow_ups: [how_done, recovery]")
    err = _only(_load(root).errors, "reference")[0]
    assert err.file == "intents/what_is.yaml" and "'recovery' does not exist" in err.message


def test_answer_without_source(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/angioplasty.yaml",
         "A thin tube goes into a blood vessel. The doctor guides it to the heart.\n    sources: [mplus]",
         "A thin tube goes into a blood vessel. The doctor guides it to the heart.")
    errors = _load(root).errors
    assert any(e.message == "answer 'how_done' has no source" and e.line == 13 for e in errors), errors


def test_source_url_that_is_not_https(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "https://www.nhlbi", "http://www.nhlbi")
    err = _only(_load(root).errors, "schema")[0]
    assert err.line == 8 and "not https" in err.message and "https://" in err.fix


def test_old_review_date_is_a_warning_and_period_is_configurable(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "reviewed: 2026-11-20", "reviewed: 2024-01-15")
    warn = _only(_load(root).warnings, "review-age")[0]
    assert warn.file == "data/topics/stent-care.yaml" and warn.line == 5
    assert not [w for w in _load(root, max_review_age_days=5000).warnings if w.rule == "review-age"]


def test_missing_review_date_is_an_error(tmp_path):
    root = write_content(tmp_path)
    edit(root, "data/topics/stent-care.yaml", "reviewed: 2026-11-20\n", "")
    errors = _load(root).errors
    assert any("review date" in e.message and e.file == "data/topics/stent-care.yaml" for e in errors)


def test_reading_grade_above_limit_is_a_warning_with_the_grade(tmp_path):
    root = write_content(tmp_path)
    hard = ("Percutaneous transluminal coronary angioplasty constitutes a minimally invasive "
            "revascularization intervention utilizing intravascular catheterization methodologies.")
    edit(root, "data/topics/angioplasty.yaml",
         "It opens a blocked blood vessel. A small balloon pushes it open.", hard)
    warn = _only(_load(root).warnings, "reading-grade")[0]
    assert warn.line == 11 and "answer 'what_is' reads at grade" in warn.message
    grade = float(warn.message.split("grade ")[1].split(",")[0])
    assert grade > 15
    assert not [w for w in _load(root, reading_grade_max=80).warnings if w.rule == "reading-grade"]


def test_intent_with_too_few_examples(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "  - what happens during {topic}\n  - walk me through the {topic} procedure\n", "")
    warn = _only(_load(root).warnings, "examples")[0]
    assert warn.file == "intents/how_done.yaml" and "2 examples" in warn.message


@pytest.mark.parametrize("word,count", [
    ("heart", 1), ("stroke", 1), ("blocked", 1), ("artery", 3), ("table", 2),
    ("medicine", 3), ("radiation", 4), ("angioplasty", 5), ("opened", 2),
])
def test_syllable_counter(word, count):
    assert syllables(word) == count


def test_reading_grade_orders_plain_and_dense_text():
    plain = "The heart is a pump. It moves blood. You can feel it beat."
    dense = ("Cardiovascular rehabilitation incorporates individualized physiological conditioning "
             "alongside comprehensive educational interventions regarding pharmacological adherence.")
    assert reading_grade(plain) < 4 < 14 < reading_grade(dense)


def test_cli_strict_turns_warnings_into_errors_and_json_lists_them(tmp_path, capsys, monkeypatch):
    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "- what happens during {topic}", "- what is a {topic}")
    monkeypatch.delenv("HEALTHBOT_REVIEW_MAX_AGE_DAYS", raising=False)
    assert main(["--content", str(root), "validate"]) == 0
    out = capsys.readouterr().out
    assert "warning: example 'what is {topic}'" in out and "'what is a {topic}'" in out
    assert main(["--content", str(root), "validate", "--strict"]) == 1
    assert "FAILED" in capsys.readouterr().out
    assert main(["--content", str(root), "validate", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["errors"] == []
    assert {w["rule"] for w in data["warnings"]} >= {"near-duplicate"}
    assert all({"file", "line", "message", "fix", "severity"} <= set(w) for w in data["warnings"])


def test_cli_reading_grade_limit_comes_from_settings(tmp_path, capsys, monkeypatch):
    root = write_content(tmp_path)
    monkeypatch.setenv("HEALTHBOT_READING_GRADE_MAX", "-5")
    assert main(["--content", str(root), "validate", "--strict"]) == 1
    assert "reads at grade" in capsys.readouterr().out


@pytest.mark.parametrize(("key", "target_message", "fix_names"), [
    ("reads_as", "reads_as intent 'dosing' does not exist", "intents/"),
    ("answer_for", "answer_for answer 'dosing' is not an answer", "what_is"),
])
def test_kind_mappings_must_name_a_topic_kind_and_a_target(tmp_path, key, target_message, fix_names):
    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "ask: How is it done?", f"ask: How is it done?\n{key}: {{medicine: dosing, drug: what_is}}")
    content = _load(root)
    kind_error = next(e for e in content.errors if "'drug' is not a topic kind" in e.message)
    assert (kind_error.file, kind_error.line) == ("intents/how_done.yaml", 6) and "medicine" in kind_error.fix
    target_error = next(e for e in content.errors if target_message in e.message)
    assert target_error.file == "intents/how_done.yaml" and fix_names in target_error.fix


def test_prefers_must_name_topic_kinds(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "ask: How is it done?", "ask: How is it done?\nprefers: [procedure, drug]")
    error = next(e for e in _load(root).errors if "'drug' is not a topic kind" in e.message)
    assert (error.file, error.line) == ("intents/how_done.yaml", 6) and "medicine" in error.fix


def test_compares_must_be_true_or_false(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "ask: How is it done?", "ask: How is it done?\ncompares: yes please")
    error = next(e for e in _load(root).errors if "'compares' must be true or false" in e.message)
    assert (error.file, error.line) == ("intents/how_done.yaml", 6) and "compares: true" in error.fix


def test_without_topic_must_be_true_or_false(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/greet.yaml", "kind: fixed", "kind: fixed\nwithout_topic: sometimes")
    error = next(e for e in _load(root).errors if "'without_topic' must be true or false" in e.message)
    assert (error.file, error.line) == ("intents/greet.yaml", 4) and "without_topic: true" in error.fix


def test_a_directory_entry_may_list_keywords_staff_add(tmp_path):
    root = write_content(tmp_path)
    (root / "data" / "directory").mkdir(parents=True, exist_ok=True)
    (root / "data" / "directory" / "extra.yaml").write_text(
        "topics:\n  - {title: Panic Disorder, keywords: [panic attack]}\n", encoding="utf-8")
    content = _load(root)
    assert not content.errors
    entry = next(e for e in content.directory if e.title == "Panic Disorder")
    assert "panic attack" in entry.names


def test_a_directory_entry_may_give_its_page_which_must_be_https(tmp_path):
    root = write_content(tmp_path)
    (root / "data" / "directory").mkdir(parents=True, exist_ok=True)
    (root / "data" / "directory" / "extra.yaml").write_text(
        "topics:\n"
        "  - {title: Panic Disorder, url: \"https://medlineplus.gov/panicdisorder.html\"}\n"
        "  - {title: Psoriasis, url: \"http://medlineplus.gov/psoriasis.html\"}\n", encoding="utf-8")
    content = _load(root)
    assert next(e for e in content.directory if e.title == "Panic Disorder").url == "https://medlineplus.gov/panicdisorder.html"
    error = next(e for e in content.errors if "url is not https" in e.message)
    assert (error.file, error.line) == ("data/directory/extra.yaml", 3) and "https://" in error.fix


def test_only_an_intent_answered_from_topics_can_compare(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/greet.yaml", "kind: fixed", "kind: fixed\ncompares: true")
    error = next(e for e in _load(root).errors if "only an intent answered from topics" in e.message)
    assert (error.file, error.line) == ("intents/greet.yaml", 4) and "kind: topic" in error.fix


RECOVERY_INTENT = """\
id: recovery
description: What to expect afterwards.
kind: topic
answer: recovery
cues:
  - {pattern: '\\brecovery\\b', weight: 1.0}
examples:
  - how long is recovery from {topic}
  - what is recovery like after {topic}
  - when can i go back to work after {topic}
"""


def test_a_name_that_is_another_name_plus_a_question_is_a_warning(tmp_path):
    root = write_content(tmp_path, {"intents/recovery.yaml": RECOVERY_INTENT})
    edit(root, "data/topics/angioplasty.yaml", "also_called: [balloon angioplasty, PCI]",
         "also_called: [balloon angioplasty, PCI, angioplasty recovery, PCI procedure]")
    warning = _only(_load(root).warnings, "question-in-name")
    assert len(warning) == 1  # "PCI procedure" asks nothing; "angioplasty recovery" hides a recovery question
    assert (warning[0].file, warning[0].line) == ("data/topics/angioplasty.yaml", 4)
    assert "'angioplasty recovery' is 'angioplasty' plus a question (recovery)" in warning[0].message
    assert warning[0].fix == "remove it; 'angioplasty' already names the topic"


@pytest.mark.parametrize("value", ["high", 1.5, -0.1, "true"])
def test_min_score_must_be_a_fraction(tmp_path, value):
    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "ask: How is it done?", f"ask: How is it done?\nmin_score: {value}")
    err = next(e for e in _load(root).errors if "min_score" in e.message)
    assert (err.file, err.line) == ("intents/how_done.yaml", 6) and err.fix == "e.g. 'min_score: 0.6'"


def test_counts_as_must_be_a_label_name(tmp_path):
    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "ask: How is it done?", "ask: How is it done?\ncounts_as: Learn More")
    err = next(e for e in _load(root).errors if "counts_as" in e.message)
    assert (err.file, err.line) == ("intents/how_done.yaml", 6)
    assert err.fix == "write it in lower-case letters and underscores, e.g. 'counts_as: learn_more'"


def test_every_message_the_bot_shows_can_be_set_and_a_misspelt_one_is_an_error(tmp_path):
    from bot.content.schema import MESSAGE_KEYS
    from bot.core.compose import DEFAULT_MESSAGES

    assert set(DEFAULT_MESSAGES) <= set(MESSAGE_KEYS)
    root = write_content(tmp_path)
    (root / "data" / "messages.yaml").write_text("fallback: Sorry.\nfalback: Sorry again.\n", encoding="utf-8")
    errors = [(e.file, e.line, e.message, e.fix) for e in _load(root).errors]
    assert errors == [("data/messages.yaml", 2, "'falback' is not a field of the messages file", "did you mean 'fallback'?")]
