"""Find the topics a message talks about, as spans inside the message.

Patients rarely write just "angioplasty"; they write three sentences with the
topic somewhere inside, often misspelt. Matching the whole message against
topic names (the usual fuzzy-match approach) fails on such text, so we look
for *spans*: every run of words that is, or nearly is, a topic's name.

Speed matters (the engine must answer in well under a millisecond with a
thousand topics), so exact names are found by dictionary look-up of word
n-grams, and typos by a symmetric-delete index (the SymSpell idea) that only
proposes candidates; rapidfuzz then measures the true edit distance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from bot.content.schema import DirectoryEntry, Topic, word_set
from bot.core.normalize import normalize, stem
from bot.core.spelling import TypoIndex, english_words
from bot.core.wordcache import WordCache

#: Words that never form a topic name on their own, even if staff list one.
STOPWORDS = frozenset(
    "a an the of and or in on at to for with from by about is are was be been my me i you your "
    "it its this that what how why when who which do does did can could should would will have has "
    "had not no yes am we our they their them he she his her as if so but than then there here".split()
)


#: After a procedure's name, these introduce where it is done ("a stent in the bile duct").
_LOCATING = frozenset({"in", "into", "inside", "within"})
_PLACING = frozenset({"is", "was", "be", "been", "being", "put", "placed", "inserted", "used", "left"})
#: (Possessives reach these sets as "the": see _READ_AS.)
_DETERMINERS = frozenset({"the", "a", "an", "left", "right"})


@lru_cache(maxsize=1)
def qualifiers() -> frozenset[str]:
    """Words that turn a topic's name into another subject (see data/qualifiers.txt)."""
    text = resources.files("bot.core").joinpath("data/qualifiers.txt").read_text(encoding="utf-8")
    return frozenset(stem(line.strip().lower()) for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


#: "no chest pain", "without a stent": a name right after these is not what the message is about.
_NEGATING = frozenset({"no", "without", "denies", "denied", "nor"})
#: ...nor after "not"/"never" and a verb of having: "I don't have high blood pressure", "never had a stroke".
_NOT = frozenset({"not", "dont", "doesnt", "didnt", "never", "havent", "hasnt", "hadnt", "wasnt", "isnt"})
_HAVING = frozenset({"have", "has", "had", "get", "got", "take", "taking", "took", "on", "need", "needed"})
_SKIPPED = frozenset({"a", "an", "any", "the"})
#: Before "not take ...", words that make it a question about the name: "who should not take", "why not take".
_ASKING_NOT = frozenset({"should", "shouldnt", "can", "could", "must", "may", "might", "why", "when"})
#: A "not" that says what someone wants to avoid names the subject: "how to not get a stroke",
#: "what helps people not get high blood pressure", "so I don't get a stroke", "how do I not get it".
_AIMING_NOT = frozenset({"to", "help", "helped"})
_SUBJECTS = frozenset({"i", "we", "you", "he", "she", "they", "people", "someone", "one", "person"})
#: Words that lead such a subject: "so I don't", "how do I not", "helps people not".
_AIM_OR_ASK = frozenset({"so", "how", "help", "helped", "do", "does", "can", "could", "would", "will",
                         "should", "might", "may"})
#: Words that may stand between the "no" and the name it denies: "no family history of heart disease",
#: "no signs of a stroke", "no known heart problems". Stemmed, as the prepared words are.
_DENIED_FRAME = frozenset({"history", "family", "personal", "of", "sign", "symptom", "evidence", "known", "previous", "prior"})
#: A denial goes on through a list: "no diabetes or high blood pressure", "no stroke, nor heart attack".
_LIST_GOES_ON = frozenset({"or", "nor"})
_LIST_SKIPPED = _SKIPPED | _DENIED_FRAME | {"episode", "case"}
#: How many words a list may run between two names before "or" stops carrying the "no".
LIST_GAP = 6


#: Match ids of directory entries (topics known by name only) start with this.
DIRECTORY_PREFIX = "dir:"
#: Match id of a name that a qualifier turned into a subject we do not cover ("kidney stent").
OTHER_SUBJECT = f"{DIRECTORY_PREFIX}other"


#: Words that join two names sharing their last words ("ischemic and hemorrhagic stroke").
JOINERS = frozenset("and or vs versus".split())


#: Last words that make a name a condition: the directory's "Kidney Diseases" names one, though
#: both its words also come up in questions ("can the dye hurt my kidneys?").
_CONDITION_HEADS = frozenset(stem(w) for w in ("disease", "diseases", "disorder", "disorders", "syndrome"))
#: Last words of a test's name that people leave out: "an MRI" is an MRI scan.
_SCAN_HEADS = frozenset(stem(w) for w in ("scan", "scans", "test", "tests"))


def _acronym_led(name: str) -> bool:
    """Whether a name starts with an acronym ("MRI Scans"): a subject, even if people also ask with its words."""
    first = name.split(maxsplit=1)[0] if name.strip() else ""
    return len(first) >= 2 and first.isalpha() and first.isupper()


@dataclass(frozen=True, slots=True)
class Hit:
    """One span of the message that names a topic."""

    topic_id: str
    name: str
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    score: float  # 1.0 for an exact name; less for typos and weaker names
    sentence: int = 0
    #: Found from scattered words (``described_as``), not a name said outright.
    described: bool = False


@dataclass(slots=True)
class TopicMatch:
    topic_id: str
    score: float
    hits: list[Hit] = field(default_factory=list)
    #: Its hits and those of a general name it stands for ("stroke" beside "ischemic stroke"); see ``rank``.
    pool: list[Hit] = field(default_factory=list)

    @property
    def first(self) -> int:
        return min(h.start for h in self.hits)


@dataclass(frozen=True, slots=True)
class _Name:
    topic_id: str
    name: str
    weight: float


#: "hole in his heart" is the name "hole in the heart": possessives inside a name are all "the".
#: Likewise every word for a medicine is one word, so "blood pressure drugs", "BP tablets" and
#: "blood pressure meds" all name the topic whose file says "blood pressure medicines".
_READ_AS = {"his": "the", "her": "the", "my": "the", "their": "the", "your": "the", "our": "the",
            **{w: "medicine" for w in ("medication", "medications", "med", "meds", "drug", "drugs", "pill", "pills",
                                       "tablet", "tablets")}}


@lru_cache(maxsize=65536)
def _key(text: str) -> tuple[str, ...]:
    return _stems(normalize(text).split())


def _stems(words: Sequence[str]) -> tuple[str, ...]:
    """Normalised words as a name's key: stemmed, a few read as another word."""
    return tuple(_READ_AS.get(t) or stem(t) for t in words)


def _for_what(name: str) -> str | None:
    """A medicine name said the other way round: "heart failure drugs" -> "medicine for heart failure".

    People name a medicine by what it is for as often before the word as after it ("pills for
    angina", "medicine for high blood pressure").
    """
    words = name.split()
    if len(words) < 2 or _key(words[-1]) != ("medicine",):
        return None
    return "medicine for " + " ".join(words[:-1])


class TopicIndex:
    """All topic names, indexed for span look-up with typo tolerance."""

    #: A clipped or garbled drug name keeps its first letters: a word this long that
    #: shares its first CLIPPED_PREFIX letters with exactly one long name word may be it.
    MIN_CLIPPED_LEN = 6
    #: A broad name ("blood pressure") scores this much of an exact name: any specific topic named wins.
    BROAD_WEIGHT = 0.75
    #: An uncovered topic's one-word other name this short that is an everyday English word is not indexed.
    MAX_EVERYDAY_ALIAS = 8
    CLIPPED_PREFIX = 5
    CLIPPED_MIN_RATIO = 80.0
    #: A topic described in scattered words ("pain ... in my chest") scores this much of its name said outright.
    DESCRIBED_WEIGHT = 0.9
    #: The words of a description stand at most this many words apart, first to last, in one sentence.
    DESCRIBED_SPAN = 8

    def __init__(
        self,
        topics: Iterable[Topic],
        directory: Sequence[DirectoryEntry] = (),
        reserved: frozenset[str] = frozenset(),
    ) -> None:
        self.phrases: dict[tuple[str, ...], list[_Name]] = defaultdict(list)
        #: Name words typed together, before the words they are: "heartattack" -> ("heart", "attack").
        self._joined: dict[str, tuple[str, ...]] = {}
        self.max_len = 1
        self.directory = tuple(directory)
        #: The qualifiers that would make a name mean something else (see ``_qualified_away``), and per
        #: topic those its own names use: a set per topic of all the others would cost a MB per thousand.
        self._qualifiers = qualifiers()
        self._own_qualifiers: dict[str, frozenset[str]] = {}
        self._procedures: set[str] = set()
        #: ``described_as`` words by each word of their first group: (topic id, title, the other groups).
        self._described: dict[str, list[tuple[str, str, tuple[frozenset[str], ...]]]] = defaultdict(list)
        for topic in topics:
            weighted = [(topic.title, 1.0), (topic.id.replace("-", " "), 1.0)]
            weighted += [(n, 1.0) for n in (*topic.also_called, *topic.keywords, *topic.treatment_names)]
            weighted += [(n, self.BROAD_WEIGHT) for n in topic.broad_names]
            if topic.kind == "medicine":
                weighted += [(name, w) for n, w in weighted if (name := _for_what(n))]
            for name, weight in weighted:
                # A broad name stands only when nothing more specific is named, so even a short one ("BP") is safe.
                self._add(topic.id, name, weight, shortest=2 if weight == self.BROAD_WEIGHT else 3)
            for entry in topic.described_as:
                groups = tuple(frozenset(stem(w) for word in group for w in normalize(word).split())
                               for group in word_set(entry))
                for word in groups[0]:
                    self._described[word].append((topic.id, topic.title, groups[1:]))
            own = {t for name, _ in weighted for t in _key(name)}
            self._own_qualifiers[topic.id] = frozenset(own & self._qualifiers)
            if topic.kind == "procedure":
                self._procedures.add(topic.id)
        # Known-but-uncovered topics: their names keep typo correction from turning
        # "lasik" into "lasix", and let the bot say which topic it does not cover.
        common = english_words()
        for i, entry in enumerate(self.directory):
            for n, name in enumerate((entry.title, *entry.names)):
                key = _key(name)
                # "Side effects" or "safety" are how people ask, not a subject; a longer name made of
                # such words ("high blood pressure in pregnancy") is one.
                # A name that ends in "disease" ("kidney disease") names a condition, however plain its words.
                led = _acronym_led(name)
                if not key or self.phrases.get(key) or (
                        len(key) <= 2 and all(t in reserved for t in key) and key[-1] not in _CONDITION_HEADS
                        and not led):
                    continue
                # A short everyday word as another name ("battery" for Domestic Violence, "period",
                # "speed") is far more often just that word: only titles and longer names count.
                # The word list has no words under four letters: a short one ("Pot", "Ice") is an everyday
                # word unless written as an acronym ("ALS").
                if n and len(key) == 1 and (
                        ((key[0] in common or name.lower() in common) and len(key[0]) <= self.MAX_EVERYDAY_ALIAS)
                        or (len(name) <= 3 and not name.isupper())):
                    continue
                self._add(f"{DIRECTORY_PREFIX}{i}", name, 1.0)
                # "MRI Scans" is asked as "an MRI": the acronym alone names the scan.
                if led and len(key) == 2 and key[1] in _SCAN_HEADS and not self.phrases.get(key[:1]):
                    self._add(f"{DIRECTORY_PREFIX}{i}", name.split(maxsplit=1)[0], 1.0)
        self.vocab = frozenset(t for key in self.phrases for t in key)
        # A real word ("pacemaker", "bloodstream") or a name word stays as it is.
        self._joined = {joined: parts for joined, parts in self._joined.items()
                        if len(joined) >= 7 and joined not in common and stem(joined) not in self.vocab}
        #: Words ``_fix_in_context`` leaves as they are: name words and stopwords, in one set for one look-up.
        self._known = self.vocab | STOPWORDS
        #: Every leading part of every name, so a span stops growing as soon as no name starts so.
        self._prefixes = frozenset(key[:i] for key in self.phrases for i in range(1, len(key) + 1))
        self._first_words = frozenset(key[0] for key in self.phrases)
        #: For two-word names: the words seen before and after each name word.
        #: Keyed by (neighbour, first letter), so a look-up finds a handful of words, not hundreds.
        self._before: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._after: dict[tuple[str, str], set[str]] = defaultdict(set)
        for key in self.phrases:
            for a, b in zip(key, key[1:]):
                self._before[(b, a[0])].add(a)
                self._after[(a, b[0])].add(b)
        #: First halves of name words a patient may split in two ("by pass", "angio plasty").
        self._join_heads = frozenset(w[:k] for w in self.vocab if len(w) >= 5 for k in range(1, len(w)))
        self._typos = TypoIndex(self.vocab)
        self._correction_cache: WordCache = WordCache()
        #: Each word as ``_prepare`` reads it: most words of a message were seen before.
        self._prepared_cache: WordCache = WordCache()
        #: Long name words by their first letters: "metopol" is a clipped "metoprolol".
        self._by_first_letters: dict[str, list[str]] = defaultdict(list)
        for word in self.vocab:
            if len(word) >= self.MIN_CLIPPED_LEN + 2:
                self._by_first_letters[word[: self.CLIPPED_PREFIX]].append(word)

    def _add(self, topic_id: str, name: str, weight: float, shortest: int = 3) -> None:
        surface = normalize(name).split()
        key = _stems(surface)
        # One- and two-letter names ("AF", "PH") collide with everyday text.
        if not key or all(t in STOPWORDS for t in key) or len("".join(key)) < shortest:
            return
        if any(n.topic_id == topic_id for n in self.phrases[key]):
            return
        self.phrases[key].append(_Name(topic_id, name, weight))
        self.max_len = max(self.max_len, len(key))
        # Two or three of its words typed as one ("heartattack", "highbloodpressure").
        for i in range(len(surface) - 1):
            for j in range(i + 2, min(len(surface), i + 3) + 1):
                parts = tuple(surface[i:j])
                if min(map(len, parts)) < 2 or any(p in STOPWORDS for p in parts):
                    continue
                self._joined.setdefault("".join(parts), parts)
                last = parts[-1]
                other = last[:-1] if last.endswith("s") and not last.endswith("ss") else last + "s"
                self._joined.setdefault("".join(parts[:-1]) + other, parts[:-1] + (other,))

    def split_joined(self, words: list[str]) -> list[str]:
        """The words with name words typed together split apart: "a heartattack" -> "a heart attack"."""
        joined = self._joined
        if not any(w in joined for w in words):
            return words
        out: list[str] = []
        for w in words:
            out.extend(joined.get(w, (w,)))
        return out

    def entry(self, topic_id: str) -> DirectoryEntry | None:
        """The directory entry behind a ``dir:N`` match id."""
        if not topic_id.startswith(DIRECTORY_PREFIX) or topic_id == OTHER_SUBJECT:
            return None
        return self.directory[int(topic_id[len(DIRECTORY_PREFIX):])]

    def correct(self, word: str) -> str | None:
        """The name word this token was probably meant to be, or None."""
        cached = self._correction_cache.get(word, "")
        if cached != "":
            return cached
        best = self._typos.correct(word)
        if best is None and len(word) >= self.MIN_CLIPPED_LEN and word not in english_words() and not word.isdigit():
            best = self._clipped(word)
        return self._correction_cache.remember(word, best)

    def _clipped(self, word: str) -> str | None:
        near = [cand for cand in self._by_first_letters.get(word[: self.CLIPPED_PREFIX], ())
                if len(cand) >= len(word) and fuzz.ratio(word, cand) >= self.CLIPPED_MIN_RATIO]
        return near[0] if len(near) == 1 else None

    def _prepare(self, words: Sequence[str]) -> list[tuple[str, float]]:
        """Stem and correct each word; join split words ("echo cardiogram" -> "echocardiogram")."""
        vocab, heads, cache = self.vocab, self._join_heads, self._prepared_cache
        out: list[tuple[str, float]] = []
        last = len(words) - 1
        joined_next = False
        for i, word in enumerate(words):
            if joined_next:  # the second half of a split name, already read with the first
                joined_next = False
                continue
            # A split name comes first, even when its first half is a word of its own ("echo").
            if word in heads and i < last:
                joined = stem(word + words[i + 1])
                if joined in vocab and len(joined) >= 5:
                    out.append((joined, 0.96))
                    out.append(("", 0.0))  # keep token positions aligned
                    joined_next = True
                    continue
            done = cache.get(word)
            out.append(done if done is not None else cache.remember(word, self._prepare_word(word)))
        return self._fix_in_context(out)

    def _prepare_word(self, word: str) -> tuple[str, float]:
        """One word as a name word: stemmed, or corrected (quality 0.9) when it is a near-miss."""
        w = _READ_AS.get(word) or stem(word)
        if w in self.vocab or w in STOPWORDS:
            return (w, 1.0)
        # The stemmer can clip a misspelling ("bypas" -> "bypa"): try the word as typed too.
        fixed = self.correct(w) or (self.correct(word) if w != word else None)
        return (fixed, 0.9) if fixed else (w, 1.0)

    def _fix_in_context(self, prepared: list[tuple[str, float]]) -> list[tuple[str, float]]:
        """Correct a word its neighbour vouches for: "hart attack", "heart faliure".

        Alone, "hart" is an English word and "faliure" two edits from anything, so
        neither is corrected. Next to "attack" or "heart" they can only be one
        name: the other word of a two-word name, within two edits.
        """
        known, before, after, empty = self._known, self._before, self._after, frozenset()
        last = len(prepared) - 1
        for i, (word, quality) in enumerate(prepared):
            if word in known or len(word) < 3:  # also the "" after a joined word
                continue
            following = before.get((prepared[i + 1][0], word[0]), empty) if i < last else empty
            preceding = after.get((prepared[i - 1][0], word[0]), empty) if i else empty
            if not following and not preceding:
                continue
            # The neighbour vouches for the name, so a long word may be further off ("atrial fibulation").
            limit = 1 if len(word) < 6 else 2 if len(word) < 9 else 3
            pool = following | preceding if following and preceding else following or preceding
            near = [o for o in pool if Levenshtein.distance(word, o, score_cutoff=limit) <= limit]
            if len(near) == 1:
                prepared[i] = (near[0], min(quality, 0.88))
        return prepared

    def find(self, words: Sequence[str], sentence_of: Sequence[int] | None = None) -> list[Hit]:
        """Every non-overlapping span that names a topic, longest names first."""
        prepared = self._prepare(words)
        found: list[Hit] = []
        n = len(prepared)
        first_words, prefixes, phrases, max_len = self._first_words, self._prefixes, self.phrases, self.max_len
        # Most words start no name: only the others build spans.
        for start in [i for i, (first, _) in enumerate(prepared) if first in first_words]:
            parts: list[str] = []
            quality = 1.0
            for end in range(start + 1, min(n, start + max_len) + 1):
                word, q = prepared[end - 1]
                if not word:
                    continue
                parts.append(word)
                if q < quality:
                    quality = q
                key = tuple(parts)
                if key not in prefixes:
                    break
                names = phrases.get(key)
                if names:
                    stop = end
                    while stop < n and not prepared[stop][0]:
                        stop += 1  # the second half of a joined word ("echo cardiogram") is part of the name
                    for name in names:
                        sent = sentence_of[start] if sentence_of else 0
                        found.append(Hit(name.topic_id, name.name, start, stop, quality * name.weight, sent))
        if found:
            denied = _denied(found, prepared, sentence_of)
            # "kidney stent" still names a subject, just not ours: the bot then says it has no information.
            found = [replace(h, topic_id=OTHER_SUBJECT) if self._qualified_away(h, prepared, sentence_of) else h
                     for j, h in enumerate(found) if j not in denied]
        if self._described:
            found.extend(self._described_hits(prepared, sentence_of, found))
        # Longest span first; an overlapping shorter span is part of a longer name.
        found.sort(key=lambda h: (-(h.end - h.start), -h.score, h.start))
        taken = [False] * n
        kept: list[Hit] = []
        for hit in found:
            if any(taken[hit.start : hit.end]):
                # The same span naming a second topic is an ambiguity worth keeping.
                if not any(k.start == hit.start and k.end == hit.end for k in kept):
                    continue
            kept.append(hit)
            taken[hit.start : hit.end] = [True] * (hit.end - hit.start)
        kept.extend(self._shared_head(prepared, kept, taken, sentence_of))
        kept.sort(key=lambda h: h.start)
        return kept

    def _shared_head(self, prepared: Sequence[tuple[str, float]], kept: Sequence[Hit], taken: list[bool],
                     sentence_of: Sequence[int] | None) -> list[Hit]:
        """Names that share the next name's last words: "ischemic and hemorrhagic stroke", "aortic or brain aneurysm".

        Without this only the second is found, and a comparison of the two answers one.
        """
        out: list[Hit] = []
        for hit in list(kept):
            i = hit.start - 2
            if hit.end - hit.start < 2 or i < 0 or prepared[hit.start - 1][0] not in JOINERS:
                continue
            word, quality = prepared[i]
            key = (word, *(w for w, _ in prepared[hit.start + 1 : hit.end] if w))
            names = self.phrases.get(key, ())
            if taken[i]:
                # "Systolic and diastolic heart failure": "systolic" alone names another topic (a blood
                # pressure reading), but with the shared words it is one more name of this one.
                alone = [k for k in kept if k.start == i and k.end == i + 1 and k.topic_id != hit.topic_id]
                if alone and any(name.topic_id == hit.topic_id for name in names):
                    for k in alone:
                        kept.remove(k)
                continue
            for name in names:
                if name.topic_id != hit.topic_id:
                    sent = sentence_of[i] if sentence_of else 0
                    out.append(Hit(name.topic_id, name.name, i, i + 1, min(quality, hit.score) * name.weight, sent))
                    taken[i] = True
                    break
        return out

    def named_beside(self, words: Sequence[str], context_title: str) -> list[Hit]:
        """Topics a follow-up names or describes together with the conversation's topic.

        "What about hemorrhagic?" in a conversation about stroke names Hemorrhagic Stroke,
        and "what kind of rehab will she need?" after "my mom just had a stroke" describes
        Stroke Rehabilitation ("rehab + stroke"), though neither message says "stroke":
        the conversation's title (or a shorter end of it) is read as if said right after the
        message, or the whole title right before one of its words ("what about the medicines?"
        after High Blood Pressure). Only a name or description that takes in words of both counts.
        """
        n, title = len(words), normalize(context_title).split()
        # The title, else its shorter ends: after "Hemorrhagic Stroke", "and ischemic?" is "ischemic
        # stroke"; after "High Blood Pressure", "what about low?" is "low blood pressure".
        for i in range(len(title)):
            joined = [*words, *title[i:]]
            # A description may run into the title's first word ("irregular beats" + "heart failure"), but
            # no further: "my leg is swollen" after Deep Vein Thrombosis, borrowing "vein" from within the
            # title, is about the clot, not varicose veins.
            hits = [h for h in self.find(joined) if h.start < n < h.end and (not h.described or i == 0 and h.end == n + 1)]
            if not hits and self._described and i == 0:
                # find() would keep the title's words apart as its own name.
                hits = [h for h in self._described_hits(self._prepare(joined), None, []) if h.start < n == h.end - 1]
            if hits:
                return hits
        # The title before one of the message's words: "what about the medicines?" after High Blood
        # Pressure is "high blood pressure medicines".
        t = len(title)
        for i, word in enumerate(words):
            if word in STOPWORDS:
                continue
            hits = [replace(h, start=i, end=i + 1) for h in self.find([*title, word]) if h.start < t < h.end]
            if hits:
                return hits
        return []

    def _described_hits(self, prepared: Sequence[tuple[str, float]], sentence_of: Sequence[int] | None,
                        named: Sequence[Hit]) -> list[Hit]:
        """Topics described in scattered words: "a sharp pain on the left side of my chest".

        Each word of a ``described_as`` entry's first group looks for a word of every other
        group nearby in its sentence. The span may take in another name only where that
        name is one of the description's own words ("rehab after his stroke"), so
        "pain after my angioplasty, in my chest" still names angioplasty.
        """
        out: list[Hit] = []
        n, span, described = len(prepared), self.DESCRIBED_SPAN, self._described
        for i in [i for i, (word, _) in enumerate(prepared) if word in described]:
            word, quality = prepared[i]
            entries = described[word]
            sent = sentence_of[i] if sentence_of else 0
            for topic_id, title, others in entries:
                at, q = [i], quality
                for group in others:
                    near = [j for j in range(max(0, i - span), min(n, i + span + 1))
                            if prepared[j][0] in group and j not in at and (not sentence_of or sentence_of[j] == sent)]
                    if not near:
                        break
                    j = min(near, key=lambda j: abs(j - i))
                    at.append(j)
                    q = min(q, prepared[j][1])
                else:
                    start, end = min(at), max(at) + 1
                    if end - start > span:
                        continue
                    words, refined, blocked = set(at), [], False
                    for h in named:
                        if not (h.start < end and start < h.end):
                            continue
                        if h.topic_id == topic_id and h.score > self.BROAD_WEIGHT:
                            blocked = True  # the topic is named outright
                        elif words.issuperset(range(h.start, h.end)):
                            continue  # (a broad name inside the span, "blood pressure" in "blood pressure keeps
                            # rising", is one of its words: the description says which topic it means)
                        elif h.topic_id.startswith(DIRECTORY_PREFIX) and words.intersection(range(h.start, h.end)):
                            refined.append(h)  # "blood clot ... calf": an uncovered name the description narrows
                        else:
                            blocked = True  # the span runs over another name
                    if blocked:
                        continue
                    if refined:  # the description takes in the whole name, so it wins over it as the longer span
                        start, end = min(start, *(h.start for h in refined)), max(end, *(h.end for h in refined))
                    hit = Hit(topic_id, title, start, end, q * self.DESCRIBED_WEIGHT, sent, described=True)
                    if not _negated(hit, prepared, sentence_of) and hit not in out:
                        out.append(hit)
        return out

    def _qualified_away(self, hit: Hit, prepared: Sequence[tuple[str, float]],
                        sentence_of: Sequence[int] | None) -> bool:
        """True when a word beside the name makes it another subject: "kidney stent", "heat stroke".

        Without this the bot answers about heart stents when asked about a
        urinary stent. Only words of ``data/qualifiers.txt`` that none of the
        topic's own names use count, and only inside the same sentence.
        """
        own = self._own_qualifiers.get(hit.topic_id)
        if own is None:
            return False
        quals = self._qualifiers
        foreign = lambda word: word in quals and word not in own  # noqa: E731
        same = (lambda i: sentence_of[i] == hit.sentence) if sentence_of else (lambda i: True)
        before = hit.start - 1
        if before >= 0 and foreign(prepared[before][0]) and same(before):
            return True
        if hit.topic_id not in self._procedures:
            # "high blood pressure in kidney disease" is still about blood pressure.
            return False
        i, n = hit.end, len(prepared)
        while i < n and i < hit.end + 2 and prepared[i][0] in _PLACING:
            i += 1  # "a stent (was) put into ..."
        if i >= n or prepared[i][0] not in _LOCATING:
            return False
        i += 1
        while i < n and prepared[i][0] in _DETERMINERS:
            i += 1
        return i < n and foreign(prepared[i][0]) and same(i)


def _negated(hit: Hit, prepared: Sequence[tuple[str, float]], sentence_of: Sequence[int] | None) -> bool:
    """True for "no chest pain", "without a stent", "I don't have high blood pressure".

    A name the patient says they do not have is context, not the subject:
    "no chest pain but my ankles swell" must not answer about chest pain.
    """
    i = hit.start - 1
    while i >= 0 and prepared[i][0] in _SKIPPED and hit.start - i <= 3:
        i -= 1
    if i < 0 or (sentence_of and sentence_of[i] != hit.sentence):
        return False
    word = prepared[i][0]
    if word in _NEGATING:
        return True
    if word in _DENIED_FRAME:
        j = i
        while j >= 0 and prepared[j][0] in _DENIED_FRAME | _SKIPPED and i - j < 4:
            j -= 1
        if j >= 0 and prepared[j][0] in _NEGATING and (not sentence_of or sentence_of[j] == hit.sentence):
            return True
    if not (word in _HAVING and i > 0 and prepared[i - 1][0] in _NOT and (not sentence_of or sentence_of[i - 1] == hit.sentence)):
        return False
    # "Who should not take Entresto?", "why not take a statin?" ask about it; only "I don't take it" denies.
    before = prepared[i - 2][0] if i > 1 else ""
    if before in _ASKING_NOT or before in _AIMING_NOT:
        return False
    # "so (that) I don't get ...", "how do I not get ...": the subject is led by an aim or a question.
    lead = i - 3
    if lead > 0 and prepared[lead][0] == "that" and prepared[lead - 1][0] == "so":
        lead -= 1
    return not (before in _SUBJECTS and lead >= 0 and prepared[lead][0] in _AIM_OR_ASK)


def _denied(found: Sequence[Hit], prepared: Sequence[tuple[str, float]],
            sentence_of: Sequence[int] | None) -> set[int]:
    """Positions in ``found`` of names the patient says they do not have (see ``_negated``),
    including the rest of a denied list: "no history of stroke in my family or heart disease"."""
    out: set[int] = set()
    last: Hit | None = None  # the name before, and whether it was denied
    last_denied = False
    for index in sorted(range(len(found)), key=lambda j: (found[j].start, -found[j].end)):
        hit = found[index]
        if last is not None and hit.end <= last.end:  # "stroke" inside "hemorrhagic stroke" shares its fate
            if last_denied:
                out.add(index)
            continue
        denied = _negated(hit, prepared, sentence_of)
        if not denied and last_denied and last.sentence == hit.sentence and 0 <= hit.start - last.end <= LIST_GAP:
            i = hit.start - 1
            while i >= last.end and prepared[i][0] in _LIST_SKIPPED:
                i -= 1  # "... or (episodes of) sudden cardiac death"
            denied = i >= last.end and prepared[i][0] in _LIST_GOES_ON
        if denied:
            out.add(index)
        last, last_denied = hit, denied
    return out


#: Added to a topic named in the first question when that is not the opening sentence.
ASKED_BONUS = 0.08


def rank(hits: Sequence[Hit], asked_in: int = -1) -> list[TopicMatch]:
    """Group hits by topic and score each: best hit, repeats, where it is first named.

    ``asked_in`` is the sentence of the message's first question: a topic named there
    is what is asked about ("I get a tight chest walking uphill. Does that sound like
    angina?"), more than one named in the story before it.

    A name that contains another topic's name ("hemorrhagic stroke" and
    "stroke") marks the more specific topic: later mentions of the general
    name ("...before the stroke") are taken to mean it, so it inherits their
    weight and the general topic steps back.
    """
    by_topic: dict[str, TopicMatch] = {}
    for hit in hits:
        match = by_topic.setdefault(hit.topic_id, TopicMatch(hit.topic_id, 0.0))
        match.hits.append(hit)
    if not by_topic:
        return []
    keys = {tid: {_key(h.name) for h in m.hits} for tid, m in by_topic.items()}
    absorbed: dict[str, list[Hit]] = {tid: list(m.hits) for tid, m in by_topic.items()}
    general: set[str] = set()
    for tid in by_topic:
        inside = _inner_runs(keys[tid])
        for other in by_topic:
            if other != tid and not inside.isdisjoint(keys[other]):
                absorbed[tid].extend(by_topic[other].hits)
                general.add(other)
    earliest = min(h.start for h in hits)
    for tid, match in by_topic.items():
        own_best = max(h.score for h in match.hits)
        pool = match.pool = absorbed[tid]
        repeats = min(len(pool) - 1, 3) * 0.03
        early = 0.04 if min(h.sentence for h in pool) == 0 else 0.0
        first = 0.03 if min(h.start for h in pool) == earliest else 0.0
        asked = ASKED_BONUS if asked_in > 0 and any(h.sentence == asked_in for h in pool) else 0.0
        demote = 0.12 if tid in general else 0.0
        match.score = max(0.0, min(1.0, own_best * 0.86 + repeats + early + first + asked) - demote)
    return sorted(by_topic.values(), key=lambda m: (-m.score, m.first))


def _inner_runs(keys: Iterable[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Every run of consecutive words shorter than the name it is part of: the names these names contain.

    Built once per topic, so telling which of a message's topics contain another is a set test
    per pair rather than a scan of every pair of names.
    """
    return {key[i:j] for key in keys for i in range(len(key)) for j in range(i + 1, len(key) + 1) if j - i < len(key)}
