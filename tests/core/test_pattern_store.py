"""Analysed patterns kept on disk: a later process gets the very same patterns without parsing them."""

from __future__ import annotations

import json
import re

import pytest

from bot.core import patterns
from bot.core.pattern_store import PatternStore
from bot.runtime import build_runtime
from bot.settings import Settings
from tests.core.test_patterns import PATTERNS, shipped_patterns

EXTRA = [r"(?P<n>a)(?:b)(c)\1", r"(?i)Heart", r"(?<=\w )and\b", r"\b(\d{2,3}) over (\d{2,3})\b"]


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test starts, and leaves, as a process that has analysed nothing and keeps no store."""
    patterns.use_store(None)
    patterns.clear_caches()
    yield
    patterns.use_store(None)
    patterns.clear_caches()


def analyse_all(pattern_texts: list[str]) -> dict[str, tuple]:
    return {p: (patterns.compiled(p), patterns.required_ways(p, marked=True), patterns._analysed(p).reach)
            for p in pattern_texts}


def restart(folder) -> None:
    """What a new process sees: nothing in memory, the store's folder on disk."""
    patterns.use_store(None)
    patterns.clear_caches()
    patterns.use_store(folder)


def test_a_later_process_gets_the_same_patterns_without_parsing(tmp_path, monkeypatch):
    texts = PATTERNS + EXTRA
    patterns.use_store(tmp_path)
    first = analyse_all(texts)
    assert patterns.flush_store()
    assert not patterns.flush_store()  # nothing new: the file is not written again
    [stored] = tmp_path.glob("patterns-*.json")
    assert set(json.loads(stored.read_text())) == set(texts)

    restart(tmp_path)

    def no_parsing(*args, **kwargs):
        raise AssertionError("a stored pattern was parsed again")

    monkeypatch.setattr(patterns._parser, "parse", no_parsing)
    second = analyse_all(texts)
    monkeypatch.undo()
    for text in texts:
        regex, ways, reach = second[text]
        assert regex == re.compile(text), text  # same text, flags and compiled code
        assert regex.groupindex == re.compile(text).groupindex
        assert (ways, reach) == first[text][1:], text
    assert patterns.compiled(EXTRA[0]).match("abca").group("n") == "a"


@pytest.mark.parametrize("damage", [
    "not json at all {",
    json.dumps(["a list, not a table"]),
    json.dumps({EXTRA[0]: [1, 2]}),  # not the text of an entry
    json.dumps({EXTRA[0]: "[1, 2"}),  # an entry that is not JSON
    json.dumps({EXTRA[0]: "[1, 2]"}),  # the wrong shape
    json.dumps({EXTRA[0]: json.dumps([[0, [0], 0, {}, [None]], [], None])}),  # a program _sre refuses
    json.dumps({EXTRA[0]: json.dumps([[0, [1, 2, 3], 0, {}, [None]], [[["x"]]], [[1, 0, 0], [2, 0, 0]]])}),
])
def test_a_damaged_store_costs_a_parse_and_is_mended(tmp_path, damage):
    store = PatternStore(tmp_path)
    tmp_path.joinpath(store.path.name).write_text(damage)
    restart(tmp_path)
    analysed = analyse_all(EXTRA)
    for text in EXTRA:
        assert analysed[text][0] == re.compile(text)
    assert patterns.flush_store()
    mended = json.loads(store.path.read_text())
    assert set(mended) == set(EXTRA) and all(len(json.loads(e)) == 3 for e in mended.values())


def test_an_unwritable_folder_is_no_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    patterns.use_store(blocker / "cache")
    assert patterns.compiled(EXTRA[1]) == re.compile(EXTRA[1])
    assert patterns.flush_store() is False


def test_the_first_write_keeps_only_patterns_still_in_use_and_drops_other_versions(tmp_path):
    store = PatternStore(tmp_path)
    old_version = tmp_path / "patterns-0000000000000000.json"
    old_version.write_text("{}")
    patterns.use_store(tmp_path)
    analyse_all(EXTRA)
    patterns.flush_store()

    restart(tmp_path)  # staff deleted one cue since
    analyse_all(EXTRA[1:])
    assert patterns.flush_store()
    assert set(json.loads(store.path.read_text())) == set(EXTRA[1:])
    assert not old_version.exists()

    patterns.compiled(r"\bnew cue\b")  # a live reload later in the same process only adds
    assert patterns.flush_store()
    assert set(json.loads(store.path.read_text())) == set(EXTRA[1:]) | {r"\bnew cue\b"}


def test_loading_content_fills_the_store_from_settings(tmp_path):
    folder = tmp_path / "cache"
    build_runtime(Settings(cache_dir=str(folder), store_url="memory://", unanswered_url="memory://"))
    [stored] = folder.glob("patterns-*.json")
    assert set(shipped_patterns()) <= set(json.loads(stored.read_text()))


def test_an_empty_cache_dir_keeps_no_store(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    build_runtime(Settings(cache_dir="", store_url="memory://", unanswered_url="memory://"))
    assert patterns._store is None
    assert not list(tmp_path.rglob("patterns-*.json"))
