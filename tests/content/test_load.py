"""Content loading: every problem names its file and line, and loading never raises."""

from __future__ import annotations

import textwrap
from pathlib import Path

from bot.content.load import load_content
from bot.content.schema import Content, ContentError
from tests.conftest import REVIEWED, TOPICS

GOOD = textwrap.dedent(TOPICS["blood-thinners"])


def put(root: Path, name: str, text: str) -> Path:
    path = root / "data" / "topics" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def errors_in(content: Content, file: str) -> list[ContentError]:
    return [e for e in content.errors if e.file == file]


def test_shipped_style_content_loads_clean(content: Content) -> None:
    assert content.ok
    assert set(content.topics) == {"angioplasty", "coronary-artery-bypass-surgery", "blood-thinners"}
    assert {"what_is", "how_done", "recovery", "learn_more", "greet"} <= set(content.intents)
    assert content.safety and "en-US" in content.locales
    topic = content.topics["angioplasty"]
    assert topic.sources["mplus"].url == "https://medlineplus.gov/angioplasty.html"
    assert topic.answers["what_is"].sources == ("mplus",)
    assert topic.answers["learn_more"].links == ("mplus", "nhlbi")


def test_bad_yaml_names_file_and_line(content_root: Path) -> None:
    path = put(content_root, "broken.yaml", """\
        id: broken
        title: Broken
        kind: procedure: surgery
        reviewed: 2026-01-01
        """)
    content = load_content(content_root)
    assert not content.ok
    [err] = errors_in(content, "data/topics/broken.yaml")
    assert "not valid YAML" in err.message
    assert err.line == line_of(path, "kind:")
    assert str(err).startswith(f"data/topics/broken.yaml:{err.line}: ")
    assert err.fix  # tells staff what to do


def test_bad_indentation_names_its_line(content_root: Path) -> None:
    path = put(content_root, "indent.yaml", "id: indent\ntitle: Indent\n  kind: procedure\nreviewed: 2026-01-01\n")
    [err] = errors_in(load_content(content_root), "data/topics/indent.yaml")
    assert err.line in (line_of(path, "kind"), line_of(path, "reviewed"))


def test_answer_without_source(content_root: Path) -> None:
    path = put(content_root, "blood-thinners.yaml", GOOD.replace(
        "    sources: [mplus]\n", "", 1))
    content = load_content(content_root)
    [err] = errors_in(content, "data/topics/blood-thinners.yaml")
    assert "has no source" in err.message and "what_is" in err.message
    assert err.line == line_of(path, "what_is:")


def test_answer_citing_an_unknown_source_key(content_root: Path) -> None:
    path = put(content_root, "blood-thinners.yaml", GOOD.replace("sources: [mplus]", "sources: [nih]"))
    [err] = errors_in(load_content(content_root), "data/topics/blood-thinners.yaml")
    assert "'nih'" in err.message
    assert err.line == line_of(path, "sources: [nih]")


def test_unknown_related_topic(content_root: Path) -> None:
    path = put(content_root, "blood-thinners.yaml", GOOD.replace(
        "kind: medicine\n", "kind: medicine\nrelated: [angioplasty, no-such-topic]\n"))
    [err] = errors_in(load_content(content_root), "data/topics/blood-thinners.yaml")
    assert "related topic 'no-such-topic' does not exist" in err.message
    assert err.line == line_of(path, "related:")


def test_non_https_url(content_root: Path) -> None:
    path = put(content_root, "blood-thinners.yaml", GOOD.replace(
        "https://medlineplus.gov/bloodthinners.html", "http://medlineplus.gov/bloodthinners.html"))
    [err] = errors_in(load_content(content_root), "data/topics/blood-thinners.yaml")
    assert "not https" in err.message
    assert err.line == line_of(path, "http://")


def test_id_differs_from_file_name(content_root: Path) -> None:
    path = put(content_root, "anticoagulants.yaml", GOOD.replace("id: blood-thinners", "id: blood-thinners-2")
               .replace("also_called: [anticoagulants]", "also_called: []").replace("title: Blood Thinners", "title: Other"))
    errs = errors_in(load_content(content_root), "data/topics/anticoagulants.yaml")
    assert [e.line for e in errs if "differs from the file name" in e.message] == [line_of(path, "id:")]


def test_missing_review_date_and_unknown_kind(content_root: Path) -> None:
    path = put(content_root, "blood-thinners.yaml", GOOD.replace(f"reviewed: {REVIEWED}\n", "")
               .replace("kind: medicine", "kind: potion"))
    errs = errors_in(load_content(content_root), "data/topics/blood-thinners.yaml")
    messages = " | ".join(e.message for e in errs)
    assert "'reviewed'" in messages and "kind 'potion'" in messages
    assert any(e.line == line_of(path, "kind: potion") for e in errs)


def test_yaml_1_2_booleans_keep_words_as_words(content_root: Path) -> None:
    put(content_root, "blood-thinners.yaml", GOOD.replace(
        "also_called: [anticoagulants]", "also_called: [anticoagulants, NO, off, Yes]"))
    content = load_content(content_root)
    assert content.ok, [str(e) for e in content.errors]
    assert content.topics["blood-thinners"].also_called == ("anticoagulants", "NO", "off", "Yes")


def test_duplicate_key_is_an_error_with_its_line(content_root: Path) -> None:
    path = put(content_root, "blood-thinners.yaml", GOOD + "title: Again\n")
    [err] = errors_in(load_content(content_root), "data/topics/blood-thinners.yaml")
    assert "appears twice" in err.message
    assert err.line == len(path.read_text().splitlines())


def test_not_utf8_is_reported_not_raised(content_root: Path) -> None:
    (content_root / "data" / "topics" / "latin1.yaml").write_bytes("id: latin1\ntitle: Caf\xe9\n".encode("latin-1"))
    [err] = errors_in(load_content(content_root), "data/topics/latin1.yaml")
    assert "UTF-8" in err.message


def test_every_problem_is_reported_at_once(content_root: Path) -> None:
    put(content_root, "a.yaml", "id: a\ntitle: [unclosed\n")
    put(content_root, "blood-thinners.yaml", GOOD.replace("https://", "http://"))
    content = load_content(content_root)
    files = {e.file for e in content.errors}
    assert {"data/topics/a.yaml", "data/topics/blood-thinners.yaml"} <= files
    assert "angioplasty" in content.topics  # good files still load


def test_a_shared_name_is_an_error(content_root: Path) -> None:
    path = put(content_root, "blood-thinners.yaml", GOOD.replace(
        "also_called: [anticoagulants]", "also_called: [anticoagulants, stent]"))
    errs = [e for e in load_content(content_root).errors if "stent" in e.message]
    assert errs and all(e.file.startswith("data/topics/") and e.line >= 1 for e in errs)
    assert any(e.file == "data/topics/blood-thinners.yaml" and e.line == line_of(path, "also_called")
               or e.file == "data/topics/angioplasty.yaml" for e in errs)


def test_missing_intents_folder(tmp_path: Path) -> None:
    content = load_content(tmp_path)
    assert not content.ok
    assert any("intents" in e.file for e in content.errors)


def test_a_reload_parses_only_the_files_that_changed(content_root: Path, monkeypatch) -> None:
    import bot.content.load as load

    parsed: list[str] = []
    real = load.parse_topic

    def counting(data, report, expected_id=None):
        parsed.append(report.file)
        return real(data, report, expected_id)

    counting.__name__ = real.__name__
    monkeypatch.setattr(load, "parse_topic", counting)
    first = load_content(content_root)
    assert len(parsed) == len(first.topics) == 3
    parsed.clear()
    again = load_content(content_root)
    assert parsed == [] and again.topics == first.topics
    path = content_root / "data" / "topics" / "angioplasty.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title: Angioplasty", "title: Balloon Angioplasty"),
                    encoding="utf-8")
    edited = load_content(content_root)
    assert parsed == ["data/topics/angioplasty.yaml"]
    assert edited.topics["angioplasty"].title == "Balloon Angioplasty"
    assert edited.topics["blood-thinners"] is first.topics["blood-thinners"]


def test_problems_of_an_unchanged_file_are_reported_on_every_load(content_root: Path) -> None:
    bad = put(content_root, "bad.yaml", "id: bad\ntitle: Bad\nkind: condition\n")
    dup = put(content_root, "dup.yaml", GOOD)  # the same id as blood-thinners.yaml
    for _ in range(2):
        content = load_content(content_root)
        assert errors_in(content, "data/topics/bad.yaml")
        assert any("is used by" in e.message for e in content.errors if e.file in ("data/topics/dup.yaml", "data/topics/blood-thinners.yaml"))
    bad.unlink()
    dup.unlink()
    assert load_content(content_root).ok


MIXING = """\
id: mixing
description: What a medicine is mixed with.
kind: topic
answer: risks
words:
  drinks: [wine, beer]
cues:
  - {pattern: '\\bwith {drinks}\\b', weight: 0.9}
  - {pattern: '\\b{snacks}\\b'}
"""


def test_an_intent_word_list_serves_its_cues_and_an_unknown_one_names_its_line(content_root: Path) -> None:
    path = content_root / "intents" / "mixing.yaml"
    path.write_text(MIXING, encoding="utf-8")
    content = load_content(content_root)
    pattern, weight = content.intents["mixing"].cues[0]
    assert pattern == r"\bwith (wine|beer)\b" and weight == 0.9
    [err] = errors_in(content, "intents/mixing.yaml")
    assert "'{snacks}' is not a word list of this file" in err.message
    assert err.line == line_of(path, "{snacks}") and "words:" in err.fix
