"""The engine on its own: no Flask, no HTTP, content written by the test."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.content.load import load_content
from bot.core.engine import Engine
from bot.core.knowledge import build
from bot.core.models import Message, Reply
from tests.conftest import REVIEWED, TOPICS, write_content
from bot.sessions.memory import MemoryStore


def _no_notice(reply: Reply) -> list[str]:
    return [p.text for p in reply.messages if p.role != "notice"]


def test_engine_imports_no_flask() -> None:
    code = "import sys, bot.core.engine, bot.core.compose; assert 'flask' not in sys.modules, 'flask imported'"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_the_issue_conversation(say) -> None:
    hi = say("hi")
    assert hi.intent == "greet"
    assert "not medical advice" in hi.text

    what = say("what is angeoplasty")
    assert (what.kind, what.intent, what.topic) == ("answer", "what_is", "Angioplasty")
    assert "TEST-ANGIO-WHAT" in what.text
    assert any(c.url.startswith(("https://medlineplus.gov/", "https://www.nhlbi.nih.gov/")) for c in what.citations)

    how = say("how is it done?")
    assert (how.intent, how.topic) == ("how_done", "Angioplasty")
    assert "TEST-ANGIO-HOW" in how.text

    rec = say("and recovery")
    assert (rec.intent, rec.topic) == ("recovery", "Angioplasty")

    switch = say("what about bypass surgery")
    assert (switch.intent, switch.topic) == ("recovery", "Coronary Artery Bypass Surgery")
    assert "TEST-CABG-RECOVERY" in switch.text

    more = say("where can I learn more")
    assert more.intent == "learn_more"
    assert more.topic == "Coronary Artery Bypass Surgery"
    assert [c.url for c in more.citations] == ["https://medlineplus.gov/coronaryarterybypasssurgery.html"]

    sos = say("I have crushing chest pain right now")
    assert sos.kind == "emergency" and sos.intent == "emergency"
    assert "911" in sos.text


def test_answer_carries_numbered_citations_and_review_date(say) -> None:
    reply = say("what is a CABG")
    assert reply.topic_id == "coronary-artery-bypass-surgery"
    assert [c.n for c in reply.citations] == [1]
    assert "[1]" in reply.text
    assert reply.reviewed == REVIEWED
    assert REVIEWED in reply.text


def test_follow_up_uses_the_topic_from_context(say) -> None:
    say("tell me about angioplasty")
    reply = say("how is it done?")
    assert (reply.intent, reply.topic_id) == ("how_done", "angioplasty")
    # A different conversation has no context to borrow.
    other = say("how is it done?", session="s2")
    assert other.topic_id is None
    assert other.kind == "clarify"


def test_another_question_with_the_same_answer_gets_a_note_not_the_answer_again(say) -> None:
    first = say("how long is recovery after angioplasty")
    assert "TEST-ANGIO-RECOVERY" in first.text
    again = say("when can I drive after angioplasty")  # asks something else; the content has one answer
    assert (again.kind, again.intent, again.topic_id) == ("answer", "recovery", "angioplasty")
    assert "TEST-ANGIO-RECOVERY" not in again.text and "all I have" in again.text
    assert again.citations and all(f"[{c.n}]" in again.text for c in again.citations)
    # The very same words once more: the patient may have missed it, so it is shown again.
    assert "TEST-ANGIO-RECOVERY" in say("when can I drive after angioplasty").text
    # Another answer in between resets it.
    say("how is angioplasty done")
    assert "TEST-ANGIO-RECOVERY" in say("how long is recovery after angioplasty").text


def test_the_session_keeps_fingerprints_not_the_words(engine: Engine) -> None:
    engine.handle(Message(session_id="fp", text="my neighbour Zelda asks how long recovery after angioplasty is"))
    state = engine.store.load("fp")
    assert state.shown and state.asked and "zelda" not in str(state.to_dict()).lower()


def test_topic_switch_keeps_the_question(say) -> None:
    first = say("how long is recovery after angioplasty?")
    assert (first.intent, first.topic_id) == ("recovery", "angioplasty")
    reply = say("what about bypass surgery")
    assert (reply.intent, reply.topic_id) == ("recovery", "coronary-artery-bypass-surgery")


def test_unknown_subject_abstains_instead_of_using_the_old_topic(say) -> None:
    say("what is angioplasty")
    reply = say("what is psoriasis")
    assert reply.kind == "abstain"
    assert reply.topic is None and reply.topic_id is None
    assert not reply.citations


def test_a_name_made_into_another_subject_abstains_even_mid_conversation(say) -> None:
    say("what is angioplasty")
    reply = say("and what is a kidney stent?")  # not a heart stent, and not the old topic either
    assert reply.kind == "abstain"
    assert reply.topic_id is None and not reply.citations
    assert say("how is angioplasty done").topic_id == "angioplasty"


def test_a_comparison_answers_what_each_topic_is_with_one_citation_list(say) -> None:
    reply = say("what is the difference between angioplasty and bypass surgery?")
    assert (reply.kind, reply.intent, reply.topic_id) == ("answer", "compare", "angioplasty")
    texts = _no_notice(reply)
    assert texts[0].startswith("Angioplasty: TEST-ANGIO-WHAT")
    assert texts[1].startswith("Coronary Artery Bypass Surgery: TEST-CABG-WHAT")
    assert [c.n for c in reply.citations] == list(range(1, len(reply.citations) + 1))
    assert len({c.url for c in reply.citations}) == len(reply.citations) >= 2
    assert reply.reviewed and any("Reviewed" in t for t in texts)
    # The first topic named carries the conversation on.
    assert say("how is it done?").topic_id == "angioplasty"


def test_a_comparison_within_one_topic_answers_that_topic(say) -> None:
    reply = say("are blood thinners the same as anticoagulants?")  # two names of one topic
    assert (reply.kind, reply.topic_id) == ("answer", "blood-thinners")
    assert "TEST-THINNERS-WHAT" in reply.text


def test_a_second_question_in_the_same_message_is_answered_too(say) -> None:
    reply = say("What is angioplasty, and how is it done?")
    texts = _no_notice(reply)
    heading = {"what_is": "About Angioplasty", "how_done": "How is it done?"}
    marker = {"what_is": "TEST-ANGIO-WHAT", "how_done": "TEST-ANGIO-HOW"}
    assert reply.intent in heading
    second = ({"what_is", "how_done"} - {reply.intent}).pop()
    assert len(texts) == 3 and texts[-1].startswith("Reviewed")
    assert texts[0].startswith(marker[reply.intent])
    assert texts[1].startswith(f"{heading[second]}\n{marker[second]}")  # under the question it answers
    assert [c.n for c in reply.citations] == list(range(1, len(reply.citations) + 1))
    assert all(not q.payload.startswith(f"ask:{second}:") for q in reply.quick_replies)


@pytest.mark.parametrize("text", [
    "what is angioplasty and bypass surgery",  # one question about two topics
    "what is angioplasty and how is bypass surgery done",  # two topics: each question has its own
    "what is angioplasty and what is it",  # the same question twice
])
def test_no_second_answer_without_a_clear_second_question_about_the_same_topic(say, text) -> None:
    reply = say(text)
    assert len([t for t in _no_notice(reply) if not t.startswith("Reviewed")]) <= 1


def test_an_unclear_message_mid_conversation_offers_the_current_topic(say) -> None:
    assert say("qwzx plorf").kind == "fallback"  # nothing to go on yet
    say("what is angioplasty")
    reply = say("qwzx plorf")
    assert (reply.kind, reply.topic_id) == ("clarify", "angioplasty")
    assert "not sure I understood" in reply.text
    assert any(q.payload == "ask:how_done:angioplasty" for q in reply.quick_replies)


def test_unknown_subject_on_first_turn_abstains(say) -> None:
    reply = say("what is gout")
    assert reply.kind == "abstain"
    assert reply.topic is None


@pytest.mark.parametrize("text", ["tracheomalacia", "a heart murmur in adults", "about the tracheomalacia"])
def test_a_subject_typed_alone_that_we_do_not_know_is_an_honest_no(engine, text) -> None:
    """A few words naming something unfamiliar ask what it is; the reply says we have nothing on it,
    rather than "I did not understand". Made-up short words ("qwzx plorf") still get that reply."""
    reply = engine.handle(Message("alone", text))
    assert (reply.kind, reply.intent, reply.topic) == ("abstain", "what_is", None)
    assert "don't have reviewed information" in reply.text


def test_mid_conversation_a_medical_word_alone_is_a_new_subject_an_everyday_one_is_not(say) -> None:
    say("what is angioplasty")
    assert say("tracheomalacia").kind == "abstain"
    say("what is angioplasty")
    reply = say("what about swimming")
    assert (reply.kind, reply.topic_id) == ("clarify", "angioplasty")


@pytest.mark.parametrize("text", ["qwzx plorf", "blah blah blah", "testing testing", "hahahaha", "blahblah"])
def test_noise_typed_alone_is_not_taken_for_a_subject(engine, text) -> None:
    assert engine.handle(Message("noise", text)).kind == "fallback"


@pytest.mark.parametrize(("text", "intent"), [
    ("thankyou!", "thanks"), ("thnx", "thanks"), ("thanksss", "thanks"), ("byeee", "goodbye"),
    ("hellooooo", "greet"), ("goodmorning", "greet"),
])
def test_chat_words_typed_long_or_joined_are_still_chat(engine, text, intent) -> None:
    """"thankyou" or "hellooo" named no subject we cover: it got "no reviewed information on that topic"."""
    reply = engine.handle(Message("chat", text))
    assert (reply.kind, reply.intent) == ("smalltalk", intent)


def test_missing_answer_says_so_and_offers_links(say) -> None:
    reply = say("what are the risks of angioplasty")
    assert reply.kind == "missing"
    assert (reply.intent, reply.topic_id) == ("risks", "angioplasty")
    assert "don't have" in reply.text
    assert {c.url for c in reply.citations} == {
        "https://medlineplus.gov/angioplasty.html",
        "https://www.nhlbi.nih.gov/health/stents",
    }


def test_notice_only_on_the_first_reply(say) -> None:
    first = say("what is angioplasty")
    assert first.messages[0].role == "notice"
    assert "not medical advice" in first.messages[0].text
    second = say("how is it done")
    assert all(p.role != "notice" for p in second.messages)
    assert "not medical advice" not in second.text


def test_personal_advice_gets_the_fixed_reply_with_reading(say) -> None:
    reply = say("should I stop taking my blood thinners before surgery?")
    assert reply.kind == "advice"
    assert reply.intent == "personal_advice"
    assert reply.topic_id == "blood-thinners"
    assert "doctor" in reply.text.lower() or "pharmacist" in reply.text.lower()
    assert "TEST-THINNERS" not in reply.text  # no answer text pretending to be advice
    assert [c.url for c in reply.citations] == ["https://medlineplus.gov/bloodthinners.html"]


@pytest.mark.parametrize("text", ["should I stop taking my pills?", "how much does it cost?"])
def test_a_fixed_reply_without_a_topic_does_not_lead_into_links_it_cannot_show(say, text) -> None:
    reply = say(text)
    assert reply.kind == "advice" and reply.topic_id is None and not reply.citations
    said = _no_notice(reply)[-1]
    assert "general information about" not in said and not said.rstrip().endswith(":")
    assert "pharmacist" in said


def test_quick_reply_payloads(say) -> None:
    reply = say("what is angioplasty")
    payloads = [q.payload for q in reply.quick_replies]
    assert payloads and all(p.startswith("ask:") and p.endswith(":angioplasty") for p in payloads)
    assert "ask:what_is:angioplasty" not in payloads  # never offers the question just answered
    assert "ask:risks:angioplasty" not in payloads  # nor one the topic cannot answer

    tapped = say(payloads[0])
    assert tapped.kind == "answer"
    assert tapped.topic_id == "angioplasty"
    assert tapped.intent == payloads[0].split(":")[1]

    via_payload = say("ignored text", payload="ask:recovery:coronary-artery-bypass-surgery")
    assert (via_payload.intent, via_payload.topic_id) == ("recovery", "coronary-artery-bypass-surgery")

    topic = say("topic:blood-thinners")
    assert (topic.intent, topic.topic_id) == ("what_is", "blood-thinners")


def test_unknown_payload_is_not_an_error(say) -> None:
    reply = say("ask:what_is:no-such-topic")
    assert reply.kind in ("fallback", "abstain", "clarify")
    assert reply.topic_id is None


def test_emergency_number_follows_the_locale(say) -> None:
    us = say("I think I'm having a stroke", session="us")
    gb = say("I think I'm having a stroke", session="gb", locale="en-GB")
    assert "911" in us.text
    assert "999" in gb.text and "911" not in gb.text


def test_emergency_wins_over_a_topic_question(say) -> None:
    reply = say("what is angioplasty? my husband can't breathe")
    assert reply.kind == "emergency"


def test_observers_see_every_turn_and_cannot_break_it(engine: Engine) -> None:
    seen: list[tuple[str, str | None]] = []

    def broken(message: Message, reply: Reply) -> None:
        raise RuntimeError("observer down")

    engine.observers += [broken, lambda m, r: seen.append((m.session_id, r.intent))]
    reply = engine.handle(Message("obs", "what is angioplasty"))
    assert reply.topic_id == "angioplasty"
    assert seen == [("obs", "what_is")]


def test_store_outage_still_answers(knowledge) -> None:
    class DownStore(MemoryStore):
        def load(self, session_id):  # type: ignore[override]
            raise ConnectionError("down")

        def save(self, session_id, state, ttl):  # type: ignore[override]
            raise ConnectionError("down")

    reply = Engine(knowledge, DownStore()).handle(Message("x", "what is angioplasty"))
    assert reply.topic_id == "angioplasty"
    assert any(p.role == "meta" for p in reply.messages)


# -- clarification: two topics that share a name --------------------------------

VALVE = """\
    id: {id}
    title: {title}
    also_called: [heart valve]
    reviewed: {reviewed}
    sources:
      mplus: {{title: {title}, publisher: MedlinePlus, url: "https://medlineplus.gov/{slug}.html"}}
    answers:
      what_is: {{text: "TEST-{tag} about {title}.", sources: [mplus]}}
      learn_more: {{links: [mplus]}}
    """


@pytest.fixture
def ambiguous_engine(tmp_path: Path) -> Engine:
    topics = {
        "heart-valve-diseases": VALVE.format(id="heart-valve-diseases", title="Heart Valve Diseases",
                                             slug="heartvalvediseases", tag="DISEASES", reviewed=REVIEWED),
        "heart-valve-surgery": VALVE.format(id="heart-valve-surgery", title="Heart Valve Surgery",
                                            slug="heartvalvesurgery", tag="SURGERY", reviewed=REVIEWED),
    }
    root = write_content(tmp_path / "c", {**TOPICS, **topics})
    # The validator rejects shared names; the engine must still behave when one slips through.
    content = load_content(root, checks=[])
    assert content.ok, [str(e) for e in content.errors]
    return Engine(build(content), MemoryStore())


def test_clarifies_when_two_topics_share_a_name(ambiguous_engine: Engine) -> None:
    reply = ambiguous_engine.handle(Message("c", "what is a heart valve"))
    assert reply.kind == "clarify"
    assert reply.topic_id is None
    assert sorted(q.payload for q in reply.quick_replies) == ["topic:heart-valve-diseases", "topic:heart-valve-surgery"]

    picked = ambiguous_engine.handle(Message("c", "topic:heart-valve-surgery"))
    assert (picked.kind, picked.intent, picked.topic_id) == ("answer", "what_is", "heart-valve-surgery")
    assert "TEST-SURGERY" in picked.text


def test_clarification_answered_by_name(ambiguous_engine: Engine) -> None:
    ambiguous_engine.handle(Message("c", "what is a heart valve"))
    picked = ambiguous_engine.handle(Message("c", "heart valve diseases"))
    assert (picked.intent, picked.topic_id) == ("what_is", "heart-valve-diseases")


def test_topic_names_in_a_long_message(say) -> None:
    text = textwrap.dedent("""\
        Hello. My father is 72 and had a heart attack last year.
        His cardiologist now says he needs a balloon angioplasty next month.
        We are worried. How is it done?""")
    reply = say(text)
    assert (reply.intent, reply.topic_id) == ("how_done", "angioplasty")


def test_a_question_reads_as_another_intent_for_a_topic_of_another_kind(tmp_path):
    """'How is it done?' of a medicine asks how it is taken: content staff say so with reads_as."""
    from bot.content.load import load_content
    from bot.core.knowledge import build
    from bot.sessions.memory import MemoryStore
    from tests.contentkit import edit, write_content

    root = write_content(tmp_path)
    edit(root, "intents/how_done.yaml", "ask: How is it done?", "ask: How is it done?\nreads_as: {wellness: what_is}")
    engine = Engine(build(load_content(root, checks=[])), MemoryStore())
    assert engine.handle(Message("a", "how is angioplasty done")).intent == "how_done"  # a procedure: as asked
    reply = engine.handle(Message("b", "how is stent care done"))
    assert (reply.intent, reply.topic_id) == ("what_is", "stent-care")
    assert "you take medicine to keep blood from clotting" in reply.text


@pytest.mark.parametrize("typed", ["1", "#1", "1.", "option 1", "No. 1"])
def test_a_bare_number_picks_the_quick_reply_offered_last_turn(tmp_path, typed):
    from bot.sessions.memory import MemoryStore
    from tests.contentkit import write_content

    engine = Engine(build(load_content(write_content(tmp_path), checks=[])), MemoryStore())
    first = engine.handle(Message("s", "what is angioplasty"))
    assert first.quick_replies and first.quick_replies[0].payload == "ask:how_done:angioplasty"
    picked = engine.handle(Message("s", typed))
    assert (picked.intent, picked.topic_id) == ("how_done", "angioplasty")


def test_a_number_with_nothing_offered_is_ordinary_text(tmp_path):
    from bot.sessions.memory import MemoryStore
    from tests.contentkit import write_content

    engine = Engine(build(load_content(write_content(tmp_path), checks=[])), MemoryStore())
    assert engine.handle(Message("fresh", "1")).kind in ("fallback", "clarify")
    emergency = engine.handle(Message("s", "I have crushing chest pain right now"))
    assert emergency.kind == "emergency" and not emergency.quick_replies
    assert engine.handle(Message("s", "1")).intent != "how_done"  # an emergency offers nothing to pick
