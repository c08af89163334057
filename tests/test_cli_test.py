"""``healthbot test``: conversation files, clear diffs, file problems, the example self-check."""

from __future__ import annotations

import textwrap

import pytest

from bot.cli import main
from tests.contentkit import edit, write_content

GOOD = """\
    conversations:
      - name: angioplasty basics
        turns:
          - say: hi
            expect: {intent: greet, kind: smalltalk, text_contains: not medical advice}
          - say: what is angioplasty
            expect:
              intent: what_is
              topic: Angioplasty
              text_contains: balloon
              citation_url_contains: [nhlbi.nih.gov, medlineplus.gov]
              quick_replies_include: ["How is it done?"]
          - say: how is it done
            expect: {intent: how_done, topic: angioplasty, text_contains: thin tube}
      - name: unknown topic
        turns:
          - say: what is zorblax
            expect: {kind: abstain, topic: none}
    """


@pytest.fixture()
def content(tmp_path, monkeypatch):
    root = write_content(tmp_path / "content")
    (root / "tests/conversations").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return root


def _write(path, text):
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_passing_conversations_and_examples(content, capsys):
    _write(content / "tests/conversations/basics.yaml", GOOD)
    assert main(["--content", str(content), "test"]) == 0
    out = capsys.readouterr().out
    assert "OK: 2 conversation(s), 4/4 turn(s) passed" in out
    assert "intent examples 11/11 classify as their own intent (100.0%" in out


def test_a_failure_prints_a_diff_with_file_line_and_turn(content, capsys):
    conv = _write(content / "conv.yaml", GOOD.replace("text_contains: thin tube", "text_contains: laser beam")
                  .replace("topic: Angioplasty\n", "topic: Stent Care\n"))
    assert main(["--content", str(content), "test", str(conv), "--no-examples"]) == 1
    out = capsys.readouterr().out
    assert "FAIL content/conv.yaml:6: 'angioplasty basics', turn 2: patient says \"what is angioplasty\"" in out
    assert "  - expected topic: Stent Care\n  + got      topic: Angioplasty" in out
    assert "FAIL content/conv.yaml:13: 'angioplasty basics', turn 3" in out
    assert "  - expected text containing: 'laser beam'" in out and "+ got      text containing: 'A thin tube" in out
    assert "FAILED: 2 conversation(s), 2/4 turn(s) passed" in out


def test_quick_reply_and_citation_mismatches(content, capsys):
    conv = _write(content / "conv.yaml", """\
        conversations:
          - name: links
            turns:
              - say: what is angioplasty
                expect: {citation_url_contains: heart.org, quick_replies_include: [Call us]}
        """)
    assert main(["--content", str(content), "test", str(conv), "--no-examples"]) == 1
    out = capsys.readouterr().out
    assert "expected a citation URL containing: heart.org" in out and "medlineplus.gov/angioplasty.html" in out
    assert "expected quick reply: 'Call us'" in out and "How is it done?" in out


def test_problems_in_the_test_file_are_named(content, capsys):
    bad = _write(content / "bad.yaml", "conversations:\n  - name: x\n    turns:\n      - say: hi\n        expect: {intnet: greet}\n")
    broken = _write(content / "broken.yaml", "conversations: [\n")
    assert main(["--content", str(content), "test", str(bad), str(broken), "--no-examples"]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:5: unknown expectation(s): intnet" in err
    assert "broken.yaml:2: this is not valid YAML" in err
    assert main(["--content", str(content), "test", "nowhere.yaml"]) == 2


def test_folder_argument_runs_every_file(content, capsys):
    folder = content / "more"
    folder.mkdir()
    _write(folder / "a.yaml", GOOD)
    _write(folder / "b.yaml", GOOD)
    assert main(["--content", str(content), "test", str(folder), "--no-examples"]) == 0
    assert "OK: 4 conversation(s), 8/8 turn(s) passed" in capsys.readouterr().out


def test_example_self_check_reports_confusions_and_fails_below_threshold(content, capsys):
    # An example of how_done that reads like what_is: it will be classified as what_is.
    edit(content, "intents/how_done.yaml", "  - walk me through the {topic} procedure",
         "  - walk me through the {topic} procedure\n  - what is {topic} exactly")
    assert main(["--content", str(content), "test", "--examples-min", "0.99"]) == 1
    out = capsys.readouterr().out
    assert "FAILED: intent examples 11/12" in out
    assert "how_done -> what_is: 1" in out and "[how_done -> what_is] what is angioplasty exactly" in out
    assert main(["--content", str(content), "test", "--examples-min", "0.9"]) == 0


def test_invalid_content_is_reported_before_testing(content, capsys):
    edit(content, "data/topics/angioplasty.yaml", "related: [stent-care]", "related: [nowhere]")
    assert main(["--content", str(content), "test"]) == 2
    assert "related topic 'nowhere' does not exist" in capsys.readouterr().err
