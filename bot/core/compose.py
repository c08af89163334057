"""Turn a decision (intent, topic) into a channel-neutral Reply.

Every medical sentence comes from reviewed content; this module only arranges
it: the answer text, numbered citations, the review date and the follow-ups.
"""

from __future__ import annotations

import re
from typing import Iterable

from bot.content.schema import Content, Intent, Topic
from bot.core.models import Citation, QuickReply, Reply, TextPart

LEARN_MORE = "learn_more"

DEFAULT_MESSAGES = {
    "same_answer": "My last answer is all I have on that for {topic}. A doctor or nurse can say what applies "
    "to one person, and these pages have more detail:",
    "notice": "I share general health information from trusted sources. It is not medical advice; "
    "your doctor or nurse knows your situation.",
    "fallback": "Sorry, I did not understand that. I can explain health topics such as angioplasty, "
    "heart attack or high blood pressure: what they are, how procedures are done, recovery, risks "
    "and where to learn more.",
    "abstain": "I'm sorry, I don't have information on that topic yet. MedlinePlus, from the "
    "U.S. National Library of Medicine, covers many health topics: https://medlineplus.gov/",
    "abstain_named": "I'm sorry, I don't have reviewed information on {name} yet. "
    "MedlinePlus has a page about it: search for it at {url}",
    "abstain_page": "I'm sorry, I don't have reviewed information on {name} yet. "
    "MedlinePlus has a page about it: {url}",
    "clarify_topic": "Which topic did you mean?",
    "clarify_intent": "What would you like to know about {topic}?",
    "clarify_unclear": "I'm not sure I understood that. About {topic}, I can tell you:",
    "beside_uncovered": "I don't have reviewed information on {name} itself. A doctor or nurse who knows the "
    "person can say how it fits with {topic}. Here is what I can share about {topic}.",
    "reading_advice": "I can't say what a reading means for one person, or what they should do about it: "
    "a doctor or nurse who knows them can. Here is what readings mean in general.",
    "other_language": "Lo siento, por ahora solo respondo en inglés. Si es una emergencia, llame al {emergency} "
    "ahora. MedlinePlus tiene información de salud en español: https://medlineplus.gov/spanish/\n"
    "Sorry, I can only answer in English for now. If this is an emergency, call {emergency} now.",
    "ask_topic": "Which health topic are you asking about? For example: angioplasty, stroke or blood thinners.",
    "reviewed": "Reviewed {date}.",
    "memory_lost": "I may have lost track of our earlier messages, so please name the topic again if I get it wrong.",
}


def message(content: Content, key: str, **values: str) -> str:
    template = content.messages.get(key) or DEFAULT_MESSAGES.get(key, "")
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        return template


def citations_for(topic: Topic, keys: Iterable[str]) -> list[Citation]:
    out: list[Citation] = []
    seen: set[str] = set()
    for key in keys:
        src = topic.sources.get(key)
        if src is None or src.url in seen:
            continue
        seen.add(src.url)
        out.append(Citation(len(out) + 1, src.title, src.publisher, src.url))
    return out


def learn_more_citations(topic: Topic) -> list[Citation]:
    answer = topic.answers.get(LEARN_MORE)
    keys = list(answer.links or answer.sources) if answer else []
    if topic.url and not keys:
        return [Citation(1, topic.title, "MedlinePlus", topic.url)]
    return citations_for(topic, keys or list(topic.sources))


def follow_ups(content: Content, intent: Intent | None, topic: Topic, limit: int = 3) -> list[QuickReply]:
    """The natural next questions about this topic that the content can answer."""
    wanted = list(intent.follow_ups) if intent else []
    for fallback in ("what_is", "how_done", "recovery", "risks", "symptoms", "treatment", LEARN_MORE):
        if fallback not in wanted:
            wanted.append(fallback)
    shown = intent.answer_key(topic) if intent else None
    out: list[QuickReply] = []
    for intent_id in wanted:
        other = content.intents.get(intent_id)
        if other is None or (intent and intent_id == intent.id) or not other.ask:
            continue
        if (other.answer or intent_id) == shown:
            continue  # the answer just shown, asked another way ("what is sclerotherapy?" showed the treatment)
        if (other.answer or intent_id) not in topic.answers:
            continue  # a button is offered for a question the topic answers itself, not with another answer
        out.append(QuickReply(other.ask.format(topic=topic.title), f"ask:{intent_id}:{topic.id}"))
        if len(out) == limit:
            break
    return out


def has_answer(topic: Topic, key: str) -> bool:
    """Whether ``answer`` would show the topic's answer ``key`` rather than "not covered"."""
    found = topic.answers.get(key)
    if key == LEARN_MORE:
        return found is not None or bool(topic.url)  # the topic's own page is where to read more
    return found is not None and bool(found.text)


def answer(content: Content, intent: Intent, topic: Topic, confidence: float) -> Reply:
    """The topic's answer for the intent, or a clear 'not covered' with links."""
    key = intent.answer_key(topic)
    found = topic.answers.get(key)
    reviewed = topic.reviewed.isoformat() if topic.reviewed else None
    if key == LEARN_MORE and has_answer(topic, key):
        cites = learn_more_citations(topic)
        lines = [f"To learn more about {topic.title}, these trusted pages are a good start:"]
        lines += [f"[{c.n}] {c.title} ({c.publisher})" for c in cites]
        return Reply("answer", [TextPart("\n".join(lines))], intent.id, topic.title, topic.id, confidence,
                     cites, follow_ups(content, intent, topic), reviewed)
    if found is None or not found.text:
        text = (intent.missing_answer or "I don't have that information about {topic} yet.").format(topic=topic.title)
        cites = learn_more_citations(topic)
        if cites:
            text += " These pages may help: " + " ".join(f"[{c.n}]" for c in cites)
        return Reply("missing", [TextPart(text)], intent.id, topic.title, topic.id, confidence,
                     cites, follow_ups(content, intent, topic), reviewed)
    cites = citations_for(topic, found.sources)
    marks = " ".join(f"[{c.n}]" for c in cites)
    parts = [TextPart(f"{found.text} {marks}".strip())]
    if reviewed:
        parts.append(TextPart(message(content, "reviewed", date=reviewed), "meta"))
    return Reply("answer", parts, intent.id, topic.title, topic.id, confidence,
                 cites, follow_ups(content, intent, topic), reviewed)


def same_answer(content: Content, topic: Topic, shown: Reply) -> Reply:
    """Say that the answer just given is all there is, instead of showing it again.

    A patient who asks "when can he drive?" right after the recovery answer would
    otherwise get the same paragraph twice and think the bot did not listen.
    """
    cites = learn_more_citations(topic)
    lines = [message(content, "same_answer", topic=topic.title)]
    lines += [f"[{c.n}] {c.title} ({c.publisher})" for c in cites]
    return Reply("answer", [TextPart("\n".join(lines))], shown.intent, shown.topic, shown.topic_id,
                 shown.confidence, cites, shown.quick_replies, shown.reviewed, debug=shown.debug)


def _cite(cites: list[Citation], topic: Topic, keys: Iterable[str]) -> str:
    """Add the sources to ``cites`` (a URL already there keeps its number); return the marks."""
    marks: list[str] = []
    for key in keys:
        src = topic.sources.get(key)
        if src is None:
            continue
        n = next((c.n for c in cites if c.url == src.url), 0)
        if not n:
            n = len(cites) + 1
            cites.append(Citation(n, src.title, src.publisher, src.url))
        if f"[{n}]" not in marks:
            marks.append(f"[{n}]")
    return " ".join(marks)


def compare(content: Content, intent: Intent, topics: list[Topic], confidence: float) -> Reply:
    """One answer per topic, each under its title, with one shared, numbered citation list.

    "What is the difference between angina and a heart attack?" is best
    answered by what each one is, side by side, from the reviewed text.
    """
    key = intent.answer or intent.id
    parts: list[TextPart] = []
    cites: list[Citation] = []
    for topic in topics:
        found = topic.answers.get(intent.answer_key(topic))
        if found is None or not found.text:
            missing = intent.missing_answer or "I don't have that information about {topic} yet."
            parts.append(TextPart(f"{topic.title}: {missing.format(topic=topic.title)}"))
            continue
        parts.append(TextPart(f"{topic.title}: {found.text} {_cite(cites, topic, found.sources)}".strip()))
    dates = [t.reviewed for t in topics if t.reviewed]
    reviewed = min(dates).isoformat() if dates else None  # the oldest review is the one to state
    if reviewed:
        parts.append(TextPart(message(content, "reviewed", date=reviewed), "meta"))
    first = topics[0]
    # The next questions about the first topic, not the answer just given ("what is it?") again.
    shown = content.intents.get(key, intent)
    return Reply("answer", parts, intent.id, first.title, first.id, confidence, cites,
                 follow_ups(content, shown, first), reviewed)


def add_answer(content: Content, reply: Reply, intent: Intent, topic: Topic) -> None:
    """Append the topic's answer to a second question, under that question, before the review date."""
    found = topic.answers.get(intent.answer_key(topic))
    if found is None or not found.text:
        return
    heading = intent.ask.format(topic=topic.title) if intent.ask else topic.title
    part = TextPart(f"{heading}\n{found.text} {_cite(reply.citations, topic, found.sources)}".strip())
    at = next((i for i, p in enumerate(reply.messages) if p.role == "meta"), len(reply.messages))
    reply.messages.insert(at, part)
    reply.quick_replies = [q for q in reply.quick_replies if not q.payload.startswith(f"ask:{intent.id}:")]


def _without_topic_sentences(reply: str) -> str:
    """The reply without the sentences that lead into a topic's links, when there are none to show.

    "Here is general information about {topic}:" followed by nothing reads as a broken reply.
    """
    sentences = re.split(r"(?<=[.!?:])\s+", reply.strip())
    return " ".join(s for s in sentences if "{topic}" not in s)


def reading_advice(content: Content, intent: Intent, general: Intent, topic: Topic, confidence: float) -> Reply:
    """One person's reading: no word on what it means for them, but what readings mean in general.

    "My BP was 150 over 95 this morning" deserves more than links: the topic's answer
    says what normal and high readings are, which any reader may know.
    """
    reply = answer(content, general, topic, confidence)
    reply.kind, reply.intent = "advice", intent.id
    reply.messages.insert(0, TextPart(message(content, "reading_advice")))
    return reply


def fixed(content: Content, intent: Intent, topic: Topic | None, confidence: float, kind: str = "smalltalk") -> Reply:
    """A fixed reply (greeting, personal advice...), with learn-more links when a topic is known."""
    cites: list[Citation] = []
    quick: list[QuickReply] = []
    if topic is not None and intent.with_learn_more:
        cites = learn_more_citations(topic)
        quick = follow_ups(content, None, topic)
    if topic is None or (intent.with_learn_more and not cites):
        text = _without_topic_sentences(intent.reply).format(topic="this topic")
    else:
        text = intent.reply.format(topic=topic.title)
    if cites:
        text += "\n" + "\n".join(f"[{c.n}] {c.title} ({c.publisher})" for c in cites)
    return Reply(kind, [TextPart(text)], intent.id, topic.title if topic else None, topic.id if topic else None,
                 confidence, cites, quick, topic.reviewed.isoformat() if topic and topic.reviewed else None)
