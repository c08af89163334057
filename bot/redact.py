"""Take personal details out of a patient's words before anything keeps them.

The unanswered-question report is the one place the bot stores what a patient
typed, because staff need the wording to teach the bot. Before it is stored,
everything that could identify a person becomes a placeholder: ``[NAME]``,
``[PHONE]``, ``[EMAIL]``, ``[DATE]``, ``[ADDRESS]``, ``[ID]``, ``[URL]``. The
placeholders keep the sentence readable ("my son [NAME] had a stent on
[DATE]") and are left alone if the text is redacted twice.

Rules err on the side of removing too much: a lost word costs a content editor
a moment, a kept phone number is a privacy breach.
"""

from __future__ import annotations

import re

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_WEEKDAYS = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_STREET = (r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|place|pl|way|"
           r"terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq)")
_NAME_WORD = r"[A-Z][a-zA-Z'\-]+"
_NOT_NAMES = frozenset(
    "i im a an the not so very really just also still having worried scared afraid sure sorry "
    "here looking asking wondering trying going feeling ok okay fine good new a bit".split()
)

#: Order matters: emails before URLs (their domain), both before phone numbers and dates eat their digits.
_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("[EMAIL]", re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")),
    ("[URL]", re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|co|us|uk|info)(?:/\S*)?\b", re.I)),
    ("[ID]", re.compile(
        r"\b(?:mrn|medical record(?: number| no\.?| #)?|record (?:number|no\.?|#)|patient (?:id|number|no\.?|#)|"
        r"chart (?:number|no\.?|#)|account (?:number|no\.?|#)|member id|policy (?:number|no\.?|#)|"
        r"ssn|social security(?: number)?|insurance (?:id|number))\s*(?:is|:|#|no\.?)?\s*[A-Z0-9][A-Z0-9\-]{3,}\b", re.I)),
    ("[ID]", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),  # US social security number shape
    ("[DATE]", re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")),
    ("[DATE]", re.compile(rf"\b(?:{_WEEKDAYS},?\s+)?{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.I)),
    ("[DATE]", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?(?:,?\s+\d{{4}})?\b", re.I)),
    ("[DATE]", re.compile(rf"\b{_MONTHS}\s+\d{{4}}\b|\b(?:born|dob|birthday)\s*(?:in|on|:)?\s*\d{{4}}\b", re.I)),
    ("[PHONE]", re.compile(r"(?<![\w])(?:\+?\d{1,3}[\s.\-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}(?![\w])")),
    ("[ADDRESS]", re.compile(rf"\b\d{{1,6}}\s+(?:[A-Za-z0-9.'\-]+\s+){{1,4}}{_STREET}\b\.?(?:,?\s*(?:apt|apartment|unit|suite|ste|#)\s*\w+)?", re.I)),
    ("[ADDRESS]", re.compile(r"\b(?:p\.?\s?o\.?\s+box)\s+\d+\b", re.I)),
    ("[ADDRESS]", re.compile(r"\b\d{5}(?:-\d{4})?\b")),  # US ZIP code
    ("[ID]", re.compile(r"\b[A-Z]{1,4}-?\d{4,}[A-Z0-9]*\b")),  # "MR123456", "AB-20931"
    ("[ID]", re.compile(r"\b\d{6,}\b")),  # long bare numbers: record, account or card numbers
]

_DIGIT = re.compile(r"\d")
#: Every rule after the first three needs a digit in its match (a test checks each).
_NEEDS_DIGIT = frozenset(pattern for _, pattern in _RULES[3:])

#: "my name is Ann", "I'm Ann Lee", "call me Ann", "this is Ann".
_SELF_NAME = re.compile(
    rf"\b((?i:my name is|my name's|name is|i am|i'm|im|call me|signed|regards,?|thanks,?))\s+"
    rf"({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})",
)
_SELF_NAME_ANYCASE = re.compile(r"\b(my name is|my name's)\s+([a-zA-Z'\-]+(?:\s+[a-zA-Z'\-]+)?)", re.I)
#: "Dr. Patel", "Mrs Jones", "Nurse Kim": a title followed by a capitalised word.
_TITLED = re.compile(rf"\b(Dr|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Nurse|Sr|Jr)\.?\s+({_NAME_WORD}(?:\s+{_NAME_WORD})?)")
_RELATIVE = re.compile(
    rf"\b(my (?:son|daughter|husband|wife|mom|mother|dad|father|brother|sister|partner|friend|"
    rf"grandson|granddaughter|grandma|grandpa|grandmother|grandfather|aunt|uncle|baby|child|kid))"
    rf"(,?\s+)({_NAME_WORD}(?:\s+{_NAME_WORD})?)"
)
_PLACEHOLDER = re.compile(r"\[(?:NAME|PHONE|EMAIL|DATE|ADDRESS|ID|URL)\]")


def _names(text: str) -> str:
    def self_name(m: re.Match[str]) -> str:
        words = m.group(2).split()
        kept: list[str] = []
        for w in words:
            if w.lower() in _NOT_NAMES:
                break
            kept.append(w)
        if not kept:
            return m.group(0)
        rest = m.group(2)[len(" ".join(kept)):]
        return f"{m.group(1)} [NAME]{rest}"

    text = _SELF_NAME_ANYCASE.sub(self_name, text)
    text = _SELF_NAME.sub(self_name, text)
    text = _TITLED.sub(lambda m: f"{m.group(1)}{'.' if m.group(0)[len(m.group(1))] == '.' else ''} [NAME]", text)
    text = _RELATIVE.sub(lambda m: f"{m.group(1)}{m.group(2)}[NAME]", text)
    return text


def redact(text: str) -> str:
    """The text with names (where detectable), contact details, dates, addresses, ids and URLs replaced."""
    if not text:
        return ""
    # Protect placeholders already present so a second pass leaves them as they are.
    kept: list[str] = []

    def _stash(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\x00{len(kept) - 1}\x00"

    out = _PLACEHOLDER.sub(_stash, text)
    has_digit = _DIGIT.search(out) is not None
    for placeholder, pattern in _RULES:
        # Most rules need a digit to match; many messages have none, so skip them unread.
        if has_digit or pattern not in _NEEDS_DIGIT:
            out = pattern.sub(placeholder, out)
    out = _names(out)
    out = re.sub(r"\x00(\d+)\x00", lambda m: kept[int(m.group(1))], out)
    return out
