"""Emergencies first: red flags and crisis phrases, with negations handled.

Checked on every message before anything else. Patterns live in
``data/safety/*.yaml`` so clinicians can review and extend them. A match is
ignored only when a negation ("no", "not", "denies", "without") stands just
before it in the same clause: "no chest pain" is not an emergency, while
"no idea why, but I have crushing chest pain" still is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from bot.content.schema import SafetyRule
from bot.core.normalize import normalize, sentences
from bot.core.patterns import PatternSet

_CLAUSE_BREAK = re.compile(r"\b(but|however|although|though|yet|now|except)\b")
DEFAULT_NEGATIONS = (
    "no", "not", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "never", "without", "denies",
    "deny", "nor", "cannot imagine", "no longer", "free of", "ruled out",
)


#: A time well in the past, or care already given: "three weeks ago", "in March", "was admitted", "went to the ER".
_PAST = re.compile(
    r"\b(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|couple of|several|many) "
    r"(weeks?|months?|years?|yrs?) ago\b"
    r"|\blast (week|weekend|month|year|spring|summer|fall|autumn|winter|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\bin (january|february|march|april|june|july|august|september|october|november|december|(19|20)\d\d)\b"
    r"|\b(was|were|got|been|is being|was being) (admitted|hospitalized|hospitalised|discharged|treated|airlifted)\b"
    r"|\b(went|was taken|were taken|was rushed|were rushed|was brought|drove) to (the )?(er|emergency room|emergency department|a and e|hospital)\b"
    r"|\b(is|was|are|were|hes|shes|theyre) (in|at) (the )?(icu|intensive care|hospital)\b"
    r"|\b(in|by) the ambulance\b|\b(the )?(paramedics|ambulance crew) (said|found|gave|took)\b"
    # Tests done since: "she fainted at practice and her ECG showed long QT".
    r"|\b(ecg|ekg|echo|ct|mri|scan|tests?|bloodwork) (showed|found|came back|was normal|were normal)\b"
    # A lasting effect of an event already over: "since his stroke he can't move his left side".
    r"|\b(ever since|since) (his|her|my|their|the|a) (stroke|strokes|surgery|heart attack|operation|bypass|tia)\b"
    r"|\bfor (weeks|months|years|the (past|last) (few )?(weeks|months|years))\b"
    r"|\b(the )?(past|last) (few |couple( of)? |several )(weeks|months|years)\b")
#: Doubt, not denial: "not sure if", "don't know whether". The sign after it may be happening now.
_UNSURE = re.compile(r"\b(not|dont|do not|doesnt|does not|didnt|did not)( really| quite| even)?"
                     r" (sure|know|certain|positive|tell)( if| whether| that| what)?\b")
#: Words that bring a past story into the present: "it is happening again", "still", "right now"; "it
#: keeps happening", but not "keep taking it" (going on with a medicine).
_NOW = re.compile(r"\b(now|right now|currently|again|today|tonight|this morning|this afternoon|this evening"
                  r"|still|keeps?(?! (taking|using|on)\b)|just|started|starting|at the moment)\b")


@dataclass(frozen=True, slots=True)
class SafetyHit:
    rule_id: str
    kind: str
    rule: SafetyRule
    #: The signs are told as a past event ("she had slurred speech three weeks ago"): the
    #: question still gets its answer, with what to do if the signs come back.
    past: bool = False


class SafetyChecker:
    def __init__(self, rules: Sequence[SafetyRule], negations: Sequence[str] = ()) -> None:
        self.rules = list(rules)
        self._patterns = PatternSet([(p, rule) for rule in self.rules for p in rule.patterns])
        words = sorted(set(negations or DEFAULT_NEGATIONS), key=len, reverse=True)
        self._negation = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")

    def _negated(self, text: str, start: int) -> bool:
        before = text[:start]
        clause = _CLAUSE_BREAK.split(before)[-1] if _CLAUSE_BREAK.search(before) else before
        window = " ".join(clause.split()[-5:])
        # "I'm not sure if he is having a stroke" doubts the sign; it does not deny it.
        return bool(self._negation.search(_UNSURE.sub(" ", window)))

    def check(self, text: str, topic: str | None = None) -> SafetyHit | None:
        """The first unnegated red flag or crisis phrase in ``text``, if any.

        ``topic`` is the conversation's topic: rules limited to some topics only apply then.
        """
        norm = normalize(text)
        if not norm:
            return None
        padded = f" {norm} "
        # Only patterns whose required words are present run, in rule order; a long message is
        # searched only around those words.
        earlier: SafetyHit | None = None
        for rule, m in self._patterns.matches(padded, lambda rule: not rule.topics or topic in rule.topics):
            if self._negated(padded, m.start()):
                continue
            if rule.kind == "emergency" and _told_as_past(text, m.group(0).strip(), rule.lasting_after):
                earlier = earlier or SafetyHit(rule.id, rule.kind, rule, past=True)
                continue  # a sign in the present elsewhere in the message still comes first
            return SafetyHit(rule.id, rule.kind, rule)
        return earlier


def _told_as_past(text: str, matched: str, lasting_after: tuple[str, ...] = ()) -> bool:
    """Whether the sentence with the matched signs places them well in the past, and nothing in it
    brings them back to the present. A match across sentences is never taken as past.

    After an event the rule names in ``lasting_after`` ("had a stroke two months ago"), "still"
    tells of what the event left behind; other words of the present ("again", "now") still count.
    """
    for sentence in sentences(text):
        norm = normalize(sentence)
        if matched in norm:
            if not _PAST.search(norm):
                return False
            if lasting_after and _left_behind(lasting_after).search(norm):
                norm = _STILL.sub(" ", norm)
            return not _NOW.search(norm)
    return False


_STILL = re.compile(r"\bstill\b")


@lru_cache(maxsize=64)
def _left_behind(events: tuple[str, ...]) -> re.Pattern[str]:
    """"had a stroke", "has had two strokes", "suffered a mini stroke": the event, told as had."""
    names = "|".join(re.escape(e) for e in events)
    return re.compile(rf"\b(had|has had|have had|suffered|since)( an?| his| her| my| their| the| two| three| several)?"
                      rf"( \w+)? ({names})\b")
