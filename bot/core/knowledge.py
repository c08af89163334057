"""A content snapshot together with the indexes built from it.

Building the indexes is the only "training" there is: it happens when content
loads (well under a second), so an edit goes live without a separate step.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Sequence

from bot.content.schema import Content
from bot.core.intents import IntentModel, _PLACEHOLDER
from bot.core.normalize import CONTRACTIONS, normalize, stem
from bot.core.safety import SafetyChecker
from bot.core.spelling import TypoIndex
from bot.core.topics import STOPWORDS, TopicIndex
from bot.core.wordcache import WordCache

if TYPE_CHECKING:
    from bot.core.second_opinion import SecondOpinion
    from bot.core.sentence_model import SentenceEncoder

#: Words that refer back to the topic under discussion rather than naming a new one.
REFERRING_WORDS = frozenset(
    "it its this that these those thing procedure operation surgery surgeries condition disease illness "
    "problem medicine medication drug pill pills tablet treatment test tests exam one ones same also too "
    "please thanks thank ok okay yes yeah sure hi hello hey tell know more info information about again "
    "explain mean meaning details detail question questions ask want like need get go going doctor "
    "doctors doc really much many lot some any other another else".split()
)


#: Text-message shorthand for question words, read as the word it stands for ("wat is", "how many hrs").
SHORTHAND = {
    "wat": "what", "wht": "what", "wut": "what", "hw": "how", "y": "why", "wen": "when", "wer": "where",
    "u": "you", "ur": "your", "r": "are", "n": "and", "abt": "about", "bcos": "because", "bcoz": "because",
    "coz": "because", "cuz": "because", "shud": "should", "shld": "should", "cud": "could", "wud": "would",
    "cn": "can", "frm": "from", "aftr": "after", "b4": "before", "bfr": "before", "nite": "night",
    "tmrw": "tomorrow", "2day": "today", "hrs": "hours", "hr": "hour", "mins": "minutes", "yrs": "years",
    "yr": "year", "wks": "weeks", "wk": "week", "mnths": "months", "pls": "please", "plz": "please",
    "thx": "thanks", "thnx": "thanks", "thanx": "thanks", "thankyou": "thanks", "thanku": "thanks",
    "tysm": "thanks", "goodmorning": "hello", "goodafternoon": "hello", "goodevening": "hello",
    "dr": "doctor", "hav": "have", "wid": "with",
    "thru": "through", "bcs": "because", "becoz": "because", "wats": "whats", "els": "else",
    "wich": "which", "whn": "when",
}

#: The same letter three or more times in a row: no English word has that.
_HELD_LETTER = re.compile(r"([a-z])\1{2,}")


@dataclass(frozen=True)
class Knowledge:
    content: Content
    topics: TopicIndex
    intents: IntentModel
    safety: SafetyChecker
    #: Words intents and conversation use; anything else in a topic-less message may name a subject.
    question_words: frozenset[str]
    #: Misspelled question words ("symtoms", "recovry", "treatmnet") back to the ones cues know.
    question_typos: TypoIndex
    #: The sentence model's classifier, asked when the cues are unsure (None: no model configured).
    opinion: "SecondOpinion | None" = None
    _read_cache: WordCache = field(default_factory=WordCache, repr=False, compare=False)

    def read_words(self, words: Sequence[str]) -> list[tuple[str, bool]]:
        """``read_word`` of each word: one call per message, most words answered from the memo."""
        cache = self._read_cache
        return [cache.get(word) or self.read_word(word) for word in words]

    def read_word(self, word: str) -> tuple[str, bool]:
        """The word as cues should read it (a misspelled question word corrected), and whether
        it is a question word, so not a possible new subject. Cached: most words recur."""
        done = self._read_cache.get(word)
        if done is None:
            meant = SHORTHAND.get(word, word)
            if stem(meant) not in self.question_words and _HELD_LETTER.search(meant):
                # A letter held for effect: "byeee", "hellooo", "thanksss".
                for squeezed in (_HELD_LETTER.sub(r"\1\1", meant), _HELD_LETTER.sub(r"\1", meant)):
                    squeezed = SHORTHAND.get(squeezed, squeezed)
                    if stem(squeezed) in self.question_words:
                        meant = squeezed
                        break
            read = meant if stem(meant) in self.question_words else (self.question_typos.correct(meant) or meant)
            done = self._read_cache.remember(word, (read, stem(read) in self.question_words))
        return done


def build(content: Content, sentence_model: "SentenceEncoder | None" = None,
          cache_dir: str | os.PathLike[str] | None = None) -> Knowledge:
    """The indexes of ``content``; with a sentence model, its classifier trained on the phrasings too."""
    knowledge = _indexes(content)
    if sentence_model is None:
        return knowledge
    from bot.core.engine import understand
    from bot.core.second_opinion import OTHER, train

    # The model names an answer from one topic, or "other": a fixed reply (advice, cost, thanks)
    # or a comparison, which needs two subjects. It never turns a message into one of those.
    answerable = {i.id for i in content.intents.values() if i.kind == "topic" and not i.compares and i.id != OTHER}
    samples = [(p.intent if p.intent in answerable else OTHER, p.text) for p in content.phrasings]
    samples += [(intent.id if intent.id in answerable else OTHER, _PLACEHOLDER.sub(" topic ", example))
                for intent in content.intents.values() for example in intent.examples]
    opinion = train(sentence_model, samples, answerable, lambda text: understand(knowledge, text, intents=False).masked, cache_dir)
    return replace(knowledge, opinion=opinion)


def _indexes(content: Content) -> Knowledge:
    asked: set[str] = set(STOPWORDS) | set(REFERRING_WORDS) | {stem(w) for w in CONTRACTIONS}
    for intent in content.intents.values():
        for example in intent.examples:
            asked.update(stem(w) for w in normalize(_PLACEHOLDER.sub(" ", example)).split())
    words = set(asked)
    #: The words as written (not stemmed): what a misspelling is corrected to, for cues to match.
    surface: set[str] = set(STOPWORDS) | set(REFERRING_WORDS)
    for intent in content.intents.values():
        for example in intent.examples:
            surface.update(normalize(_PLACEHOLDER.sub(" ", example)).split())
        for pattern, _ in intent.cues:
            literal = re.findall(r"[a-z]{2,}", pattern)
            words.update(stem(w) for w in literal)
            surface.update(literal)
    return Knowledge(
        content=content,
        # Only the examples' words keep a directory name out ("Side effects" is how people ask):
        # cues also list subjects for context ("...and diabetes"), which must stay findable.
        topics=TopicIndex(content.topics.values(), content.directory, frozenset(asked)),
        intents=IntentModel(content.intents),
        safety=SafetyChecker(content.safety, content.negations),
        question_words=frozenset(words),
        question_typos=TypoIndex(surface),
    )
