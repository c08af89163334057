"""Everyday ways to ask each answer of each shipped topic reach that answer.

Not evaluation data: the forms are the plainest phrasings of each question,
written for this test, crossed with every topic title. A topic name that hides
a question, or a cue that claims another intent's wording, shows up here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.load import load_content
from bot.core.engine import Engine
from bot.core.knowledge import build
from bot.core.models import Message
from bot.sessions.memory import MemoryStore

REPO = Path(__file__).resolve().parent.parent
#: (form, intent); {t} is the topic's title in lower case.
FORMS = [
    ("what is {t}", "what_is"), ("{t} symptoms", "symptoms"), ("symptoms of {t}", "symptoms"),
    ("signs of {t}", "symptoms"), ("what causes {t}", "causes"), ("{t} causes", "causes"),
    ("is {t} hereditary", "causes"), ("how is {t} diagnosed", "diagnosis"), ("how do they test for {t}", "diagnosis"),
    ("how is {t} treated", "treatment"), ("{t} treatment", "treatment"), ("treatment options for {t}", "treatment"),
    ("how to prevent {t}", "prevention"), ("{t} prevention", "prevention"), ("how is {t} done", "how_done"),
    ("what happens during {t}", "how_done"), ("{t} recovery time", "recovery"), ("what to expect after {t}", "recovery"),
    ("{t} side effects", "risks"), ("{t} risks", "risks"), ("is {t} dangerous", "risks"),
    ("more information about {t}", "learn_more"), ("where can i read about {t}", "learn_more"),
    ("how long does it take to recover from {t}", "recovery"), ("what are the risks of {t}", "risks"),
    ("what are the treatments for {t}", "treatment"), ("how can i lower my risk of {t}", "prevention"),
    ("who treats {t}", "learn_more"), ("what kind of doctor treats {t}", "learn_more"), ("does {t} hurt", "how_done"),
    ("how long does {t} take", "how_done"), ("is {t} curable", "treatment"), ("is {t} genetic", "causes"),
    ("can {t} be prevented", "prevention"), ("early signs of {t}", "symptoms"), ("tell me about {t}", "what_is"),
    ("{t}", "what_is"), ("what medicines treat {t}", "treatment"), ("complications of {t}", "risks"),
    ("how to prepare for {t}", "how_done"), ("when can i drive after {t}", "recovery"),
    ("support groups for {t}", "learn_more"),
]


@pytest.fixture(scope="module")
def shipped():
    content = load_content(REPO, checks=[])
    return content, build(content)


def test_every_topic_answers_the_plain_forms_of_its_questions(shipped):
    content, knowledge = shipped
    wrong, asked = [], 0
    for topic in content.topics.values():
        for form, intent in FORMS:
            if intent not in topic.answers:
                continue
            question = form.format(t=topic.title.lower())
            reply = Engine(knowledge, MemoryStore()).handle(Message("forms", question))
            asked += 1
            if (reply.intent, reply.topic_id) != (intent, topic.id):
                wrong.append(f"{question!r}: {reply.intent}/{reply.topic_id}, wanted {intent}/{topic.id}")
    assert asked > 1000
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("kind_topic", "intent"), [("high-blood-pressure", "symptoms"), ("angioplasty", "risks"),
                                                     ("statins", "risks")])
def test_can_it_cause_is_a_symptom_of_a_condition_and_a_risk_of_a_treatment(shipped, kind_topic, intent):
    content, knowledge = shipped
    title = content.topics[kind_topic].title.lower()
    reply = Engine(knowledge, MemoryStore()).handle(Message("forms", f"can {title} cause headaches"))
    assert (reply.intent, reply.topic_id) == (intent, kind_topic)


FOLLOW_UPS = [
    ("how is it done?", "how_done"), ("what are the risks?", "risks"), ("and recovery?", "recovery"),
    ("side effects?", "risks"), ("is it safe?", "risks"), ("how is it treated?", "treatment"),
    ("what causes it?", "causes"), ("what are the symptoms?", "symptoms"), ("can it be prevented?", "prevention"),
    ("how do they diagnose it?", "diagnosis"), ("where can i learn more?", "learn_more"),
    ("how long does recovery take?", "recovery"), ("is it hereditary?", "causes"), ("what are the signs?", "symptoms"),
    ("any complications?", "risks"), ("what are my treatment options", "treatment"), ("tell me more", "learn_more"),
]


def test_follow_ups_without_the_topic_name_keep_the_topic_and_read_the_question(shipped):
    content, knowledge = shipped
    wrong, asked = [], 0
    for topic in content.topics.values():
        for follow_up, intent in FOLLOW_UPS:
            if intent not in topic.answers:
                continue
            engine = Engine(knowledge, MemoryStore())
            engine.handle(Message("s", f"what is {topic.title.lower()}"))
            reply = engine.handle(Message("s", follow_up))
            asked += 1
            if (reply.intent, reply.topic_id) != (intent, topic.id):
                wrong.append(f"{topic.id} then {follow_up!r}: {reply.intent}/{reply.topic_id}")
    assert asked > 300
    assert not wrong, "\n".join(wrong)
