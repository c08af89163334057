"""Read ``intents/``, ``data/topics/`` and ``data/safety/`` into a :class:`Content`.

Loading never raises on bad content: every problem becomes a
:class:`~bot.content.schema.ContentError` with file, line and fix, so the CLI can
list them all at once and a live reload can keep serving the last good snapshot.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import hashlib
import os
import re
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from bot.content.schema import (
    MESSAGE_KEYS,
    TOPIC_KINDS,
    Answer,
    Content,
    ContentError,
    DirectoryEntry,
    Intent,
    Locale,
    SafetyRule,
    Source,
    Topic,
    word_set,
)
from bot.content.phrasings import FOLDER as PHRASINGS_FOLDER
from bot.content.phrasings import SUFFIX as PHRASINGS_SUFFIX
from bot.content.phrasings import load_phrasings, phrasing_files
from bot.content.yamlfile import YamlError, load_with_lines
from bot.core.normalize import normalize
from bot.core.patterns import compiled

#: What a topic's ``reading`` may say ("" when it has none).
READING_KINDS = ("", "high", "low")
ID_RE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
LEARN_MORE = "learn_more"

# The fields each kind of entry has. A misspelt optional field ("also_caled") would otherwise be
# skipped without a word, and its names or answers lost, so any other field is an error.
TOPIC_FIELDS = ("id", "title", "kind", "also_called", "keywords", "broad_names", "treatment_names", "reading",
                "described_as", "reviewed", "related", "sources", "answers", "url", "language", "imported")
SOURCE_FIELDS = ("title", "publisher", "url")
ANSWER_FIELDS = ("text", "sources", "links", "imported")
INTENT_FIELDS = ("id", "description", "kind", "answer", "answer_for", "reads_as", "ask", "follow_ups",
                 "missing_answer", "missing_topic", "reply", "with_learn_more", "cues", "examples", "max_words",
                 "min_score", "compares", "prefers", "without_topic", "counts_as", "words")
CUE_FIELDS = ("pattern", "weight")
SAFETY_FIELDS = ("locales", "negations", "words", "rules")
RULE_FIELDS = ("id", "kind", "patterns", "reply", "topics", "lasting_after")
DIRECTORY_FIELDS = ("source", "search_url", "topics")
DIRECTORY_ENTRY_FIELDS = ("title", "also_called", "keywords", "url")


class _FileReport:
    """Collects errors for one file, resolving a YAML path to its line."""

    def __init__(self, file: str, lines: dict[tuple[Any, ...], int]) -> None:
        self.file = file
        self.lines = lines
        self.errors: list[ContentError] = []

    def line(self, *path: Any) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def error(self, path: tuple[Any, ...], message: str, fix: str = "", rule: str = "schema") -> None:
        self.errors.append(ContentError(self.file, self.line(*path), message, fix, "error", rule))

    def warn(self, path: tuple[Any, ...], message: str, fix: str = "", rule: str = "schema") -> None:
        self.errors.append(ContentError(self.file, self.line(*path), message, fix, "warning", rule))


def _rel(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when it is inside, as errors name files.

    Most paths are ``root / folder / name``: cut the root's text off (``relative_to``
    costs more than parsing a small topic file's YAML); anything else takes the long way.
    """
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix) and prefix != os.sep + os.sep:
        return text[len(prefix):]
    try:
        return str(path.relative_to(root))
    except ValueError:
        return text


def _read(path: Path, root: Path, raw: bytes | None = None) -> tuple[Any, _FileReport]:
    """Parse one YAML file; ``raw`` is its bytes when the caller has already read them."""
    rel = _rel(path, root)
    try:
        if raw is None:
            raw = path.read_bytes()
        # Newlines as text mode reads them, so line numbers do not depend on who read the file.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        report = _FileReport(rel, {})
        report.error((), f"the file is not UTF-8 text ({exc.reason})", "save it as UTF-8")
        return None, report
    try:
        data, lines = load_with_lines(text)
    except YamlError as exc:
        report = _FileReport(rel, {(): exc.line})
        report.error((), f"this is not valid YAML: {exc}", "check the indentation and quotes on this line or the one above")
        return None, report
    report = _FileReport(rel, lines)
    if not isinstance(data, dict):
        report.error((), "the file must be a set of 'name: value' lines", "start with 'id: ...' at the left margin")
        return None, report
    return data, report


def _known_fields(data: Any, fields: tuple[str, ...], report: _FileReport, what: str, path: tuple[Any, ...] = ()) -> None:
    """An error for each field ``data`` has that a ``what`` does not, with the closest known one."""
    if not isinstance(data, dict):
        return
    for key in data:
        if key in fields:
            continue
        close = difflib.get_close_matches(str(key), fields, n=1, cutoff=0.6)
        if data[key] is None and not close:
            # "{publisher: National Heart, Lung, and Blood Institute}": the commas split the value.
            fix = "a comma inside { } starts a new field: put quotes around a value with a comma in it"
        else:
            fix = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(fields)}"
        report.error(path + (key,), f"'{key}' is not a field of {what}", fix)


def _str(data: dict[str, Any], key: str, report: _FileReport, *, required: bool = True, path: tuple[Any, ...] = ()) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            report.error(path + (key,), f"'{key}' is missing", f"add a line '{key}: ...'")
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        report.error(path + (key,), f"'{key}' must be text", f"write '{key}: some text'")
        return ""
    return " ".join(str(value).split()) if key != "text" else str(value).strip()


def _word_set_problem(entry: str) -> str:
    """What is wrong with a ``described_as`` entry, or "" when it is usable."""
    from bot.core.topics import STOPWORDS

    groups = word_set(entry)
    if len(groups) < 2:
        return "it needs at least two groups of words joined by '+'"
    for group in groups:
        for word in group:
            if len(normalize(word).split()) != 1:
                return f"'{word}' is not one word"
            if normalize(word) in STOPWORDS:
                return f"'{word}' is too common a word to name anything"
    return ""


def _str_list(data: dict[str, Any], key: str, report: _FileReport, path: tuple[Any, ...] = ()) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        report.error(path + (key,), f"'{key}' must be a list", f"write '{key}: [first, second]' or one '- item' per line")
        return ()
    out: list[str] = []
    for i, item in enumerate(value):
        if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
            out.append(" ".join(str(item).split()))
        else:
            report.error(path + (key, i), f"item {i + 1} of '{key}' must be plain text", "remove it or write it as text")
    return tuple(out)


def _date(data: dict[str, Any], key: str, report: _FileReport) -> dt.date | None:
    value = data.get(key)
    if value is None:
        report.error((key,), f"'{key}' (the review date) is missing", f"add '{key}: YYYY-MM-DD', the day a person last checked every answer")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        report.error((key,), f"'{key}: {value}' is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-26")
        return None


def _check_id(value: str, report: _FileReport, expected: str | None) -> None:
    if value and not ID_RE.match(value):
        report.error(("id",), f"id '{value}' may hold only lower-case letters, digits and dashes", "e.g. 'id: heart-attack'")
    if value and expected and value != expected:
        report.error(("id",), f"id '{value}' differs from the file name '{expected}.yaml'", f"use 'id: {expected}' or rename the file")


def _entries(data: dict[str, Any], key: str, report: _FileReport, fix_missing: str, not_a_mapping: str,
             fix_entry: str) -> Iterator[tuple[str, dict[str, Any], tuple[Any, ...]]]:
    """The (name, fields, YAML path) of each entry of a required, non-empty mapping; problems reported."""
    raw = data.get(key)
    if not isinstance(raw, dict) or not raw:
        report.error((key,), f"'{key}' is missing or empty", fix_missing)
        return
    for name, fields in raw.items():
        path = (key, name)
        if not isinstance(fields, dict):
            report.error(path, not_a_mapping.format(name), fix_entry)
            continue
        yield name, fields, path


def parse_topic(data: dict[str, Any], report: _FileReport, expected_id: str | None = None) -> Topic | None:
    _known_fields(data, TOPIC_FIELDS, report, "a topic")
    topic_id = _str(data, "id", report)
    _check_id(topic_id, report, expected_id)
    title = _str(data, "title", report)
    kind = _str(data, "kind", report, required=False) or "general"
    if kind not in TOPIC_KINDS:
        report.error(("kind",), f"kind '{kind}' is not known", f"use one of: {', '.join(TOPIC_KINDS)}")
    imported = bool(data.get("imported", False))
    reviewed = _date(data, "reviewed", report)
    sources: dict[str, Source] = {}
    for key, raw, path in _entries(
            data, "sources", report, "list each page the answers rest on, with title, publisher and url",
            "source '{}' must have title, publisher and url", "indent 'title:', 'publisher:' and 'url:' under it"):
        _known_fields(raw, SOURCE_FIELDS, report, "a source", path)
        src = Source(
            key=str(key),
            title=_str(raw, "title", report, path=path),
            publisher=_str(raw, "publisher", report, path=path),
            url=_str(raw, "url", report, path=path),
        )
        if src.url and not src.url.startswith("https://"):
            report.error(path + ("url",), f"source '{key}' has a URL that is not https: {src.url}", "use the page's https:// address")
        sources[str(key)] = src
    answers: dict[str, Answer] = {}
    for intent_id, raw, path in _entries(
            data, "answers", report, "add at least 'what_is:' with text and sources",
            "answer '{}' must have 'text' and 'sources'", "indent 'text: >' and 'sources: [...]' under it"):
        _known_fields(raw, ANSWER_FIELDS, report, "an answer", path)
        text = _str(raw, "text", report, required=intent_id != LEARN_MORE, path=path)
        cited = _str_list(raw, "sources", report, path)
        links = _str_list(raw, "links", report, path)
        if intent_id == LEARN_MORE:
            if not links and not cited:
                report.error(path, "the learn_more answer lists no links", "add 'links: [key, ...]' with keys from 'sources'")
        elif not cited:
            report.error(path, f"answer '{intent_id}' has no source", "add 'sources: [key]' naming the page(s) it rests on")
        for i, key in enumerate(cited + links):
            if key not in sources:
                where = path + (("sources", i) if i < len(cited) else ("links", i - len(cited)))
                report.error(where, f"answer '{intent_id}' cites '{key}', which is not under 'sources'", f"add '{key}:' under 'sources' or fix the spelling")
        answers[str(intent_id)] = Answer(
            intent=str(intent_id),
            text=text,
            sources=cited,
            links=links,
            imported=bool(raw.get("imported", imported)),
            line=report.line(*path),
        )
    reading = _str(data, "reading", report, required=False) or ""
    if reading not in READING_KINDS:
        report.error(("reading",), f"reading '{reading}' is not known",
                     "use 'reading: high' or 'reading: low', or leave the line out")
        reading = ""
    described_as = _str_list(data, "described_as", report)
    for i, entry in enumerate(described_as):
        problem = _word_set_problem(entry)
        if problem:
            report.error(("described_as", i), f"described_as '{entry}': {problem}",
                         "write two or more groups of single words joined by '+', alternatives joined by '/', "
                         "for example 'chest + pain/ache/pressure'")
    url = _str(data, "url", report, required=False) or None
    if url and not url.startswith("https://"):
        report.error(("url",), f"url is not https: {url}", "use the page's https:// address")
    if not topic_id or not title:
        return None
    return Topic(
        id=topic_id,
        title=title,
        kind=kind,
        also_called=_str_list(data, "also_called", report),
        keywords=_str_list(data, "keywords", report),
        broad_names=_str_list(data, "broad_names", report),
        treatment_names=_str_list(data, "treatment_names", report),
        reading=reading,
        described_as=described_as,
        reviewed=reviewed,
        related=_str_list(data, "related", report),
        sources=sources,
        answers=answers,
        file=report.file,
        language=_str(data, "language", report, required=False) or "en",
        imported=imported,
        url=url,
        lines=report.lines,
    )


def _fraction(data: dict[str, Any], key: str, report: _FileReport) -> float:
    value = data.get(key, 0.0)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        report.error((key,), f"'{key}' must be a number from 0 to 1", f"e.g. '{key}: 0.6'")
        return 0.0
    return float(value)


def _positive_int(data: dict[str, Any], key: str, report: _FileReport) -> int:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        report.error((key,), f"'{key}' must be a whole number", f"e.g. '{key}: 6'")
        return 0
    return value


def parse_intent(data: dict[str, Any], report: _FileReport, expected_id: str | None = None) -> Intent | None:
    _known_fields(data, INTENT_FIELDS, report, "an intent")
    intent_id = _str(data, "id", report)
    _check_id(intent_id, report, expected_id)
    kind = _str(data, "kind", report, required=False) or ("topic" if data.get("answer") else "fixed")
    if kind not in ("topic", "fixed"):
        report.error(("kind",), f"kind '{kind}' is not known", "use 'topic' (answered from topics) or 'fixed' (one reply)")
    answer = _str(data, "answer", report, required=False) or None
    if kind == "topic" and not answer:
        answer = intent_id
    examples = _str_list(data, "examples", report)
    cues: list[tuple[str, float]] = []
    words = _word_lists(data, report)
    raw_cues = data.get("cues") or []
    if not isinstance(raw_cues, list):
        report.error(("cues",), "'cues' must be a list", "write one '- pattern' or '- {pattern: ..., weight: 0.8}' per line")
        raw_cues = []
    for i, raw in enumerate(raw_cues):
        _known_fields(raw, CUE_FIELDS, report, "a cue", ("cues", i))
        pattern, weight = (raw, 1.0) if isinstance(raw, str) else (
            (raw.get("pattern"), raw.get("weight", 1.0)) if isinstance(raw, dict) else (None, 0)
        )
        if not isinstance(pattern, str) or not pattern.strip():
            report.error(("cues", i), f"cue {i + 1} has no pattern", "write '- words to look for'")
            continue
        pattern = _with_word_lists(pattern, words, report, ("cues", i))
        try:
            compiled(pattern)  # the serving indexes compile it from this same parse
        except re.error as exc:
            report.error(("cues", i), f"cue '{pattern}' is not a valid pattern ({exc})", "check brackets and parentheses")
            continue
        if not isinstance(weight, (int, float)) or not 0 < float(weight) <= 2:
            report.error(("cues", i), f"cue weight '{weight}' must be a number above 0 and at most 2", "e.g. 'weight: 0.8'")
            continue
        cues.append((pattern, float(weight)))
    reply = _str(data, "reply", report, required=kind == "fixed")
    if reply:
        reply = str(data["reply"]).strip()
    reads_as = _by_kind(data, "reads_as", report, "an intent", "medicine: risks")
    answer_for = _by_kind(data, "answer_for", report, "an answer", "procedure: what_is")
    compares = data.get("compares", False)
    if not isinstance(compares, bool):
        report.error(("compares",), "'compares' must be true or false", "e.g. 'compares: true'")
        compares = False
    elif compares and kind != "topic":
        report.error(("compares",), "only an intent answered from topics can compare them",
                     "set 'kind: topic' and 'answer: <answer id>', or remove 'compares'")
        compares = False
    prefers = _str_list(data, "prefers", report)
    for i, kind_name in enumerate(prefers):
        if kind_name not in TOPIC_KINDS:
            report.error(("prefers", i), f"'{kind_name}' is not a topic kind", f"use one of: {', '.join(TOPIC_KINDS)}")
    prefers = tuple(p for p in prefers if p in TOPIC_KINDS)
    without_topic = data.get("without_topic", False)
    if not isinstance(without_topic, bool):
        report.error(("without_topic",), "'without_topic' must be true or false", "e.g. 'without_topic: true'")
        without_topic = False
    counts_as = _str(data, "counts_as", report, required=False)
    if counts_as and not re.fullmatch(r"[a-z][a-z_]*", counts_as):
        report.error(("counts_as",), f"'counts_as' must be an intent label such as learn_more, not '{counts_as}'",
                     "write it in lower-case letters and underscores, e.g. 'counts_as: learn_more'")
        counts_as = ""
    if not intent_id:
        return None
    return Intent(
        id=intent_id,
        description=_str(data, "description", report, required=False),
        kind=kind,
        answer=answer,
        examples=examples,
        cues=tuple(cues),
        reply=reply,
        missing_answer=str(data.get("missing_answer") or "").strip(),
        missing_topic=str(data.get("missing_topic") or "").strip(),
        follow_ups=_str_list(data, "follow_ups", report),
        ask=_str(data, "ask", report, required=False),
        with_learn_more=bool(data.get("with_learn_more", False)),
        max_words=_positive_int(data, "max_words", report),
        min_score=_fraction(data, "min_score", report),
        reads_as=reads_as,
        compares=compares,
        answer_for=answer_for,
        prefers=prefers,
        without_topic=without_topic,
        counts_as=counts_as,
        file=report.file,
        lines=report.lines,
    )


def _by_kind(data: dict[str, Any], key: str, report: _FileReport, names: str, example: str) -> dict[str, str]:
    """A mapping from topic kind to a name (``reads_as``, ``answer_for``), checked entry by entry."""
    raw = data.get(key) or {}
    if not isinstance(raw, dict):
        report.error((key,), f"'{key}' must map topic kinds to {names.split()[-1]}s", f"e.g. '{key}: {{{example}}}'")
        return {}
    out: dict[str, str] = {}
    for kind, target in raw.items():
        if kind not in TOPIC_KINDS:
            report.error((key, kind), f"'{kind}' is not a topic kind", f"use one of: {', '.join(TOPIC_KINDS)}")
        elif not isinstance(target, str) or not target.strip():
            report.error((key, kind), f"{key} for '{kind}' must name {names}", f"e.g. '{example}'")
        else:
            out[str(kind)] = target.strip()
    return out


def parse_safety(data: dict[str, Any], report: _FileReport) -> tuple[list[SafetyRule], list[Locale], list[str]]:
    _known_fields(data, SAFETY_FIELDS, report, "a safety file")
    rules: list[SafetyRule] = []
    locales: list[Locale] = []
    for key, raw in (data.get("locales") or {}).items():
        if not isinstance(raw, dict) or not raw.get("emergency"):
            report.error(("locales", key), f"locale '{key}' needs an 'emergency' number", "e.g. 'emergency: \"911\"'")
            continue
        locales.append(Locale(str(key), str(raw["emergency"]), str(raw.get("crisis", raw["emergency"])), str(raw.get("poison", ""))))
    negations = list(_str_list(data, "negations", report))
    words = _word_lists(data, report)
    for i, raw in enumerate(data.get("rules") or []):
        path = ("rules", i)
        if not isinstance(raw, dict):
            report.error(path, "a safety rule needs id, kind, patterns and reply", "see data/safety/ for the layout")
            continue
        _known_fields(raw, RULE_FIELDS, report, "a safety rule", path)
        rule_id = _str(raw, "id", report, path=path)
        kind = _str(raw, "kind", report, path=path)
        if kind and kind not in ("emergency", "crisis"):
            report.error(path + ("kind",), f"kind '{kind}' is not known", "use 'emergency' or 'crisis'")
        patterns = tuple(_with_word_lists(p, words, report, path + ("patterns", j))
                         for j, p in enumerate(_str_list(raw, "patterns", report, path)))
        for j, pattern in enumerate(patterns):
            try:
                compiled(pattern)
            except re.error as exc:
                report.error(path + ("patterns", j), f"pattern '{pattern}' is not valid ({exc})", "check brackets and parentheses")
        reply = raw.get("reply")
        if isinstance(reply, str):
            reply = {"default": reply}
        if not isinstance(reply, dict) or not reply:
            report.error(path + ("reply",), "a safety rule needs a reply", "add 'reply: ...' with {emergency} where the number goes")
            reply = {}
        topics = _str_list(raw, "topics", report, path)
        lasting = tuple(normalize(w) for w in _str_list(raw, "lasting_after", report, path) if normalize(w))
        if rule_id and patterns:
            rules.append(SafetyRule(rule_id, kind, patterns, {str(k): str(v).strip() for k, v in reply.items()},
                                    report.file, tuple(topics), report.lines.get(path + ("topics",), 1), lasting))
    return rules, locales, negations


def _word_lists(data: dict[str, Any], report: _FileReport) -> dict[str, str]:
    """The file's ``words:`` lists, each as the regular-expression group a pattern's ``{name}`` stands for.

    One list of medicine names serves every rule or cue that needs it, so a new brand is added once.
    A list may use a list above it, as a pattern does ("{soon}" in a list of weight gains).
    """
    raw = data.get("words") or {}
    if not isinstance(raw, dict):
        report.error(("words",), "'words' must map a name to a list of words",
                     "e.g. 'words: {anticoagulants: [warfarin, eliquis]}'")
        return {}
    lists: dict[str, str] = {}
    for name, items in raw.items():
        if not re.fullmatch(r"[a-z_]+", str(name)) or not isinstance(items, list) or not items:
            report.error(("words", name), f"word list '{name}' needs a lower-case name and a list of words",
                         "e.g. 'anticoagulants: [warfarin, eliquis]'")
            continue
        lists[str(name)] = "(" + "|".join(_with_word_lists(str(w), lists, report, ("words", name)) for w in items) + ")"
    return lists


def _with_word_lists(pattern: str, lists: dict[str, str], report: _FileReport, path: tuple[Any, ...]) -> str:
    """``pattern`` with each ``{name}`` replaced by its word list (``{0,40}`` repeats are left alone)."""
    def expand(m: re.Match[str]) -> str:
        if m.group(1) in lists:
            return lists[m.group(1)]
        report.error(path, f"'{{{m.group(1)}}}' is not a word list of this file",
                     "define it under 'words:' at the top of the file, or write the words out")
        return m.group(0)

    return re.sub(r"\{([a-z_]+)\}", expand, pattern)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def content_files(root: Path) -> list[Path]:
    """Every file that makes up the content, for fingerprints and file watching."""
    root = Path(root)
    files = _yaml_files(root / "intents") + _yaml_files(root / "data" / "topics") + _yaml_files(root / "data" / "safety")
    messages = root / "data" / "messages.yaml"
    return (files + _yaml_files(root / "data" / "directory") + ([messages] if messages.is_file() else [])
            + phrasing_files(root))


def parse_directory(data: dict[str, Any], report: _FileReport) -> list[DirectoryEntry]:
    _known_fields(data, DIRECTORY_FIELDS, report, "the topic directory")
    search_url = _str(data, "search_url", report, required=False)
    if search_url and not search_url.startswith("https://"):
        report.error(("search_url",), f"search_url is not https: {search_url}", "use an https:// address")
        search_url = ""
    raw = data.get("topics")
    if not isinstance(raw, list):
        report.error(("topics",), "'topics' must be a list of entries with a title", "write '- {title: Name}' per line")
        return []
    out: list[DirectoryEntry] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("title"), str) or not item["title"].strip():
            report.error(("topics", i), f"entry {i + 1} has no title", "write '- {title: Name, also_called: [...]}'")
            continue
        _known_fields(item, DIRECTORY_ENTRY_FIELDS, report, "a directory entry", ("topics", i))
        # also_called: MedlinePlus's own names; keywords: other names patients use, added by staff.
        names = _str_list(item, "also_called", report, ("topics", i)) + _str_list(item, "keywords", report, ("topics", i))
        url = _str(item, "url", report, required=False, path=("topics", i))
        if url and not url.startswith("https://"):
            report.error(("topics", i, "url"), f"url is not https: {url}", "use the page's https:// address")
            url = ""
        out.append(DirectoryEntry(" ".join(item["title"].split()), names, search_url, url))
    return out


def fingerprint(root: Path) -> str:
    """A cheap signature of the content files (names, sizes, mtimes).

    A running server takes it twice a second, so it reads directory entries
    (os.scandir) rather than building a Path per file: 10,000 topic files cost
    a few milliseconds, not tens.
    """
    root = Path(root)
    parts: list[str] = []
    for folder in (root / "intents", root / "data" / "topics", root / "data" / "safety", root / "data" / "directory",
                   root.joinpath(*PHRASINGS_FOLDER)):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for n, entry in enumerate(entries):
            if n % 256 == 255:
                time.sleep(0)  # let a request thread have the interpreter while thousands of files are read
            name = entry.name
            if name.endswith((".yaml", ".yml", PHRASINGS_SUFFIX)) and not name.startswith("."):
                try:
                    st = entry.stat()
                except OSError:
                    continue
                parts.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
    messages = root / "data" / "messages.yaml"
    try:
        st = messages.stat()
        parts.append(f"{messages}:{st.st_size}:{st.st_mtime_ns}")
    except OSError:
        pass
    parts.sort()
    return hashlib.sha1(";".join(parts).encode()).hexdigest()


Check = Callable[[Content], Iterable[ContentError]]


#: Topic and intent files as last parsed, by (file, parser, digest of the text). Parsed objects are
#: frozen, so a reload re-parses only the files that changed: an edit to one topic of a thousand
#: costs one parse. Replaced, not grown, by each load, so it holds one content set at most.
_parsed: dict[tuple[str, str, str], tuple[Any, tuple[ContentError, ...], dict[tuple[Any, ...], int]]] = {}


def _parse_file(path: Path, root: Path, parse: Callable[..., Any],
                seen: dict[tuple[str, str, str], Any]) -> tuple[Any, _FileReport]:
    """``parse`` of one file, from the memo when its text is unchanged since the last load."""
    raw = path.read_bytes()
    key = (str(path), parse.__name__, hashlib.blake2b(raw, digest_size=16).hexdigest())
    cached = _parsed.get(key)
    if cached is None:
        data, report = _read(path, root, raw)  # the bytes just read: the file is read once
        item = parse(data, report, path.stem) if data is not None else None
        cached = (item, tuple(report.errors), report.lines)
    seen[key] = cached
    item, errors, lines = cached
    report = _FileReport(_rel(path, root), lines)
    report.errors.extend(errors)
    return item, report


def _load_each(root: Path, folder: Path, parse: Callable[..., Any], into: dict[str, Any], kind: str,
               seen: dict[tuple[str, str, str], Any]) -> list[ContentError]:
    """Parse every file of a folder into ``into`` by id; an id used twice is an error."""
    problems: list[ContentError] = []
    for path in _yaml_files(folder):
        item, report = _parse_file(path, root, parse, seen)
        if item:
            if item.id in into:
                report.error(("id",), f"{kind} id '{item.id}' is used by {into[item.id].file} too", f"give each {kind} its own id")
            else:
                into[item.id] = item
        problems.extend(report.errors)
    return problems


def load_content(root: str | os.PathLike[str], *, checks: Iterable[Check] | None = None, today: dt.date | None = None,
                 phrasings: bool = True) -> Content:
    """Load and validate all content under ``root``; never raises on bad content.

    ``phrasings=False`` skips ``data/phrasings/``, which only a sentence model reads: a server
    without one neither pays for them on each reload nor stops on an error in them.
    """
    from bot.content import validate

    root = Path(root)
    problems: list[ContentError] = []
    topics: dict[str, Topic] = {}
    intents: dict[str, Intent] = {}
    rules: list[SafetyRule] = []
    locales: dict[str, Locale] = {}
    negations: list[str] = []
    messages: dict[str, str] = {}
    sig = fingerprint(root)

    if not (root / "intents").is_dir():
        problems.append(ContentError(_rel(root / "intents", root), 1, "the intents folder is missing", "create 'intents/' with one YAML file per intent"))
    seen: dict[tuple[str, str, str], Any] = {}
    problems.extend(_load_each(root, root / "intents", parse_intent, intents, "intent", seen))
    problems.extend(_load_each(root, root / "data" / "topics", parse_topic, topics, "topic", seen))
    global _parsed
    _parsed = seen
    for path in _yaml_files(root / "data" / "safety"):
        data, report = _read(path, root)
        if data is not None:
            r, locs, negs = parse_safety(data, report)
            rules.extend(r)
            locales.update((loc.id, loc) for loc in locs)
            negations.extend(negs)
        problems.extend(report.errors)
    directory: list[DirectoryEntry] = []
    for path in _yaml_files(root / "data" / "directory"):
        data, report = _read(path, root)
        if data is not None:
            directory.extend(parse_directory(data, report))
        problems.extend(report.errors)
    messages_file = root / "data" / "messages.yaml"
    if messages_file.is_file():
        data, report = _read(messages_file, root)
        if data is not None:
            _known_fields(data, MESSAGE_KEYS, report, "the messages file")
            for key, value in data.items():
                if isinstance(value, str):
                    messages[str(key)] = value.strip()
                else:
                    report.error((key,), f"message '{key}' must be text", f"write '{key}: some text'")
        problems.extend(report.errors)

    labelled, phrasing_problems = load_phrasings(root, intents) if phrasings else ([], [])
    problems.extend(phrasing_problems)
    content = Content(
        topics=topics,
        intents=intents,
        safety=tuple(rules),
        locales=locales,
        negations=tuple(negations),
        messages=messages,
        directory=tuple(directory),
        phrasings=tuple(labelled),
        root=str(root),
        fingerprint=sig,
    )
    for check in checks if checks is not None else validate.default_checks(today=today):
        problems.extend(check(content))
    errors = tuple(p for p in problems if p.severity == "error")
    warnings = tuple(p for p in problems if p.severity != "error")
    return dataclasses.replace(content, errors=errors, warnings=warnings)
