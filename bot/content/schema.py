"""The content model: what a topic, an intent and a safety rule are.

Every object is frozen: a snapshot, once validated, is shared by all threads and
never changes. Problems are :class:`ContentError` values that name the file, the
line and the fix, because the people who read them are not programmers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

TOPIC_KINDS = ("procedure", "test", "condition", "medicine", "wellness", "general")
#: The texts ``data/messages.yaml`` may set; any other key would never be shown.
MESSAGE_KEYS = ("notice", "fallback", "abstain", "abstain_page", "abstain_named", "ask_topic", "clarify_topic",
                "clarify_intent", "clarify_unclear", "reviewed", "past_emergency", "memory_lost", "starters",
                "same_answer", "reading_advice", "other_language", "beside_uncovered")
#: The fields of a topic file that list names other than the title.
NAME_FIELDS = ("also_called", "keywords", "broad_names", "treatment_names")


def word_set(entry: str) -> tuple[tuple[str, ...], ...]:
    """The word groups of a ``described_as`` entry: "chest + pain/ache" -> (("chest",), ("pain", "ache"))."""
    return tuple(tuple(w.strip().lower() for w in group.split("/") if w.strip())
                 for group in entry.split("+") if group.strip())


@dataclass(frozen=True, slots=True)
class ContentError:
    """One problem in one file. ``severity`` is ``error`` or ``warning``."""

    file: str
    line: int
    message: str
    fix: str = ""
    severity: str = "error"
    rule: str = "schema"

    def __str__(self) -> str:
        tail = f" — {self.fix}" if self.fix else ""
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.file}:{self.line}: {tag}{self.message}{tail}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
            "severity": self.severity,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    publisher: str
    url: str


@dataclass(frozen=True, slots=True)
class Answer:
    intent: str
    text: str
    sources: tuple[str, ...] = ()
    #: learn_more answers list source keys to show as links instead of text.
    links: tuple[str, ...] = ()
    #: Set by the MedlinePlus importer: text taken from NLM's summary, not curated.
    imported: bool = False
    line: int = 0


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    kind: str
    also_called: tuple[str, ...]
    keywords: tuple[str, ...]
    reviewed: dt.date | None
    related: tuple[str, ...]
    sources: Mapping[str, Source]
    answers: Mapping[str, Answer]
    file: str = ""
    language: str = "en"
    imported: bool = False
    url: str | None = None  # the topic's main page (e.g. its MedlinePlus page)
    #: Names that also cover other topics ("blood pressure" for High Blood Pressure): they point
    #: here only when the message names no more specific topic.
    broad_names: tuple[str, ...] = ()
    #: "high" or "low": the blood pressure readings this topic is about. A message naming the topic
    #: only broadly ("my BP was 85/50") means it when its reading is of that kind.
    reading: str = ""
    #: Words that name the topic when they come close together in one sentence, in any order:
    #: "chest + pain/ache/pressure" matches "a sharp pain on the left side of my chest".
    #: Each entry is groups joined by "+", each group alternatives joined by "/" (see ``word_set``).
    described_as: tuple[str, ...] = ()
    #: Names of the condition's treatments that point here ("catheter ablation" for Arrhythmia):
    #: "what is catheter ablation?" is answered by what the treatment answer says, not what the condition is.
    treatment_names: tuple[str, ...] = ()
    #: YAML path -> line, so cross-file checks can point at the right line.
    lines: Mapping[tuple[Any, ...], int] = field(default_factory=dict, compare=False, repr=False)

    def line(self, *path: Any) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def names(self) -> tuple[str, ...]:
        """Every name a patient may use: title, also-called, keywords, broad names, treatment names."""
        return (self.title, *self.also_called, *self.keywords, *self.broad_names, *self.treatment_names)

    def display_names(self) -> tuple[str, ...]:
        """Names that identify the topic (for evaluation and clarifying)."""
        return (self.title, self.id, *self.also_called)


@dataclass(frozen=True, slots=True)
class Intent:
    id: str
    description: str
    #: ``topic``: answered from a topic's answers; ``fixed``: one reply for everyone.
    kind: str
    answer: str | None
    examples: tuple[str, ...]
    #: Weighted phrases (regular expressions over normalised text) that signal the intent.
    cues: tuple[tuple[str, float], ...] = ()
    reply: str = ""
    missing_answer: str = ""
    missing_topic: str = ""
    follow_ups: tuple[str, ...] = ()
    #: Title of the quick reply that asks this intent ("How is it done?").
    ask: str = ""
    #: Also show the learn-more links of the topic with a fixed reply.
    with_learn_more: bool = False
    #: Only consider this intent for messages of at most this many words (greetings, thanks).
    max_words: int = 0
    #: Only choose this intent when its score reaches this (0-1): a loose likeness to one of its
    #: examples must not send an emergency reply to "is this reasonable?".
    min_score: float = 0.0
    #: Topic kind -> the intent this question means for such a topic ("a problem after
    #: starting a medicine" asks about side effects, not recovery): {"medicine": "risks"}.
    #: A topic that has an answer for the intent itself keeps it.
    reads_as: Mapping[str, str] = field(default_factory=dict)
    #: With two or more topics named ("angina or a heart attack?"), answer for each of them,
    #: one after the other, instead of asking which one was meant.
    compares: bool = False
    #: Topic kind -> the answer shown for such a topic, the question staying the same: whether
    #: someone needs a procedure is a treatment question, answered by why it is done (what_is).
    answer_for: Mapping[str, str] = field(default_factory=dict)
    #: Topic kinds this question is usually about. With several topics named, one of these kinds
    #: is answered before a topic of another kind: side effects belong to the medicine named
    #: ("my cholesterol is high ... worried about Lipitor's side effects"), not to cholesterol.
    prefers: tuple[str, ...] = ()
    #: Only for messages that name no health topic (greetings, thanks, out of scope): in "Why does
    #: my angina get worse in cold weather?" the weather is context, not the subject.
    without_topic: bool = False
    #: The label of the labelled question files this intent is scored as by ``healthbot eval``,
    #: when its own id is not one: finding a doctor is filed there under ``learn_more``.
    counts_as: str = ""
    file: str = ""
    lines: Mapping[tuple[Any, ...], int] = field(default_factory=dict, compare=False, repr=False)

    def line(self, *path: Any) -> int:
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)

    def answer_key(self, topic: "Topic") -> str:
        """Which answer of this topic the intent shows: its own, else ``answer_for`` the topic's kind."""
        own = self.answer or self.id
        if own in topic.answers:
            return own
        return self.answer_for.get(topic.kind) or own

    def reads_for(self, topic: "Topic") -> str:
        """The intent these words ask of this topic: ``reads_as`` its kind, unless it has its own answer.

        "Its own" is the answer named like the intent: ``why_needed`` shows a procedure's what_is
        answer, yet every condition has a what_is answer too, and for a condition it asks the cause.
        """
        if self.id in topic.answers:
            return self.id
        return self.reads_for_kind(topic.kind)

    def reads_for_kind(self, kind: str) -> str:
        """The intent these words ask of any subject of this kind, one the content may not cover."""
        return self.reads_as.get(kind, self.id)


@dataclass(frozen=True, slots=True)
class SafetyRule:
    id: str
    kind: str  # emergency | crisis
    patterns: tuple[str, ...]
    reply: Mapping[str, str]  # locale -> text, with {emergency} / {crisis} placeholders
    file: str = ""
    #: Only while the conversation is about one of these topics: a fall is an emergency for
    #: someone on a blood thinner, and the message alone may not say so.
    topics: tuple[str, ...] = ()
    line: int = 1
    #: Events whose lasting effects these signs can be: two months after "she had a stroke", "she
    #: still can't move her arm" is what the stroke left behind, not a new emergency.
    lasting_after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Locale:
    id: str
    emergency: str
    crisis: str
    poison: str = ""


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """A topic the bot knows exists elsewhere (e.g. on MedlinePlus) but has no content for."""

    title: str
    names: tuple[str, ...] = ()
    search_url: str = ""
    #: The topic's own page, when the directory knows it: the patient gets a link, not a search.
    url: str = ""


@dataclass(frozen=True, slots=True)
class Phrasing:
    """A question as a patient wrote it, labelled with the intent it asks (or ``other``)."""

    intent: str
    text: str


@dataclass(frozen=True)
class Content:
    """An immutable, validated snapshot of everything the bot may say."""

    topics: Mapping[str, Topic]
    intents: Mapping[str, Intent]
    safety: tuple[SafetyRule, ...]
    locales: Mapping[str, Locale]
    negations: tuple[str, ...] = ()
    messages: Mapping[str, str] = field(default_factory=dict)
    #: Topics known only by name, so the bot can say honestly that it does not cover them.
    directory: tuple[DirectoryEntry, ...] = ()
    #: Labelled patient questions (data/phrasings/) that train the optional sentence model.
    phrasings: tuple["Phrasing", ...] = ()
    errors: tuple[ContentError, ...] = ()
    warnings: tuple[ContentError, ...] = ()
    root: str = ""
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors
