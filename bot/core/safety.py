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
from typing import Sequence

from bot.content.schema import SafetyRule
from bot.core.normalize import normalize
from bot.core.patterns import PatternSet

_CLAUSE_BREAK = re.compile(r"\b(but|however|although|though|yet|now|except)\b")
DEFAULT_NEGATIONS = (
    "no", "not", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "never", "without", "denies",
    "deny", "nor", "cannot imagine", "no longer", "free of", "ruled out",
)


@dataclass(frozen=True, slots=True)
class SafetyHit:
    rule_id: str
    kind: str
    rule: SafetyRule


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
        return bool(self._negation.search(window))

    def check(self, text: str, topic: str | None = None) -> SafetyHit | None:
        """The first unnegated red flag or crisis phrase in ``text``, if any.

        ``topic`` is the conversation's topic: rules limited to some topics only apply then.
        """
        norm = normalize(text)
        if not norm:
            return None
        padded = f" {norm} "
        # Only patterns whose required words are present run, in rule order.
        for pattern, rule in self._patterns.candidates(padded):
            if rule.topics and topic not in rule.topics:
                continue
            for m in pattern.finditer(padded):
                if not self._negated(padded, m.start()):
                    return SafetyHit(rule.id, rule.kind, rule)
        return None
