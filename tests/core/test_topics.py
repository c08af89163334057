"""The topic matcher: spans of the message that name a topic, typos included."""

from __future__ import annotations

import pytest

from bot.content.schema import Content
from bot.core.normalize import normalize
from bot.core.topics import OTHER_SUBJECT, TopicIndex, rank


@pytest.fixture
def index(content: Content) -> TopicIndex:
    return TopicIndex(content.topics.values())


def topics_in(index: TopicIndex, text: str) -> list[str]:
    # As the engine reads a message: name words typed together are split first.
    return [m.topic_id for m in rank(index.find(index.split_joined(normalize(text).split())))]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("angioplasty", "angioplasty"),
        ("ANGIOPLASTY??", "angioplasty"),
        ("what is angeoplasty", "angioplasty"),  # one letter wrong
        ("angioplasy recovery", "angioplasty"),  # one letter missing
        ("angiooplasty", "angioplasty"),  # one letter too many
        ("by pass surgery", "coronary-artery-bypass-surgery"),  # split word
        ("bypass surgery", "coronary-artery-bypass-surgery"),  # alias
        ("my CABG", "coronary-artery-bypass-surgery"),  # abbreviation alias
        ("coronary artery bypass surgery", "coronary-artery-bypass-surgery"),  # title
        ("he got a stent", "angioplasty"),  # alias
        ("two stents", "angioplasty"),  # plural of an alias
        ("anticoagulant", "blood-thinners"),  # singular of a plural alias
        ("blood thinner", "blood-thinners"),  # singular of the title
        ("bloodthinners", "blood-thinners"),  # two name words typed as one
        ("a heartbypass", "coronary-artery-bypass-surgery"),
        ("coronaryarterybypass surgery", "coronary-artery-bypass-surgery"),  # three
    ],
)
def test_finds_the_topic(index: TopicIndex, text: str, topic: str) -> None:
    assert topics_in(index, text)[:1] == [topic]


def test_words_typed_together_are_split_only_when_they_join_name_words(index: TopicIndex) -> None:
    """A real word ("pacemaker", "bloodstream") and a name word stay whole; stopwords never join."""
    assert index.split_joined(["a", "bloodthinner"]) == ["a", "blood", "thinner"]
    for word in ("pacemaker", "bloodstream", "angioplasty", "isheart", "bloodthinnerz"):
        assert index.split_joined([word]) == [word]


def test_topic_inside_a_long_multi_sentence_message(index: TopicIndex) -> None:
    text = (
        "Hi, I hope someone can help. My mother is 80 and lives alone. Last week she was short of "
        "breath and went to the emergency room. The doctors did tests and now they want to do an "
        "angeoplasty on Friday. She is scared and so am I. What should we expect?"
    )
    hits = index.find(normalize(text).split())
    assert [h.topic_id for h in hits] == ["angioplasty"]
    words = normalize(text).split()
    assert words[hits[0].start] == "angeoplasty"  # the span points at the right word


def test_two_topics_in_one_message_are_both_found_first_named_first(index: TopicIndex) -> None:
    found = topics_in(index, "Is a stent better than bypass surgery?")
    assert set(found) == {"angioplasty", "coronary-artery-bypass-surgery"}


@pytest.mark.parametrize(
    "text",
    [
        "what is psoriasis",
        "how do I treat gout",
        "tell me about migraines",
        "my knee hurts when I run",
        "",
    ],
)
def test_unknown_topics_are_no_hit(index: TopicIndex, text: str) -> None:
    assert topics_in(index, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I stint on sleep",  # a real word, one letter from "stent"
        "what about a surgeon",
        "blood tests",  # "blood" alone is not Blood Thinners
        "the pass was closed",  # "pass" alone is not bypass
        "stunt",
    ],
)
def test_english_words_are_not_corrected_into_names(index: TopicIndex, text: str) -> None:
    assert topics_in(index, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "what is a kidney stent",  # a site outside the heart before the name
        "ureteral stents",
        "why put a stent into the urinary tract",  # the site after a procedure's name
        "a stent in the bile duct",
        "a stent inside my left kidney",
    ],
)
def test_a_qualifier_turns_the_name_into_another_subject(index: TopicIndex, text: str) -> None:
    hits = index.find(normalize(text).split())
    assert [h.topic_id for h in hits] == [OTHER_SUBJECT]  # still a subject, so the bot abstains
    assert index.entry(OTHER_SUBJECT) is None


@pytest.mark.parametrize(
    "text",
    [
        "what is a heart stent",  # no qualifier word
        "my kidney function was fine. stent placed last year",  # the site ends the sentence before
        "I had a stent put in last year",  # "in" introduces no site
        "kidney problems after angioplasty",  # not next to the name
    ],
)
def test_names_without_a_foreign_qualifier_still_match(index: TopicIndex, text: str) -> None:
    words, sentence_of = [], []
    for i, sentence in enumerate(text.split(". ")):
        toks = normalize(sentence).split()
        words += toks
        sentence_of += [i] * len(toks)
    assert [h.topic_id for h in index.find(words, sentence_of)] == ["angioplasty"]


@pytest.mark.parametrize(("text", "expected"), [
    ("is angioplasty possible without a stent", ["angioplasty"]),
    ("I don't take blood thinners but I had angioplasty", ["angioplasty"]),
    ("I have never had bypass surgery. What is angioplasty?", ["angioplasty"]),
    ("no stents, just a balloon angioplasty", ["angioplasty"]),
    ("is there no cure, is bypass surgery the only way", ["coronary-artery-bypass-surgery"]),  # not next to the name
    ("I had a stent, not bypass surgery", ["angioplasty", "coronary-artery-bypass-surgery"]),  # "not" alone: kept
    # Denied through a frame ("no family history of ...") and on through a list ("... or ...").
    ("no family history of bypass surgery. What is angioplasty?", ["angioplasty"]),
    ("there are no signs of a stent problem, how long does angioplasty last", ["angioplasty"]),
    ("no history of stents in my family or bypass surgery. is angioplasty safe", ["angioplasty"]),
    ("no stents or episodes of bypass surgery, but angioplasty", ["angioplasty"]),
    ("no stents and I had bypass surgery", ["coronary-artery-bypass-surgery"]),  # "and" ends the denied list
    ("no bypass surgery here. Angioplasty or bypass surgery?",
     ["angioplasty", "coronary-artery-bypass-surgery"]),  # the denial stays in its own sentence
    # A "not" that says what someone wants to avoid is no denial; told as a fact, it is.
    ("how do I not get bypass surgery", ["coronary-artery-bypass-surgery"]),
    ("what can he do so that he doesn't need angioplasty", ["angioplasty"]),
    ("what helps people not get bypass surgery", ["coronary-artery-bypass-surgery"]),
    ("how to never have angioplasty again", ["angioplasty"]),
    ("the doctor said that I don't need angioplasty. Is bypass surgery next", ["coronary-artery-bypass-surgery"]),
    ("my dad does not need bypass surgery, what is angioplasty", ["angioplasty"]),
])
def test_a_name_the_patient_says_they_do_not_have_is_not_the_subject(index: TopicIndex, text, expected) -> None:
    words, sentence_of = [], []
    for i, sentence in enumerate(text.split(". ")):
        toks = normalize(sentence).split()
        words += toks
        sentence_of += [i] * len(toks)
    assert sorted({h.topic_id for h in index.find(words, sentence_of)}) == expected


def _topic(topic_id: str, kind: str, *names: str):
    from bot.content.schema import Topic

    return Topic(id=topic_id, title=names[0], kind=kind, also_called=names[1:], keywords=(), reviewed=None,
                 related=(), sources={}, answers={})


def test_a_topic_whose_own_names_use_the_qualifier_keeps_it() -> None:
    index = TopicIndex([_topic("renal-stenting", "procedure", "renal stenting", "stent", "kidney artery")])
    assert [h.topic_id for h in index.find(["kidney", "stent"])] == ["renal-stenting"]


def test_the_qualifier_after_the_name_counts_for_procedures_only() -> None:
    # "statins in liver disease" asks about statins; "a stent in the liver" is another thing.
    index = TopicIndex([_topic("statins", "medicine", "statins"), _topic("angioplasty", "procedure", "stent")])
    assert [h.topic_id for h in index.find(normalize("statins in liver disease").split())] == ["statins"]
    assert [h.topic_id for h in index.find(normalize("a stent in the liver").split())] == [OTHER_SUBJECT]
    assert [h.topic_id for h in index.find(normalize("liver statins").split())] == [OTHER_SUBJECT]


def test_correct_keeps_real_words_and_fixes_near_names(index: TopicIndex) -> None:
    assert index.correct("angeoplasty") == "angioplasty"
    assert index.correct("stint") is None  # English word
    assert index.correct("xyzzyplasty") is None
    assert index.correct("pci") == "pci"


def test_exact_names_score_above_typos(index: TopicIndex) -> None:
    exact = index.find(["angioplasty"])[0]
    typo = index.find(["angeoplasty"])[0]
    assert exact.score == 1.0
    assert 0.0 < typo.score < exact.score


def _clipped_index(*names: str) -> TopicIndex:
    from bot.content.schema import Topic

    topics = [Topic(id=f"t{i}", title=name, kind="medicine", also_called=(), keywords=(), reviewed=None,
                    related=(), sources={}, answers={}) for i, name in enumerate(names)]
    return TopicIndex(topics)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("metopol", "metoprolol"),  # clipped and garbled: too far for edit distance, same first letters
        ("metoprol", "metoprolol"),
        ("atorvast", "atorvastatin"),
        ("metaphor", None),  # an English word is never "corrected"
        ("metoclopramide", None),  # shares only "meto": not the same drug
        ("lisinoxx", None),  # two names start "lisin": ambiguous, so no guess
    ],
)
def test_a_clipped_drug_name_is_recognised_only_when_unambiguous(word, expected):
    index = _clipped_index("metoprolol", "atorvastatin", "lisinopril", "lisinoprix")
    assert index.correct(word) == expected


def test_an_uncovered_topics_everyday_word_alias_is_not_a_subject() -> None:
    from bot.content.schema import DirectoryEntry

    index = TopicIndex([], [DirectoryEntry("Domestic Violence", ("Battery", "Intimate partner violence")),
                            DirectoryEntry("Flu", ("Influenza",)), DirectoryEntry("Menstruation", ("Period",))])
    def named(text: str) -> list[str]:
        return [index.entry(h.topic_id).title for h in index.find(normalize(text).split())]
    assert named("how long does the battery last") == []  # "battery" is mostly just a battery
    assert named("what is a period of recovery") == []
    assert named("what is influenza") == ["Flu"]  # a longer other name still counts
    assert named("what is menstruation") == ["Menstruation"]  # titles always count
    assert named("intimate partner violence") == ["Domestic Violence"]


def test_possessives_inside_a_name_match_the_names_the() -> None:
    index = TopicIndex([_topic("chd", "condition", "congenital heart defects", "hole in the heart")])
    for text in ("a hole in his heart", "hole in her heart", "a hole in my heart", "the hole in the heart"):
        assert [h.topic_id for h in index.find(normalize(text).split())] == ["chd"], text


def test_every_word_for_a_medicine_names_the_same_medicine_topic() -> None:
    index = TopicIndex([_topic("bp-meds", "medicine", "blood pressure medicines")])
    for text in ("blood pressure drugs", "a blood pressure drug", "blood pressure tablets",
                 "blood pressure meds", "blood pressure pills", "blood pressure medication"):
        assert [h.topic_id for h in index.find(normalize(text).split())] == ["bp-meds"], text


def test_a_medicine_is_named_by_what_it_is_for_after_the_word_for_it() -> None:
    index = TopicIndex([_topic("hf-meds", "medicine", "heart failure medicines"),
                        _topic("hf", "condition", "heart failure")])
    for text in ("pills for heart failure", "medication for heart failure", "heart failure drugs"):
        assert [m.topic_id for m in rank(index.find(normalize(text).split()))][0] == "hf-meds", text
    assert [m.topic_id for m in rank(index.find(normalize("heart failure").split()))] == ["hf"]


def test_a_broad_name_gives_way_to_any_specific_topic() -> None:
    from bot.content.schema import Topic

    hbp = Topic(id="hbp", title="High Blood Pressure", kind="condition", also_called=(), keywords=(),
                reviewed=None, related=(), sources={}, answers={}, broad_names=("blood pressure",))
    meds = _topic("bp-meds", "medicine", "blood pressure medicines", "metoprolol")
    index = TopicIndex([hbp, meds])
    ranked = lambda text: [m.topic_id for m in rank(index.find(normalize(text).split()))]  # noqa: E731
    assert ranked("what is blood pressure") == ["hbp"]  # alone, the broad name finds its topic
    assert ranked("does metoprolol lower blood pressure")[0] == "bp-meds"  # a specific name wins
    assert ranked("blood pressure and high blood pressure")[0] == "hbp"
    assert index.find(["blood", "pressure"])[0].score == TopicIndex.BROAD_WEIGHT


def _described_index() -> TopicIndex:
    import dataclasses

    chest = dataclasses.replace(_topic("chest-pain", "condition", "chest pain"),
                                described_as=("chest + pain/ache/aching/hurt/pressure",))
    rehab = dataclasses.replace(_topic("stroke-rehab", "procedure", "stroke rehabilitation"),
                                described_as=("rehab/therapy + stroke",))
    return TopicIndex([chest, rehab, _topic("stroke", "condition", "stroke"),
                       _topic("angioplasty", "procedure", "angioplasty")])


def _described_in(index: TopicIndex, text: str) -> list[str]:
    words, sentence_of = [], []
    for i, sentence in enumerate(text.split(". ")):
        toks = normalize(sentence).split()
        words += toks
        sentence_of += [i] * len(toks)
    return [m.topic_id for m in rank(index.find(words, sentence_of))]


@pytest.mark.parametrize(("text", "expected"), [
    # Scattered words describe the topic, in either order, a few words apart.
    ("a sharp pain on the left side of my chest", ["chest-pain"]),
    ("my chest has been aching for two days", ["chest-pain"]),
    # The description's span takes in a name only when that name is one of its words.
    ("physical therapy after his stroke", ["stroke-rehab"]),
    ("pain after my angioplasty in my chest", ["angioplasty"]),
    # Same sentence only, not too far apart, and not when denied.
    ("my chest is fine. the pain is in my knee", []),
    ("pain in my knee that has been going on for a while now and also my chest", []),
    ("no pain in my chest", []),
])
def test_a_topic_described_in_scattered_words(text: str, expected: list[str]) -> None:
    assert _described_in(_described_index(), text) == expected


def test_a_described_topic_scores_below_its_name_said_outright() -> None:
    index = _described_index()
    outright = index.find(normalize("chest pain").split())
    described = index.find(normalize("pain in my chest").split())
    assert [h.topic_id for h in outright] == [h.topic_id for h in described] == ["chest-pain"]
    assert described[0].score == TopicIndex.DESCRIBED_WEIGHT < outright[0].score


def test_two_names_sharing_their_last_words_are_both_found() -> None:
    index = TopicIndex([_topic("ischemic-stroke", "condition", "ischemic stroke"),
                        _topic("hemorrhagic-stroke", "condition", "hemorrhagic stroke"), _topic("stroke", "condition", "stroke")])
    found = lambda text: [(h.topic_id, h.start, h.end) for h in index.find(normalize(text).split())]  # noqa: E731
    # "ischemic and hemorrhagic stroke" is "ischemic stroke and hemorrhagic stroke", first named first.
    assert found("ischemic and hemorrhagic stroke") == [("ischemic-stroke", 0, 1), ("hemorrhagic-stroke", 2, 4)]
    assert found("ischemic vs hemorrhagic stroke") == [("ischemic-stroke", 0, 1), ("hemorrhagic-stroke", 2, 4)]
    # A first word that names nothing with those last words, or no joining word, is left alone.
    assert found("sudden and hemorrhagic stroke") == [("hemorrhagic-stroke", 2, 4)]
    assert found("ischemic hemorrhagic stroke") == [("hemorrhagic-stroke", 1, 3)]
