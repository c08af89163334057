"""Red flags and crisis phrases: answered first, negations respected."""

from __future__ import annotations

import pytest

from bot.core.knowledge import Knowledge
from bot.core.safety import SafetyChecker
from bot.content.schema import SafetyRule


def rule_of(knowledge: Knowledge, text: str) -> str | None:
    hit = knowledge.safety.check(text)
    return hit.rule_id if hit else None


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("I have crushing chest pain right now", "chest-pain-now"),
        ("my chest hurts and it is spreading down my arm", "chest-pain-now"),
        ("I think I'm having a heart attack", "chest-pain-now"),
        ("my husband is having a heart attack", "chest-pain-now"),
        ("my husband's having a heart attack", "chest-pain-now"),
        ("my wife is having a stroke", "stroke-signs"),
        # Doubt is not denial: "not sure if" leaves the sign standing.
        ("i dont know if my husband is having a stroke", "stroke-signs"),
        ("im not sure if she is having a heart attack", "chest-pain-now"),
        ("how do i know if my mom is having a stroke", "stroke-signs"),
        ("can't breathe", "cannot-breathe"),
        ("Help, I cant breathe!", "cannot-breathe"),
        ("my dad's face is drooping and his speech is slurred", "stroke-signs"),
        ("she suddenly can't move her arm", "stroke-signs"),
        ("worst headache of my life", "stroke-signs"),
        # Palpitations with fainting, dizziness or breathlessness are warning signs too.
        ("my heart is fluttering right now and I feel faint", "unconscious-seizure"),
        ("my pulse is pounding and I am dizzy", "unconscious-seizure"),
        ("my grandmother wont wake up", "unconscious-seizure"),
        ("my dads heart stopped", "unconscious-seizure"),
        ("i think my husbands heart stopped", "unconscious-seizure"),
        ("her heart stopped in the ambulance", "unconscious-seizure"),
        ("there is heavy bleeding from the cut on his arm", "severe-bleeding"),
        ("she will not wake up after her nap and is breathing strangely", "unconscious-seizure"),
        ("severe headache, worst of my life", "stroke-signs"),
        ("I have the worst headache ever", "stroke-signs"),
        ("my heart is racing and I feel like I'm going to faint", "unconscious-seizure"),
        ("my heart is pounding and I have chest pain", "chest-pain-now"),
        ("my grandma fell and hit her head, she takes coumadin", "head-injury-on-blood-thinner"),
        ("my dad takes warfarin and he fell and hit his head yesterday", "head-injury-on-blood-thinner"),
        ("my husband takes coumadin and fell and hit his head this morning", "head-injury-on-blood-thinner"),
        ("my mom is on eliquis, she slipped in the shower and banged her head", "head-injury-on-blood-thinner"),
        ("my dad takes xarelto and tripped, he hit his head on the table", "head-injury-on-blood-thinner"),
        ("my husband can't breathe", "cannot-breathe"),
        ("his lips are blue", "cannot-breathe"),
        ("the cut won't stop bleeding", "severe-bleeding"),
        ("I'm coughing up blood", "severe-bleeding"),
        ("my throat is swelling after a bee sting", "anaphylaxis"),
        ("she fainted and is still unconscious now", "unconscious-seizure"),
        ("my son is having a seizure", "unconscious-seizure"),
        ("my toddler swallowed bleach", "overdose-poisoning"),
        ("I took too many of my pills", "overdose-poisoning"),
        ("I want to kill myself", "suicide-self-harm"),
        ("I feel suicidal", "suicide-self-harm"),
        ("I have been cutting myself", "suicide-self-harm"),
        ("my partner hits me", "abuse"),
        ("I'm not safe at home", "abuse"),
        ("I keep making myself throw up after meals", "eating-disorder"),
        # Everyday wordings a sweep found unrecognised.
        ("my dad collapsed", "unconscious-seizure"),
        ("my grandma is unresponsive", "unconscious-seizure"),
        ("unconscious", "unconscious-seizure"),
        ("my heart is racing and i feel like i will pass out", "unconscious-seizure"),
        ("i think im dying", "unconscious-seizure"),
        ("my chest feels like an elephant is sitting on it", "chest-pain-now"),
        ("pain in my chest and left arm", "chest-pain-now"),
        ("stroke symptoms right now", "stroke-signs"),
        # Warning signs together, a blocked limb, a blood pressure crisis, blood coughed up.
        ("my chest feels tight and I'm sweating a lot", "chest-pain-now"),
        ("his chest is heavy and he is short of breath", "chest-pain-now"),
        ("I coughed up blood and I'm on warfarin", "severe-bleeding"),
        ("severe leg pain and my leg is cold and pale", "cold-painful-limb"),
        ("my foot turned blue and it hurts so much", "cold-painful-limb"),
        ("my blood pressure is 190/120 and I have a headache", "blood-pressure-crisis"),
        ("bp 185 over 100, chest pain", "blood-pressure-crisis"),
        ("blurry vision and my pressure is 150/125", "blood-pressure-crisis"),
        # A very high reading alone: measure again, call the doctor; 911 with warning signs.
        ("my bp is 190/125 right now", "very-high-blood-pressure-reading"),
        ("my moms blood pressure reading this morning was 200 over 110, is that bad?", "very-high-blood-pressure-reading"),
        ("i got 182/100 on my bp cuff", "very-high-blood-pressure-reading"),
        ("my blood pressure is 160/125", "very-high-blood-pressure-reading"),
        ("my pulse is 35 and i feel dizzy", "unconscious-seizure"),
        ("my incision is bleeding and won't stop", "severe-bleeding"),
        ("she is confused and can't speak", "stroke-signs"),
        ("i accidentally took my warfarin twice today", "overdose-poisoning"),
        ("thinking about overdosing on my heart pills", "suicide-self-harm"),
        ("i want to overdose", "suicide-self-harm"),
        ("my dad is on xarelto and he fell yesterday", "fall-on-blood-thinner"),
        ("i fell and i take warfarin", "fall-on-blood-thinner"),
        ("my dad has chf and gained 4 lbs in 2 days", "heart-failure-weight-gain"),
        ("my heart is beating 180 and i feel like passing out", "unconscious-seizure"),
        ("my mom is coughing up pink frothy stuff and cant breathe lying down", "cannot-breathe"),
        ("he cant breathe after running and is gasping for air", "cannot-breathe"),  # gasping: 911 whatever came before
        ("i cant breathe when i lie down", "cannot-breathe"),
        ("she just had a seizure", "unconscious-seizure"),
        ("she had a seizure", "unconscious-seizure"),  # said alone: it just happened
        ("my ankle is swollen and i'm short of breath after a long flight", "clot-in-the-lungs-signs"),
        ("my son drank my blood pressure medicine", "overdose-poisoning"),
        ("he cant move the left side of his body", "stroke-signs"),
        ("my vision went black for a minute", "stroke-signs"),  # sight lost for a while: a TIA sign
        ("Mom has congestive heart failure. She gained 6 pounds in 3 days", "heart-failure-weight-gain"),
        ("he says he has the worst headache now", "stroke-signs"),
        ("my chest pain is not going away with rest this time", "chest-pain-now"),
        ("my mom's speech sounds funny and her arm is weak", "stroke-signs"),
        ("his words are jumbled and he seems confused", "stroke-signs"),
        ("sudden vision loss in one eye", "stroke-signs"),
        ("all of a sudden i cant see out of my left eye", "stroke-signs"),
        ("black tarry stool on warfarin", "bleeding-signs-on-blood-thinner"),
        ("blood in urine while on eliquis", "bleeding-signs-on-blood-thinner"),
        ("severe tearing pain in my back", "aorta-tear-signs"),
        ("my chest feels like something is ripping", "aorta-tear-signs"),
        ("my dad has an aortic aneurysm and now suddenly has terrible pain in his belly", "aorta-tear-signs"),
        ("my ICD shocked me twice in an hour", "icd-shocks"),
        ("my chest hurts", "chest-pain-now"),  # the whole message: a chest that hurts now
        ("she is slurring her words right now", "stroke-signs"),
        ("my leg is swollen red and hot and i cant catch my breath", "clot-in-the-lungs-signs"),
        ("shortness of breath and my left leg is swollen", "clot-in-the-lungs-signs"),
        ("i feel faint and my heart is pounding", "unconscious-seizure"),
        ("his chest is so tight", "chest-pain-now"),
        ("his defibrillator keeps firing", "icd-shocks"),
        ("my chest hurts so bad i can barely breathe", "chest-pain-now"),
        ("my face went numb for a few minutes and now its fine", "stroke-signs"),  # a TIA still needs 911
        ("my arm went numb for a few minutes then it came back", "stroke-signs"),
        ("i passed out twice today", "unconscious-seizure"),
        ("my blood pressure is \u0661\u0669\u0660/\u0661\u0662\u0660 and i have a headache", "blood-pressure-crisis"),
        ("heart attack signs happening now", "chest-pain-now"),
        ("severe shortness of breath", "cannot-breathe"),
        ("gasping for air", "cannot-breathe"),
        ("there is blood everywhere and it won't stop", "severe-bleeding"),
        ("my baby swallowed some pills", "overdose-poisoning"),
        ("I took 20 of my warfarin", "overdose-poisoning"),
        ("my husband threatened to hurt me", "abuse"),
        ("thinking about ending it", "suicide-self-harm"),
        ("whats the point of going on after my stroke", "suicide-self-harm"),
        ("i see no reason to go on", "suicide-self-harm"),
        ("i have been throwing up after meals on purpose", "eating-disorder"),
        ("im vomiting to lose weight", "eating-disorder"),
        ("i have pills saved up to end it", "suicide-self-harm"),
        ("life isn't worth living", "suicide-self-harm"),
        ("my kid ate my blood pressure pills", "overdose-poisoning"),
        ("took double my warfarin dose and now my gums are bleeding", "overdose-poisoning"),
        ("can't swallow and my throat feels tight", "anaphylaxis"),
        ("hives all over and trouble breathing", "anaphylaxis"),
        ("he hit his head and is confused and vomiting", "unconscious-seizure"),
        ("she's not responding", "unconscious-seizure"),
        ("my heart rate is 200 and i feel faint", "unconscious-seizure"),
        ("my arm and leg went numb on the right side", "stroke-signs"),
        ("my speech is slurred all of a sudden", "stroke-signs"),
        ("chest pain and i'm sweating and nauseous", "chest-pain-now"),
        ("pressure in my chest radiating to my jaw", "chest-pain-now"),
        ("coughing up a lot of blood", "severe-bleeding"),
        ("he is beating me", "abuse"),
        ("my chest has been hurting for an hour and my left arm is numb", "chest-pain-now"),
        ("i am on eliquis and my stool is black", "bleeding-signs-on-blood-thinner"),
        ("my dad takes plavix and he has had bloody stools for two days", "bleeding-signs-on-blood-thinner"),
        ("im on warfarin and im peeing blood", "bleeding-signs-on-blood-thinner"),
        ("he is sweating and clammy and says his jaw hurts", "chest-pain-now"),
        ("i have a crushing feeling in my chest", "chest-pain-now"),
        ("she is having a squeezing feeling in her chest", "chest-pain-now"),
        ("my heart is beating really slow like 35 and i'm dizzy", "unconscious-seizure"),
        ("do i have a heart attack?", "chest-pain-now"),
        ("could this be a heart attack", "chest-pain-now"),
        ("I am 38 weeks pregnant, my blood pressure is 150/100 and there is swelling in my face",
         "pregnancy-blood-pressure-signs"),
        ("my wife is pregnant and has a terrible headache and blurry vision", "pregnancy-blood-pressure-signs"),
        ("i'm scared my partner will kill me", "abuse"),
        ("my face feels droopy on one side and my words are coming out wrong", "stroke-signs"),
        ("my mom is confused and can't lift her right arm", "stroke-signs"),
        ("I can't stop the bleeding from my groin where they did the cath", "severe-bleeding"),
        ("he's breathing really fast and his lips look gray", "cannot-breathe"),
        ("my nose bleed won't stop on eliquis, what should I do", "severe-bleeding"),
    ],
)
def test_each_red_flag_and_crisis_phrase(knowledge: Knowledge, text: str, rule: str) -> None:
    assert rule_of(knowledge, text) == rule


@pytest.mark.parametrize(
    "text",
    [
        "no chest pain, just tired after my stent",
        "I'm not suicidal, I just want to know about statins",
        "I don't have chest pain right now",
        "he denies any chest pain now",
        "I never had slurred speech",
        "my husband is not having a heart attack, it is heartburn",
        "my chest has not been hurting for an hour",
        "my face is numb after the dentist, how long does it last",  # the numbing medicine
    ],
)
def test_negations_are_not_emergencies(knowledge: Knowledge, text: str) -> None:
    assert rule_of(knowledge, text) is None


@pytest.mark.parametrize(
    "text",
    [
        "My mother had a mini stroke in March, slurred speech for 20 minutes, then fine. How can we prevent another?",
        "She had the worst headache of her life three weeks ago; it was a ruptured aneurysm and they coiled it.",
        "My sister was admitted on Sunday with slurred speech. Why do they want an MRI too?",
        "my husband had crushing chest pain last year and got a stent",
        "I went to the ER on Saturday with chest tightness and tingling in my left arm. Do I need a stress test?",
        "my blood pressure was 185/95 last week",
        "my mom is on eliquis and fell last year and broke her hip, is it safe to keep taking it?",  # going on with it
        # What a stroke left behind ("lasting_after" in the rule): "still" is no new emergency.
        "my mom had a stroke 2 months ago and still can't move her right arm, will it come back?",
        # Care already given, or a day gone by: the ambulance, an ECG since, last Sunday.
        "can high blood pressure cause a brain bleed? my uncle collapsed at work and his bp in the ambulance was 210/120",
        "my brother collapsed playing football last Sunday and is in intensive care, what could cause that",
        "my son fainted at practice and his ECG showed a long QT, what is that?",
    ],
)
def test_signs_told_as_a_past_event_are_marked_past(knowledge: Knowledge, text: str) -> None:
    hit = knowledge.safety.check(text)
    assert hit is not None and hit.past


@pytest.mark.parametrize(
    "text",
    [
        "I had a stroke 3 years ago. Now my face is drooping again",  # the past sentence is not the one with the signs
        "my dad had slurred speech 2 weeks ago and it is happening again",  # back in the present
        "he had slurred speech 2 weeks ago and still has it",
        "slurred speech since yesterday",  # recent: still an emergency
        "my wife had slurred speech in the car. She was admitted",  # the signs and the past are in different sentences
        "I had a stroke in 2019. I have crushing chest pain",  # a present sign beside a past one
        "she had a stroke 2 months ago and now she suddenly can't move her right arm",  # new, now
        "he had a stroke 3 weeks ago and his face is drooping again",
        "my dad had bypass surgery 3 weeks ago and still can't move his left arm",  # surgery leaves no such sign
        "my mom collapsed last sunday and again today",
        "my dad collapsed and the ambulance is on the way",
    ],
)
def test_signs_in_the_present_stay_emergencies(knowledge: Knowledge, text: str) -> None:
    hit = knowledge.safety.check(text)
    assert hit is not None and not hit.past


def test_a_past_event_is_answered_with_the_emergency_line_first(engine) -> None:
    from bot.core.models import Message

    reply = engine.handle(Message("past", "My dad had crushing chest pain last year and got a stent. "
                                          "How long is recovery from angioplasty?"))
    parts = [p for p in reply.messages if p.role != "notice"]
    assert reply.kind == "answer" and reply.topic_id == "angioplasty"
    assert parts[0].role == "emergency" and "call 911" in parts[0].text


def test_negation_in_an_earlier_clause_does_not_hide_an_emergency(knowledge: Knowledge) -> None:
    assert rule_of(knowledge, "no idea why, but I have crushing chest pain") == "chest-pain-now"


@pytest.mark.parametrize(
    "text",
    [
        "what are the symptoms of a heart attack",
        "what are the signs of a stroke",
        "how is a stroke treated",
        "what is chest pain",
        "can blood thinners cause bleeding",
        "what causes fainting",
        "how do I recognise anaphylaxis?",
        "my husband had a heart attack last year",
        "my dad collapsed last year and had a stent",
        "my mom collapsed 2 years ago",
        "i took 2 of my pills today, is that ok",
        "what are stroke symptoms",
        "shortness of breath when walking upstairs",
        "what happens if you take too many statins",
        "what is hives",
        "can blood thinners make your gums bleed",
        "i can't swallow pills, can i crush them",
        "my heart rate is 110 after coffee",
        "what is a thunderclap headache",
        "can a fall cause a head bleed on blood thinners",  # asking about it, not reporting it
        "what does it mean if your heart is pounding and you feel faint",
        "what happens if you hit your head on eliquis",
        "is it dangerous to fall and hit your head while on warfarin",
        "what causes a racing heart",
        "my heart races when I climb stairs",
        "is it worth getting a stent",
        "i took my pills twice a day as prescribed",
        "is 180/120 dangerous",  # a number alone, without warning signs
        "does warfarin cause black stools",
        "can an aortic aneurysm cause back pain",
        "what are the signs of a burst aneurysm",
        "i lost vision in one eye last year",
        "he cant see out of his right eye",  # not said to be sudden: it may be years old
        "I took my blood pressure twice today and got different numbers",  # measured, not swallowed
        "what happens if you overdose on metoprolol",
        "is gaining 3 pounds in a day a sign of heart failure",  # asked in general
        "she had a seizure as a child, can she take statins",
        "i had a seizure in 2015",
        "is it normal to cough up pink mucus after surgery",
        "my legs are swollen and i get short of breath on stairs",  # both legs, on effort: answered
        "my vision goes blurry for a few seconds when i stand up",  # on standing: low blood pressure
        "i cant breathe well when i run",  # with effort: a symptom to ask about, not 911
        "i cant breathe when i exercise is that asthma",
        "my vision went black for a second when i stood up",
        "she took her medicine bottle to the doctor",
        "how much weight gain should be reported with heart failure",
        "i gained 20 pounds since my heart failure diagnosis",  # slow gain, not fluid in days
        "what is the worst headache you can have",
        "does angina chest pain go away with rest",
        "her voice sounds funny after the breathing tube",  # the voice, not the words
        "im thinking about taking all of my meds at once in the morning",  # a schedule
        "can an icd shock you more than once",
        "what does it feel like when an icd fires",
        "my pulse is 55 is that ok",
        "why cant she speak after a stroke",
        "my chest hurts when i cough",  # says when: answered
        "why does my chest hurt",
        "what is the point of cardiac rehab",
        "can a dvt cause shortness of breath",
        "what are the signs of a blood clot in the lung",
        "i have been throwing up after meals",  # not said to be on purpose
        "why do i feel dizzy when my heart races",
        "my leg was numb after sitting on it",
        "my hand goes numb when i type",
        "i fainted once last year",
        "my blood pressure went from 190/120 to 130/80 on the new pills",  # a reading that came down
        "my blood pressure is 150/95",  # high, not very high: the High Blood Pressure answer
        "my blood pressure is 120/80 and i have a headache",  # not a crisis reading
        "what is a hypertensive crisis",
        "what causes cold hands and feet",
        "why does my chest feel tight when i exercise",
        "does warfarin cause black stools",  # asked in general: the risks answer says what to watch for
        "can xarelto cause blood in urine",
        "i take warfarin and hit my thumb with a hammer",  # not the head
        "my stool is black after iron pills",  # no blood thinner
        "I get a tight feeling in my chest walking uphill that goes away when I stop",  # answered: angina's pattern
        "i have a tight feeling in my chest when i walk uphill",
        "how do i know if i have a heart attack risk",
        "what is a heart attack",
        "can i take my blood pressure medicine while pregnant",
        "can angioplasty cause bleeding that won't stop?",
        "my fingers turn blue in the cold",
        "can eliquis cause a nosebleed that won't stop?",
        # A worry before an operation, not someone unresponsive now.
        "some of us are worried she won't wake up from the anesthesia at 88",
        "my dad is scared he will not wake up after surgery",
        # Heavy periods are a long-standing complaint, not a wound bleeding now.
        "I'm 38 with fibroids and heavy bleeding, is a hysterectomy the only option?",
        "heavy bleeding with my periods since I started warfarin, is that a side effect",
        # Breathless lying flat, for months, is a sign to see a doctor about, not a 911 call.
        "for the last couple months i sleep on 2 pillows because i cant breathe flat, could it be my heart",
        # How an operation is done, not a heart that stopped now.
        "is bypass surgery done with the heart stopped",
        "do they do it while the heart stopped or beating",
        "the word scared us, we thought it meant his heart stopped",
        "how is the heart stopped during bypass surgery",
        "is the heart stopped during open heart surgery",
        # Asked of anyone in general, not told of someone now.
        "how do you know if someone is having a stroke",
        "how can you tell if someone is having a heart attack",
    ],
)
def test_informational_questions_are_not_emergencies(knowledge: Knowledge, text: str) -> None:
    assert rule_of(knowledge, text) is None


def test_empty_and_punctuation_only_text(knowledge: Knowledge) -> None:
    assert rule_of(knowledge, "") is None
    assert rule_of(knowledge, "?!...") is None


def test_rules_come_from_content_not_code() -> None:
    rule = SafetyRule("test-rule", "emergency", (r"\bpurple elephant\b",), {"default": "call {emergency}"})
    checker = SafetyChecker([rule])
    assert checker.check("I see a purple elephant").rule_id == "test-rule"
    assert checker.check("I see no purple elephant") is None
    assert checker.check("I see a grey elephant") is None


def test_a_rule_limited_to_topics_applies_only_while_the_conversation_is_about_them(knowledge: Knowledge) -> None:
    from bot.content.schema import SafetyRule
    from bot.core.safety import SafetyChecker

    rule = SafetyRule("fall-on-thinner", "emergency", (r"\bhit (his|her) head\b",), {"default": "Call {emergency}."},
                      topics=("blood-thinners",))
    checker = SafetyChecker([rule])
    assert checker.check("she hit her head") is None  # no topic yet
    assert checker.check("she hit her head", "angioplasty") is None
    assert checker.check("she hit her head", "blood-thinners").rule_id == "fall-on-thinner"
    assert checker.check("she did not hit her head", "blood-thinners") is None  # negations still count


def test_a_safety_rule_naming_a_missing_topic_is_a_warning(tmp_path) -> None:
    from bot.content.load import load_content
    from tests.conftest import write_content

    root = write_content(tmp_path / "content")
    path = root / "data" / "safety" / "red-flags.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("topics: [blood-thinners]", "topics: [blood-thinnerz]", 1),
                    encoding="utf-8")
    content = load_content(root)
    problems = [e for e in (*content.errors, *content.warnings) if "blood-thinnerz" in e.message]
    assert len(problems) == 1 and problems[0].severity == "warning"  # the other rules still load and protect
    assert problems[0].file.endswith("red-flags.yaml") and problems[0].line > 1 and "data/topics/" in problems[0].fix


def _load_with_safety_rules(tmp_path, rules: str):
    """The test content with its safety file replaced: one default locale, then ``rules`` (words and rules)."""
    from bot.content.load import load_content
    from tests.conftest import write_content

    root = write_content(tmp_path / "content")
    (root / "data" / "safety" / "red-flags.yaml").write_text(
        "locales:\n  default: {emergency: '112', crisis: '112'}\n" + rules, encoding="utf-8")
    return load_content(root)


def test_a_word_list_stands_for_its_words_in_every_pattern_and_an_unknown_one_is_a_clear_error(tmp_path) -> None:
    content = _load_with_safety_rules(
        tmp_path,
        "words:\n"
        "  thinners: [warfarin, eliquis]\n"
        "rules:\n"
        "  - id: fell-on-a-thinner\n"
        "    kind: emergency\n"
        "    patterns: ['\\b{thinners}\\b.{0,20}\\bfell\\b']\n"
        "    reply: Call {emergency} now.\n"
        "  - id: bad-list\n"
        "    kind: emergency\n"
        "    patterns: ['\\b{thinnerz}\\b fell']\n"
        "    reply: Call {emergency} now.\n")
    rule = next(r for r in content.safety if r.id == "fell-on-a-thinner")
    assert rule.patterns == ("\\b(warfarin|eliquis)\\b.{0,20}\\bfell\\b",)  # the {0,20} repeat is left alone
    error = next(e for e in content.errors if "thinnerz" in e.message)
    assert error.file.endswith("red-flags.yaml") and error.line == 12 and "words:" in error.fix


def test_a_word_list_may_use_a_list_above_it(tmp_path) -> None:
    content = _load_with_safety_rules(
        tmp_path,
        "words:\n"
        "  soon: [overnight, in a day]\n"
        "  gain: ['gained \\d+ pounds {soon}']\n"
        "rules:\n"
        "  - id: gain\n"
        "    kind: emergency\n"
        "    patterns: ['\\b{gain}\\b']\n"
        "    reply: Call {emergency} now.\n")
    assert content.ok, [str(e) for e in content.errors]
    rule = next(r for r in content.safety if r.id == "gain")
    assert rule.patterns == ("\\b(gained \\d+ pounds (overnight|in a day))\\b",)


@pytest.mark.parametrize(("text", "topic", "emergency"), [
    ("my mom has them right now", "stroke", True),
    ("i think my husband is having one", "heart-attack", True),
    ("he is showing all the signs now", "cardiac-arrest", True),
    ("it is happening to me right now", "chest-pain", True),
    ("my mom has them right now", "high-blood-pressure", False),  # not a topic whose signs mean calling for help
    ("my mom has them right now", None, False),  # nothing to point back to
    ("she does not have them now", "stroke", False),
    ("my dad had them last month", "stroke", False),
])
def test_signs_of_the_topic_at_hand_happening_now(knowledge: Knowledge, text: str, topic: str | None,
                                                  emergency: bool) -> None:
    hit = knowledge.safety.check(text, topic)
    assert (hit is not None and hit.rule_id == "signs-of-the-topic-now") == emergency


def test_bleeding_signs_said_while_talking_about_blood_thinners(knowledge: Knowledge) -> None:
    check = knowledge.safety.check
    assert check("her poop is black since yesterday", "blood-thinners").rule_id == "bleeding-signs-while-on-blood-thinners"
    assert check("her poop is black since yesterday", "angioplasty") is None
    assert check("what does black stool mean", "blood-thinners") is None  # a question, not a person's sign


def test_most_or_all_of_the_signs_just_listed_happening_now(knowledge: Knowledge) -> None:
    check = knowledge.safety.check
    assert check("my husband has all of those right now", "heart-attack").rule_id == "signs-of-the-topic-now"
    assert check("i have a few of the symptoms now", "stroke").rule_id == "signs-of-the-topic-now"
    assert check("my husband has all of those right now", "cholesterol") is None


def test_a_fall_said_while_talking_about_blood_thinners(knowledge: Knowledge) -> None:
    check = knowledge.safety.check
    assert check("she fell in the bathroom", "blood-thinners").rule_id == "fall-while-on-blood-thinners"
    assert check("she fell and hit her head", "blood-thinners").rule_id == "head-injury-while-on-blood-thinners"
    assert check("she fell in the bathroom", "angioplasty") is None
    assert check("what if he falls", "blood-thinners") is None  # a question, not a fall


def test_a_lasting_effect_since_a_past_event_is_told_as_past(knowledge: Knowledge) -> None:
    check = knowledge.safety.check
    hit = check("since his stroke he cant move the left side of his body, will therapy help")
    assert hit is not None and hit.rule_id == "stroke-signs" and hit.past  # answered, with what to do if it comes back
    assert not check("he cant move the left side of his body").past
    assert not check("since his surgery he has chest pain right now").past  # "right now" brings it back


def test_a_swollen_ankle_is_no_allergy_and_a_foot_without_a_pulse_needs_no_cpr(knowledge: Knowledge) -> None:
    check = knowledge.safety.check
    # The clot rule (a swollen leg or ankle with breathlessness), not the severe allergy rule.
    assert check("my ankle is swollen and i'm short of breath").rule_id == "clot-in-the-lungs-signs"
    assert check("swelling in my legs and short of breath") is None
    assert check("i get swollen feet at night and i'm short of breath on stairs") is None  # the heart, on effort
    assert check("my lips are swollen and i am short of breath").rule_id == "anaphylaxis"
    assert check("hives and wheezing").rule_id == "anaphylaxis"
    # "No pulse" is the CPR reply only for a person, not for a foot.
    assert check("he has no pulse").rule_id == "unconscious-seizure"
    assert check("i have no pulse in my foot") is None


def test_fast_weight_gain_said_while_talking_about_heart_failure(knowledge: Knowledge) -> None:
    check = knowledge.safety.check
    rule = "heart-failure-weight-gain-in-conversation"
    assert check("I gained 5 pounds in two days and my legs are swelling", "heart-failure").rule_id == rule
    assert check("he put on 3 pounds overnight", "heart-failure").rule_id == rule
    assert check("her weight went up 5 pounds this week", "cardiomyopathy").rule_id == rule
    assert check("she is gaining weight so fast", "heart-failure").rule_id == rule
    assert check("I gained 5 pounds in two days", "angioplasty") is None
    assert check("i gained 10 pounds over the past year", "heart-failure") is None  # slow, not fluid
    assert check("I havent gained 5 pounds in two days", "heart-failure") is None


def test_a_very_high_reading_said_alone_while_talking_about_blood_pressure(knowledge: Knowledge) -> None:
    assert knowledge.safety.check("now it says 192 over 118") is None  # numbers alone, no subject
    hit = knowledge.safety.check("now it says 192 over 118", "high-blood-pressure")
    assert hit is not None and hit.rule_id == "very-high-reading-while-on-blood-pressure"
    assert knowledge.safety.check("it went from 190/120 to 130/80", "high-blood-pressure") is None  # came down
    assert knowledge.safety.check("it is 150/95 today", "high-blood-pressure") is None  # high, not very high
