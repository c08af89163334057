"""``healthbot report``: group the questions the bot could not answer, and fix them.

Similar questions are clustered with rapidfuzz (greedy, leader-based: each
question joins the first group whose leader reads alike, else starts one), so
"what is zorblax", "whats zorblax??" and "what is zorblax disease" make one
group. Groups are ranked by size. For each group the current content suggests
where it belongs:

* ``alias``: the intent was clear but the topic name was not known; the
  unknown words become an also-called name of the closest topic;
* ``example``: the topic was found (or none is needed) but the question kind
  was unsure; the wording, with the topic replaced by ``{topic}``, becomes an
  example of the most likely intent.

``--accept N`` edits the one YAML file by inserting one line, shows the diff,
and keeps the edit only if the content still validates.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from rapidfuzz import fuzz, process, utils

from bot.content.load import load_content
from bot.content.validate import Check
from bot.core.engine import Engine
from bot.core.knowledge import Knowledge, build
from bot.sessions.memory import MemoryStore
from bot.unanswered import UnansweredRecord

#: Two questions whose token-sorted similarity (0-100) reaches this share a group.
CLUSTER_SCORE = 75.0
#: A topic name must match this well (0-100) to be suggested for an unknown name.
ALIAS_TOPIC_SCORE = 75.0
#: An intent score (0-1) below this is no evidence for the intent at all.
INTENT_GUESS_MIN = 0.15
#: A recorded topic guess must score this (0-1) to count as a vote for an alias.
TOPIC_GUESS_MIN = 0.4
#: Longer wordings make poor examples and poor names; staff handle them by hand.
MAX_EXAMPLE_WORDS = 14
MAX_ALIAS_WORDS = 4
_PLACEHOLDER = re.compile(r"\[(?:NAME|PHONE|EMAIL|DATE|ADDRESS|ID|URL)\]")
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 '\-]*$")


@dataclass
class Suggestion:
    kind: str  # "example", "alias" or "none"
    target: str | None = None  # intent id (example) or topic id (alias)
    value: str = ""  # the example text or the name to add
    file: str = ""
    reason: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "target": self.target, "value": self.value, "file": self.file, "reason": self.reason}


@dataclass
class Group:
    n: int
    leader: str
    members: list[UnansweredRecord] = field(default_factory=list)
    suggestion: Suggestion = field(default_factory=lambda: Suggestion("none"))

    @property
    def count(self) -> int:
        return len(self.members)

    def examples(self, limit: int = 3) -> list[str]:
        return [t for t, _ in Counter(r.text for r in self.members).most_common(limit)]

    def to_dict(self) -> dict:
        kinds = Counter(r.kind for r in self.members)
        return {"n": self.n, "count": self.count, "leader": self.leader, "examples": self.examples(),
                "kinds": dict(kinds), "suggestion": self.suggestion.to_dict()}


def _key(text: str) -> str:
    return utils.default_process(_PLACEHOLDER.sub(" ", text))


def similarity(a: str, b: str, **_: object) -> float:
    """Word order and extra words matter less than shared words: "what is X? email me" ~ "what is X"."""
    return (fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2


def cluster(records: Iterable[UnansweredRecord], min_score: float = CLUSTER_SCORE) -> list[Group]:
    """Greedy fuzzy clustering, most frequent wording first; groups ranked by size."""
    by_text: dict[str, list[UnansweredRecord]] = defaultdict(list)
    for record in records:
        if _key(record.text):
            by_text[record.text].append(record)
    ordered = sorted(by_text.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    groups: list[Group] = []
    leaders: list[str] = []
    for text, recs in ordered:
        key = _key(text)
        best = process.extractOne(key, leaders, scorer=similarity, score_cutoff=min_score) if leaders else None
        if best is None:
            groups.append(Group(0, text, list(recs)))
            leaders.append(key)
        else:
            groups[best[2]].members.extend(recs)
    for group in groups:
        group.leader = _medoid(group)
    groups.sort(key=lambda g: (-g.count, g.leader))
    for i, group in enumerate(groups, 1):
        group.n = i
    return groups


def _medoid(group: Group) -> str:
    """The wording closest to all others in the group: the best single name for it."""
    texts = sorted({r.text for r in group.members}, key=lambda t: (len(t), t))
    if len(texts) <= 2:
        return Counter(r.text for r in group.members).most_common(1)[0][0] if len(texts) == 1 else texts[0]
    weights = Counter(r.text for r in group.members)
    keys = {t: _key(t) for t in texts}
    return max(texts, key=lambda t: sum(similarity(keys[t], keys[o]) * weights[o] for o in texts))


def _quote(value: str, flow: bool) -> str:
    return value if _PLAIN.match(value) and not flow else json.dumps(value, ensure_ascii=False)


def suggest(group: Group, knowledge: Knowledge) -> Suggestion:
    """Where the group's wording most likely belongs in the current content."""
    content = knowledge.content
    text = " ".join(_PLACEHOLDER.sub(" ", group.leader).split())
    engine = Engine(knowledge, MemoryStore())
    u = engine.understand(text, knowledge)
    votes: Counter[str] = Counter()
    for record in group.members:
        for intent_id, score in record.guesses.get("intents", [])[:1]:
            if float(score) >= INTENT_GUESS_MIN:
                votes[intent_id] += float(score)
    for intent_id, score in u.intents[:1]:
        if float(score) >= INTENT_GUESS_MIN:
            votes[intent_id] += float(score) * len(group.members)
    intent_id = next((i for i, _ in votes.most_common() if i in content.intents), None)
    words = [w for w in text.split()]
    if u.hits or intent_id is None or (intent_id in content.intents and content.intents[intent_id].kind == "fixed"):
        if intent_id is None:
            return Suggestion("none", reason="no intent reads like this question")
        from bot.core.normalize import normalize

        norm = normalize(text).split()
        for hit in sorted(u.hits, key=lambda h: -h.start):
            norm[hit.start:hit.end] = ["{topic}"]
        example = " ".join(norm)
        if len(norm) > MAX_EXAMPLE_WORDS:
            return Suggestion("none", reason=f"too long to be an example of '{intent_id}'; add a shorter wording by hand")
        intent = content.intents[intent_id]
        return Suggestion("example", intent.id, example, intent.file,
                          f"reads like '{intent.id}'" + (" with a known topic" if u.hits else ""))
    # No known topic: the words the bot did not recognise may be a name of an existing topic.
    unknown = " ".join(u.unknown_words) or " ".join(words)
    if len(unknown.split()) > MAX_ALIAS_WORDS:
        return Suggestion("none", reason=f"'{unknown}' is too long to be a topic name; read the questions and decide")
    names = {name: topic.id for topic in content.topics.values() for name in topic.names()}
    topic_votes: Counter[str] = Counter()
    for record in group.members:
        for topic_id, score in record.guesses.get("topics", [])[:1]:
            if float(score) >= TOPIC_GUESS_MIN:
                topic_votes[topic_id] += float(score)
    topic_id = next((t for t, _ in topic_votes.most_common() if t in content.topics), None)
    if topic_id is None and names:
        best = process.extractOne(unknown, list(names), scorer=fuzz.WRatio, processor=utils.default_process,
                                  score_cutoff=ALIAS_TOPIC_SCORE)
        topic_id = names[best[0]] if best else None
    if topic_id is None:
        return Suggestion("none", reason=f"'{unknown}' matches no topic: it may need a new topic file")
    topic = content.topics[topic_id]
    return Suggestion("alias", topic.id, unknown, topic.file, f"'{unknown}' may be another name for {topic.title}")


def build_report(records: Sequence[UnansweredRecord], knowledge: Knowledge) -> list[Group]:
    groups = cluster(records)
    for group in groups:
        group.suggestion = suggest(group, knowledge)
    return groups


def format_report(groups: Sequence[Group], total: int) -> str:
    if not groups:
        return "No unanswered questions are on record."
    out = [f"{total} unanswered question(s) in {len(groups)} group(s), most frequent first:", ""]
    for g in groups:
        s = g.suggestion
        kinds = ", ".join(f"{k} {v}" for k, v in Counter(r.kind for r in g.members).most_common())
        out.append(f"{g.n:>3}. ({g.count}x) {g.leader}    [{kinds}]")
        for other in g.examples()[1:]:
            out.append(f"       also: {other}")
        if s.kind == "example":
            out.append(f"       suggest: add example \"{s.value}\" to intent '{s.target}' ({s.file})")
        elif s.kind == "alias":
            out.append(f"       suggest: add also-called name \"{s.value}\" to topic '{s.target}' ({s.file})")
        else:
            out.append(f"       suggest: nothing automatic; {s.reason}")
    out += ["", "Accept a suggestion with: healthbot report --accept N"]
    return "\n".join(out)


class AcceptError(ValueError):
    """The suggestion cannot be written automatically; the message says why."""


def _insert_list_item(text: str, lines_map: dict, key: str, value: str, after_key: str) -> str:
    """Add one item to a YAML list in ``text`` keeping every other line as it was."""
    lines = text.splitlines(keepends=True)
    if (key,) not in lines_map:
        anchor = lines_map.get((after_key,), 1)
        lines.insert(anchor, f"{key}:\n  - {_quote(value, False)}\n")
        return "".join(lines)
    key_line = lines[lines_map[(key,)] - 1]
    if "[" in key_line and key_line.rstrip().endswith("]"):  # flow style on one line: [a, b]
        head, _, _ = key_line.rstrip().rpartition("]")
        sep = "" if head.rstrip().endswith("[") else ", "
        lines[lines_map[(key,)] - 1] = f"{head}{sep}{_quote(value, True)}]\n"
        return "".join(lines)
    items = sorted(path[1] for path in lines_map if len(path) == 2 and path[0] == key and isinstance(path[1], int))
    if not items:
        raise AcceptError(f"'{key}' is not a list this tool can extend; add the line by hand")
    last_line = lines_map[(key, items[-1])]
    source = lines[last_line - 1]
    indent = source[: len(source) - len(source.lstrip())]
    if not source.lstrip().startswith("- "):
        raise AcceptError(f"the '{key}' list spans several lines per item; add the line by hand")
    lines.insert(last_line, f"{indent}- {_quote(value, False)}\n")
    return "".join(lines)


def plan_accept(group: Group, knowledge: Knowledge) -> tuple[Path, str, str]:
    """Return (file, old text, new text) for accepting the group's suggestion."""
    s = group.suggestion
    content = knowledge.content
    root = Path(content.root)
    if s.kind == "example":
        intent = content.intents[s.target or ""]
        if any(utils.default_process(e) == utils.default_process(s.value) for e in intent.examples):
            raise AcceptError(f"intent '{intent.id}' already has the example \"{s.value}\"")
        path = root / intent.file
        old = path.read_text(encoding="utf-8")
        return path, old, _insert_list_item(old, dict(intent.lines), "examples", s.value, "id")
    if s.kind == "alias":
        topic = content.topics[s.target or ""]
        path = root / topic.file
        old = path.read_text(encoding="utf-8")
        return path, old, _insert_list_item(old, dict(topic.lines), "also_called", s.value, "title")
    raise AcceptError(f"group {group.n} has no suggestion to accept ({s.reason})")


def unified_diff(path: Path, old: str, new: str, root: Path) -> str:
    rel = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    return "".join(difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                        f"a/{rel}", f"b/{rel}"))


def apply_accept(path: Path, old: str, new: str, root: Path, checks: list[Check] | None = None) -> list[str]:
    """Write the edit; if the content stops validating, put the old text back and return the errors."""
    before = {str(e) for e in load_content(root, checks=checks).errors}
    path.write_text(new, encoding="utf-8")
    after = load_content(root, checks=checks)
    new_errors = [str(e) for e in after.errors if str(e) not in before]
    if new_errors:
        path.write_text(old, encoding="utf-8")
    return new_errors


def knowledge_for(root: str | Path, checks: list[Check] | None = None) -> Knowledge:
    return build(load_content(root, checks=checks))
