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
    ("what should i expect during {t}", "how_done"), ("{t} recovery time", "recovery"), ("what to expect after {t}", "recovery"),
    ("{t} side effects", "risks"), ("{t} risks", "risks"), ("is {t} dangerous", "risks"),
    ("more information about {t}", "learn_more"), ("where can i read about {t}", "learn_more"),
    ("how long does it take to recover from {t}", "recovery"), ("what are the risks of {t}", "risks"),
    ("what are the treatments for {t}", "treatment"), ("how can i lower my risk of {t}", "prevention"),
    ("who treats {t}", "learn_more"), ("what kind of doctor treats {t}", "learn_more"), ("how do they do {t}", "how_done"),
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


def reply_to(knowledge, *messages: str):
    """The reply to the last of ``messages``, all sent in one fresh conversation."""
    engine = Engine(knowledge, MemoryStore())
    for text in messages[:-1]:
        engine.handle(Message("c", text))
    return engine.handle(Message("c", messages[-1]))


def mismatches(knowledge, cases) -> tuple[int, list[str]]:
    """How many cases ran, and those whose (intent, topic id) differ from the expected one."""
    wrong, asked = [], 0
    for messages, expected in cases:
        reply = reply_to(knowledge, *messages)
        asked += 1
        if (reply.intent, reply.topic_id) != expected:
            wrong.append(f"{' -> '.join(map(repr, messages))}: {reply.intent}/{reply.topic_id}, wanted {expected}")
    return asked, wrong


def test_every_topic_answers_the_plain_forms_of_its_questions(shipped):
    content, knowledge = shipped
    asked, wrong = mismatches(knowledge, (
        ((form.format(t=topic.title.lower()),), (intent, topic.id))
        for topic in content.topics.values() for form, intent in FORMS if intent in topic.answers))
    assert asked > 1000
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("form", "of_a_condition", "of_a_procedure"), [
    ("what happens during {t}", "what_is", "during"),
    ("does {t} hurt", "symptoms", "feels"),
])
def test_what_happens_during_it_and_whether_it_hurts_read_by_the_kind_of_topic(shipped, form, of_a_condition,
                                                                             of_a_procedure):
    """"What happens during a stress test?" and "does it hurt?" ask how it is done; of a heart
    attack they ask what it is and its symptoms, not how doctors treat it."""
    content, knowledge = shipped
    wrong, asked = [], 0
    for topic in content.topics.values():
        if topic.kind == "condition" and of_a_condition in topic.answers:
            want, shown = of_a_condition, topic.answers[of_a_condition].text
        elif topic.kind != "condition" and "how_done" in topic.answers:
            want, shown = of_a_procedure, topic.answers["how_done"].text
        else:
            continue
        asked += 1
        reply = reply_to(knowledge, form.format(t=topic.title.lower()))
        if (reply.intent, reply.topic_id) != (want, topic.id) or " ".join(shown.split())[:60] not in reply.text:
            wrong.append(f"{topic.id}: {reply.intent}/{reply.topic_id}")
    assert asked > 25
    assert not wrong, "\n".join(wrong)


def test_what_happens_during_a_treatment_named_for_its_condition_is_how_it_is_done(shipped):
    content, knowledge = shipped
    reply = reply_to(knowledge, "what happens during a cardioversion")
    assert (reply.intent, reply.topic_id) == ("during", "atrial-fibrillation")
    assert " ".join(content.topics["atrial-fibrillation"].answers["treatment"].text.split())[:60] in reply.text


@pytest.mark.parametrize(("kind_topic", "intent"), [("high-blood-pressure", "symptoms"), ("angioplasty", "risks"),
                                                     ("statins", "risks")])
def test_can_it_cause_is_a_symptom_of_a_condition_and_a_risk_of_a_treatment(shipped, kind_topic, intent):
    content, knowledge = shipped
    title = content.topics[kind_topic].title.lower()
    reply = reply_to(knowledge, f"can {title} cause headaches")
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
    asked, wrong = mismatches(knowledge, (
        ((f"what is {topic.title.lower()}", follow_up), (intent, topic.id))
        for topic in content.topics.values() for follow_up, intent in FOLLOW_UPS if intent in topic.answers))
    assert asked > 300
    assert not wrong, "\n".join(wrong)


MEDICINE_FORMS = [
    ("side effects of {d}", "risks"), ("{d} side effects", "risks"), ("can i take {d} with ibuprofen", "risks"),
    ("what is {d} used for", "what_is"), ("is {d} safe during pregnancy", "risks"), ("does {d} cause weight gain", "risks"),
    ("should i stop taking {d}", "personal_advice"), ("what dose of {d} should i take", "personal_advice"),
    ("i missed a dose of {d}", "personal_advice"), ("when is the best time to take {d}", "personal_advice"),
    ("how much does {d} cost", "practical"), ("is there a generic for {d}", "practical"),
    ("can i drink alcohol on {d}", "risks"), ("how does {d} work", "what_is"), ("can {d} cause a cough", "risks"),
]
DRUGS = {"blood-pressure-medicines": ["lisinopril", "amlodipine", "metoprolol", "Norvasc"],
         "blood-thinners": ["warfarin", "Eliquis", "clopidogrel"], "statins": ["atorvastatin", "Lipitor"],
         "cholesterol-medicines": ["ezetimibe", "Repatha"]}


def test_medicines_by_generic_or_brand_name(shipped):
    _, knowledge = shipped
    asked, wrong = mismatches(knowledge, (
        ((form.format(d=name),), (intent, topic_id))
        for topic_id, names in DRUGS.items() for name in names for form, intent in MEDICINE_FORMS))
    assert asked > 100
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("question", "intent", "topic_id"), [
    ("what does an ecg show", "what_is", "heart-health-tests"),
    ("is a heart cath painful", "feels", "heart-health-tests"),
    ("do i need to fast before a stress test", "how_done", "heart-health-tests"),
    ("how long do you stay in hospital after bypass surgery", "recovery", "coronary-artery-bypass-surgery"),
    ("how long does metoprolol stay in your system", "personal_advice", "blood-pressure-medicines"),
    ("what foods lower cholesterol", "treatment", "cholesterol"),
    ("can i have an mri with a pacemaker", "risks", "pacemakers-and-implantable-defibrillators"),
    ("what are the warning signs of a heart attack", "symptoms", "heart-attack"),
    ("life expectancy with heart failure", "recovery", "heart-failure"),
    ("my ldl is 190 what does that mean", "causes", "cholesterol"),
    ("what foods should i avoid on warfarin", "risks", "blood-thinners"),  # prevention reads as risks
    ("how long do you have to take plavix after a stent", "personal_advice", "blood-thinners"),
    ("what is the difference between angina and a heart attack", "compare", "angina"),
    ("is a heart attack the same as cardiac arrest", "compare", "heart-attack"),
    ("which is better eliquis or warfarin", "practical", "blood-thinners"),  # choosing a medicine: practical
    # Choosing between treatments or procedures: each option's answer (intents/choose.yaml).
    ("stents or bypass, which is better", "choose", "angioplasty"),
    # A cause that is not one of our topics; a condition said before "can I take".
    ("can anxiety make my heart race", "causes", "arrhythmia"),
    ("I have asthma, can I take a beta blocker", "risks", "blood-pressure-medicines"),
    ("The ER did two troponin tests and sent her home. Is that test alone enough to rule out a heart attack?",
     "diagnosis", "heart-attack"),
    ("Why is my blood pressure so low? It's usually about 88/58.", "causes", "low-blood-pressure"),
    ("what are the odds he has another heart attack", "risks", "heart-attack"),
    # A problem a procedure can leave or come back with is a risk, not the usual recovery.
    ("can a stent get blocked again", "risks", "angioplasty"),
    ("memory problems after bypass surgery", "risks", "coronary-artery-bypass-surgery"),
    ("how common are falls after a stroke", "risks", "stroke"),
    ("is chest pain always a heart attack", "symptoms", "chest-pain"),
    ("could you send me a diet plan for high cholesterol", "treatment", "cholesterol"),
    ("what tests do they do to find out if it's heart failure", "diagnosis", "heart-failure"),
    # ...but a question that points back ("it") is about the topic told before.
    ("I'm prediabetic and on atorvastatin. Can it cause diabetes?", "risks", "statins"),
    # Text-message shorthand is read as the words it stands for.
    ("wat is 2d echo test for heart", "what_is", "heart-health-tests"),
    ("by pass surgery how many hrs it take", "how_done", "coronary-artery-bypass-surgery"),
    ("heart failure how many yrs can live", "recovery", "heart-failure"),
    ("angioplaty how many days stay hospital", "recovery", "angioplasty"),
    ("stent can block again aftr 10yr?", "risks", "angioplasty"),
    ("aortic anurysm wat size need operation", "treatment", "aortic-aneurysm"),
    ("hemoragic stroke survival chance", "recovery", "hemorrhagic-stroke"),
    ("cardiomyopthy pass frm father to son", "causes", "cardiomyopathy"),
    ("atheroslerosis can reverse??", "treatment", "atherosclerosis"),
    ("chest pain right side, heart problem or gas? happens after i eat", "symptoms", "chest-pain"),
    ("I have high blood pressure and my doctor ordered an echo. What exactly does an echo look at?", "what_is",
     "heart-health-tests"),
    ("I take HCTZ for blood pressure and my potassium came back low. Is that from the pill?", "risks",
     "blood-pressure-medicines"),
    ("I'm on Lipitor 20mg. Is grapefruit juice in the morning a problem?", "risks", "statins"),
    ("I have PAD and still smoke. Will quitting actually make the leg pain better?", "treatment",
     "peripheral-arterial-disease"),
    ("My aunt had a brain aneurysm. Should I get scanned?", "diagnosis", "brain-aneurysm"),
    ("I have angina and a nitro spray. When do I use it?", "personal_advice", "angina"),
    # Everyday names of congenital and valve problems, home readings, rehab after a stroke.
    ("signs of heart defect in newborn", "symptoms", "congenital-heart-defects"),
    ("how do they diagnose a heart valve problem", "diagnosis", "heart-valve-diseases"),
    ("My GP wants me to wear a 24 hour blood pressure monitor. Do I really need to?", "diagnosis",
     "high-blood-pressure"),
    ("physio after a stroke, how many hours a day is normal", "how_done", "stroke-rehabilitation"),
    # How long one stays on a medicine, when it starts working, generic or brand: the clinician or pharmacist.
    ("xarelto for dvt how many months", "personal_advice", "blood-thinners"),
    ("Started atorvastatin last week. How long before it actually works?", "personal_advice",
     "statins"),
    ("My chemist offered a generic atorvastatin instead of Lipitor. Is it exactly the same medicine?", "practical",
     "statins"),
    ("heart attack and cardiac arrest same thing?", "compare", "heart-attack"),
    ("Our baby was born with a small hole in her heart. Does a small VSD need surgery or do they just watch it?",
     "treatment", "congenital-heart-defects"),
    ("Our baby was diagnosed with hypoplastic left heart. Did something I did cause this?", "causes",
     "congenital-heart-defects"),
    ("my mitral valve is narrowed. Can it be fixed without open heart surgery?", "treatment", "heart-valve-diseases"),
    ("Mornings about 138/88 at home. Do these numbers really mean I have high blood pressure?", "diagnosis",
     "high-blood-pressure"),
    ("He has AFib and bleeds on Eliquis. His doctor suggests a Watchman device. Is that a good option for him?",
     "treatment", "atrial-fibrillation"),
    ("Should I get a coronary calcium scan? My dad had a heart attack at 58.", "diagnosis", "heart-health-tests"),
    ("My husband had a heart attack. What can he do so he doesn't have another one?", "prevention", "heart-attack"),
    ("foods that stop clogged arteries", "prevention", "atherosclerosis"),
    ("vascular surgeon or cardiologist for PAD?", "learn_more", "peripheral-arterial-disease"),
    ("triglycerides high why", "causes", "triglycerides"),
    ("Why does my blood pressure go up every winter?", "causes", "high-blood-pressure"),
    ("Zetia was added to my Crestor. Do I take them together at night?", "personal_advice", "cholesterol-medicines"),
    ("EVAR or open repair for an aortic aneurysm, which one is better long term?", "choose", "aortic-aneurysm"),
    ("what is a normal blood pressure", "what_is", "high-blood-pressure"),
    ("my heart skips a beat sometimes", "what_is", "arrhythmia"),
    ("why would someone need a pacemaker", "why_needed", "pacemakers-and-implantable-defibrillators"),
    ("why do people take blood thinners", "why_needed", "blood-thinners"),
    ("why do people get strokes", "causes", "stroke"),  # for a condition, "why" asks the cause
    # "What are they?" points back to the sentence before; of the two topics, the one that answers.
    ("I am 45 and my cholesterol came back at 260. My doctor wants me on Lipitor but I am worried "
     "about side effects. What are they?", "risks", "statins"),
    ("Statins. Do they cause memory loss?", "risks", "statins"),
    # Risks prefer the medicine or procedure named beside a condition (prefers: in intents/risks.yaml)...
    ("i have high cholesterol and take lipitor, what are the side effects", "risks", "statins"),
    ("my dad had a heart attack and now has a stent, what are the risks", "risks", "angioplasty"),
    # ...and a condition alone gets its own complications.
    ("what are the complications of high cholesterol", "risks", "cholesterol"),  # a subject line that is only the topic
    ("My son was born with a hole in his heart. Will he need surgery?", "treatment", "congenital-heart-defects"),
    ("when does a brain aneurysm need surgery", "treatment", "brain-aneurysm"),
    ("can you reverse atherosclerosis", "treatment", "atherosclerosis"),
    # A device or repair that could move, break or stop working: its risks.
    ("can a stent move", "risks", "angioplasty"),
    ("could the pacemaker leads break", "risks", "pacemakers-and-implantable-defibrillators"),
    ("what if my icd stops working", "risks", "pacemakers-and-implantable-defibrillators"),
    # Getting home afterwards is recovery; "need someone" is not a search for a doctor.
    ("do i need someone to drive me after angioplasty", "recovery", "angioplasty"),
    ("can i drive myself home after a stress test", "recovery", "heart-health-tests"),
    ("how long does it take to get echo results", "practical", "heart-health-tests"),
    ("how much exercise do i need for heart health", "prevention", "how-to-prevent-heart-disease"),
    ("which exercises are best for PAD", "treatment", "peripheral-arterial-disease"),
    ("is heart failure reversible", "treatment", "heart-failure"),
    ("can you help me", "help", None),
    # "Blood pressure" is a broad name of High Blood Pressure: it counts when nothing more specific is named...
    ("what is blood pressure", "what_is", "high-blood-pressure"),
    ("how to lower blood pressure", "treatment", "high-blood-pressure"),
    # ...but a person's own reading is personal advice, whatever the numbers. A high reading
    # is about high blood pressure, a low one about low blood pressure (BP too); a normal one
    # does not say which topic is meant.
    ("my blood pressure is 150/95 is that bad", "personal_advice", "high-blood-pressure"),
    ("my blood pressure reading was 85/50 and i feel dizzy", "personal_advice", "low-blood-pressure"),
    ("my BP at the clinic was 145/95, can that hurt my kidneys", "personal_advice", "high-blood-pressure"),
    ("bp mostly 86/54 and i get dizzy, can that be dangerous", "risks", "low-blood-pressure"),
    ("normal bp for a teenager is it 110/70", None, None),
    ("My blood pressure has always been in the 120s but the last 2 weeks it's 150/95 almost every morning. "
     "What could suddenly make it go up like that?", "causes", "high-blood-pressure"),
    # Safe again afterwards is recovery; how long a device lasts is the long-term outlook.
    ("is it safe to fly after a heart attack", "recovery", "heart-attack"),
    ("can he drive after a stent", "recovery", "angioplasty"),
    ("how long do stents last", "recovery", "angioplasty"),
    # A complaint beside a name: a symptom of a condition, a side effect of a medicine.
    ("lisinopril cough how long does it last", "risks", "blood-pressure-medicines"),
    ("i think i might have heart failure, my legs are swollen", "symptoms", "heart-failure"),
    ("do i have afib", "symptoms", "atrial-fibrillation"),
    # Heart rate is a broad name of Arrhythmia; one person's own number is personal advice.
    ("what is a normal heart rate", "what_is", "arrhythmia"),
    ("my heart rate is 120 at rest, is that bad", "personal_advice", "arrhythmia"),
    ("do i have to stay in hospital after an angiogram", "recovery", "heart-health-tests"),
    ("why do my legs hurt when i walk", "causes", "peripheral-arterial-disease"),
    # Whether a condition goes away or comes back is its outlook; what it leads to untreated, its complications.
    ("will varicose veins go away", "recovery", "varicose-veins"),
    ("can a dvt come back", "recovery", "deep-vein-thrombosis"),
    ("what happens if high blood pressure is not treated", "risks", "high-blood-pressure"),
    ("what can afib lead to", "risks", "atrial-fibrillation"),
    ("how to make varicose veins go away", "treatment", "varicose-veins"),
    ("what leads to heart failure", "causes", "heart-failure"),
    ("coumadin diet, what foods have vitamin k", "risks", "blood-thinners"),
    ("my husband takes metoprolol and his heart rate is in the 50s, is that too low", "personal_advice",
     "blood-pressure-medicines"),
    ("my doctor wants me to have a stress test, what should i expect", "how_done", "heart-health-tests"),
    ("can a 30 year old have a heart attack", "causes", "heart-attack"),
    ("how long does it take to walk again after a stroke", "recovery", "stroke"),
    ("what is an echo", "what_is", "heart-health-tests"),
    # A named worry about a medicine is a side-effect question, even with the condition named first.
    ("My LDL is 165. My doctor wants me on a statin but I'm worried about memory problems. Is that true?",
     "risks", "statins"),
    ("my husband takes plavix and needs a tooth pulled, what should he do", "personal_advice", "blood-thinners"),
    # An open question reads with the story before it.
    ("My husband takes Plavix since his stent. He needs a tooth pulled. What should he do?", "personal_advice",
     "blood-thinners"),
    ("My father had bypass surgery 6 weeks ago. He is very low and tired. Is this common?", "recovery",
     "coronary-artery-bypass-surgery"),
    ("endometrial ablation recovery", "recovery", None),  # a qualifier makes it another subject
    # A procedure already done, then a problem that is still there: the aftermath (recovery).
    ("Two weeks ago my dad had a pacemaker put in. The wound is still sore. Is that ok?", "recovery",
     "pacemakers-and-implantable-defibrillators"),
    # A device the person has is background to the treatment asked for; asked of itself, it stays.
    ("Grandpa has a pacemaker. The arteries in both his legs are blocked. What treatment is there?", "treatment",
     "peripheral-arterial-disease"),
    ("my aunt has a pacemaker and now she has afib, how is that treated", "treatment", "atrial-fibrillation"),
    ("she has a pacemaker, what are the risks", "risks", "pacemakers-and-implantable-defibrillators"),
    ("what treatment is there for a slow heartbeat", "treatment", "arrhythmia"),
    # A broad name with words that say which way it went: rising blood pressure is the high kind.
    ("my bp keeps rising even on medicine, why", "causes", "high-blood-pressure"),
    ("my blood pressure has been really high lately, what causes that", "causes", "high-blood-pressure"),
    ("is my blood pressure reading too high", "personal_advice", "high-blood-pressure"),  # one person's own
    ("My calves cramp when I walk two blocks and my feet are cold. Could this be a circulation problem like PAD?",
     "symptoms", "peripheral-arterial-disease"),
    ("stress test tomorrow and nobody told me what actualy happens", "how_done", "heart-health-tests"),
    ("my blood pressure has been going up all year even though i eat well. what could be doing it?", "causes",
     "high-blood-pressure"),
    ("what leads to plaque building up in the arteries", "causes", "atherosclerosis"),
    # Asking how it could happen, or whether someone is to blame, asks for the causes.
    ("My husband is 42 and just had a heart attack. He doesn't smoke. How could this happen?", "causes",
     "heart-attack"),
    ("Our baby was born with a hole in her heart. Did we do something wrong?", "causes", "congenital-heart-defects"),
    # What to eat after a procedure is part of getting over it.
    ("what can she eat after her bypass operation", "recovery", "coronary-artery-bypass-surgery"),
    ("My mom's AFib keeps coming back. What else can the doctors try?", "treatment", "atrial-fibrillation"),
    ("what else can we do to keep him from having another stroke", "prevention", "stroke"),
    ("which doctor should my dad see for his leg circulation problems", "learn_more", "peripheral-arterial-disease"),
    # The time it takes to get better is recovery; the time a result takes is not.
    ("My sister had a stroke in May and goes to therapy twice a week. How long does it usually take to see "
     "improvement?", "recovery", "stroke-rehabilitation"),
    ("how long does it take to get the results of a stress test", "practical", "heart-health-tests"),
    ("dvt in my leg how long till it goes away", "recovery", "deep-vein-thrombosis"),
    # Bleeding that "won't stop" is what is asked about, not a wish to stop a medicine.
    ("can angioplasty cause bleeding that won't stop", "risks", "angioplasty"),
    # Whether one topic treats another; how a procedure named by its verb is done.
    ("does flecainide stop afib", "treatment", "heart-rhythm-medicines"),
    ("can a stent fix coronary artery disease", "treatment", "angioplasty"),
    ("how is an aortic valve replaced", "how_done", "heart-surgery"),
    ("my brother had a stroke 4 weeks ago. how long does it usually take for the arm to get better?", "recovery",
     "stroke"),
    ("how long does it take for a dvt to go away, i'm on eliquis", "recovery", "deep-vein-thrombosis"),
    ("how is an abdominal aortic aneurysm usually found when there are no symptoms", "diagnosis", "aortic-aneurysm"),
    ("does pulmonary hypertension cause fainting", "symptoms", "pulmonary-hypertension"),
    ("what are the chances of rejection after a heart transplant", "risks", "heart-transplantation"),
    ("how do they close a hole in the heart without opening the chest", "how_done", "congenital-heart-defects"),
    ("why would a newborn need heart surgery", "why_needed", "heart-surgery"),
    ("why do they put people on beta blockers after a heart attack", "why_needed", "blood-pressure-medicines"),
    ("what can I do to keep my arteries from clogging", "prevention", "atherosclerosis"),
    ("difference between systolic and diastolic heart failure", "compare", "heart-failure"),
    ("ischemic and hemorrhagic stroke difference", "compare", "ischemic-stroke"),
    # A question that names its topic asks about it, whatever else the message mentions after it.
    ("Is it dangerous to fly with a DVT? I'm on Xarelto.", "risks", "deep-vein-thrombosis"),
    ("my dad keeps skipping his metoprolol because it makes him tired. should we just let him skip it?",
     "personal_advice", "blood-pressure-medicines"),
    ("how do i prevent heart disease when it runs in my family", "prevention", "how-to-prevent-heart-disease"),
    ("is there anything that lowers the chance of sudden cardiac arrest", "prevention", "cardiac-arrest"),
    ("how do I keep my arteries from clogging up", "prevention", "atherosclerosis"),
    ("Will Crestor help prevent another stroke? I had an ischemic stroke last year.", "prevention", "ischemic-stroke"),
    # "Cath" is how patients and staff say catheterization; the bruise is what the question is about.
    ("how long until the bruise goes away after my cath", "recovery", "heart-health-tests"),
    # Whether a test exists asks how the condition is found.
    ("My LDL is 220 and my doctor thinks it runs in the family. Is there a test to know if it is the inherited "
     "kind?", "diagnosis", "cholesterol"),
    ("do i have to take lipitor forever", "personal_advice", "statins"),
    ("can he drink wine on xarelto", "risks", "blood-thinners"),
    ("when will we get the results of the stress test", "practical", "heart-health-tests"),
    # Blood clots in general are a MedlinePlus topic of their own: named, not answered as DVT.
    ("what is a blood clot", "what_is", None),
    # Raising blood pressure is not a question about high blood pressure; a low one names its own topic.
    ("how can i raise my blood pressure", "treatment", None),
    # Something else raising it asks about high blood pressure.
    ("can drinking coffee raise my blood pressure?", "causes", "high-blood-pressure"),
    # Dying during an operation and things going wrong are its risks; a new problem since starting
    # a medicine is a possible side effect; handouts in the plural are still reading to learn more.
    ("can you die during bypass surgery", "risks", "coronary-artery-bypass-surgery"),
    ("chances of something going wrong in angioplasty", "risks", "angioplasty"),
    ("I bruise really easy since I started warfarin", "risks", "blood-thinners"),
    ("Do you have any pamphlets on stroke for families", "learn_more", "stroke"),
    ("how long does it take to get over a stroke", "recovery", "stroke"),
    # Search-box style: a medicine and what it is mixed with; what numbers are normal.
    ("eliquis alcohol", "risks", "blood-thinners"),
    ("why would my dad need a pacemaker", "why_needed", "pacemakers-and-implantable-defibrillators"),
    ("blood pressure normal range", "diagnosis", "high-blood-pressure"),
    ("normal range for triglycerides", "diagnosis", "triglycerides"),
    # Described rather than named (described_as in the topic files).
    ("I get a sharp pain on the left side of my chest when I breathe in", "what_is", "chest-pain"),
    ("what causes pain in the middle of the chest", "causes", "chest-pain"),
    ("blocked arteries in my legs", "what_is", "peripheral-arterial-disease"),
    ("can lasers get rid of the ugly veins on my legs", "treatment", "varicose-veins"),
    ("high pressure in my lungs", "what_is", "pulmonary-hypertension"),
    ("how long is speech therapy after a stroke", "recovery", "stroke-rehabilitation"),
    ("my calves hurt when I walk, can exercise help", "treatment", "peripheral-arterial-disease"),
    ("I had a stent put in last month", "recovery", "angioplasty"),
    ("my husband had a heart attack 2 years ago. can he fly?", "recovery", "heart-attack"),
    ("my blood pressure keeps dropping when i stand", "what_is", "low-blood-pressure"),
    # How long a limit lasts after a procedure is recovery; "at night" is only timing advice beside a medicine.
    ("how long do i have to avoid lifting after bypass surgery", "recovery", "coronary-artery-bypass-surgery"),
    ("after a pacemaker how long to wear the arm sling at night", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("should i take my statin at night", "personal_advice", "statins"),
    ("is open heart surgery riskier than a stent", "risks", "heart-surgery"),
    # Taking care of a wound is not taking a medicine; getting an ability back is the outlook.
    ("how should i take care of the wound after bypass", "recovery", "coronary-artery-bypass-surgery"),
    ("should i take a shower after my pacemaker", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("my mother is 80 and had a stroke last month, will she be able to walk again", "recovery", "stroke"),
    ("will my dad get his speech back after his stroke", "recovery", "stroke"),
    ("what can i do about the swelling in my leg after bypass surgery", "recovery", "coronary-artery-bypass-surgery"),
    # Not getting it again is prevention, not stopping a medicine.
    ("how can i stop getting dvts", "prevention", "deep-vein-thrombosis"),
    ("what can i do to not have another heart attack", "prevention", "heart-attack"),
    ("should i stop taking my lisinopril", "personal_advice", "blood-pressure-medicines"),
    ("what are the odds of surviving bypass surgery", "recovery", "coronary-artery-bypass-surgery"),
    # Whether a change is a worry: a side effect of a medicine, the aftermath of a procedure.
    ("Eliquis. My mom is on Eliquis and she bruises really easily now. Is this something to worry about?",
     "risks", "blood-thinners"),
    ("I had a stent last week and my groin is bruised, should I be worried?", "recovery", "angioplasty"),
    ("can you die from a brain aneurysm", "risks", "brain-aneurysm"),
    ("I read that bleeding can happen after a heart cath. How common is that?", "risks", "heart-health-tests"),
    ("my son was born with a hole in his heart. he is 3 now. will it close by itself?", "recovery",
     "congenital-heart-defects"),
    # Aspirin is a broad name of Blood Thinners: it counts when nothing more specific is named.
    ("does aspirin count as a blood thinner", "what_is", "blood-thinners"),
    ("what is aspirin", "what_is", "blood-thinners"),
    ("aspirin for headaches", "risks", None),  # beside a subject the bot does not cover
    # Whom a test or procedure is for; "no symptoms" does not ask about symptoms.
    ("who should get a heart health test? I'm 40 with no symptoms.", "diagnosis", "heart-health-tests"),  # for a test: reads_as diagnosis
    ("varicose veins in both legs and they ache at night, what can be done besides surgery", "treatment",
     "varicose-veins"),  # "at night" is timing advice only beside a medicine
    ("lipitor morning or night?", "personal_advice", "statins"),
    # A topic named makes it a health question, whatever else is said ("weather", "can you").
    ("Why does my angina get worse in cold weather? I can barely walk to the bus stop.", "causes", "angina"),
    ("Could this be diabetes? I'm always thirsty.", None, None),  # a topic we do not cover, named
    # Everyday wordings found by writing patient questions (not from the evaluation files).
    ("Which hospitals are best for mitral valve repair?", "find_doctor", "heart-surgery"),
    ("Dad needs valve surgery. Can they do it through a small cut on the side instead?", "how_done", "heart-surgery"),
    ("My husband starts cardiac rehab monday. What do they actually do at the classes?", "how_done",
     "cardiac-rehabilitation"),
    ("Who qualifies for a heart transplant?", "treatment", "heart-transplantation"),
    ("How many sprays of nitroglycerin for angina am I allowed to use?", "personal_advice", "angina-medicines"),
    ("mom is having bypass surgery. How long will she be on the breathing tube afterwards?", "recovery",
     "coronary-artery-bypass-surgery"),
    ("Dad has heart failure. How long do people usually live with it?", "recovery", "heart-failure"),
    ("Can a CT scan miss a stroke?", "diagnosis", "stroke"),
    ("I get a tight chest walking uphill that goes away when I rest. Does that sound like angina?", "symptoms", "angina"),
    ("stint recovery time", "recovery", "angioplasty"),
    ("my EKG says sinus bradycardia 48 bpm, what does that mean", "causes", "arrhythmia"),
    ("I have AFib and take Eliquis. Can I take Tylenol for my back pain?", "risks", "blood-thinners"),
    ("birth control pills, do they cause blood clots", "risks", None),
    ("does fenofibrate lower triglycerides", "treatment", "cholesterol-medicines"),
    ("I was just prescribed lisinopril 10 mg. What exactly does it do?", "what_is", "blood-pressure-medicines"),
    ("is losartan also a calcium blocker", "what_is", "blood-pressure-medicines"),
    ("lasix low potassium", "risks", "blood-pressure-medicines"),
    ("do i really need a stress test before my knee surgery", "diagnosis", "heart-health-tests"),
    ("pravastatin, do i need liver blood tests", "personal_advice", "statins"),  # a medicine's tests: ask the clinician
    ("Got a letter inviting me for AAA screening. I feel fine, is the scan really needed?", "diagnosis",
     "aortic-aneurysm"),
    ("My father has a 4.8 cm abdominal aortic aneurysm. At what size do they operate?", "treatment", "aortic-aneurysm"),
    ("Dad had an aortic aneurysm repair and the scan shows a leak. Is that serious?", "risks", "aortic-aneurysm"),
    ("can a dvt travel to your lungs", "risks", "deep-vein-thrombosis"),
    ("My mum had a DVT at 40. Does that make me higher risk for getting one?", "causes", "deep-vein-thrombosis"),
    ("I had a blood clot in my leg two years ago. What can I do to stop it happening again on a long flight?",
     "prevention", "deep-vein-thrombosis"),
    ("Should I take a baby aspirin every day to prevent a heart attack?", "prevention", "heart-attack"),
    ("what makes INR jump around so much", "risks", "blood-thinners"),  # causes, read as a medicine's risks
    ("He won't take his Lipitor because a friend said it causes memory loss. Is that true?", "risks", "statins"),
    ("I have a 5mm aneurysm in my brain. Can I still fly?", "risks", "brain-aneurysm"),
    ("Is there a reliable website where I can check warfarin interactions?", "learn_more", "blood-thinners"),
    ("Dad had carotid surgery 5 days ago and his voice is hoarse. Is this normal or should we take him back?",
     "recovery", "carotid-artery-disease"),
    # Everyday names: a weak heart, a heart not pumping enough blood, a bleed in the brain.
    ("I was told I have a weak heart muscle", "what_is", "cardiomyopathy"),
    ("my doctor said my heart is not pumping enough blood", "what_is", "heart-failure"),
    ("what is a bleed in the brain", "what_is", "hemorrhagic-stroke"),
    ("his heart is not pumping well, how long can he live", "recovery", "heart-failure"),
    # "Stop" is about a medicine only beside one (or at the end): not "I have to stop every block".
    ("my legs hurt when i walk, i have to stop every block. doctor thinks i have PAD. what tests will they do?",
     "diagnosis", "peripheral-arterial-disease"),
    ("can i stop taking lipitor", "personal_advice", "statins"),
    ("is it ok to stop", "personal_advice", None),
    ("I have high blood pressure and my doctor wants me on lisinopril, but are there natural ways", "treatment",
     "high-blood-pressure"),
    # "Site" beside a wound is a place on the body, not a website.
    ("pain at the incision site 2 weeks after my pacemaker", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("redness at the cath site after the angiogram", "recovery", "heart-health-tests"),
    ("is there a good site about stents", "learn_more", "angioplasty"),
    # How long a program lasts is how it is done, not how long to stay on a medicine.
    ("cardiac rehab how many weeks", "how_done", "cardiac-rehabilitation"),
    ("xarelto for dvt how many months", "personal_advice", "blood-thinners"),
    # An operation named by its kind, then a problem since: the aftermath, even without a question.
    ("My son had a spinal fusion in March, now he has numb toes?", "recovery", None),
    ("my wife had a hysterectomy last year, now she has hot flashes", "recovery", None),
    ("my mother had hip surgery and is confused at night", "recovery", None),
    # "Why would one need it" is why a procedure is done, and what causes a condition.
    ("why do I get chest pain when it is cold", "causes", "chest-pain"),
    ("what is the reason for low blood pressure in the elderly", "causes", "low-blood-pressure"),
    ("reason for angioplasty", "why_needed", "angioplasty"),
    ("why is a stress test done", "why_needed", "heart-health-tests"),
    ("why does my heart race at night", "causes", "arrhythmia"),
    # What brought it on, why despite a healthy life, whether one gets it too.
    ("what could be behind my high triglycerides, I eat well", "causes", "triglycerides"),
    ("is it possible that stress gave me afib", "causes", "atrial-fibrillation"),
    ("could my birth control pill have caused my DVT", "causes", "deep-vein-thrombosis"),
    ("my cholesterol is high even though i am thin", "causes", "cholesterol"),
    ("my father and grandfather both had heart attacks, will I get one", "causes", "heart-attack"),
    # What is given or done for a condition is its treatment; what a medicine is used for is what it is.
    ("what drugs are used for high blood pressure", "treatment", "high-blood-pressure"),
    ("what is good for varicose veins", "treatment", "varicose-veins"),
    ("is there anything for leg pain from PAD", "treatment", "peripheral-arterial-disease"),
    ("what surgery is done for an aortic aneurysm", "treatment", "aortic-aneurysm"),
    ("what is lisinopril used for", "what_is", "blood-pressure-medicines"),
    # Harm to an organ is a risk; whether one is awake is how it is done.
    ("will the dye in a heart cath hurt my kidneys", "risks", "heart-health-tests"),
    ("do you stay awake for a cardiac cath", "how_done", "heart-health-tests"),
    # How it was done, told in a story of one already done, is background to the aftermath.
    ("i had a stent put in 3 days ago through my wrist and now my hand is cold and tingly. is this something to "
     "worry about", "recovery", "angioplasty"),
    ("will they go in through my wrist for angioplasty", "how_done", "angioplasty"),
    ("My dad has been told he needs a new heart valve. What are the options other than open surgery?", "treatment",
     "heart-surgery"),
    ("the arteries in both his limbs have blockages, what can be done", "treatment", "peripheral-arterial-disease"),
    # How the wound looks is the aftermath.
    ("my pacemaker site is red and i have a fever", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("my icd went off once, should i worry", "recovery", "pacemakers-and-implantable-defibrillators"),
    # A medicine beside a food or supplement asks about the mix.
    ("cumadin and green vegetables", "risks", "blood-thinners"),
    ("warfarin with fish oil", "risks", "blood-thinners"),
    ("hydrochlorthiazide and potassium", "risks", "blood-pressure-medicines"),
    # Everyday descriptions of a topic; a bulging vein on the forehead is not a varicose vein.
    ("what is a bulging blood vessel in the brain", "what_is", "brain-aneurysm"),
    ("what is a widow maker", "what_is", "heart-attack"),
    ("what is a heart block", "what_is", "arrhythmia"),  # a conduction disorder, a kind of arrhythmia (NHLBI)
    ("bulging veins in my legs", "what_is", "varicose-veins"),
    # Judging one person's own results is for their clinician; what a test shows in general is not.
    ("can you tell me if my ecg is normal", "personal_advice", "heart-health-tests"),
    ("please read my echo report", "personal_advice", "heart-health-tests"),
    ("explain the results of an echo", "what_is", "heart-health-tests"),
    # Another language: said plainly, with MedlinePlus in Spanish; with a topic named, its answer comes first.
    ("can I get this information in spanish", "other_language", None),
    ("do you speak french", "other_language", None),
    ("angina meaning in hindi", "what_is", "angina"),
    # Not having it again is prevention; keeping the heart healthy is the prevention topic, whatever the wording.
    ("how to stop a second heart attack", "prevention", "heart-attack"),
    ("how much exercise do i need to keep my heart strong", "prevention", "how-to-prevent-heart-disease"),
    # Safe to do while living with it; too old for it; whether a change brings a number down.
    ("can I go in a hot tub with a pacemaker", "risks", "pacemakers-and-implantable-defibrillators"),
    ("can i fly with dvt", "recovery", "deep-vein-thrombosis"),
    ("my mom is 90, is she too old for a valve replacement", "treatment", "heart-surgery"),
    ("will my cholesterol go down if i lose weight", "treatment", "cholesterol"),
    ("why does my inr keep changing", "risks", "blood-thinners"),  # why it changes: the medicine's risks
    # Told a diagnosis or a medicine and nothing asked: what it is, not how it is diagnosed, treated or taken.
    ("i was just diagnosed with afib", "what_is", "atrial-fibrillation"),
    ("my mother was diagnosed with heart failure", "what_is", "heart-failure"),
    ("my dad was told he has heart failure", "what_is", "heart-failure"),
    ("my doctor put me on lipitor", "what_is", "statins"),
    # A procedure done yesterday, told alone: what comes after it.
    ("my husband had bypass surgery yesterday", "recovery", "coronary-artery-bypass-surgery"),
    # A mix with something is still a risk.
    ("people with heart failure and alcohol", "risks", "heart-failure"),
    ("lisinopril with ibuprofen", "risks", "blood-pressure-medicines"),
    # Heart medicines beyond blood pressure, blood thinners and cholesterol, and the VAD.
    ("what is nitroglycerin", "what_is", "angina-medicines"),
    ("can I take viagra with nitroglycerin", "risks", "angina-medicines"),
    ("side effects of imdur", "risks", "angina-medicines"),
    ("what is entresto", "what_is", "heart-failure-medicines"),
    ("is digoxin safe", "risks", "heart-failure-medicines"),
    ("does amiodarone affect the thyroid", "risks", "heart-rhythm-medicines"),
    ("what is multaq", "what_is", "heart-rhythm-medicines"),
    ("what is an LVAD", "what_is", "ventricular-assist-device"),
    ("how is a vad put in", "how_done", "ventricular-assist-device"),
    ("can you shower with an lvad", "recovery", "ventricular-assist-device"),
    ("how is angina treated", "treatment", "angina"),
    # Why a person is on a medicine is what it is for.
    ("why am I on entresto", "why_needed", "heart-failure-medicines"),
    ("why did the doctor put me on lisinopril", "why_needed", "blood-pressure-medicines"),
    ("why do I have to take a statin", "why_needed", "statins"),
    ("can he take advil if he is on eliquis", "risks", "blood-thinners"),
    ("Lisinopril cough - how long does it last after stopping?", "risks", "blood-pressure-medicines"),
    ("Hydrochlorothiazide and frequent urination at night", "risks", "blood-pressure-medicines"),
    ("is heart failure a death sentence", "recovery", "heart-failure"),
    # Named as strongly as the procedure, the medicine's side effects come first (risks prefers medicines).
    ("after my stent i was told to take brilinta and aspirin for a year. i bruise so easily now. is that normal??",
     "risks", "blood-thinners"),
    ("I take aspirin. What are the risks of angioplasty?", "risks", "angioplasty"),
    ("how much salt per day with high blood pressure", "treatment", "high-blood-pressure"),
    # Misspelt or described names.
    ("atrial fibulation treatment", "treatment", "atrial-fibrillation"),
    ("atrial fib", "what_is", "atrial-fibrillation"),
    ("anurism in brain", "what_is", "brain-aneurysm"),
    ("aneurysm in my belly", "what_is", "aortic-aneurysm"),
    # "Not take" in a question is not a denial: the medicine is still the subject.
    ("who should not take entresto", "risks", "heart-failure-medicines"),
    ("who should not take statins", "risks", "statins"),
    ("do you have a phone number i can call", "about_bot", None),  # whom to contact is in the about-the-bot reply
    # How often to check is screening (diagnosis); how often to take a medicine is its dose (personal advice).
    ("how often should i check my blood pressure", "diagnosis", "high-blood-pressure"),
    ("how often should cholesterol be checked", "diagnosis", "cholesterol"),
    ("how often do i need to take my statin", "personal_advice", "statins"),
    ("I do not take statins, how else can I lower cholesterol", "treatment", "cholesterol"),
    ("my husband has heart failure. what medicines are used for it?", "treatment", "heart-failure"),
    # Machines and magnets near a pacemaker: the risks answer says what the AHA says about them.
    ("can I go through airport security with a pacemaker", "risks", "pacemakers-and-implantable-defibrillators"),
    ("pacemaker and cell phones", "risks", "pacemakers-and-implantable-defibrillators"),
    ("will my ICD work near a microwave", "risks", "pacemakers-and-implantable-defibrillators"),
    # Asking for a particular doctor or hospital: who can refer, and where to read about the topic.
    ("can you recommend a cardiologist near me", "find_doctor", None),
    ("where can i find a good heart surgeon", "find_doctor", None),
    ("which hospitals are best for bypass surgery", "find_doctor", "coronary-artery-bypass-surgery"),
    ("who is the top doctor for afib in my city", "find_doctor", "atrial-fibrillation"),
    # Which kind of specialist, or whether to see one, is not a request for a name.
    ("what kind of doctor treats varicose veins", "learn_more", "varicose-veins"),
    ("should my mom see a specialist for her afib", "learn_more", "atrial-fibrillation"),
    # A low reading someone wants higher, told beside a medicine: no medicine raises it, so the
    # low topic answers; whether the medicine causes it, or raising a dose, stays the medicine's.
    ("on lisinopril and bp is 85/50 what can i do to bring it up", "treatment", "low-blood-pressure"),
    ("I take metoprolol and my blood pressure is 88/55, how can I raise it", "personal_advice", "low-blood-pressure"),
    ("I take metoprolol and my BP is 88/55, is that a side effect", "risks", "blood-pressure-medicines"),
    ("my bp was 85/50 on lisinopril so they lowered the dose. can i raise it myself", "personal_advice",
     "blood-pressure-medicines"),
    # Losing a limb is a complication: the risks answer says when PAD leads to amputation.
    ("will i lose my leg from pad", "risks", "peripheral-arterial-disease"),
    ("does plavix thin your blood", "what_is", "blood-thinners"),  # what a medicine does
    # How serious a condition is: its complications.
    ("how serious is a leaky heart valve", "risks", "heart-valve-diseases"),
    ("how bad is a 5 cm aortic aneurysm", "risks", "aortic-aneurysm"),
    ("how bad is the pain after bypass surgery", "recovery", "coronary-artery-bypass-surgery"),
    # "Good for" asks what a medicine is for; "good for you / your heart" asks whether something helps.
    ("what is metoprolol good for", "what_is", "blood-pressure-medicines"),
    ("is walking good for you", None, None),
    # A greeting that opens a short message, not a likeness to "good morning".
    ("hi im new here", "greet", None),
    ("hey, how are you", "greet", None),
    # Any word for a medicine: drugs, tablets, pills, meds.
    ("what are blood pressure tablets", "what_is", "blood-pressure-medicines"),
    ("heart rhythm drugs", "what_is", "heart-rhythm-medicines"),
    ("hypertension drugs and potassium", "risks", "blood-pressure-medicines"),
    # Looking back for a cause, and "the reason" for a happening.
    ("my husband had a stroke at 52, what could have caused it", "causes", "stroke"),
    ("what is the reason my heart rate goes up to 150 when I stand", "causes", "arrhythmia"),
    # A drop in blood pressure is the low topic; eye drops and lowering it are not.
    ("reason for sudden drop in blood pressure in elderly", "causes", "low-blood-pressure"),
    ("why does my bp go down after eating", "causes", "low-blood-pressure"),
    ("what foods lower blood pressure", "treatment", "high-blood-pressure"),
    ("can eye drops affect blood pressure", "risks", "high-blood-pressure"),
    # A complaint after an operation, keyword style too, is what to expect in recovery.
    ("sore throat after endoscopy", "recovery", None),
    ("itching around the incision after bypass surgery", "recovery", "coronary-artery-bypass-surgery"),
    # Activities and limits afterwards.
    ("can you walk after knee arthroscopy", "recovery", None),
    ("pacemaker restrictions", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("does it hurt after lasik", "recovery", None),
    ("I'm 66, knee replacement was 3 weeks ago and I still cant bend it past 90, is that behind schedule?",
     "recovery", None),
    ("bloated and gassy after colonscopy how long", "recovery", None),
    # After a greeting, the first question is still the main ask.
    ("Hi doctor, what is keytruda? My mother has lung cancer. Will her hair fall out?", "what_is", None),
    # "Help" inside a question is no request for the help menu.
    ("does apple cider vinegar help acid reflux", "treatment", None),
    ("help me please", "help", None),
    # Whether what one feels is the condition.
    ("I get a tight chest walking uphill and it goes away after a few minutes of rest. Is this angina?",
     "symptoms", "angina"),
    # Whether an operation is needed at all, and two treatments weighed for one purpose.
    ("my mom has gallstones but only had 1 attack, does she need her gallbladder removed?", "treatment", None),
    ("carotid stenting vs endarterectomy for 80 percent blockage", "choose", "carotid-artery-disease"),
    ("knee replacement or gel injections for bone on bone arthritis", "choose", None),
    ("angina vs heart attack", "compare", "angina"),
    # Which of two tests would show it asks how it is diagnosed.
    ("should I ask for a holter monitor or an event monitor, which one would catch it better?", "diagnosis",
     "heart-health-tests"),
    ("is ultrasound the test that will show if it's a clot", "diagnosis", None),
    # A device or repair failing later is a risk of it; time in the scanner is how it is done.
    ("I had a stent put in 3 years ago and now I get short of breath, could the stent be blocked again?", "risks",
     "angioplasty"),
    ("I'm claustrophobic and need an MRI of my back, how long will I be in the tube?", "how_done", None),
    ("I have to have an MRI with contrast. How long does it take and will they put me all the way in the tube?",
     "how_done", None),  # "does it take and" is a duration, not two things taken together
    ("amoxicillin and birth control pill does it stop it working", "risks", None),
    ("my cardiologist referred me to cardiac rehab. what is it exactly, is it like physical therapy?", "what_is",
     "cardiac-rehabilitation"),
    ("my resting heart rate is 42 on my watch. What causes a heart rate this slow?", "causes", "arrhythmia"),
    # A medicine named by what it is for, before or after the word for it.
    ("medicine for high blood pressure", "what_is", "blood-pressure-medicines"),
    ("pills for angina side effects", "risks", "angina-medicines"),
    ("The rhythm pill I take for my afib, can I still have coffee with it?", "risks", "heart-rhythm-medicines"),
    ("why would they give jardiance for heart failure if I dont have diabetes", "why_needed",
     "heart-failure-medicines"),
    # Suspecting the medicine, dependence, how many to take.
    ("lisinopril dry cough. it keeps me up at night, could it be the pill?", "risks", "blood-pressure-medicines"),
    ("My ankles swell up every evening. Could this be my heart failing?", "symptoms", "heart-failure"),
    ("is eliquis habit forming", "risks", "blood-thinners"),
    ("nitroglycerin tablets how many can i take", "personal_advice", "angina-medicines"),
    # Getting rid of it is treatment; the chance of a worse event is a risk; "lower the chance" is prevention.
    ("how do you get rid of varicose veins without surgery", "treatment", "varicose-veins"),
    ("my mother had a TIA last month. what are the chances she will have a full stroke?", "risks", "stroke"),
    ("what are the chances of survival after cardiac arrest", "recovery", "cardiac-arrest"),
    ("our first child has a VSD. is there anything I can do to lower the chance this baby has a heart defect?",
     "prevention", "congenital-heart-defects"),
    ("is endocarditis deadly", "risks", None),
    ("does medicare cover varicose vein treatment", "practical", "varicose-veins"),
    ("sharp stabbing pain in my chest for a few seconds. is this heart pain or something else?", "symptoms",
     "chest-pain"),
    ("he survived a cardiac arrest and has memory problems now. will his memory get better?", "recovery",
     "cardiac-arrest"),
    # A medicine the bot does not cover is still a medicine: its side effects, not a condition's causes.
    ("can semaglutide cause pancreatitis", "risks", None),
    ("metformin upset stomach", "risks", None),
    ("how much metformin should i take", "personal_advice", None),
    # What to expect afterwards in other words; what a test shows is what it is.
    ("How much weight will I lose after gastric sleeve?", "recovery", None),
    ("What should I avoid after cataract surgery?", "recovery", None),
    ("Will I need physical therapy after my shoulder surgery?", "recovery", None),
    ("what does a pet scan show that a ct doesnt", "what_is", None),
    ("what test shows afib", "diagnosis", "atrial-fibrillation"),
    # A medicine beside an organ or what it does to someone is a side effect.
    ("amiodarone lungs", "risks", "heart-rhythm-medicines"),
    ("brilinta making me breathless??", "risks", "blood-thinners"),
    ("ankles like balloons since amlodipine went up, is that the tablet doing it?", "risks",
     "blood-pressure-medicines"),
    ("can eliquis be crushed", "personal_advice", "blood-thinners"),
    # How likely the worst is; whether a lasting problem passes (asked after a comma, without "?").
    ("his 4.2cm aortic aneurysm is being watched. how likely is it to burst lifting weights", "risks",
     "aortic-aneurysm"),
    ("i had a cardiac arrest last year. my memory hasnt been the same since, does that get better with time",
     "recovery", "cardiac-arrest"),
    # What it involves; whether something is an option; what works; what brought it on.
    ("what does cardiac rehab actually involve, is it just exercise on a bike", "what_is",
     "cardiac-rehabilitation"),
    ("mum is 86 with severe aortic stenosis. is TAVI an option instead of open heart", "treatment",
     "heart-valve-diseases"),
    ("does fish oil lower cholestrol or is it a waste of money", "treatment", "cholesterol"),
    ("plantar fasciitis for 8 months, tried insoles. what actually works", "treatment", None),
    ("varicose veins from standing all day?", "causes", "varicose-veins"),
    ("jaw aches when i walk uphill and goes away when i stop. could that be angina?", "symptoms", "angina"),
    ("the gp said hashimotos. whats that", "what_is", None),
    # Asking what a word means is no emergency.
    ("what is congestive heart failure. does it mean the heart stopped working?", "what_is", "heart-failure"),
    ("my ECG said early repolarization. Does this mean something is wrong with my heart?", "causes",
     "heart-health-tests"),
    # Doctors asked for without an article, or by what they specialize in.
    ("could you recommend doctors or hospitals for bypass surgery", "find_doctor", "coronary-artery-bypass-surgery"),
    ("are there surgeons who specialize in aortic aneurysm repair", "find_doctor", "aortic-aneurysm"),
    # Asking for the reason in other words: whether there is one, what brings it on, where it comes from.
    ("is there a reason my blood pressure is always higher in the morning?", "causes", "high-blood-pressure"),
    ("what brings on gout attacks?", "causes", None),
    ("my son keeps getting ear infections. is there something behind it?", "causes", None),
    ("why do i keep getting nosebleeds", "causes", None),
    ("my potassium is low, what would do that", "causes", None),
    ("what is the origin of varicose veins?", "causes", "varicose-veins"),
    ("is it possible to get dvt from sitting on a long flight?", "causes", "deep-vein-thrombosis"),
    ("i was told i have a leaky valve, what makes a valve leak", "causes", "heart-valve-diseases"),
    # Counted from the operation, or the operation told in other words: the aftermath.
    ("two weeks out from knee arthroscopy and the knee clicks when i bend it", "recovery", None),
    ("i was operated on for a broken ankle and the screws are bothering me when i walk", "recovery", None),
    ("my mom had her gallbladder out and now has diarrhea every time she eats", "recovery", None),
    ("what should i expect the first week home after a hip replacement?", "recovery", None),
    ("what should i expect during a stress test", "how_done", "heart-health-tests"),
    # What kind of thing it is, asked against another name.
    ("is a mini stroke a real stroke", "what_is", "stroke"),
    ("is a TIA considered a stroke", "what_is", "stroke"),
    # Food on a medicine named before; something new since starting one; problems from having a device.
    ("my mom is on warfarin, is it ok for her to eat spinach?", "risks", "blood-thinners"),
    ("ever since starting lisinopril i have this tickle in my throat", "risks", "blood-pressure-medicines"),
    ("are there long term problems from having a pacemaker?", "risks", "pacemakers-and-implantable-defibrillators"),
    ("is green tea ok on warfarin", "risks", "blood-thinners"),
    ("entresto making me dizzy", "risks", "heart-failure-medicines"),
    # "take and do they ...": two questions, not two medicines taken together.
    ("how long does a pacemaker implant take and do they put you to sleep", "how_done",
     "pacemakers-and-implantable-defibrillators"),
    # What kind of thing it is, asked later in a message or for someone else.
    ("my aunt asked me what amlodipine is and i had no idea", "what_is", "blood-pressure-medicines"),
    ("What type of medicine is Multaq?", "what_is", "heart-rhythm-medicines"),
    ("what do statins actually do in your body", "what_is", "statins"),
    ("can you explain heart failure simply", "what_is", "heart-failure"),
    ("is a holter monitor just a portable ekg", "what_is", "heart-health-tests"),
    ("what do i do if i miss a dose of eliquis", "personal_advice", "blood-thinners"),
    # Why, in other words.
    ("how come my blood pressure is higher at the doctors office", "causes", "high-blood-pressure"),
    ("my baby was born with a heart defect. did i cause this by drinking coffee?", "causes",
     "congenital-heart-defects"),
    # What next when a treatment fails, operating against watching, a change that might be enough.
    ("tried compression stockings and nothing helps, what else is there for varicose veins", "treatment",
     "varicose-veins"),
    ("5 cm aortic aneurysm, repair or wait and see?", "treatment", "aortic-aneurysm"),
    ("my pain meds stopped working, is it time for a knee replacement", "treatment", None),
    ("can high blood pressure go away by losing weight", "treatment", "high-blood-pressure"),
    ("what else can we do to keep him from having another stroke", "prevention", "stroke"),
    ("what can I do so I don't end up like my dad with heart disease", "prevention", "coronary-artery-disease"),
    # Timing: getting ready, getting back to things, how long an illness lasts, doses apart.
    ("fasting blood test how long before", "how_done", None),
    ("when is it safe to drive after a pacemaker", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("how long does the flu take to go away", "recovery", None),
    ("how many hours apart should tylenol and advil be", "personal_advice", None),
    # Whether what one notices points to something; where to read; a heating pad is not PAD.
    ("does that sound like afib to you", "symptoms", "atrial-fibrillation"),
    ("where can i find reliable information about statins", "learn_more", "statins"),
    ("does a heating pad work for back pain", "treatment", None),
    # Whether a test finds it or is needed; what a test is for when one feels fine.
    ("does a mammogram pick up breast cancer", "diagnosis", None),
    ("need a colonoscopy at 50 with no symptoms?", "diagnosis", None),
    ("what's the point of a calcium score if i feel fine", "what_is", "heart-health-tests"),
    ("how long will i be inside the mri machine", "how_done", None),
    ("biopsy was a week ago and still no results, is no news good news", "practical", None),
    # Whether a treatment is needed at all; timing a medicine against food; how a medicine works.
    ("do you really need antibiotics for bronchitis", "treatment", None),
    ("how long after my thyroid pill can i have coffee", "personal_advice", None),
    ("how does metoprolol lower blood pressure", "what_is", "blood-pressure-medicines"),
    ("the nurse said to take plavix every single day, what does it actually do", "what_is", "blood-thinners"),
    ("whats making my legs cramp every evening", "causes", None),
    ("are there long term problems from living without a gallbladder", "risks", None),
    # Valve operations are heart surgery; a loop recorder is a heart monitor.
    ("two weeks out from mitral valve replacement, is crying a lot normal", "recovery", "heart-surgery"),
    ("what is a loop recorder", "what_is", "heart-health-tests"),
    # Treating it without pills; taking a medicine with food is how to take it, not an interaction.
    ("my triglycerides are 500 and i want to avoid pills, what can i do", "treatment", "triglycerides"),
    ("does it matter if i take my eliquis with food", "personal_advice", "blood-thinners"),
    ("how do they decide between a stent and bypass, and who do i listen to", "choose", "angioplasty"),
    # A medicine named in passing is background: the operation is what is asked about.
    ("i had cataract surgery monday. im using prednisolone drops. how long does it take for my vision to settle?",
     "recovery", None),
    ("i take metformin for diabetes. can it cause pancreatitis?", "risks", None),
    # A dose told as background is no dose question, and a dose is never a new subject.
    ("my mom takes eliquis 5 mg twice daily. she bruises easily now, should we worry", "risks", "blood-thinners"),
    ("I take 40 mg of simvastatin. Is grapefruit really that bad?", "risks", "statins"),
    ("Taking 81mg aspirin daily, is it hard on the stomach?", "risks", "blood-thinners"),
    ("can i take 40 mg of atorvastatin instead of 20", "personal_advice", "statins"),
    # What doctors do about it, in other words.
    ("is there anything that actually helps plantar fasciitis", "treatment", None),
    ("what's the usual approach for a small brain aneurysm", "treatment", "brain-aneurysm"),
    ("how do doctors handle afib in someone who is 85", "treatment", "atrial-fibrillation"),
    ("can varicose veins be fixed with a laser", "treatment", "varicose-veins"),
    ("is medication enough for angina or will i need a stent", "treatment", "angina"),
    # Harm to an organ, from a test's dye, bleeding during a procedure, the chance it bursts, addiction.
    ("will statins hurt my liver", "risks", "statins"),
    ("does amiodarone mess with your thyroid", "risks", "heart-rhythm-medicines"),
    ("can the echo dye hurt you", "risks", "heart-health-tests"),
    ("my husband is on eliquis and needs a tooth pulled, will he bleed a lot", "risks", "blood-thinners"),
    ("what are the chances the aneurysm bursts", "risks", "aneurysms"),
    ("can you get addicted to nitroglycerin", "risks", "angina-medicines"),
    # Whether it is the heart, noticed or not, how it shows in someone; not a pill's look.
    ("my wife gets jaw pain when she walks, is that her heart", "symptoms", None),
    ("can afib come and go without you noticing", "symptoms", "atrial-fibrillation"),
    ("what does a stroke look like in a young person", "symptoms", "stroke"),
    ("what does eliquis look like", "practical", "blood-thinners"),
    ("what can i eat to keep my arteries clean", "prevention", None),
    # Allowed or cleared to do something again, and the tiredness or time off work afterwards.
    ("had my appendix out a week ago, when am i cleared to lift my toddler", "recovery", None),
    ("when will my husband be allowed to drive after his bypass", "recovery", "coronary-artery-bypass-surgery"),
    ("how long until she stops feeling so tired after the chemo", "recovery", None),
    ("how many weeks off work after a pacemaker? i stock shelves", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("when can she get back to gardening after her valve surgery", "recovery", "heart-surgery"),
    ("when should he start taking the blood thinner", "personal_advice", "blood-thinners"),
    ("will she get back the use of her left hand after the stroke", "recovery", "stroke"),
    # What happens during it: put to sleep or numbed, time in the room, food before, what is felt.
    ("for a heart cath do they knock you out or just numb the groin", "how_done", "heart-health-tests"),
    ("how long will he be in the operating room for a valve repair", "how_done", "heart-surgery"),
    ("is water ok before the echo", "how_done", "heart-health-tests"),
    ("do we need to fast for the stress test", "how_done", "heart-health-tests"),
    ("with a bronchoscopy will i feel anything", "how_done", None),
    # What can harm: bleeding asked of a person, radiation adding up, long use, what a pill does to bones.
    ("i take warfarin, will i bleed a lot when the dentist pulls my tooth", "risks", "blood-thinners"),
    ("is three x rays a month too much radiation for a child", "risks", None),
    ("nasal spray every night for years harmful", "risks", None),
    ("do steroids weaken your bones", "risks", None),
    ("can afib make you tired all day", "symptoms", "atrial-fibrillation"),
    # Where a problem comes from, what else can cause it, one cause or another.
    ("my cholesterol is 290 and i eat well, where would that come from", "causes", "cholesterol"),
    ("apart from caffeine, what else could cause palpitations", "causes", "arrhythmia"),
    ("are these headaches from my glasses or my sinuses", "causes", None),
    # Leaflets and research asked for; keeping it from coming back.
    ("are there simple handouts on heart failure i can give my dad", "learn_more", "heart-failure"),
    ("any recent studies on vitamin d for preventing strokes", "learn_more", "stroke"),
    ("what can she do so she doesnt get another clot in her leg", "prevention", "deep-vein-thrombosis"),
    # Not a pill's look, nor stopping a medicine: what life is like, the heart stopped during an operation.
    ("what does life look like after a heart transplant", "recovery", "heart-transplantation"),
    ("for bypass do they stop the heart", "how_done", "coronary-artery-bypass-surgery"),
    # When results come with the test named; "they" who treat are the doctors; a finding read off a test.
    ("how long does a stress test take to get results", "practical", "heart-health-tests"),
    ("how do they treat a blood clot in the leg", "treatment", "deep-vein-thrombosis"),
    ("what does left axis deviation on an ecg mean", "causes", "heart-health-tests"),
    # Wearing a monitor, what to wear; harm to a device; pain during an operation the bot does not cover.
    ("holter monitor how to wear", "how_done", "heart-health-tests"),
    ("what to wear for a stress test", "how_done", "heart-health-tests"),
    ("can my phone mess up my pacemaker", "risks", "pacemakers-and-implantable-defibrillators"),
    ("is cataract surgery painful", "feels", None),
    # A medicine's shot is no vaccine; a side effect typed after the name; one use asked yes or no.
    ("can a cortisone shot cause high blood sugar", "causes", None),
    ("eliquis bleeding gums", "risks", "blood-thinners"),
    ("is metoprolol good for anxiety", "treatment", "blood-pressure-medicines"),
    # A long first statement is the story; the question after it asks.
    ("high blood pressure. I am 34, not overweight, I exercise and my pressure is 150/95. "
     "Why would someone like me have high blood pressure?", "causes", "high-blood-pressure"),
    # Not getting it: the name after "not" is what to avoid, not a denial; what sets it off.
    ("how do i not get a stroke", "prevention", "stroke"),
    ("what could my sister eat so she doesn't get high blood pressure", "prevention", "high-blood-pressure"),
    ("is there something people can do to never have a heart attack", "prevention", "heart-attack"),
    ("how do you stay clear of varicose veins", "prevention", "varicose-veins"),
    ("what sets off atrial fibrillation in people", "causes", "atrial-fibrillation"),
    # Blocked again is a risk, not healing; shown differently in some people; a diagnosis given, explained.
    ("can a stent close up again", "risks", "angioplasty"),
    ("will the hole in his heart close up on its own", "recovery", "congenital-heart-defects"),
    ("do women feel heart attacks differently than men", "symptoms", "heart-attack"),
    ("my cousin was told she has an enlarged heart, what does that mean", "what_is", "cardiomyopathy"),
    # A complaint put down to a medicine; what doctors give; how a medicine works; a low reading said in words.
    ("eliquis. i bruise so easily now. is that the eliquis doing it", "risks", "blood-thinners"),
    ("what do they give you for angina", "treatment", "angina"),
    ("what exactly is a statin and how does it work", "what_is", "statins"),
    ("what are signs your blood pressure is too low", "symptoms", "low-blood-pressure"),
    # A defibrillator being put in, a CT of the heart and its radiation; where the line for a diagnosis is.
    ("when can he drive after getting a defibrillator", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("is a ct of the heart a lot of radiation", "risks", "heart-health-tests"),
    ("at what point do doctors call it high blood pressure", "diagnosis", "high-blood-pressure"),
    # Lowering the risk said after the name, making it less likely; a heart getting weak; feeling it.
    ("what lowers stroke risk in people with afib", "prevention", "stroke"),
    ("my dad had a heart attack, what makes another one less likely", "prevention", "heart-attack"),
    ("what makes the heart get weak", "causes", "heart-failure"),
    ("can you feel an aortic aneurysm", "symptoms", "aortic-aneurysm"),
    # How it is done, asked inside another sentence.
    ("my husband needs a triple bypass. can you explain how the surgery is done?", "how_done",
     "coronary-artery-bypass-surgery"),
    # A new problem after an operation or a test is a risk (a complication); a soreness that lingers is healing.
    ("my dad got a pacemaker last month and now the spot where it sits is infected", "risks",
     "pacemakers-and-implantable-defibrillators"),
    ("after her bypass my mom had a seizure, could the surgery have caused it", "risks", "coronary-artery-bypass-surgery"),
    ("had a stent put in a week ago and still sore where they went in, no fever", "recovery", "angioplasty"),
    ("they gave him dye for the heart cath and he broke out in hives", "risks", "heart-health-tests"),
    # How it will go for one person, or left untreated, is the care team's to say (outlook);
    # what usually follows a heart attack is recovery; what a condition does to the body, a risk.
    ("my aunt has pulmonary hypertension, will it get worse over time", "outlook", "pulmonary-hypertension"),
    ("what happens if a brain aneurysm is left untreated", "outlook", "brain-aneurysm"),
    ("my dad has an aortic aneurysm and won't have the repair, what will happen to him", "outlook", "aortic-aneurysm"),
    ("what is the outlook after a heart attack", "recovery", "heart-attack"),
    ("what can high blood pressure do to your kidneys", "risks", "high-blood-pressure"),
    # A medicine the bot does not cover still reads as one ("can meloxicam cause ..."); telling one illness
    # from another, or getting it wrong, is diagnosis; blaming something, and why they form, are causes.
    ("can meloxicam cause kidney problems", "risks", None),
    ("can afib be mistaken for a panic attack", "diagnosis", "atrial-fibrillation"),
    ("my heart skips beats after coffee, is caffeine to blame", "causes", "arrhythmia"),
    ("my sister had a brain aneurysm at 40. what is the reason they form", "causes", "brain-aneurysm"),
    ("my triglycerides are 500, where does that come from", "causes", "triglycerides"),
    ("crestor and memory loss, is there a link", "risks", "statins"),
    ("what does lisinopril do to your kidneys", "risks", "blood-pressure-medicines"),
    # Whether a lingering problem passes; taking it easy is no medicine; getting tested is no cause.
    ("will the numbness in my leg go away after bypass", "recovery", "coronary-artery-bypass-surgery"),
    ("how long do you have to take it easy after a cardiac ablation", "recovery", "arrhythmia"),
    ("how do you get tested for high cholesterol", "diagnosis", "cholesterol"),
    # The steps said as a noun, a visit for it, how it is carried out, what the staff have one do.
    ("what is the procedure for a heart cath", "how_done", "heart-health-tests"),
    ("what is involved in a holter monitor test", "how_done", "heart-health-tests"),
    ("what goes on at cardiac rehab sessions", "during", "cardiac-rehabilitation"),
    ("is bypass surgery done with the heart stopped", "how_done", "coronary-artery-bypass-surgery"),
    ("i have a stress test thursday, what will they actually have me do", "how_done", "heart-health-tests"),
    # Something to print for someone who reads another language; a word that scared them, explained.
    ("my grandmother only reads spanish, do you have anything about afib i can print for her", "learn_more",
     "atrial-fibrillation"),
    ("does heart failure mean the heart is going to stop", "what_is", "heart-failure"),
    # A question asked in a statement ("I want to know when ..."); the diagnosis just told, as a noun.
    ("i had a small heart attack 6 weeks ago and got a stent. i run a bakery and want to know when it is "
     "reasonable to go back to lifting flour bags", "recovery", "heart-attack"),
    ("my son was told he has hypertrophic cardiomyopathy after he fainted at soccer. what exactly is this condition?",
     "what_is", "cardiomyopathy"),
    ("i have a nuclear stress test next tuesday. please explain what they will do and how long it takes.",
     "how_done", "heart-health-tests"),
    # Reading material asked to be sent, for someone else.
    ("my mother has heart failure. could you send me some reading material for her?", "learn_more",
     "heart-failure"),
    # Keeping a medicine, its timing and how to use it: practical matters and the person's own care.
    ("how should nitroglycerin be stored", "practical", "angina-medicines"),
    ("does eliquis need to be refrigerated", "practical", "blood-thinners"),
    ("is it ok to take expired warfarin", "practical", "blood-thinners"),
    ("how long does it take for a statin to lower cholesterol", "personal_advice", "statins"),
    ("how long after taking ibuprofen can i take eliquis", "personal_advice", "blood-thinners"),
    ("what time of day should you take lisinopril", "personal_advice", "blood-pressure-medicines"),
    ("nitroglycerin patch how to apply", "personal_advice", "angina-medicines"),
    ("brilinta how long to take", "personal_advice", "blood-thinners"),
    # A medicine named as on its label, what it treats, whether it is used for a problem.
    ("atorvastatin calcium 20mg tablet", "what_is", "statins"),
    ("benazepril hcl 10 mg uses", "what_is", "blood-pressure-medicines"),
    ("what does metoprolol treat", "what_is", "blood-pressure-medicines"),
    ("can metoprolol be used for anxiety", "treatment", "blood-pressure-medicines"),
    ("i was told i have afib. what exactly is that?", "what_is", "atrial-fibrillation"),
    # Life afterwards, the outcome, the usual after-effects; a fever after an operation is a complication.
    ("how long do you stay on bed rest after angiogram", "recovery", "heart-health-tests"),
    ("how successful is cardiac ablation", "recovery", "arrhythmia"),
    ("living with a pacemaker", "recovery", "pacemakers-and-implantable-defibrillators"),
    ("bypass surgery aftercare", "recovery", "coronary-artery-bypass-surgery"),
    ("angioplasty aftermath", "recovery", "angioplasty"),
    ("do stents need to be replaced", "recovery", "angioplasty"),
    ("sore throat after a heart cath", "recovery", "heart-health-tests"),
    ("fever after bypass surgery", "risks", "coronary-artery-bypass-surgery"),
    # Where it is done and how: an overnight stay, the position, the vessels used, where a device goes.
    ("do you have to stay overnight for a heart cath", "how_done", "heart-health-tests"),
    ("will they keep me overnight for my stress test", "how_done", "heart-health-tests"),
    ("what position are you in for an echocardiogram", "how_done", "heart-health-tests"),
    ("which arteries are used in bypass surgery", "how_done", "coronary-artery-bypass-surgery"),
    ("where is a pacemaker placed", "how_done", "pacemakers-and-implantable-defibrillators"),
    ("what is a pacemaker made of", "what_is", "pacemakers-and-implantable-defibrillators"),
    # A complaint that comes with a condition; what people can do to keep healthy; tests to find a cause.
    ("do you get headaches with high blood pressure", "symptoms", "high-blood-pressure"),
    ("what can young people do to keep their hearts healthy?", "prevention", "how-to-prevent-heart-disease"),
    ("my ecg shows afib, what causes it", "causes", "atrial-fibrillation"),
    # "Work" as a job is no medicine working; a class said as a statement; plaque dissolved is a treatment.
    ("how long will i be off work", "recovery", None),
    ("how long before metoprolol starts to work", "personal_advice", "blood-pressure-medicines"),
    ("lasix is a diuretic?", "what_is", "blood-pressure-medicines"),
    ("is zyrtec an antihistamine", "what_is", None),
    ("can you dissolve plaque in arteries", "treatment", "atherosclerosis"),
    ("is angioplasty an outpatient procedure", "how_done", "angioplasty"),
    # A condition tested for is diagnosed; help with a medicine's price is practical.
    ("how is peripheral artery disease tested", "diagnosis", "peripheral-arterial-disease"),
    ("how is a stress test done", "how_done", "heart-health-tests"),
    ("is there a coupon for xarelto", "practical", "blood-thinners"),
    ("are there patient assistance programs for entresto", "practical", "heart-failure-medicines"),
    # An activity after an operation, however it is put: sex, time off one's feet, exercise.
    ("how long after vasectomy can i have sex", "recovery", None),
    ("bunion surgery how long off feet", "recovery", None),
    ("after appendectomy how long before exercise", "recovery", None),
    ("how long after taking metoprolol can i have coffee", "personal_advice", "blood-pressure-medicines"),
    ("how long before the angiogram", "how_done", "heart-health-tests"),
    # Name words typed as one word.
    ("what is a heartattack", "what_is", "heart-attack"),
    ("what is highbloodpressure", "what_is", "high-blood-pressure"),
    ("bloodthinner and alcohol", "risks", "blood-thinners"),
    ("how long is recovery from bypasssurgery", "recovery", "coronary-artery-bypass-surgery"),
    # What is done in it, what it is like, what it involves; possible problems after it.
    ("what is done in bypass surgery", "how_done", "coronary-artery-bypass-surgery"),
    ("what is having a heart cath like", "how_done", "heart-health-tests"),
    ("what does the procedure for a pacemaker involve", "how_done", "pacemakers-and-implantable-defibrillators"),
    ("how is the heart stopped during bypass surgery", "how_done", "coronary-artery-bypass-surgery"),
    ("i am getting a pacemaker. what are the possible problems after it's put in?", "risks",
     "pacemakers-and-implantable-defibrillators"),
    # Research as the subject; the medicines given for a condition; a sign that may be missing.
    ("latest research on stroke recovery", "learn_more", "stroke"),
    ("research on new treatments for heart failure", "learn_more", "heart-failure"),
    ("what medicines do they give for a stroke", "treatment", "stroke"),
    ("can you have a heart attack without chest pain", "symptoms", "heart-attack"),
    ("my doctor mentioned PAD at my visit. what does that mean?", "what_is", "peripheral-arterial-disease"),
    ("my ecg showed left axis deviation, what does that mean", "causes", "heart-health-tests"),
    # The hour or a meal a medicine is taken at is the person's own care; taking too much is a risk.
    ("should lisinopril be taken in the morning or at night", "personal_advice", "blood-pressure-medicines"),
    ("can i take my blood pressure pill after eating", "personal_advice", "blood-pressure-medicines"),
    ("can you overdose on melatonin", "risks", None),
    # How an illness goes for one person; not having the usual risk factors is no untreated illness.
    ("is cardiomyopathy progressive", "outlook", "cardiomyopathy"),
    ("what causes carotid plaque if i don't have the usual risk factors", "causes", "carotid-artery-disease"),
    ("my heart races now and then but my ecg was normal. what other tests can find what is going on?", "diagnosis",
     "arrhythmia"),
    ("low ejection fraction", "what_is", "heart-failure"), ("high trigs", "what_is", "triglycerides"),
    # What a medicine can stop is a treatment; stopping one's own medicine is personal.
    ("i keep getting afib episodes. what medicines can stop them?", "treatment", "atrial-fibrillation"),
    ("can i stop taking metoprolol", "personal_advice", "blood-pressure-medicines"),
    # The odds of a complication of an operation; radiation in a test.
    ("what are the chances of a stroke during bypass surgery", "risks", "coronary-artery-bypass-surgery"),
    ("is there radiation in a nuclear stress test", "risks", "heart-health-tests"),
    # What kind of procedure it is and how it is carried out.
    ("is a heart cath invasive", "how_done", "heart-health-tests"),
    ("how long does a holter monitor stay on", "how_done", "heart-health-tests"),
    ("how many stents can they put in at once", "how_done", "angioplasty"),
    ("do they break your ribs during bypass surgery", "how_done", "coronary-artery-bypass-surgery"),
    # Asking to understand it, what is meant by it, what it is about.
    ("help me understand cardiomyopathy", "what_is", "cardiomyopathy"),
    ("what do they mean by angioplasty", "what_is", "angioplasty"),
    ("what's the deal with statins", "what_is", "statins"),
    ("what part of the body does pad affect", "what_is", "peripheral-arterial-disease"),
    ("i want to understand the risks of a stent", "risks", "angioplasty"),
    # A question asked inside a statement is read the direct way too ("whether I can take" = "can I take").
    ("I am 67 and take eliquis for afib. My question is whether I can take tylenol for my arthritis.", "risks",
     "blood-thinners"),
    ("My father gets out of breath walking to the mailbox and his ankles are swollen. "
     "I am wondering if this is heart failure.", "symptoms", "heart-failure"),
    ("My doctor wants me to get a stress test. I want to know what the test will show.", "diagnosis",
     "heart-health-tests"),
    ("My mom is having a pacemaker put in on Friday. I would like to know what they will do.", "how_done",
     "pacemakers-and-implantable-defibrillators"),
    ("I was told I have pulmonary hypertension. I never smoked. I would like to know how I got it.", "causes",
     "pulmonary-hypertension"),
    ("I want to know what an echocardiogram is.", "what_is", "heart-health-tests"),
    ("I'd like to understand why my triglycerides are so high.", "causes", "triglycerides"),
    ("Could you tell me how they do a heart cath?", "how_done", "heart-health-tests"),
    ("I need to find out if I have PAD. What should I ask for?", "diagnosis", "peripheral-arterial-disease"),
    ("My husband had bypass surgery in May. My concern is that he still cannot sleep through the night.", "recovery",
     "coronary-artery-bypass-surgery"),
    ("We are wondering how long the bypass surgery will take.", "how_done", "coronary-artery-bypass-surgery"),
    ("I would like to know why my blood pressure is low in the morning.", "causes", "low-blood-pressure"),
    # Keyword searches: the way in, how long it takes, screening.
    ("angiogram through wrist or groin", "how_done", "heart-health-tests"),
    ("pacemaker surgery time", "how_done", "pacemakers-and-implantable-defibrillators"),
    ("aneurysm screening age", "diagnosis", "aneurysms"),
    ("bypass recovery time", "recovery", "coronary-artery-bypass-surgery"),
    # Reading asked for on one aspect is still a request for reading; plain "information on its
    # treatment" is left to the treatment answer, which cites its sources.
    ("could you mail me reading materials on how heart failure is treated", "learn_more", "heart-failure"),
    ("my dad has afib and i want to read up on how it is diagnosed", "learn_more", "atrial-fibrillation"),
    ("do you have brochures about stroke recovery for families", "learn_more", "stroke"),
    ("show me some research on blood thinners and falls", "learn_more", "blood-thinners"),
    ("what groups support people living with heart failure", "learn_more", "heart-failure"),
    ("i am looking for information on treatment options for angina", "treatment", "angina"),
    # A treatment chosen for its few side effects, or something taken for a side effect.
    ("is there a statin without side effects", "treatment", "statins"),
    ("a blood thinner with less bleeding risk", "treatment", "blood-thinners"),
    ("what should i take for the muscle aches caused by my statin", "treatment", "statins"),
    ("are there injections to lower cholesterol", "treatment", "cholesterol"),
    # Its size or what kind of thing it is; where it comes from.
    ("how small is an icd", "what_is", "pacemakers-and-implantable-defibrillators"),
    ("is a heart attack considered a disease", "what_is", "heart-attack"),
    ("where do varicose veins come from", "causes", "varicose-veins"),
    # What happens at it, how many cuts, the dye, fasting, whether it is painful, coiling.
    ("what happens at an echocardiogram", "during", "heart-health-tests"),
    ("how many cuts for a pacemaker", "how_done", "pacemakers-and-implantable-defibrillators"),
    ("what contrast is injected during a heart cath", "how_done", "heart-health-tests"),
    ("do i need to be fasting for an echocardiogram", "how_done", "heart-health-tests"),
    ("how is a brain aneurysm coiled", "how_done", "brain-aneurysm"),
    # Whether a condition brings on a symptom is its symptoms; a symptom typed before the name.
    ("can heart failure make you so sleepy", "symptoms", "heart-failure"),
    ("does atrial fibrillation cause blurry vision", "symptoms", "atrial-fibrillation"),
    ("night sweats with angina", "symptoms", "angina"),
    # Keeping it from happening at all.
    ("do statins keep a stroke from happening", "prevention", "stroke"),
    # A problem after an operation named in everyday words; an operation told as "got it replaced".
    ("bruises under my eyes after my face lift", "recovery", None),
    ("headache that won't quit after a spinal tap", "recovery", None),
    ("got my knee replaced and now it clicks", "recovery", None),
    # A dose the doctor changed, asked about: the person's own medicine.
    ("the doctor increased my metoprolol dose, is that too strong", "personal_advice", "blood-pressure-medicines"),
    # A Holter named as a test; named in passing beside a condition it stays with the condition.
    ("is a holter test uncomfortable", "feels", "heart-health-tests"),
    ("a week on the holter found afib. how is afib treated?", "treatment", "atrial-fibrillation"),
    # Whether a medicine is used for a problem, what to take in its place, a medicine for a job.
    ("is carvedilol ever used for migraines", "treatment", "blood-pressure-medicines"),
    ("what could i use instead of warfarin", "treatment", "blood-thinners"),
    ("pills to lower triglycerides", "treatment", "triglycerides"),
    ("can a blood thinner break up a clot", "treatment", "blood-thinners"),
    # The label as typed, a side effect typed after the name, how and when it is taken, its look.
    ("metoprolol tart 25 mg tab", "what_is", "blood-pressure-medicines"),
    ("losartan muscle weakness", "risks", "blood-pressure-medicines"),
    ("how are nitroglycerin patches applied", "personal_advice", "angina-medicines"),
    ("what's the right time of day to take a statin", "personal_advice", "statins"),
    ("do statin pills come in different colors", "practical", "statins"),
    # Shorthand and grammar slips: "els", "how they do it", "do it hurt".
    ("my bp stays high on three medicines, what els can i do", "treatment", "high-blood-pressure"),
    ("my doctor says i need a stress test. how they do it? do it hurt?", "how_done", "heart-health-tests"),
])
def test_everyday_questions(shipped, question, intent, topic_id):
    _, knowledge = shipped
    reply = reply_to(knowledge, question)
    assert (reply.intent, reply.topic_id) == (intent, topic_id)


@pytest.mark.parametrize("question", ["do i need a stent after a heart attack", "when is bypass surgery needed",
                                      "who needs a heart transplant"])
def test_whether_to_have_a_procedure_is_answered_by_why_it_is_done(shipped, question):
    """A treatment question about a procedure shows its what_is answer (answer_for in intents/treatment.yaml)."""
    content, knowledge = shipped
    reply = reply_to(knowledge, question)
    assert (reply.kind, reply.intent) == ("answer", "treatment")
    assert content.topics[reply.topic_id].answers["what_is"].text.split(".")[0] in reply.text
    assert not any(q.payload.startswith("ask:treatment:") for q in reply.quick_replies)


@pytest.mark.parametrize(("question", "named"), [
    # Names staff add to a directory entry (keywords), and a long title made of everyday words.
    ("high blood pressure during pregnancy, is it dangerous for the baby", "High Blood Pressure in Pregnancy"),
    ("I have preeclampsia at 34 weeks", "High Blood Pressure in Pregnancy"),
    # The question is about a topic we do not cover; the covered one is only background.
    ("I take amlodipine and my wife says I stop breathing in my sleep. How do they test for sleep apnea?", "Sleep Apnea"),
    ("what is a panic attack", "Panic Disorder"),
    ("what is diabetes", "Diabetes"), ("what is a colonoscopy", "Colonoscopy"), ("how is asthma treated", "Asthma"),
    ("what is depression", "Depression"), ("what is lasik", "Laser Eye Surgery"),
    # A title led by an acronym is a subject, though people also ask with its words ("can I have an MRI").
    ("mri scan", "MRI Scans"), ("what is an mri", "MRI Scans"), ("ct scan", "CT Scans"),
    ("what are blood clots", "Blood Clots"), ("blood clot in my arm", "Blood Clots"),
])
def test_a_topic_the_bot_does_not_cover_is_named_with_where_to_read(shipped, question, named):
    """Words that cues mention as context ("...and diabetes") must not hide an uncovered subject."""
    _, knowledge = shipped
    reply = reply_to(knowledge, question)
    assert reply.kind == "abstain" and f'"{named}"' in reply.text and "medlineplus.gov" in reply.text


@pytest.mark.parametrize("question", ["what is a spinal tap", "what is a root canal", "what is a tummy tuck",
                                      "what is angioedema", "what is an infusion", "what is a nosebleed",
                                      "what is fluid retention", "what is banding"])
def test_a_subject_named_in_no_cue_and_no_directory_entry_still_gets_the_honest_no(shipped, question):
    """Every word written in a cue counts as a question word, never as a subject: cues must not
    list names of things people ask about ("spinal tap"), or "what is X?" asks which topic."""
    _, knowledge = shipped
    assert reply_to(knowledge, question).kind == "abstain"


@pytest.mark.parametrize(("turns", "topic_id", "lacking"), [
    (["is a stress test safe for someone with asthma?"], "heart-health-tests", "Asthma"),
    (["I have lupus. Am I at higher risk of stroke?"], "stroke", "Lupus"),
    # In a conversation, "it" is the topic talked about, and asthma what the person has.
    (["what is a stress test", "is it safe for someone with asthma"], "heart-health-tests", "Asthma"),
])
def test_a_condition_we_do_not_cover_beside_the_question_is_named_before_the_answer(shipped, turns, topic_id, lacking):
    """Without a word about asthma, the stress test's risks could read as "yes, safe with asthma"."""
    _, knowledge = shipped
    reply = reply_to(knowledge, *turns)
    assert reply.kind == "answer" and reply.topic_id == topic_id
    note, answer = (m.text for m in reply.messages if m.role == "answer")
    assert f"information on {lacking} itself" in note and lacking.lower() not in answer.lower()


@pytest.mark.parametrize("question", [
    "Is angioplasty safe for someone with kidney disease?",  # its risks answer speaks of kidney disease
    "do i have diabetes after my heart attack",  # asked about, not had: the honest no, not a note
])
def test_no_note_where_the_answer_speaks_of_it_or_it_is_what_is_asked(shipped, question):
    _, knowledge = shipped
    reply = reply_to(knowledge, question)
    assert not any("itself. A doctor" in m.text for m in reply.messages)


def test_a_directory_name_ending_in_disease_is_found_though_its_words_are_everyday(shipped):
    """Both words of "Kidney Diseases" come up in questions ("can the dye hurt my kidneys?")."""
    _, knowledge = shipped
    assert "Kidney Diseases" in reply_to(knowledge, "what is kidney disease").text


def test_a_short_everyday_word_is_no_directory_name(shipped):
    """"Pot" is another name for marijuana in the directory, yet "POTS-like symptoms" is not about it."""
    _, knowledge = shipped
    reply = reply_to(knowledge, "My daughter has POTS-like symptoms. Which specialist treats low blood pressure?")
    assert "Marijuana" not in reply.text and reply.topic_id == "low-blood-pressure"


@pytest.mark.parametrize(("question", "page"), [
    ("what is acne", "https://medlineplus.gov/acne.html"),
    ("what is a panic attack", "https://medlineplus.gov/panicdisorder.html"),
    ("how is asthma treated", "https://medlineplus.gov/asthma.html"),
])
def test_an_uncovered_topic_gets_a_link_to_its_own_page(shipped, question, page):
    """The directory knows the MedlinePlus page (NLM's catalogue), so the patient gets a link, not a search."""
    _, knowledge = shipped
    reply = reply_to(knowledge, question)
    assert reply.kind == "abstain" and page in reply.text


@pytest.mark.parametrize("question", [
    "what is heat stroke", "what is an eye stroke", "what is a kidney stent", "what is portal hypertension",
    "what is ocular hypertension", "why is a stent put into the urinary tract",
    "headache and a bulging vein on my forehead",
])
def test_a_name_with_a_qualifier_that_makes_it_another_subject_abstains(shipped, question):
    """Heat stroke is not a stroke, and a kidney stent is not a heart stent (see bot/core/data/qualifiers.txt)."""
    _, knowledge = shipped
    reply = reply_to(knowledge, question)
    assert reply.kind == "abstain" and reply.topic_id is None


@pytest.mark.parametrize(("question", "topic_id"), [
    ("what is a mini stroke", "stroke"), ("what is a heart stent", "angioplasty"),
    ("what is a brain aneurysm", "brain-aneurysm"), ("high blood pressure in kidney disease", "high-blood-pressure"),
    ("statins and liver damage", "statins"), ("what is pulmonary hypertension", "pulmonary-hypertension"),
    # The artery named alone, as patients say it.
    ("my carotids are 50 percent blocked", "carotid-artery-disease"), ("plaque in my carotid", "carotid-artery-disease"),
    ("my coronaries are blocked", "coronary-artery-disease"),
    # A description narrowing an uncovered name: a blood clot (not covered) in the calf is a DVT.
    ("blood clot in my calf", "deep-vein-thrombosis"), ("how is a blood clot in the thigh treated", "deep-vein-thrombosis"),
])
def test_qualifiers_that_belong_to_the_topic_keep_it(shipped, question, topic_id):
    _, knowledge = shipped
    assert reply_to(knowledge, question).topic_id == topic_id


@pytest.mark.parametrize(("question", "emergency"), [
    ("should i call 911", True), ("how do i get emergency care", True),
    ("should i go to urgent care or the er for chest pain", True), ("should i see my doctor or go to the er", True),
    # Urgent care is a walk-in clinic, not an emergency.
    ("should I go to urgent care for a sprained ankle or just ice it", False),
    ("is urgent care open on sundays", False),
])
def test_asking_whether_to_go_to_the_er_gets_the_emergency_reply_and_urgent_care_alone_does_not(
        shipped, question, emergency):
    _, knowledge = shipped
    assert (reply_to(knowledge, question).kind == "emergency") is emergency


@pytest.mark.parametrize("question", ["can you diagnose me", "what do I have", "whats wrong with me",
                                      "I have a headache and fever, what do I have?"])
def test_a_request_for_a_diagnosis_gets_the_clinician_reply(shipped, question):
    """The bot informs; it never diagnoses."""
    _, knowledge = shipped
    reply = reply_to(knowledge, question)
    assert (reply.kind, reply.intent) == ("advice", "personal_advice")
    assert "doctor" in reply.text.lower()


@pytest.mark.parametrize(("question", "topic_id"), [
    ("hart attack symtoms", "heart-attack"),  # "hart" is an English word, but "attack" vouches for "heart"
    ("congestive heart faliure life expectancy", "heart-failure"),  # two edits, allowed next to "heart"
    ("recovry after bypas surgery", "coronary-artery-bypass-surgery"),  # the stemmer would clip "bypas"
    ("what is an echo cardiogram", "heart-health-tests"),  # split, though "echo" is a name word too
    ("side efects of lisinoprill", "blood-pressure-medicines"),
    ("varicos veins treatment", "varicose-veins"),
])
def test_misspelled_names(shipped, question, topic_id):
    _, knowledge = shipped
    assert reply_to(knowledge, question).topic_id == topic_id


@pytest.mark.parametrize(("question", "intent"), [
    ("afib treatmnet", "treatment"), ("hart attack symtoms", "symptoms"), ("side efects of lisinoprill", "risks"),
    ("what are the complicatons of angioplasty", "risks"), ("how long is recovary after a stent", "recovery"),
    ("I was just diagnosed with afib, what is the treatment", "treatment"),  # "diagnosed with" is background
    ("how is afib diagnosed", "diagnosis"),
])
def test_misspelled_question_words(shipped, question, intent):
    _, knowledge = shipped
    assert reply_to(knowledge, question).intent == intent


@pytest.mark.parametrize(("first", "follow_up", "intent", "topic_id"), [
    ("what is a stent", "how long is recovary", "recovery", "angioplasty"),
    ("what is warfarin", "any side efects", "risks", "blood-thinners"),
])
def test_a_misspelled_follow_up_keeps_the_topic(shipped, first, follow_up, intent, topic_id):
    """A misspelled question word is not an unfamiliar subject that would end the conversation's topic."""
    _, knowledge = shipped
    reply = reply_to(knowledge, first, follow_up)
    assert (reply.intent, reply.topic_id) == (intent, topic_id)



def test_a_question_about_something_else_good_for_the_heart_does_not_get_the_conversation_topic(shipped):
    """After a stroke, "is red wine good for your heart?" is not a question about what a stroke is."""
    _, knowledge = shipped
    reply = reply_to(knowledge, "my dad had a stroke", "is red wine good for your heart")
    assert reply.kind != "answer" and reply.intent != "what_is"


@pytest.mark.parametrize(("turns", "intent", "topic_id", "answer"), [
    # A statement with only a weak guess at a question gets what the topic is.
    (["my doctor says i have heart failure"], "what_is", "heart-failure", "what_is"),
    (["my doctor says i have heart failure", "what are the symptoms", "what does that mean"], "what_is",
     "heart-failure", "what_is"),
    (["my doctor says i have heart failure", "what should i eat"], "treatment", "heart-failure", "treatment"),
    # "How do they fix it?" of a condition: answered by its treatment (answer_for in intents/how_done.yaml)...
    (["what is afib", "how do they fix it"], "how_done", "atrial-fibrillation", "treatment"),
    # ...but a condition with its own how_done answer keeps it.
    (["how is catheter ablation done"], "how_done", "arrhythmia", "how_done"),
    (["my dad is getting a pacemaker", "is it a big surgery"], "how_done",
     "pacemakers-and-implantable-defibrillators", "how_done"),
    (["my dad is getting a pacemaker", "can he use a microwave"], "risks",
     "pacemakers-and-implantable-defibrillators", "risks"),
    # Whom it is for, and whether it is worth having: what it is and why it is done.
    (["what are the risks of cardiac rehab", "who goes"], "treatment", "cardiac-rehabilitation", "what_is"),
    (["what are the risks of cardiac rehab", "is it worth it"], "treatment", "cardiac-rehabilitation", "what_is"),
    # "Where does this come from?" after an answer: the topic's sources.
    (["tell me about heart failure", "where does this information come from?"], "learn_more", "heart-failure",
     "learn_more"),
    # A new problem reported while a medicine or procedure is the topic: its side effects or risks.
    (["i just started taking lisinopril", "i have a dry cough now"], "risks", "blood-pressure-medicines", "risks"),
    (["what is warfarin", "i have been getting nosebleeds"], "risks", "blood-thinners", "risks"),
    (["i had bypass surgery 3 weeks ago", "my incision is red and warm"], "risks",
     "coronary-artery-bypass-surgery", "risks"),
    # A topic only described ("an ache in my chest") that has no answer to the question gives way to
    # the conversation's procedure, which has one.
    (["what is a stent",
      "I had one put in last month and now I have a dull ache in my chest when I climb stairs, is that normal?"],
     "recovery", "angioplasty", "recovery"),
    # "And <another topic>?" carries the question over; "and <something else>?" of a medicine asks about the mix.
    (["tell me about statins", "and blood thinners?"], "what_is", "blood-thinners", "what_is"),
    (["what is warfarin", "and alcohol?"], "risks", "blood-thinners", "risks"),
    # "Which one" picks among topics just named: an everyday word beside it is no new subject.
    (["what are the risks of angioplasty", "what about bypass surgery", "which one has the shortest recovery"],
     "recovery", "coronary-artery-bypass-surgery", "recovery"),
    # "Why does he need it?" of a procedure is why it is done; "why do I have it?" of a condition, the cause.
    (["my dad is getting a pacemaker next week", "why does he need it?"], "why_needed",
     "pacemakers-and-implantable-defibrillators", "what_is"),
    (["i was just diagnosed with afib", "why do i have it"], "causes", "atrial-fibrillation", "causes"),
    # Who it is for is why it is done; how often the sessions are is how it is done.
    (["what are the risks of cardiac rehab", "who can go"], "treatment", "cardiac-rehabilitation", "what_is"),
    (["what is cardiac rehab", "how often are the sessions"], "how_done", "cardiac-rehabilitation", "how_done"),
])
def test_conversation_turns_get_the_answer_that_fits(shipped, turns, intent, topic_id, answer):
    content, knowledge = shipped
    reply = reply_to(knowledge, *turns)
    assert (reply.kind, reply.intent, reply.topic_id) == ("answer", intent, topic_id)
    if answer == "learn_more":  # links, not text: the topic's pages are cited
        assert "To learn more about" in reply.text and reply.citations
    else:
        assert content.topics[topic_id].answers[answer].text.split(".")[0] in reply.text


@pytest.mark.parametrize(("turns", "kind", "intent"), [
    (["what are statins", "do i really need them"], "advice", "personal_advice"),  # one person's own care
    (["what are statins", "what is gout"], "abstain", "what_is"),  # a new subject, not a side effect
    (["what are statins", "i have a question"], "smalltalk", "help"),  # no problem reported: not a side effect
])
def test_what_a_follow_up_about_a_medicine_gets(shipped, turns, kind, intent):
    _, knowledge = shipped
    reply = reply_to(knowledge, *turns)
    assert (reply.kind, reply.intent) == (kind, intent)


def test_a_weak_guess_at_a_question_the_topic_cannot_answer_offers_what_it_can(shipped):
    content, knowledge = shipped
    vague = reply_to(knowledge, "my husband keeps getting chest pain when he walks up stairs")
    assert (vague.kind, vague.topic_id) == ("clarify", "chest-pain")
    offered = [q.payload for q in vague.quick_replies]
    assert offered and all(p.startswith("ask:") and p.endswith(":chest-pain") for p in offered)
    # A clear question still hears plainly that this answer is missing.
    clear = reply_to(knowledge, "how long does recovery from chest pain take")
    assert (clear.kind, clear.intent, clear.topic_id) == ("missing", "recovery", "chest-pain")


def test_choosing_between_two_procedures_answers_each_one(shipped):
    content, knowledge = shipped
    reply = reply_to(knowledge, "stents or bypass surgery, which is better for my dad?")
    assert (reply.kind, reply.intent) == ("answer", "choose")
    for topic_id in ("angioplasty", "coronary-artery-bypass-surgery"):
        topic = content.topics[topic_id]
        # For a procedure, what it is and why it is done (answer_for in intents/choose.yaml).
        assert f"{topic.title}: " + topic.answers["what_is"].text.split(".")[0] in reply.text


@pytest.mark.parametrize(("follow_up", "intent", "answer"), [
    ("which one has the shorter recovery?", "recovery", "recovery"),
    ("does either one hurt?", "feels", "how_done"),
])
def test_a_question_picking_among_two_topics_just_compared_is_answered_for_both(shipped, follow_up, intent, answer):
    content, knowledge = shipped
    reply = reply_to(knowledge, "stents or bypass surgery, which is better?", follow_up)
    assert (reply.kind, reply.intent) == ("answer", intent)
    for topic_id in ("angioplasty", "coronary-artery-bypass-surgery"):
        topic = content.topics[topic_id]
        assert f"{topic.title}: " + topic.answers[answer].text.split(".")[0] in reply.text


def test_after_another_topic_a_picking_question_is_about_that_topic_alone(shipped):
    _, knowledge = shipped
    reply = reply_to(knowledge, "stents or bypass surgery, which is better?", "what is a pacemaker",
                     "which one lasts longer")
    assert "Angioplasty" not in reply.text and "Coronary Artery Bypass Surgery" not in reply.text


@pytest.mark.parametrize(("question", "intent", "topic_id"), [
    ("is 140/90 high for a 70 year old", "what_is", "high-blood-pressure"),
    ("is 118/76 normal", "what_is", "high-blood-pressure"),  # what the topic is says what normal is
    ("is 160 over 100 dangerous", "risks", "high-blood-pressure"),
    ("my reading was 85/50 is that too low", "personal_advice", "low-blood-pressure"),
])
def test_a_reading_said_without_a_name_is_about_blood_pressure(shipped, question, intent, topic_id):
    _, knowledge = shipped
    reply = reply_to(knowledge, question)
    assert (reply.intent, reply.topic_id) == (intent, topic_id)


def test_two_numbers_that_are_not_a_reading_name_no_topic(shipped):
    _, knowledge = shipped
    assert reply_to(knowledge, "I weigh 180 and my husband 150").topic_id is None


@pytest.mark.parametrize(("question", "topic_id"), [
    ("what is sclerotherapy", "varicose-veins"), ("what is catheter ablation", "arrhythmia"),
    ("why do they do a cardioversion", "atrial-fibrillation"), ("what is EVAR", "aortic-aneurysm"),
    ("what is tpa", "ischemic-stroke"), ("why would someone need a carotid endarterectomy", "carotid-artery-disease"),
])
def test_a_treatment_named_for_its_condition_shows_the_treatment_answer(shipped, question, topic_id):
    """treatment_names: "what is sclerotherapy?" is answered by what Varicose Veins' treatment answer says."""
    content, knowledge = shipped
    reply = reply_to(knowledge, question)
    topic = content.topics[topic_id]
    assert reply.kind == "answer" and reply.topic_id == topic_id
    assert topic.answers["treatment"].text.split(".")[0] in reply.text
    assert not any(q.payload == f"ask:treatment:{topic_id}" for q in reply.quick_replies)  # not offered again
    assert reply.intent != "causes"  # why it is done, not what causes the condition


def test_the_condition_itself_still_shows_what_it_is(shipped):
    content, knowledge = shipped
    reply = reply_to(knowledge, "what are varicose veins")
    assert content.topics["varicose-veins"].answers["what_is"].text.split(".")[0] in reply.text
    assert reply_to(knowledge, "recovery after sclerotherapy").intent == "recovery"


def test_a_finding_on_a_test_is_answered_by_what_each_test_shows(shipped):
    """causes answer_for test: "what does X mean on an EKG" gets what the tests show, not "no causes of tests"."""
    content, knowledge = shipped
    reply = reply_to(knowledge, "what does left axis deviation mean on an ekg")
    assert (reply.kind, reply.intent, reply.topic_id) == ("answer", "causes", "heart-health-tests")
    assert content.topics["heart-health-tests"].answers["diagnosis"].text.split(".")[0] in reply.text
