"""Decide what kind of question a message asks, with the topic masked out.

Two signals, both read from the intent files so staff can tune them:

* **cues**: weighted patterns ("how long .* recover", "side effects") that
  mark an intent wherever they appear. Real messages put the main ask in the
  subject line or the first question, so a cue counts more there.
* **examples**: TF-IDF similarity (words and word pairs) to the staff's
  example phrasings, which covers wordings nobody wrote a cue for. It reads
  the subject line and the questions; statements around them are background.

The topic is masked to the word ``topic`` first, so "what is angioplasty" and
"what is a stent" look alike and the topic's own words never vote for an intent.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

from bot.content.schema import Intent
from bot.core.normalize import normalize, stem
from bot.core.patterns import PatternSet

TOPIC_TOKEN = "topic"
#: The main ask sits in the first few sentences; later ones are context.
MAX_SENTENCES = 8
#: Words in more than one example in eight ("what", "is", "topic") tell intents apart too
#: little to be worth their long posting lists; a word in two examples or fewer always counts,
#: so a handful of examples (a new content set, a test) still works.
MAX_SHARE = 1 / 8
ALWAYS_KEPT = 2
#: Characters of a sentence that cues and examples read; run-on sentences are cut.
MAX_SENTENCE_CHARS = 400
_PLACEHOLDER = re.compile(r"\{\s*topic\s*\}", re.I)
_QUESTION_START = re.compile(
    r"^(what|whats|how|why|when|where|who|which|is|are|can|could|should|would|will|do|does|did|"
    r"any|has|have|shall|may|might)\b"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of the message: its normalised text with the topic masked."""

    text: str
    index: int
    is_question: bool
    #: An indirect question put the direct way ("i wonder if this is topic" -> "... is this topic"),
    #: read by the cues beside the text as written; "" when the sentence asks directly.
    direct: str = ""


def _features(text: str) -> list[str]:
    words = [stem(w) for w in text.split()]
    return words + [a + "_" + b for a, b in zip(words, words[1:])]


class IntentModel:
    """Scores every intent for a message; built once per content snapshot."""

    def __init__(self, intents: Mapping[str, Intent]) -> None:
        self.intent_ids = list(intents)
        self._max_words = {i.id: i.max_words for i in intents.values() if i.max_words}
        self._min_score = {i.id: i.min_score for i in intents.values() if i.min_score}
        examples = [(intent.id, normalize(_PLACEHOLDER.sub(" xxtopicxx ", example)).replace("xxtopicxx", TOPIC_TOKEN))
                    for intent in intents.values() for example in intent.examples]
        # The examples are how questions are worded: the cue pre-check learns from them which
        # required words ("to", "topic") are in most questions and which ("recover") in few.
        self._cues: PatternSet[tuple[str, float]] = PatternSet(
            [(pattern, (intent.id, weight)) for intent in intents.values() for pattern, weight in intent.cues],
            sample=[text for _, text in examples],
        )
        docs: list[tuple[str, list[str]]] = [(intent_id, _features(text)) for intent_id, text in examples]
        df: dict[str, int] = defaultdict(int)
        for _, feats in docs:
            for f in set(feats):
                df[f] += 1
        n = max(len(docs), 1)
        limit = max(ALWAYS_KEPT, n * MAX_SHARE)
        self._idf = {f: math.log((n + 1) / (c + 0.5)) for f, c in df.items() if c <= limit}
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self._doc_intent: list[str] = []
        for i, (intent_id, feats) in enumerate(docs):
            vec = self._vector(feats)
            self._doc_intent.append(intent_id)
            for f, w in vec.items():
                self._postings[f].append((i, w))

    def _vector(self, feats: Sequence[str]) -> dict[str, float]:
        idf = self._idf
        counts: dict[str, float] = {}
        for f in feats:
            weight = idf.get(f)
            if weight:
                counts[f] = counts.get(f, 0.0) + weight
        norm = math.sqrt(sum(v * v for v in counts.values())) or 1.0
        return {f: v / norm for f, v in counts.items()}

    def similarity(self, text: str) -> dict[str, float]:
        """Best cosine similarity of ``text`` to each intent's examples."""
        postings = self._postings
        scores: dict[int, float] = {}
        for f, w in self._vector(_features(text)).items():
            for doc, dw in postings.get(f, ()):
                scores[doc] = scores.get(doc, 0.0) + w * dw
        best: dict[str, float] = {}
        doc_intent = self._doc_intent
        for doc, s in scores.items():
            intent_id = doc_intent[doc]
            if s > best.get(intent_id, 0.0):
                best[intent_id] = s
        return best

    def cue_scores(self, sentences: Sequence[Sentence]) -> dict[str, float]:
        """Strongest cue of each intent, weighted by where its sentence stands."""
        best: dict[str, float] = {}
        for sentence, place in zip(sentences[:MAX_SENTENCES], _place_weights(sentences)):
            for text in (sentence.text, sentence.direct) if sentence.direct else (sentence.text,):
                text = text[:MAX_SENTENCE_CHARS]
                for pattern, (intent_id, weight) in self._cues.candidates(text):
                    if weight * place <= best.get(intent_id, 0.0):
                        continue  # even a match at the very start could not beat this intent's best
                    m = pattern.search(text)
                    if m:
                        # On a tie, the cue that comes first in the sentence is the main ask.
                        score = weight * place - 0.01 * m.start() / (len(text) + 1)
                        if score > best.get(intent_id, 0.0):
                            best[intent_id] = score
        return best

    def classify(self, sentences: Sequence[Sentence], word_count: int | None = None) -> list[tuple[str, float]]:
        """Intents ranked by score in [0, 1], best first."""
        if word_count is None:
            word_count = sum(len(s.text.split()) for s in sentences)
        cues = self.cue_scores(sentences)
        sims: dict[str, float] = defaultdict(float)
        for sentence, place in zip(sentences[:MAX_SENTENCES], _place_weights(sentences)):
            if sentence.index and not sentence.is_question:
                continue  # background statements: cues read them, example similarity need not
            for intent_id, s in self.similarity(sentence.text[:MAX_SENTENCE_CHARS]).items():
                sims[intent_id] = max(sims[intent_id], s * place)
        scores: dict[str, float] = {}
        for intent_id in self.intent_ids:
            limit = self._max_words.get(intent_id)
            if limit and word_count > limit:
                continue
            cue, sim = cues.get(intent_id, 0.0), sims.get(intent_id, 0.0)
            score = max(cue, sim * 0.9) + 0.15 * min(cue, sim)
            if score < self._min_score.get(intent_id, 0.0):
                continue
            scores[intent_id] = score
        # Sorted before capping, so two strong intents still order by cue position.
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        return [(intent_id, min(1.0, score)) for intent_id, score in ranked]


#: A first sentence longer than this many words is the story, not a subject line.
LONG_SUBJECT = 8
#: The weight of such a first sentence when a question that names the subject follows it.
STORY_FIRST = 0.85
#: Words by which a question points back at the story instead of naming its subject.
POINTERS = frozenset({"this", "that", "it", "these", "those"})


def _place_weights(sentences: Sequence[Sentence]) -> list[float]:
    """How much each sentence's cues count: the main ask is the subject line or the first question.

    Later sentences count less. A long first statement followed by a question that names the
    subject ("I am 34 and my pressure is 150/95. Why would someone like me have high blood
    pressure?") is the story, and the question asks: the story counts a little less. A question
    that points back without a name ("I bruise easily now. Is that normal?") leaves the story
    in charge.
    """
    first_q = next((s.index for s in sentences if s.is_question), -1)
    asked = sentences[first_q].text.split() if first_q > 0 else []
    points_back = TOPIC_TOKEN not in asked and not POINTERS.isdisjoint(asked)
    story = first_q > 0 and len(sentences[0].text.split()) > LONG_SUBJECT and not points_back
    weights = []
    for sentence in sentences[:MAX_SENTENCES]:
        if sentence.index == first_q:
            weights.append(1.0)
        elif sentence.index == 0:
            weights.append(STORY_FIRST if story else 1.0)
        else:
            base = 0.9 if sentence.is_question else 0.7
            weights.append(max(0.6, base - 0.03 * (sentence.index - 1)))
    return weights


#: A question after a comma, written without its question mark: "my memory isn't the same, does that get better".
_QUESTION_CLAUSE = re.compile(r",\s*(does|do|did|is|are|can|could|will|would|should|what|how|why|when|where)\s", re.I)
#: A question asked without its form: "I want to know when I can lift again", "I was wondering if ...".
_ASKED_INDIRECTLY = re.compile(
    r"\b(want|wanted|would like|id like|d like|need|needed|wish) to (know|ask(?! (you |u )?(an?|some|few|one|two|the following|several|my) (\w+ )?(question|questions|thing|things)\b)|understand|find out|learn)\b"
    r"|\b(i am|im|i was|we are|we were|am|was|just) wondering\b|\bi wonder\b"
    r"|\b(please|pls|plz|kindly|can you|could you|would you) (please )?(tell|explain|advise|let) (me|us)?\b|\bmy (main |only |real )?(question|concern|worry) is\b"
)
#: The question inside an indirect one, subject before the verb: "... whether I can take tylenol",
#: "... if this is heart failure", "... what the test will show". Cues know the direct form.
_EMBEDDED = re.compile(
    r"\b(whether|if|what|how(?: long| much| many| often| soon| big| bad| serious| far)?|why|when|where|which)"
    r" (i|he|she|it|we|they|you|this|that|these|those"
    r"|(?:the|my|his|her|our|their|an?|this|that) (?:\w+ ){0,2}?\w+)"
    r" (can|could|should|would|will|may|might|must|is|are|am|was|were|has|have)\b"
)


def _direct(text: str) -> str:
    """An indirect question put the direct way: "whether i can take" -> "can i take"."""
    return _EMBEDDED.sub(lambda m: (m[1] + " " if m[1] not in ("whether", "if") else "") + f"{m[3]} {m[2]}", text)


def make_sentence(text: str, index: int, raw: str) -> Sentence:
    indirect = bool(_ASKED_INDIRECTLY.search(text))
    asks = raw.rstrip().endswith("?") or bool(_QUESTION_START.match(text) or _QUESTION_CLAUSE.search(raw) or indirect)
    direct = _direct(text) if indirect else ""
    return Sentence(text=text, index=index, is_question=asks, direct=direct if direct != text else "")
