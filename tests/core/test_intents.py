"""The intent classifier: cues and examples from intents/*.yaml, topic masked."""

from __future__ import annotations

import pytest

from bot.content.schema import Intent
from bot.core.intents import TOPIC_TOKEN, IntentModel, make_sentence
from bot.core.knowledge import Knowledge


def classify(knowledge: Knowledge, text: str) -> str | None:
    """Top intent for a message, through the engine's own topic masking."""
    from bot.core.engine import Engine
    from bot.sessions.memory import MemoryStore

    ranked = Engine(knowledge, MemoryStore()).understand(text).intents
    return ranked[0][0] if ranked and ranked[0][1] >= 0.3 else None


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what is angioplasty", "what_is"),
        ("can you explain a CABG", "what_is"),
        ("how is angioplasty done", "how_done"),
        ("what happens during bypass surgery", "during"),
        ("how long does it take to recover from a stent", "recovery"),
        ("when can I go back to work after bypass surgery", "recovery"),
        ("what are the risks of angioplasty", "risks"),
        ("is bypass surgery dangerous", "risks"),
        ("where can I learn more about blood thinners", "learn_more"),
        ("hi", "greet"),
        ("thank you so much", "thanks"),
        ("bye", "goodbye"),
        ("what dose of blood thinners should I take", "personal_advice"),
        ("is it ok to miss a dose of warfarin", "personal_advice"),
        # A dose mentioned as background is not a question about dosing: a new problem is a side effect.
        ("i got a rash after two doses of lisinopril", "risks"),
        ("i have had a cough since starting lisinopril", "risks"),
        ("i had pain after my angioplasty", "recovery"),
        # What to expect in the weeks after, getting over it, and everyday tasks again are recovery;
        # "how long does it take" alone stays the length of the procedure.
        ("my dad had angioplasty on monday. what should he expect the next few weeks", "recovery"),
        ("she came home after her stroke, what can we expect in the coming months", "recovery"),
        ("how long does it take to get over a stroke", "recovery"),
        ("I had a pacemaker put in last week. When can I raise my arm over my head?", "recovery"),
        ("what should I expect during a stress test", "how_done"),
        ("how long does angioplasty take", "how_done"),
        ("for a pacemaker, how long is the surgery", "how_done"),
        ("how long is the surgery recovery", "recovery"),
        # Restarting a medicine after surgery is a question about one's own medicine, not recovery.
        ("my surgeon said stop eliquis before surgery. when can he start it again", "personal_advice"),
        # A diagnosis someone was told, then "what does that mean": what the condition is.
        ("my doctor said I have heart failure. what does that mean?", "what_is"),
        # A link between two conditions, or where one comes from, asks about causes.
        ("is there a link between diabetes and heart disease", "causes"),
        ("I have low blood pressure. where does it come from?", "causes"),
        ("can you send me a link about heart failure", "learn_more"),
        # Whether one thing brings on another is its causes; harm under anesthesia is a risk.
        ("can an ear infection in one ear cause dizziness?", "causes"),
        ("can the anesthesia for a knee operation damage the brain of an old person?", "risks"),
        ("what kind of anesthesia do they use", "how_done"),
        # Could not find anything to read; what to eat or give for a problem; why a procedure is done.
        ("I can't find any information on this condition anywhere", "learn_more"),
        ("is there a reliable source about heart surgery for kids", "learn_more"),
        ("what can I eat when I have bad heartburn", "treatment"),
        ("I need to know what I can eat with this diarrhea", "treatment"),
        # Stopping a symptom is treatment; stopping a medicine is personal advice.
        ("she still gets leg cramps. what can she do to stop the cramps?", "treatment"),
        ("can I stop the medicine now", "personal_advice"),
        # An incision already made is the aftermath; where it will be made is how it is done.
        ("my incision from the operation still gets red and sore", "recovery"),
        ("where will the incision be", "how_done"),
        ("what can I give my mother to help her sleep", "treatment"),
        ("what should I eat to prevent heart disease", "prevention"),
    ],
)
def test_intent_of_common_questions(knowledge: Knowledge, text: str, intent: str) -> None:
    assert classify(knowledge, text) == intent


def test_the_topic_is_masked_so_its_words_never_vote(knowledge: Knowledge) -> None:
    """'recovery' inside a topic's name must not make every question a recovery question."""
    model = knowledge.intents
    same_a = model.classify([make_sentence("what is topic", 0, "what is X?")])
    same_b = model.classify([make_sentence(f"what is {TOPIC_TOKEN}", 0, "what is Y?")])
    assert same_a == same_b and same_a[0][0] == "what_is"


def test_the_first_sentence_counts_more(knowledge: Knowledge) -> None:
    model = knowledge.intents
    first = [make_sentence("how long is recovery", 0, "How long is recovery?"),
             make_sentence("is it risky", 1, "Is it risky?")]
    assert model.classify(first)[0][0] == "recovery"


def test_scores_are_bounded_and_sorted(knowledge: Knowledge) -> None:
    ranked = knowledge.intents.classify([make_sentence("what is topic and how is it done", 0, "")])
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_an_intent_is_learnt_from_its_file_alone() -> None:
    """A model built from one new intent file recognises it: no code knows its id."""
    intent = Intent(
        id="cost", description="price", kind="topic", answer="cost",
        examples=("how much does {topic} cost", "what is the price of {topic}", "is {topic} expensive"),
        cues=((r"\b(cost|costs|price|expensive)\b", 0.9),),
    )
    other = Intent(id="what_is", description="", kind="topic", answer="what_is",
                   examples=("what is {topic}", "tell me about {topic}", "explain {topic}"))
    model = IntentModel({"cost": intent, "what_is": other})
    assert model.classify([make_sentence("how much will topic set me back", 0, "")])[0][0] == "cost"
    assert model.classify([make_sentence("is topic pricey", 0, "")])[0][0] in ("cost", "what_is")
    assert model.classify([make_sentence("tell me about topic", 0, "")])[0][0] == "what_is"


def test_empty_message_has_no_intent(knowledge: Knowledge) -> None:
    assert knowledge.intents.classify([]) == [] or all(s == 0 for _, s in knowledge.intents.classify([]))


def test_an_intent_with_min_score_needs_more_than_a_loose_likeness() -> None:
    """'is this reasonable' looks a little like 'is this an emergency': that must not be enough."""
    emergency = Intent(id="emergency", description="", kind="fixed", answer=None, reply="Call 911.",
                       examples=("is this an emergency", "should i call 911"), min_score=0.6,
                       cues=((r"\bis this an emergency\b", 1.0),))
    other = Intent(id="what_is", description="", kind="topic", answer="what_is", examples=("what is {topic}",))
    model = IntentModel({"emergency": emergency, "what_is": other})
    assert "emergency" not in dict(model.classify([make_sentence("is this reasonable", 0, "")]))
    assert model.classify([make_sentence("is this an emergency", 0, "")])[0][0] == "emergency"


@pytest.mark.parametrize("text", [
    "i want to know when it is reasonable to go back to lifting flour bags",
    "i was wondering if the stent can move",
    "we would like to know how long she will be in the hospital",
    "please tell me what the numbers mean",
    "my question is whether he can still drive",
])
def test_a_question_asked_without_its_form_still_asks(text: str) -> None:
    """Real messages often ask in a statement ("I want to know when ..."): it is the ask, not background."""
    assert make_sentence(text, 1, text).is_question


@pytest.mark.parametrize("text", ["i know what a stent is", "he wants to go home", "i was told to rest"])
def test_a_plain_statement_does_not_ask(text: str) -> None:
    assert not make_sentence(text, 1, text).is_question


@pytest.mark.parametrize(("text", "direct"), [
    ("my question is whether i can take tylenol", "my question is can i take tylenol"),
    ("i am wondering if this is topic", "i am wondering is this topic"),
    ("i want to know what the test will show", "i want to know what will the test show"),
    ("i wonder if my leg pain is from topic", "i wonder is my leg pain from topic"),
    ("we are wondering how long the topic will take", "we are wondering how long will the topic take"),
])
def test_an_indirect_question_is_also_read_the_direct_way(text, direct) -> None:
    """Cues know "can I take", not "whether I can take"; the text as written is read too."""
    sentence = make_sentence(text, 1, text)
    assert sentence.is_question and sentence.direct == direct


def test_announcing_a_question_is_not_the_question() -> None:
    """"I'd like to ask you a question: I have X ... is there treatment?" asks in the last sentence."""
    text = "id like to ask you a medical question as ive got an optic nerve problem"
    assert not make_sentence(text, 1, text).is_question
    assert make_sentence("i would like to ask if it is safe", 1, "i would like to ask if it is safe").is_question
