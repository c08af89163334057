"""The five steps of answering: safety, understand, decide, compose, remember.

``Engine.handle`` is the whole product seen from a channel: a Message in, a
Reply out. It holds no Flask, no platform and no file I/O; the content snapshot
and the session store are handed in, so a test builds an engine in one line.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable

from bot.content.schema import Content, Intent, Topic
from bot.core import compose
from bot.core.drugnames import looks_like_a_medicine
from bot.core.intents import TOPIC_TOKEN, Sentence, make_sentence
from bot.core.knowledge import Knowledge
from bot.core.language import is_spanish
from bot.core.models import Message, QuickReply, Reply, TextPart
from bot.core.normalize import normalize, sentences, stem
from bot.core.spelling import english_words
from bot.core.topics import DIRECTORY_PREFIX, Hit, TopicMatch, rank
from bot.sessions.base import SessionState, SessionStore

if TYPE_CHECKING:
    from bot.core.second_opinion import Opinion

log = logging.getLogger("healthbot.engine")

#: Intents that answer without a topic.
CONVERSATIONAL = {"greet", "thanks", "goodbye", "help", "out_of_scope", "emergency"}
#: The intent used when a message is only a topic name ("angioplasty?").
DEFAULT_INTENT = "what_is"
MAX_WORDS = 120
#: Words that point back to the topic under discussion.
REFERS_BACK = frozenset("it its this that these those them they".split())
#: Words that pick among things already named ("which one", "either", "both") point back too.
POINTS_BACK = REFERS_BACK | frozenset("one ones either both".split())
#: "It" as the cause of something named: "can it cause a stroke?", "does it lead to kidney disease?"
#: ("Does that raise her chance of a clot?" asks the clot's risk factors: its causes answer.)
CAUSED_BY_IT = re.compile(
    r"\b(can|could|does|do|will|would|might|may|did|is) (it|this|that) (ever |also |really |possibly |actually )?"
    r"(cause|lead to|give (you|me|him|her|them|people)|bring on|trigger|result in|end in|turn into"
    r"|going to (cause|lead to|turn into))\b")
#: A question asked of a person or of the thing just talked about ("will he need ...", "can it lead to ...").
PERSON_OR_BACK = REFERS_BACK | frozenset("i im ive me my we our us you your he hes him his she shes her".split())
#: A question that picks among the topics just answered side by side: "which one is worse?", "do both hurt?".
PICKS = re.compile(r"\b(which (one|ones|of (them|the two|these|those)|is|are|has|have|would|will|can|could|should|lasts?"
                   r"|takes?|hurts?|needs?|causes?)|either( one)?|both|the two|each (one|of them))\b")
#: A question with no content of its own asks about the situation just told: "He needs a tooth pulled. What should he do?"
OPEN_QUESTION = re.compile(
    r"^(so |and |ok |okay )?(what (should|can|do|shall|must) (i|he|she|we|they) do|what now|what next"
    r"|what do you (think|suggest|recommend)|any (advice|suggestions|ideas)"
    r"|is (that|this|it) (really )?true|is there (any )?truth (to|in) (that|this|it))( now| next| about it)?$"
)
#: Quick replies that can be picked by number ("1" to "9").
MAX_OFFERED = 9
_OPTION_NUMBER = re.compile(r"^(?:#|no\.?\s*|option\s*)?([1-9])[.)]?$", re.I)
#: A blood pressure reading ("150/95", "85 over 50"): a person's own numbers, not a topic's name.
#: (The look-ahead lets the regex engine pass over each letter at once instead of testing "\b" there.)
READING = re.compile(r"(?=\d)\b(\d{2,3}) (?:over )?(\d{2,3})\b")
#: From this top or bottom number up, a reading is high (American Heart Association stage 1).
HIGH_READING = (130, 80)
#: Below this top or bottom number, a reading is commonly called low (lower than 90/60).
LOW_READING = (90, 60)
#: Topic scores this close are named as strongly as each other.
TIE = 0.005
#: A follow-up this short may name a topic together with the conversation's ("what about hemorrhagic?").
BESIDE_MAX_WORDS = 12
#: How sure a reading said without any name is about blood pressure: less than a name said outright.
READING_MATCH = 0.8
#: "How can I raise my blood pressure?" is not about high blood pressure: a broad name someone wants pushed
#: up is not the specific topic it stands for (the specific one, "low blood pressure", is matched by its own
#: names). Something else raising it ("can coffee raise my blood pressure?") still asks about the high kind.
RAISING = re.compile(r"\b(to|i|we|you|he|she|they|ways of|tips for) (raise|raising|increase|increasing|boost|boosting"
                     r"|bring up|get up) (my |his |her |your |the |their )?topic\b")
#: Wanting a reading higher, said with a pronoun ("how can I raise it?", "get it back up").
LIFTING = re.compile(r"\b(raise|raising|increase|increasing|boost|boosting) (it|them|topic|my pressure|my bp|my numbers)\b"
                     r"|\b(bring|get|push)(ing)? (it|them|topic|my pressure|my bp|my numbers)( back)? up\b")
#: "Can I raise it myself?" after a dose is the dose, not the reading.
DOSE = re.compile(r"\b(dose|doses|dosage|dosing)\b")
#: A question this short that only points back ("what are they?") is read with the sentence before.
POINTING_MAX_WORDS = 4
#: "...and how long is recovery?": a second question joined to the first.
_SECOND_CLAUSE = re.compile(
    r"\s(?:and|also|plus|then)\s(?=(?:what|whats|how|why|when|where|which|is|are|can|could|will|do|does)\b)")
#: A second question is answered too only when its own words ask it this clearly, and only
#: in a short message: in a long story the other questions are background, and reading each
#: clause again would cost the long messages most.
SECOND_MIN = 0.8
SECOND_MAX_WORDS = 40
#: "I have a cough now", "she started getting ...", "since starting it": someone reporting a new problem.
_NEW_PROBLEM = re.compile(
    r"\b(since|after) (starting|taking|i started|he started|she started|we started)\b"
    r"|\b(started|starting|began|begun) (to )?(get|getting|have|having|feel|feeling)\b"
    r"|\b(developed|noticed|been getting|been having|keep getting|keeps getting|now have|now has)\b"
    r"|\b(i|he|she|my \w+) (have|has|got|get|gets|feel|feels) .{1,40}\b(now|lately|recently)\b"
    r"|\b(incision|wound|scar|stitches|staples|cut|groin|chest|legs?|arms?|wrist|ankles?|feet|foot|hands?|face|belly)\b.{0,25}"
    r"\b(red|swollen|swelling|warm|hot|oozing|draining|leaking|bleeding|open|infected|pus|bruised|lump)\b")
#: The intent that answers a medicine's side effects and a procedure's risks.
SIDE_EFFECTS = "risks"
SYMPTOMS = "symptoms"
TREATMENT = "treatment"
#: An intent scoring this much was asked on purpose, even in a message that reports a problem.
CLEAR_QUESTION = 0.8
#: A message that asks nothing and whose best intent scores below this gets the topic's what_is answer.
STATEMENT_MIN = 0.5
#: A message this short that asks nothing clear and names an unfamiliar subject ("tracheomalacia",
#: "heart murmur in adults") is a subject typed alone: the honest reply is that we have nothing on it.
SUBJECT_ONLY_MAX_WORDS = 5
#: An unfamiliar word this long, or a dictionary word, is taken to name something; a short
#: made-up one ("qwzx plorf") is more likely noise, which gets the "did not understand" reply.
SUBJECT_WORD_MIN_LEN = 8
#: Dictionary words people type as filler or to try the bot out: they name nothing. (Made-up
#: filler such as "lol" or "hmm" is shorter than SUBJECT_WORD_MIN_LEN and never counts anyway.)
FILLER_WORDS = frozenset({"blah", "test", "testing", "stuff", "thing", "things", "something", "anything",
                          "nothing", "whatever", "random", "hello", "yeah", "nope"})
#: Laughter and filler said over and over ("hahaha", "lololol", "blahblah") name nothing.
_REPEATED_SOUND = re.compile(r"(\w{1,4})\1+\w{0,2}")
#: "what about stents?", "and for bypass surgery?", "no, I meant bypass surgery": same question, new topic.
CARRY_OVER = re.compile(
    r"^(and |so |ok |okay |also )?(what|how) about\b|^(and|also) (for |with |about )?(an? |the |my )?topic$"
    r"|^(no |nope |sorry |oops |not that )*(i meant|i mean|meant|i was asking about|im asking about|i am asking about)"
    r" (an? |the |my )?topic$")
#: A question that names no topic but points to one named before: "is a pulse that low dangerous on this medication?"
THIS_ONE = re.compile(r"\b(this|that|these|those|the|my|his|her) (medication|medications|medicine|medicines|meds|drug|drugs"
                      r"|pill|pills|tablet|tablets|procedure|surgery|operation|device|implant)\b")
#: "Are they different for men?": the same question again, for a group of people.
SAME_QUESTION = re.compile(r"^(and |so |but )?(is it|are they|are the|is the|does it|do they|would it be|is that) "
                           r"(\w+ )?(any )?(different|the same|similar|worse|better) (for|in|with|among) ")


@dataclass(frozen=True)
class Policy:
    """Thresholds of the decision step; tuned on held-out questions."""

    intent_min: float = 0.30
    topic_min: float = 0.55
    topic_margin: float = 0.02
    session_ttl: int = 30 * 60
    locale: str = "en-US"


@dataclass
class Understanding:
    """What the engine read in one message, with the scores behind it."""

    topics: list[TopicMatch]
    #: Topics the message names that the content does not cover (from data/directory).
    uncovered: list[TopicMatch]
    intents: list[tuple[str, float]]
    hits: list[Hit]
    unknown_words: list[str]
    word_count: int
    #: The normalised message with covered topic names replaced by "topic".
    masked: str = ""
    #: The masked text of each sentence that asks something, in order.
    questions: tuple[str, ...] = ()
    #: The first sentence with a question mark: its place (as topic hits count sentences), or -1, and masked text.
    asked_in: int = -1
    asked_text: str = ""
    #: Topics named only as something the person has or had ("he has a pacemaker"): background.
    held: frozenset[str] = frozenset()
    #: Unfamiliar words that look like a medicine's generic name ("metformin"), named in the first
    #: sentence or in one that asks: the message's subject. All such words are masked like a topic.
    medicines: tuple[str, ...] = ()
    #: What the sentence model said, when it was asked (the cues were unsure): intent and probability.
    opinion: Opinion | None = None


class Engine:
    def __init__(
        self,
        knowledge: Knowledge | Callable[[], Knowledge],
        store: SessionStore,
        policy: Policy | None = None,
    ) -> None:
        self._knowledge = knowledge if callable(knowledge) else (lambda: knowledge)
        self.store = store
        self.policy = policy or Policy()
        #: Called after every turn with (message, reply): metrics, the unanswered log.
        #: An observer that fails is logged and never breaks the answer.
        self.observers: list[Callable[[Message, Reply], None]] = []
        #: Sessions already told "I may have lost track" during the current store outage,
        #: so the note is said once per outage, not on every turn; cleared when the store answers.
        self._told_memory_lost: set[str] = set()

    @property
    def knowledge(self) -> Knowledge:
        return self._knowledge()

    # -- step 2 --------------------------------------------------------------
    def understand(self, text: str, k: Knowledge | None = None) -> Understanding:
        """Topic spans and intent scores for one message, without context."""
        return understand(k or self.knowledge, text)

    # -- the whole turn ------------------------------------------------------
    def handle(self, message: Message) -> Reply:
        k = self.knowledge
        content = k.content
        memory_ok = True
        told = self._told_memory_lost
        try:
            state = self.store.load(message.session_id)
            if told:
                told.clear()  # the store is back: a later outage is news again
        except Exception:  # the store is down: answer without memory
            log.warning("session store unavailable; answering without memory")
            state, memory_ok = None, False
        already_told = not memory_ok and message.session_id in told
        first_turn = (state is None or state.turns == 0) and not already_told
        state = state or SessionState()
        text = (message.payload or message.text or "").strip()
        picked = _picked_option(state, text)
        if picked is not None:  # "2": the second quick reply offered last turn, typed on a phone without buttons
            text = picked

        reply = self._decide(k, state, text, message)
        reply = self._not_twice(k, state, text, reply)
        state.offered = [q.payload for q in reply.quick_replies[:MAX_OFFERED]]
        if first_turn and reply.kind != "emergency":
            reply.messages.insert(0, TextPart(compose.message(content, "notice"), "notice"))
        if not memory_ok and not already_told and reply.kind != "emergency":
            reply.messages.append(TextPart(compose.message(content, "memory_lost"), "meta"))
            if len(told) < 100_000:
                told.add(message.session_id)
        state.turns += 1
        try:
            self.store.save(message.session_id, state, self.policy.session_ttl)
        except Exception:
            log.warning("session store unavailable; state not saved")
        for observer in self.observers:
            try:
                observer(message, reply)
            except Exception:
                log.exception("reply observer %r failed", getattr(observer, "__name__", observer))
        return reply

    def _not_twice(self, k: Knowledge, state: SessionState, text: str, reply: Reply) -> Reply:
        """The same answer to a different question, twice in a row, becomes a short note.

        Asking the very same words again still repeats the answer: the patient may have missed it.
        """
        if reply.kind != "answer" or not reply.messages or reply.topic_id not in k.content.topics:
            state.shown = state.asked = None
            return reply
        shown, asked = _fingerprint(reply.messages[0].text), _fingerprint(normalize(text))
        again = state.shown == shown and state.asked != asked
        state.shown, state.asked = shown, asked
        return compose.same_answer(k.content, k.content.topics[reply.topic_id], reply) if again else reply

    def _decide(self, k: Knowledge, state: SessionState, text: str, message: Message) -> Reply:
        # 1. Safety first, on every message and every channel.
        hit = k.safety.check(text, state.topic)
        if hit is not None and not hit.past:
            return self._emergency(k, hit.rule.reply, message.locale)
        reply = self._understood(k, state, text, message)
        if hit is not None:
            # Emergency signs told as a past event ("she had slurred speech in March"): the question
            # is answered, and the reply opens with what to do if the signs come back.
            note = self._with_numbers(k, compose.message(k.content, "past_emergency"), message.locale)
            reply.messages.insert(0, TextPart(note, "emergency"))
        return reply

    def _understood(self, k: Knowledge, state: SessionState, text: str, message: Message) -> Reply:
        """The reply to a message without emergency signs in the present."""
        content = k.content

        # Quick-reply payloads skip understanding: "ask:<intent>:<topic>" or "topic:<id>".
        if text.startswith(("ask:", "topic:")):
            decided = self._from_payload(k, state, text)
            if decided is not None:
                return decided

        if is_spanish(normalize(text).split()):
            # The content is English: say so in both languages, with the emergency number first.
            numbers = self._numbers(k, message.locale or self.policy.locale)
            reply = Reply("fallback", [TextPart(compose.message(content, "other_language", **numbers))])
            reply.debug = {"language": "es"}
            return reply

        u = self.understand(text, k)
        top_intent, intent_score = (u.intents[0] if u.intents else (None, 0.0))
        debug = {
            "intents": [(i, round(s, 3)) for i, s in u.intents[:3]],
            "topics": [(m.topic_id, round(m.score, 3)) for m in u.topics[:3]],
            "unknown": len(u.unknown_words),
        }
        if u.opinion is not None:
            debug["opinion"] = (u.opinion.intent, round(u.opinion.probability, 3))

        # A pending clarification answered by naming one of the offered topics.
        if state.pending and u.topics and u.topics[0].topic_id in state.pending:
            intent_id = state.pending_intent or DEFAULT_INTENT
            if intent_score >= self.policy.intent_min and top_intent not in CONVERSATIONAL and top_intent != DEFAULT_INTENT:
                intent_id = top_intent
            return self._answer(k, state, intent_id, content.topics[u.topics[0].topic_id], u.topics[0].score, debug)
        # "The risks of which procedure?" answered with just a name keeps the question asked.
        asked_for_topic = None if state.pending else state.pending_intent
        state.pending, state.pending_intent = [], None

        if not u.topics and not u.uncovered and state.topic in content.topics and u.word_count <= BESIDE_MAX_WORDS:
            u = self._named_beside(k, u, content.topics[state.topic])
        # A broad name ("blood pressure") stands for its topic unless something else is the subject: a
        # topic we do not cover, an unfamiliar word, a reading of another kind, a wish to raise it.
        # A reading is itself the subject: a high one ("my blood pressure was 150/95 all week") for the
        # topic about high readings, a low one ("BP 85/50") for the topic about low ones (_broadly_meant).
        reading = _reading(u.masked)
        other_subject = (u.uncovered or (u.unknown_words and reading is None) or RAISING.search(u.masked))
        topic_matches = [m for m in u.topics if m.score >= self.policy.topic_min
                         and (not _only_broadly(m, k) or _broadly_meant(content.topics[m.topic_id], reading, other_subject))]
        by_reading = not u.topics and not u.uncovered and reading is not None
        if by_reading:
            # "Is 140/90 high for a 70 year old?": a reading with no name beside it still says its subject,
            # and with no clearer question it asks what the numbers mean (what the topic is says so).
            topic_matches = _reading_match(content, reading)
        elif (reading == "low" and topic_matches and LIFTING.search(u.masked)
              and not DOSE.search(u.masked) and content.topics[topic_matches[0].topic_id].kind == "medicine"):
            # "I take atenolol, my pressure runs 88/55, how do I get it back up?": no medicine raises a
            # low reading, so the medicine is background; what helps a low reading is the low topic's.
            low = _reading_match(content, reading)
            low_ids = {m.topic_id for m in low}
            topic_matches = low + [m for m in topic_matches if m.topic_id not in low_ids]
        if (topic_matches and u.uncovered and _asked_about_only(u.uncovered, topic_matches, u.asked_in)
                and not _points_back(u.asked_text)):
            # "I'm on simvastatin and my liver enzymes are high. What is fatty liver?": the question is about
            # a topic we do not cover; the one we do is background. Say so rather than answer the background.
            # Not when the question points back ("is it true it can push me into diabetes?"): "it" is ours.
            topic_matches = []
        cause = _cause_asked_about(content, state, u)
        if cause is not None:
            # "Can it cause a stroke?" after AFib: "it" is AFib, and a stroke is the outcome asked about.
            topic_matches = [TopicMatch(cause, CLEAR_QUESTION, [Hit(cause, "it", 0, 0, CLEAR_QUESTION, max(u.asked_in, 0))])]
            top_intent, intent_score = SIDE_EFFECTS, max(intent_score, CLEAR_QUESTION)
        if topic_matches and top_intent in content.intents and content.intents[top_intent].without_topic:
            # "Can you die from a brain aneurysm?" is not about the bot, nor "why does my angina get worse
            # in cold weather?" about the weather: a message that names a topic asks about it.
            top_intent, intent_score = next(((i, s) for i, s in u.intents
                                             if i in content.intents and not content.intents[i].without_topic), (None, 0.0))
        if asked_for_topic in content.intents and topic_matches and (
                intent_score < self.policy.intent_min or _just_a_name(u.masked)):
            top_intent, intent_score = asked_for_topic, max(intent_score, 0.6)
        if (topic_matches and state.intent in content.intents and intent_score < 0.6
                and CARRY_OVER.search(u.masked)):
            top_intent, intent_score = state.intent, max(intent_score, 0.6)
        if (not topic_matches and state.intent in content.intents and state.topic in content.topics
                and SAME_QUESTION.search(u.masked)):
            top_intent, intent_score = state.intent, max(intent_score, 0.6)
        # "I have been getting nosebleeds" while talking about warfarin, "my incision is red"
        # after bypass surgery, "my leg is swollen and warm" during a talk about DVT: a new problem
        # with the conversation's medicine, procedure or condition.
        told = (_problem_told(content.topics[state.topic], u)
                if not topic_matches and state.topic in content.topics else None)
        new_problem = told is not None
        if new_problem and intent_score < CLEAR_QUESTION and told in content.intents:
            # Unless something else is clearly asked: its side effects or risks, or the condition's symptoms.
            top_intent, intent_score = told, max(intent_score, STATEMENT_MIN)
        if topic_matches and not u.questions and self.policy.intent_min <= intent_score < STATEMENT_MIN:
            # "My doctor says I have heart failure": no question, only a weak guess at one.
            # What the topic is answers that better than the guess; no guess at all still asks.
            top_intent, intent_score = DEFAULT_INTENT, STATEMENT_MIN
        if intent_score < self.policy.intent_min:
            if topic_matches and (u.word_count <= 6 or by_reading):
                top_intent, intent_score = DEFAULT_INTENT, max(intent_score, 0.5)
            elif topic_matches and state.intent and state.topic and len(u.unknown_words) == 0:
                # "what about stents?": keep the last question, change the topic.
                top_intent, intent_score = state.intent, 0.5
            elif topic_matches:
                return self._clarify_intent(k, state, k.content.topics[topic_matches[0].topic_id], topic_matches[0].score, debug)
            elif state.topic in content.topics and not u.uncovered and not _names_a_subject_only(u, unfamiliar=True):
                # Mid-conversation ("what about sex?"): offer what the current topic can answer
                # rather than a blank "I did not understand". A medical-looking word typed alone
                # ("tracheomalacia") is a new subject, though: it gets the honest no below.
                return self._clarify_intent(k, state, content.topics[state.topic], 0.5, debug, "clarify_unclear")
            elif u.uncovered or _names_a_subject_only(u):
                # "Could this be diabetes?": whatever it asks, it is about a topic we do not cover.
                # A subject typed alone ("lupus and the heart", "tracheomalacia") asks what it is.
                if 0 < u.word_count <= SUBJECT_ONLY_MAX_WORDS:
                    return self._abstain(k, u, DEFAULT_INTENT, max(intent_score, STATEMENT_MIN), debug)
                return self._abstain(k, u, None, intent_score, debug)
            else:
                reply = Reply("fallback", [TextPart(compose.message(content, "fallback"))], None, None, None, intent_score)
                reply.quick_replies = self._starter_quick_replies(k)
                reply.debug = debug
                return reply

        intent = content.intents.get(top_intent)
        if intent is None:
            return Reply("fallback", [TextPart(compose.message(content, "fallback"))], debug=debug)

        if intent.id == "emergency":
            reply = self._emergency(k, {"default": intent.reply}, message.locale)
            reply.confidence = intent_score
            return reply
        # Conversational intents need no topic.
        if intent.kind == "fixed" and not intent.with_learn_more:
            reply = compose.fixed(content, intent, None, intent_score)
            reply.debug = debug
            if intent.id in ("greet", "help"):
                reply.quick_replies = self._starter_quick_replies(k)
            return reply

        # 3. Which topic: the message's own, else the conversation's.
        topic: Topic | None = None
        topic_conf = 0.0
        if (not topic_matches and intent.kind == "topic" and len(state.compared) >= 2
                and state.topic == state.compared[0] and PICKS.search(u.masked)
                and all(t in content.topics for t in state.compared)):
            # "Which one is worse?" right after "heart attack or cardiac arrest?": the question is asked
            # of both, so both answers stand side by side again; the bot does not rank them.
            return self._compare(k, state, intent, [(t, 0.8) for t in state.compared], intent_score, debug)
        if intent.compares:
            named = {m.topic_id: m.score for m in topic_matches}  # best first; one entry per topic
            if (len(named) == 1 and state.topic in content.topics and state.topic not in named
                    and _points_back(u.masked)):
                # "Is it better than a stent?" after bypass surgery: "it" is the conversation's topic.
                named = {state.topic: 0.8, **named}
            if len(named) >= 2:
                return self._compare(k, state, intent, list(named.items())[:3], intent_score, debug)
        if topic_matches:
            best = topic_matches[0]
            rivals = [m for m in topic_matches[1:] if best.score - m.score <= self.policy.topic_margin
                      and any(h.start == best.hits[0].start for h in m.hits)]
            if rivals:
                return self._clarify_topic(k, state, intent.id, [best, *rivals], debug)
            if intent.prefers and content.topics[best.topic_id].kind not in intent.prefers:
                # "Dad had a heart attack and now has a stent; what are the risks?": of the topics named,
                # the kind this question is usually about (the stent), when it has the answer. Not when
                # the question itself names the topic: "Is it dangerous to fly with a DVT? I'm on Xarelto."
                best = next((m for m in topic_matches[1:] if content.topics[m.topic_id].kind in intent.prefers
                             and _answers(content, intent, content.topics[m.topic_id])
                             and (_named_in(m, u.asked_in) or not _named_in(best, u.asked_in)
                                  or THIS_ONE.search(u.asked_text))), best)
            elif intent.prefers:
                # Named as strongly, the kind listed first wins: "after my stent I take Brilinta ... I bruise
                # so easily" asks about the medicine's side effects before the procedure's risks.
                rank_of = {kind: i for i, kind in enumerate(intent.prefers)}
                tied = [m for m in topic_matches if m.score >= best.score - TIE
                        and content.topics[m.topic_id].kind in rank_of and _answers(content, intent, content.topics[m.topic_id])]
                if tied:
                    best = min(tied, key=lambda m: rank_of[content.topics[m.topic_id].kind])
            if (intent.kind == "topic" and best.topic_id in u.held
                    and not _answers_itself(intent, content.topics[best.topic_id])):
                # "My father has a pacemaker. The arteries in his legs are blocked. What treatment is there?":
                # the device he has is background; the treatment asked for is the blocked arteries'. Only
                # where the device answers the question indirectly (what a procedure is for).
                best = next((m for m in topic_matches if _answers_itself(intent, content.topics[m.topic_id])), best)
            if intent.kind == "topic" and not _answers(content, intent, content.topics[best.topic_id]):
                # "My cholesterol is 260 ... worried about Lipitor's side effects": of the topics named,
                # the one that answers the question (Statins), not the first named (Cholesterol).
                best = next((m for m in topic_matches[1:] if _answers(content, intent, content.topics[m.topic_id])), best)
            topic, topic_conf = content.topics[best.topic_id], best.score
            if (intent.kind == "topic" and not _answers(content, intent, topic) and all(h.described for h in best.hits)
                    and state.topic in content.topics and _answers(content, intent, content.topics[state.topic])):
                # "Now I have an ache in my chest when I climb stairs, is that normal?" after a stent: the ache
                # is described, not named, and the conversation's procedure has the answer to what is asked.
                topic, topic_conf = content.topics[state.topic], 0.8
        elif state.topic in content.topics and not self._names_new_subject(u):
            topic, topic_conf = content.topics[state.topic], 0.8
        elif (state.topic in content.topics and u.uncovered and _points_back(u.masked)
              and all(m.topic_id in u.held for m in u.uncovered)):
            # "Is it safe for someone with asthma?" after a stress test: "it" is the test, and asthma
            # is what the person has, which the answer notes it does not cover (_note_what_we_lack).
            topic, topic_conf = content.topics[state.topic], 0.7
        elif state.topic in content.topics and _a_complication_of(content, content.topics[state.topic], intent, u):
            # "Will he need an amputation?" in a talk about PAD: a topic we do not cover, yet asked of the
            # person or of "it" as an outcome, and the conversation topic's risks answer names it.
            topic, topic_conf = content.topics[state.topic], 0.7
        elif new_problem and intent.reads_for(content.topics[state.topic]) == told:
            # "I have a dry cough now" names no topic of ours, but after lisinopril it is a possible side effect.
            topic, topic_conf = content.topics[state.topic], 0.7

        by_treatment = topic is not None and _named_as_treatment(topic, topic_matches)
        if topic is not None and not (by_treatment and topic.kind == "condition"):
            # The same words ask something else of another kind of topic (see Intent.reads_as). Not of a
            # condition named by its treatment, which is asked about as that treatment: "why would someone
            # need a carotid endarterectomy?" asks why it is done, not what causes the condition, and
            # "what happens during a cardioversion?" how it is done, not what AFib is.
            intent = content.intents.get(intent.reads_for(topic), intent)
        if (topic is not None and intent.kind == "topic" and intent.answer_key(topic) in (DEFAULT_INTENT, "causes")
                and compose.has_answer(topic, TREATMENT) and by_treatment):
            # "What is catheter ablation?", "why do they do a cardioversion?": the name is one of the
            # condition's treatments, which its treatment answer describes; what the condition is (or
            # what causes it) does not. The question stays what it was; only the answer shown changes.
            intent = replace(intent, answer=TREATMENT, answer_for={})
        if intent.kind == "fixed":  # personal advice: fixed reply, plus where to read
            if (reading is not None and topic is not None and topic.reading and intent.with_learn_more
                    and compose.has_answer(topic, DEFAULT_INTENT) and DEFAULT_INTENT in content.intents):
                reply = compose.reading_advice(content, intent, content.intents[DEFAULT_INTENT], topic, intent_score)
            else:
                reply = compose.fixed(content, intent, topic, intent_score, kind="advice")
            reply.debug = debug
            if topic:
                state.topic = topic.id
            return reply

        if topic is None:
            if u.medicines:
                # "Can metformin cause pancreatitis?" asks what a covered medicine's question would:
                # a side effect, not the causes of pancreatitis (Intent.reads_as).
                intent = content.intents.get(intent.reads_for_kind("medicine"), intent)
            if u.unknown_words or u.uncovered:
                return self._abstain(k, u, intent.id, intent_score, debug)
            state.intent = state.pending_intent = intent.id
            text_ = intent.missing_topic or compose.message(content, "ask_topic")
            reply = Reply("clarify", [TextPart(text_)], intent.id, None, None, intent_score, debug=debug)
            reply.quick_replies = self._starter_quick_replies(k)
            return reply
        if intent.kind == "topic" and intent_score < CLEAR_QUESTION and not _answers(content, intent, topic):
            # "My husband keeps getting chest pain when he climbs stairs": a weak guess at a question
            # the topic has no answer for. Offering what it can say beats "no recovery information".
            return self._clarify_intent(k, state, topic, topic_conf, debug)
        reply = self._answer(k, state, intent.id, topic, min(intent_score, 1.0) * 0.5 + topic_conf * 0.5, debug, intent)
        self._note_what_we_lack(k, u, reply)
        if (reply.kind == "answer" and u.word_count <= SECOND_MAX_WORDS
                and len({m.topic_id for m in topic_matches}) <= 1):
            second = self._second_question(k, u, intent, topic)
            if second is not None:
                compose.add_answer(k.content, reply, second, topic)
                debug["also"] = second.id
        return reply

    def _second_question(self, k: Knowledge, u: Understanding, first: Intent, topic: Topic) -> Intent | None:
        """The other question of "what is angioplasty and how long is recovery?", if it clearly asks one.

        Patients often ask two things at once; answering only one makes them ask
        again. Each question clause is scored on its own words; only a clear,
        different question about the same topic that the topic answers counts.
        """
        clauses = [c for q in u.questions[:4] for c in _SECOND_CLAUSE.split(q)]
        if len(clauses) < 2:
            return None
        intents = k.content.intents
        for clause in clauses[:4]:
            ranked = k.intents.classify([Sentence(clause, 0, is_question=True)])
            if not ranked:
                continue
            intent_id, score = ranked[0]
            intent = intents.get(intent_id)
            if intent is None or score < SECOND_MIN or intent.kind != "topic" or intent.compares:
                continue
            intent = intents.get(intent.reads_for(topic), intent)
            key = intent.answer_key(topic)
            if key == first.answer_key(topic) or intent.id == "learn_more":
                continue
            if compose.has_answer(topic, key):
                return intent
        return None

    def _abstain(self, k: Knowledge, u: Understanding, intent_id: str | None, score: float, debug: dict) -> Reply:
        """No reviewed content for what the message is about: say so, and name the MedlinePlus page when known."""
        entry = k.topics.entry(u.uncovered[0].topic_id) if u.uncovered else None
        if entry is not None:
            # The topic's own page when the directory knows it, else where to search for it.
            key, url = ("abstain_page", entry.url) if entry.url else (
                "abstain_named", entry.search_url or "https://medlineplus.gov/")
            text = compose.message(k.content, key, name=entry.title, url=url)
            debug["uncovered"] = entry.title
        else:
            text = compose.message(k.content, "abstain")
        reply = Reply("abstain", [TextPart(text)], intent_id, None, None, score, debug=debug)
        reply.quick_replies = self._starter_quick_replies(k)
        return reply

    def _note_what_we_lack(self, k: Knowledge, u: Understanding, reply: Reply) -> None:
        """Before an answer, say which condition the person has that we hold nothing on.

        "Is a stress test safe for someone with asthma?" gets the test's risks; without a word
        about asthma, the answer could read as "yes, safe with asthma".
        """
        if reply.kind != "answer" or not reply.topic:
            return
        lacking = next((m for m in u.uncovered if m.topic_id in u.held), None)
        entry = k.topics.entry(lacking.topic_id) if lacking else None
        if entry is None or any(_mentions(reply.text, h.name) for h in lacking.hits):
            return  # the answer speaks of it ("kidney disease" among angioplasty's risks)
        note = compose.message(k.content, "beside_uncovered", name=entry.title, topic=reply.topic)
        reply.messages.insert(0, TextPart(note))
        reply.debug["uncovered"] = entry.title

    def _names_new_subject(self, u: Understanding) -> bool:
        """A topic-less message that still names something: don't answer about the old topic.

        Unfamiliar words usually name a new subject, but not when the message
        points back ("can I eat spinach with it?", "which one has the shortest
        recovery?"): then they are the context.
        """
        if u.uncovered:
            return True
        return bool(u.unknown_words) and not POINTS_BACK.intersection(u.masked.split())

    def _named_beside(self, k: Knowledge, u: Understanding, context: Topic) -> Understanding:
        """The understanding with a topic the message names beside the conversation's ("what about hemorrhagic?")."""
        words = u.masked.split()
        hits = [h for h in k.topics.named_beside(words, context.title)
                if h.topic_id != context.id and not h.topic_id.startswith(DIRECTORY_PREFIX)]
        if not hits:
            return u
        used = {w for h in hits for w in words[h.start:h.end]}
        # The question is read again with the name masked, as for a name said outright: "and ischemic?"
        # then reads "and topic?", which carries the last question over.
        masked = [TOPIC_TOKEN if i == hits[0].start else "" if hits[0].start < i < hits[0].end else w
                  for i, w in enumerate(words)]
        text = " ".join(filter(None, masked))
        return replace(u, topics=rank(hits), hits=list(u.hits) + hits, masked=text,
                       intents=k.intents.classify([make_sentence(text, 0, text)], u.word_count),
                       unknown_words=[w for w in u.unknown_words if w not in used])

    def _answer(self, k: Knowledge, state: SessionState, intent_id: str, topic: Topic, conf: float, debug: dict,
                intent: Intent | None = None) -> Reply:
        """The topic's answer; ``intent`` overrides the content's own when it shows another answer."""
        intent = intent or k.content.intents[intent_id]
        if intent.kind == "fixed":
            reply = compose.fixed(k.content, intent, topic, conf, kind="advice")
        else:
            reply = compose.answer(k.content, intent, topic, conf)
        state.topic, state.intent = topic.id, intent.id
        state.pending, state.pending_intent = [], None
        reply.debug = debug
        return reply

    def _from_payload(self, k: Knowledge, state: SessionState, text: str) -> Reply | None:
        parts = text.split(":")
        if parts[0] == "ask" and len(parts) == 3 and parts[1] in k.content.intents and parts[2] in k.content.topics:
            return self._answer(k, state, parts[1], k.content.topics[parts[2]], 1.0, {"payload": True})
        if parts[0] == "topic" and len(parts) == 2 and parts[1] in k.content.topics:
            intent_id = state.pending_intent if state.pending_intent in k.content.intents else DEFAULT_INTENT
            return self._answer(k, state, intent_id, k.content.topics[parts[1]], 1.0, {"payload": True})
        return None

    def _compare(self, k: Knowledge, state: SessionState, intent: Intent, named: list[tuple[str, float]],
                 intent_score: float, debug: dict) -> Reply:
        """Answer for each topic named; the best-matched one becomes the conversation's topic."""
        topics = [k.content.topics[topic_id] for topic_id, _ in named]
        confidence = min(intent_score, 1.0) * 0.5 + min(score for _, score in named) * 0.5
        reply = compose.compare(k.content, intent, topics, confidence)
        state.topic, state.intent, state.compared = topics[0].id, intent.id, [t.id for t in topics]
        state.pending, state.pending_intent = [], None
        reply.debug = debug
        return reply

    def _clarify_topic(self, k: Knowledge, state: SessionState, intent_id: str, options: list[TopicMatch], debug: dict) -> Reply:
        topics = [k.content.topics[m.topic_id] for m in options[:4]]
        state.pending = [t.id for t in topics]
        state.pending_intent = intent_id
        quick = [QuickReply(t.title, f"topic:{t.id}") for t in topics]
        return Reply("clarify", [TextPart(compose.message(k.content, "clarify_topic"))], intent_id, None, None,
                     options[0].score, quick_replies=quick, debug=debug)

    def _clarify_intent(self, k: Knowledge, state: SessionState, topic: Topic, score: float, debug: dict,
                        message_key: str = "clarify_intent") -> Reply:
        """We know the topic but not the question: offer what we can say about it."""
        state.topic, state.intent = topic.id, None
        text = compose.message(k.content, message_key, topic=topic.title)
        quick = compose.follow_ups(k.content, None, topic, limit=4)
        return Reply("clarify", [TextPart(text)], None, topic.title, topic.id, score, quick_replies=quick, debug=debug)

    def _numbers(self, k: Knowledge, loc_id: str) -> dict[str, str]:
        """The emergency, crisis and poison numbers of a locale ("en-GB", then "GB", then "default")."""
        loc = k.content.locales.get(loc_id) or k.content.locales.get(loc_id.split("-")[-1]) \
            or k.content.locales.get("default")
        return {"emergency": loc.emergency if loc else "911", "crisis": loc.crisis if loc else "988",
                "poison": (loc.poison if loc else "") or "your local poison center"}

    def _emergency(self, k: Knowledge, replies: dict, locale: str | None) -> Reply:
        template = replies.get(locale or self.policy.locale) or replies.get("default") or next(iter(replies.values()), "")
        return Reply("emergency", [TextPart(self._with_numbers(k, template, locale), "emergency")],
                     "emergency", None, None, 1.0)

    def _with_numbers(self, k: Knowledge, template: str, locale: str | None) -> str:
        """``template`` with the locale's emergency, crisis and poison numbers filled in."""
        try:
            return template.format(**self._numbers(k, locale or self.policy.locale))
        except (KeyError, IndexError, ValueError):
            return template

    def _starter_quick_replies(self, k: Knowledge) -> list[QuickReply]:
        starters = k.content.messages.get("starters", "")
        out = []
        for line in starters.splitlines():
            line = line.strip().lstrip("-").strip()
            if line:
                out.append(QuickReply(line, line))
        return out[:4]


def understand(k: Knowledge, text: str, *, intents: bool = True) -> Understanding:
    """Topic spans and intent scores for one message, without context or a session.

    ``intents=False`` skips scoring the intents, for a caller that wants only the reading
    (the masked text), as training the sentence model does for every phrasing.
    """
    raw_sentences = sentences(text)[:40]
    #: Sentences with a question mark: where the message asks, as topic hits count sentences.
    marked = [raw.rstrip().endswith("?") for raw in raw_sentences]
    words: list[str] = []
    sentence_of: list[int] = []
    per_sentence: list[list[str]] = []
    for i, raw in enumerate(raw_sentences):
        toks = k.topics.split_joined(normalize(raw[: MAX_WORDS * 12]).split())[: MAX_WORDS - len(words)]
        per_sentence.append(toks)
        words.extend(toks)
        sentence_of.extend([i] * len(toks))
        if len(words) >= MAX_WORDS:
            break  # the main ask is in the first sentences; the rest is background
    hits = k.topics.find(words, sentence_of)
    read = k.read_words(words)
    masked = [w for w, _ in read]
    for hit in hits:
        if hit.topic_id.startswith(DIRECTORY_PREFIX):
            continue  # only covered topics are masked; the rest is ordinary text
        masked[hit.start] = TOPIC_TOKEN
        for j in range(hit.start + 1, hit.end):
            masked[j] = ""
    spans = {j for h in hits for j in range(h.start, h.end)}
    unknown_at = [  # read after typo correction: "recovary" is a question word, not a new subject
        (j, w) for j, (w, asked) in enumerate(read)
        if not asked and j not in spans and len(w) > 2 and not w[0].isdigit()  # nor a dose: "81mg"
    ]
    medicines = []
    for j, _ in unknown_at:
        # A medicine we do not cover is still the subject, as a covered one would be:
        # "metformin upset stomach" reads like "lisinopril cough".
        if looks_like_a_medicine(words[j]):
            masked[j] = TOPIC_TOKEN
            at = sentence_of[j]
            if at == 0 or marked[at]:
                # Not drops named in passing: "I had cataract surgery ... I'm using the drops
                # (prednisolone) ... is the gritty feeling normal?" asks about the operation.
                medicines.append(words[j])
    sents = []
    pos = 0
    asked_in, asked_text = -1, ""  # the first sentence with a question mark, as topic hits count sentences
    for i, toks in enumerate(per_sentence):
        part = " ".join(filter(None, masked[pos : pos + len(toks)]))  # a masked name's other words are ""
        pos += len(toks)
        if asked_in < 0 and marked[i]:
            asked_in, asked_text = i, part
        if part:
            sents.append(make_sentence(part, len(sents), raw_sentences[i]))
    if len(sents) > 1 and sents[0].text == TOPIC_TOKEN:
        # A subject line that is only the topic ("Atrial fibrillation.") says what the message is
        # about, not what it asks; the body asks. Alone, it still reads as "what is it?".
        sents = [replace(s, index=i) for i, s in enumerate(sents[1:])]
    sents = _join_pointing_questions(sents)
    questions = tuple(s.text for s in sents if s.is_question)
    scored = k.intents.classify(sents, len(words)) if sents and intents else []
    unknown = [w for _, w in unknown_at]
    ranked = rank(hits, asked_in)
    covered = [m for m in ranked if not m.topic_id.startswith(DIRECTORY_PREFIX)]
    uncovered = [m for m in ranked if m.topic_id.startswith(DIRECTORY_PREFIX)]
    masked_text = " ".join(filter(None, masked))
    opinion = None
    if k.opinion is not None and sents and intents:
        scored, opinion = k.opinion.revise(scored, masked_text, asks=bool(questions))
    return Understanding(covered, uncovered, scored, hits, unknown, len(words), masked_text, questions,
                         asked_in, asked_text, _held(hits, words), tuple(medicines), opinion)


def _fingerprint(text: str) -> str:
    """A short digest kept in the session instead of the text itself."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _asked_about_only(uncovered: list[TopicMatch], covered: list[TopicMatch], asked_in: int) -> bool:
    """Whether the first question names an uncovered topic and none of the covered ones."""
    if asked_in < 0:
        return False
    def named_there(matches: list[TopicMatch]) -> bool:
        return any(h.sentence == asked_in for m in matches for h in m.hits)
    return named_there(uncovered) and not named_there(covered)


def _cause_asked_about(content: Content, state: SessionState, u: Understanding) -> str | None:
    """The topic "it" stands for in "can it cause a stroke?", when a risks answer can say.

    "It" is the topic named in an earlier sentence ("My dad has AFib. Can it cause a
    stroke?"), else the conversation's, unless the message names that one again.
    """
    if SIDE_EFFECTS not in content.intents or not CAUSED_BY_IT.search(u.asked_text or u.masked):
        return None
    earlier = [m.topic_id for m in u.topics if u.asked_in > 0 and all(h.sentence < u.asked_in for h in m.hits)]
    if earlier:
        cause = earlier[0]
    elif state.topic in content.topics and all(m.topic_id != state.topic for m in u.topics):
        cause = state.topic
    else:
        return None
    return cause if _answers(content, content.intents[SIDE_EFFECTS], content.topics[cause]) else None


def _a_complication_of(content: Content, topic: Topic, intent: Intent, u: Understanding) -> bool:
    """Whether the unfamiliar subject is asked about as the topic's outcome, which its risks answer names.

    "Could she get gangrene?" after PAD is about PAD's complications; "what are the risks of
    amputation?" asks of no one and is about the operation, so it stays an honest no.
    """
    named = {w for m in u.uncovered for h in m.hits for w in normalize(h.name).split()} | set(u.unknown_words)
    if not named or not PERSON_OR_BACK.intersection(u.masked.split()):
        return False
    key = content.intents.get(intent.reads_for(topic), intent).answer_key(topic)
    found = topic.answers.get(key)
    return key == SIDE_EFFECTS and found is not None and named <= set(normalize(found.text).split())


def _points_back(text: str) -> bool:
    """Whether a sentence has a word that points back ("it", "this"); "they" is usually the doctors."""
    return bool((REFERS_BACK - {"they"}).intersection(text.split()))


def _reading(text: str) -> str | None:
    """Whether the blood pressure readings in the text are "high", "low" or "normal"; None without one.

    "My blood pressure is 150/95" is about high blood pressure, "my BP drops to 85/50"
    about low blood pressure; beside "120/80" the broad name "blood pressure" says
    nothing about which topic is meant. A high reading wins over a low one.
    """
    readings = [(int(a), int(b)) for a, b in READING.findall(text)]
    readings = [(top, bottom) for top, bottom in readings if top > bottom]
    if not readings:
        return None
    if any(top >= HIGH_READING[0] or bottom >= HIGH_READING[1] for top, bottom in readings):
        return "high"
    if any(top < LOW_READING[0] or bottom < LOW_READING[1] for top, bottom in readings):
        return "low"
    return "normal"


def _named_as_treatment(topic: Topic, matches: list[TopicMatch]) -> bool:
    """Whether the message names this topic only by one of its treatments ("catheter ablation")."""
    if not topic.treatment_names:
        return False
    match = next((m for m in matches if m.topic_id == topic.id), None)
    return match is not None and all(h.name in topic.treatment_names for h in match.hits)


def _reading_match(content: Content, reading: str) -> list[TopicMatch]:
    """The topic a reading said on its own is about: low readings' topic for a low one, else high readings'.

    A normal reading ("is 118/76 ok?") goes to the high-readings topic, whose answers say what is normal.
    """
    wanted = "low" if reading == "low" else "high"
    topic = next((t for t in content.topics.values() if t.reading == wanted), None)
    if topic is None:
        return []
    return [TopicMatch(topic.id, READING_MATCH, [Hit(topic.id, "reading", 0, 0, READING_MATCH, described=True)])]


def _broadly_meant(topic: Topic, reading: str | None, other_subject: object) -> bool:
    """Whether a broad name ("blood pressure", "BP") stands for this topic in the message.

    A topic about low readings needs one; any other needs no other subject beside it
    and no reading of another kind.
    """
    if topic.reading == "low":
        return reading == "low" and not other_subject
    return not other_subject and reading in (None, "high")


def _names_a_subject_only(u: Understanding, unfamiliar: bool = False) -> bool:
    """A few words naming something unfamiliar, and nothing else: we cannot say what it is.

    With ``unfamiliar``, only a long word outside the dictionary counts ("tracheomalacia"), not an
    everyday one ("swimming"), which mid-conversation is more likely about the topic at hand.
    """
    if not 0 < u.word_count <= SUBJECT_ONLY_MAX_WORDS:
        return False
    long_and_rare = [w for w in u.unknown_words if len(w) >= SUBJECT_WORD_MIN_LEN and w not in english_words()
                     and not _REPEATED_SOUND.fullmatch(w)]
    if unfamiliar:
        return bool(long_and_rare)
    return bool(long_and_rare) or any(w not in FILLER_WORDS and w in english_words() for w in u.unknown_words)


def _only_broadly(match: TopicMatch, k: Knowledge) -> bool:
    """Whether every mention of the topic is one of its broad names ("blood pressure").

    Beside a subject we do not cover ("kidney disease and blood pressure"), such
    a mention is context, and the honest answer is that we do not cover it.
    """
    return all(h.score <= k.topics.BROAD_WEIGHT for h in match.hits)


def _answers(content: Content, intent: Intent, topic: Topic) -> bool:
    """Whether the topic has an answer for this question, as the topic's kind reads it."""
    asked = content.intents.get(intent.reads_for(topic), intent)
    if asked.kind != "topic":
        return True  # personal advice and the like need no answer of the topic's
    return compose.has_answer(topic, asked.answer_key(topic))


def _named_in(match: TopicMatch, sentence: int) -> bool:
    """Whether the topic is named in that sentence (the message's first question); -1 is none."""
    return sentence >= 0 and any(h.sentence == sentence for h in (match.pool or match.hits))


def _mentions(text: str, name: str) -> bool:
    """Whether the text says the name, as words and in any grammatical number ("kidney diseases")."""
    key = [stem(w) for w in normalize(name).split()]
    words = [stem(w) for w in normalize(text).split()]
    return bool(key) and any(words[i:i + len(key)] == key for i in range(len(words) - len(key) + 1))


def _answers_itself(intent: Intent, topic: Topic) -> bool:
    """Whether the topic has the answer named like the question, not one standing in for it."""
    return intent.reads_for(topic) == intent.id and (intent.answer or intent.id) in topic.answers


#: Words that say a topic is something the person has or had: "has a pacemaker", "had a bypass".
_HOLDING = frozenset({"has", "have", "had", "having", "got", "gotten", "with", "wears", "wearing"})
_BEFORE_A_NAME = frozenset({"a", "an", "the", "his", "her", "my", "their", "our", "new", "permanent", "implanted"})
#: "Can he have bypass surgery?", "I need to get a stent": having it is what is asked, not the background.
_WANTING = frozenset({"can", "could", "should", "would", "will", "may", "might", "must", "to", "need", "needs",
                      "want", "wants", "going", "do", "does", "did"})


def _held(hits: list[Hit], words: list[str]) -> frozenset[str]:
    """Topics each of whose names follows a word of having: background to what is asked."""
    held: dict[str, bool] = {}
    for hit in hits:
        j = hit.start - 1
        while j >= 0 and words[j] in _BEFORE_A_NAME:
            j -= 1
        having = (j >= 0 and words[j] in _HOLDING and not hit.described
                  and _WANTING.isdisjoint(words[max(0, j - 2):j]))
        held[hit.topic_id] = held.get(hit.topic_id, True) and having
    return frozenset(t for t, yes in held.items() if yes)


def _join_pointing_questions(sents: list[Sentence]) -> list[Sentence]:
    """Read "...worried about side effects. What are they?" as one question.

    A short question that only points back ("what are they?", "is it bad?")
    asks about what the sentence before it said; alone it would read as "what
    is it?". So does an open question ("what should he do?") after a story.
    """
    out: list[Sentence] = []
    for s in sents:
        if out and s.is_question and _asks_about_before(s.text):
            joined = f"{out[-1].text} {s.text}"
            out[-1] = Sentence(joined, out[-1].index, is_question=True)
        else:
            out.append(s if s.index == len(out) else Sentence(s.text, len(out), s.is_question))
    return out


def _asks_about_before(text: str) -> bool:
    """Whether a question only points back ("what are they?") or is an open one ("what should he do?").

    Apart from ``_join_pointing_questions``, so a story's statements, most of its sentences, are not split into words.
    """
    words = text.split()
    return bool((len(words) <= POINTING_MAX_WORDS and TOPIC_TOKEN not in words and REFERS_BACK.intersection(words))
                or OPEN_QUESTION.match(text))


def _problem_told(topic: Topic, u: Understanding) -> str | None:
    """What a new problem reported while the topic is talked about asks of it; None if none is told.

    "I have a dry cough now" names something the content does not cover
    ("cough"), which would normally end the old topic; after "I just started
    lisinopril" it is the medicine's side effects that matter, and during a
    talk about a condition, its symptoms.
    """
    if u.topics or not _NEW_PROBLEM.search(u.masked):
        return None
    if topic.kind in ("medicine", "procedure"):
        return SIDE_EFFECTS
    return SYMPTOMS if topic.kind == "condition" and SYMPTOMS in topic.answers else None


def _picked_option(state: SessionState, text: str) -> str | None:
    """The payload of the offered quick reply a bare number picks, if any."""
    if not state.offered or len(text) > 10:
        return None
    m = _OPTION_NUMBER.match(text)
    if m is None or int(m.group(1)) > len(state.offered):
        return None
    return state.offered[int(m.group(1)) - 1]


#: Words around a bare name: "the stroke one", "angioplasty please", "for bypass".
_AROUND_A_NAME = frozenset("topic the a an one please for about of with on and i mean meant".split())


def _just_a_name(masked: str) -> bool:
    """True when a message only names a topic ("angioplasty", "the stroke one")."""
    words = masked.split()
    return TOPIC_TOKEN in words and set(words) <= _AROUND_A_NAME

