"""Content folders at three sizes for the benchmarks, built in a temporary folder.

* ``shipped``: the repository's own content, as is.
* ``mplus``: the shipped content plus the ~1,000 MedlinePlus topics of
  ``../shared/data/medlineplus/catalogue_c2017_en.xml``, imported with
  ``bot.content.medlineplus.import_file`` (a small local parser stands in if the
  importer is missing; the catalogue has no summaries, so topics get links only).
* ``gen10k``: the shipped content plus 10,000 generated topics with made-up names.

The shared data is read where it lies and never copied into the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
CATALOGUE = SHARED / "medlineplus" / "catalogue_c2017_en.xml"
SIZES = ("shipped", "mplus", "gen10k")


def questions() -> list[str]:
    """Every question of ../shared/data/*.jsonl: long, messy, real."""
    out: list[str] = []
    for path in sorted(SHARED.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _topic(tid: str, title: str, also: list[str], url: str) -> dict:
    return {
        "id": tid, "title": title, "kind": "general", "also_called": also,
        "reviewed": (dt.date.today() - dt.timedelta(days=30)).isoformat(),
        "url": url,
        "sources": {"mplus": {"title": title, "publisher": "MedlinePlus", "url": url}},
        "answers": {"learn_more": {"links": ["mplus"]}},
    }


def _copy_shipped(dest: Path) -> set[str]:
    shutil.copytree(REPO / "intents", dest / "intents")
    shutil.copytree(REPO / "data", dest / "data")
    names: set[str] = set()
    for path in (dest / "data" / "topics").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        names.add(str(data.get("id", "")).lower())
        names.add(_slug(str(data.get("title", ""))))
        for key in ("also_called", "keywords"):
            names.update(_slug(str(a)) for a in data.get(key) or [])
    return names


def catalogue_topics() -> list[tuple[str, str, list[str], str]]:
    root = ET.parse(CATALOGUE).getroot()
    out = []
    for el in root.iter("health-topic"):
        if el.get("language", "English") != "English":
            continue
        title = el.get("title", "").strip()
        also = [a.text.strip() for a in el.findall("also-called") if a.text and a.text.strip()]
        out.append((_slug(title), title, also, el.get("url", "https://medlineplus.gov/")))
    return out


_SYLLABLES = ("ka ro mi ne tu sa lo vi de ra po zen mor tal bri cho fen gal hu ix ju ko lum nar ost pex "
              "quin rif sul tor ul vex wyn xan yor zit").split()
_SUFFIXES = ("Syndrome", "Disease", "Surgery", "Test", "Disorder", "Infection", "Deficiency", "Therapy", "")


def generated_topics(n: int, seed: int = 7) -> list[tuple[str, str, list[str], str]]:
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    while len(out) < n:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        title = f"{word.capitalize()} {rng.choice(_SUFFIXES)}".strip()
        tid = _slug(title)
        if tid in seen:
            continue
        seen.add(tid)
        alias = "".join(rng.choice(_SYLLABLES) for _ in range(3))
        out.append((tid, title, [alias], f"https://example.org/{tid}"))
    return out


def build(size: str, dest: Path | None = None, *, writable: bool = False) -> Path:
    """A content folder of the given size; returns its path.

    ``shipped`` is the repository itself unless ``writable``: a benchmark that edits
    files gets a copy, so it never changes the content it ships.
    """
    if size == "shipped" and not writable:
        return REPO
    dest = dest or Path(tempfile.mkdtemp(prefix=f"healthbot-bench-{size}-"))
    taken = _copy_shipped(dest)
    if size == "shipped":
        return dest
    if size == "mplus":
        try:  # the project's own importer, as content staff would run it
            from bot.content.medlineplus import import_file
        except ImportError:
            pass
        else:
            import_file(CATALOGUE, dest / "data" / "topics", lang="en")
            return dest
    extra = catalogue_topics() if size == "mplus" else generated_topics(10_000)
    folder = dest / "data" / "topics"
    for tid, title, also, url in extra:
        if tid in taken or not tid:
            continue
        also = [a for a in also if _slug(a) not in taken]
        taken.add(tid)
        taken.update(_slug(a) for a in also)
        text = yaml.safe_dump(_topic(tid, title, also, url), sort_keys=False, allow_unicode=True)
        (folder / f"{tid}.yaml").write_text(text, encoding="utf-8")
    return dest
