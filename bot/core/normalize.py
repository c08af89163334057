"""Turn messy patient text into comparable tokens.

Patients type on phones: curly quotes, accents, stray punctuation, "Pls", run-on
subject lines. Everything downstream (topic spans, intent cues) works on the
output of :func:`normalize`, so one place decides what "the same text" means.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Contractions as ``normalize`` leaves them ("aren't" -> "arent"): words, not misspellings to correct
#: ("arent" is one letter from "agent"). Only forms that are no other English word ("were", "ill" are).
CONTRACTIONS = frozenset(
    "arent isnt wasnt werent dont doesnt didnt cant couldnt shouldnt wouldnt wont havent hasnt hadnt "
    "mustnt neednt mightnt aint im ive youre youve youll theyre theyve theyll weve hes shes thats whats "
    "whos theres heres lets".split()
)
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_VOWEL = re.compile(r"[aeiouy]")
_POSSESSIVE = re.compile(r"(\w)'s\b")
#: Where a sentence or line ends. Every such break starts with a space or a "/", and the leading
#: look-ahead says so: the regex engine then skips other characters at once instead of trying
#: each alternative there (twice as fast on long messages; the matches are the same).
_SENTENCE_END = re.compile(r"(?=[\s/])(?:(?<=[.?!])\s+|\n+|\s*//\s*|\s+-\s+(?=[A-Z]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")

#: Words kept as they are by :func:`stem` although they end in "s".
_KEEP_S = frozenset(
    "is was has does this his its us yes less loss stress process bypass pass class gas lens "
    "diabetes sepsis stenosis thrombosis atherosclerosis sclerosis fibrosis psoriasis arthritis "
    "bronchitis hepatitis meningitis tendinitis sinusitis diverticulitis colitis gastritis "
    "pericarditis myocarditis endocarditis vasculitis dermatitis dialysis paralysis analysis "
    "diagnosis prognosis prosthesis hypertrophicus always perhaps whereas across thus plus "
    "famous serious various previous nervous dangerous nauseous venous various cns aids "
    "status virus sinus anus uterus fetus ms mrsa abs ivus".split()
)


def clean(text: str) -> str:
    """Remove control and invisible characters; normalise unicode forms."""
    return _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():  # most messages: no accents or other scripts' digits to look at
        return decomposed
    return "".join(_ascii_digit(ch) for ch in decomposed if not unicodedata.combining(ch))


def _ascii_digit(ch: str) -> str:
    """Other scripts' digits as 0-9 ("١٨٠/١٢٠" is a blood pressure reading too); other characters as they are."""
    if ch.isascii():
        return ch
    value = unicodedata.decimal(ch, None)
    return ch if value is None else str(value)


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces ("Heart's  attack!" -> "heart attack")."""
    text = _strip_accents(clean(text)).lower().translate(_APOSTROPHES)
    text = _POSSESSIVE.sub(r"\1", text)
    text = text.replace("'", "").replace("%", " percent ")  # "80%-90% blocked" is no reading of "80 90"
    return _NON_WORD.sub(" ", text).strip()


def tokens(text: str) -> list[str]:
    return normalize(text).split()


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """A deliberately light plural stemmer: stents -> stent, arteries -> artery."""
    if len(token) <= 3 or token in _KEEP_S or not token.endswith("s"):
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("sses", "shes", "ches", "xes")):
        return token[:-2]
    if token.endswith("is") and not _VOWEL.search(token[:-2]):
        return token[:-1]  # an acronym's plural: "pcis", "mris"
    if token.endswith(("us", "ss", "is", "os")):
        return token
    return token[:-1]


#: A greeting before the first words ("Hi doctor, what is ..."): the question starts after it.
_SALUTATION = re.compile(
    r"^((?:hi|hello|hey|dear|greetings|good (?:morning|afternoon|evening|day))"
    r"(?: (?:there|doctor|doc|dr|dr\.|sir|madam|sir/madam|sir or madam|nurse|team|all|everyone|folks))?)\s*[,!:;-]\s+(?=\S)",
    re.I,
)


def sentences(text: str) -> list[str]:
    """Split a message into its sentences and lines (a subject line is its own sentence)."""
    parts = [p.strip() for p in _SENTENCE_END.split(clean(text).strip()) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        m = _SALUTATION.match(part)
        out.extend((m.group(1), part[m.end():]) if m else (part,))
    return out
