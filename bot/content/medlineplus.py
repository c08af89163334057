"""Import NLM's MedlinePlus health-topics XML into topic files.

NLM publishes every health topic (English and Spanish, ~2,000 records, ~29 MB)
as one XML file. The importer turns each record into a topic file the loader
already understands, marked ``imported: true`` so staff can tell NLM's text from
reviewed, curated answers, which it never overwrites.

The file is read with ``iterparse`` and each record is cleared once used, so
memory stays flat however large the file grows. The file comes from outside, so
the prolog is checked first: a DOCTYPE with an internal subset (where entity
bombs live) is refused, and expat never fetches the external DTD.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

import yaml

from bot.content.schema import NAME_FIELDS

#: Sections of a page, most useful first, for the learn-more links.
CATEGORY_ORDER = ("Start Here", "Diagnosis and Tests", "Treatments and Therapies", "Living With",
                  "Prevention and Risk Factors", "Related Issues", "Patient Handouts")
MAX_SITES = 5
#: Function words the English word list leaves out; "ALL" must not match "all the risks".
_EVERYDAY = frozenset("all any some more most less each every both none one two same also just only very "
                      "up out off over under into".split())
MAX_PROLOG = 1 << 20
LANGUAGES = {"English": "en", "Spanish": "es"}


class MedlinePlusError(ValueError):
    """The file is not a MedlinePlus health-topics file we can safely read."""


@dataclass
class Site:
    title: str
    url: str
    organization: str
    categories: tuple[str, ...]


@dataclass
class Record:
    """One ``health-topic`` element, as read from the file."""

    nlm_id: str
    title: str
    url: str
    language: str  # en | es
    also_called: list[str]
    see_references: list[str]
    summary: str  # plain text, HTML stripped
    sites: list[Site]
    mapped_id: str | None  # NLM id of the same topic in the other language


@dataclass
class ImportReport:
    records: int = 0
    written: list[str] = field(default_factory=list)
    skipped_curated: list[str] = field(default_factory=list)
    skipped_name_clash: list[str] = field(default_factory=list)
    skipped_duplicate_id: list[str] = field(default_factory=list)
    skipped_no_https_page: list[str] = field(default_factory=list)
    skipped_other_language: int = 0
    dropped_shared_aliases: int = 0
    dropped_ambiguous_aliases: int = 0
    skipped_http_sites: int = 0
    by_language: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        langs = ", ".join(f"{k} {v}" for k, v in sorted(self.by_language.items())) or "none"
        out = [f"imported {len(self.written)} of {self.records} topics ({langs})"]
        if self.skipped_curated:
            out.append(f"kept {len(self.skipped_curated)} curated topic(s), not overwritten: "
                       + ", ".join(self.skipped_curated[:20]) + (" ..." if len(self.skipped_curated) > 20 else ""))
        if self.skipped_name_clash:
            out.append(f"skipped {len(self.skipped_name_clash)} topic(s) whose title another topic already uses: "
                       + ", ".join(self.skipped_name_clash[:20]))
        if self.skipped_duplicate_id:
            out.append(f"skipped {len(self.skipped_duplicate_id)} topic(s) with a duplicate id: "
                       + ", ".join(self.skipped_duplicate_id[:20]))
        out.append(f"dropped {self.dropped_shared_aliases} also-called name(s) another topic already uses, "
                   f"{self.dropped_ambiguous_aliases} short all-caps name(s) that are everyday words (e.g. ALL)")
        if self.skipped_no_https_page:
            out.append(f"skipped {len(self.skipped_no_https_page)} topic(s) without an https page address")
        if self.skipped_http_sites:
            out.append(f"skipped {self.skipped_http_sites} link(s) that are not https")
        return out


# -- reading -------------------------------------------------------------------


class _TextOnly(HTMLParser):
    """HTML -> plain text, keeping paragraph and list breaks."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "ul", "ol", "br", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def strip_html(markup: str) -> str:
    """Plain text of an HTML fragment: tags gone, entities decoded, one blank line between blocks."""
    parser = _TextOnly()
    parser.feed(html.unescape(markup) if "&lt;" in markup else markup)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{2,}", "\n\n", text).strip()


def check_prolog(head: bytes) -> None:
    """Refuse what could make the parser expand entities or read other files."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise MedlinePlusError("the file is UTF-16; NLM publishes UTF-8, please use the original file")
    text = head.decode("utf-8", errors="replace")
    i = 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if text.startswith("\ufeff", i):
            i += 1
        elif text.startswith("<?", i):
            end = text.find("?>", i)
            if end < 0:
                break
            i = end + 2
        elif text.startswith("<!--", i):
            end = text.find("-->", i)
            if end < 0:
                break
            i = end + 3
        elif text.startswith("<!DOCTYPE", i):
            end = text.find(">", i)
            bracket = text.find("[", i)
            if bracket >= 0 and (end < 0 or bracket < end):
                raise MedlinePlusError("the file declares its own DTD entries (a DOCTYPE with [...]); "
                                       "refusing it, since that is how XML entity bombs work")
            if end < 0:
                break
            i = end + 1
        elif text.startswith("<", i):
            return  # the root element: the prolog is clean
        else:
            break
    raise MedlinePlusError("this does not look like an XML file (no root element near the start)")


def _texts(elem: ET.Element, tag: str) -> list[str]:
    return [" ".join((child.text or "").split()) for child in elem.findall(tag) if (child.text or "").strip()]


def _record(elem: ET.Element) -> Record:
    summary_el = elem.find("full-summary")
    mapped = elem.find("language-mapped-topic")
    sites = []
    for site in elem.findall("site"):
        sites.append(Site(
            title=" ".join((site.get("title") or "").split()),
            url=(site.get("url") or "").strip(),
            organization=" ".join(_texts(site, "organization")[:1]),
            categories=tuple(_texts(site, "information-category")),
        ))
    return Record(
        nlm_id=(elem.get("id") or "").strip(),
        title=" ".join((elem.get("title") or "").split()),
        url=(elem.get("url") or "").strip(),
        language=LANGUAGES.get((elem.get("language") or "English").strip(), "en"),
        also_called=_texts(elem, "also-called"),
        see_references=_texts(elem, "see-reference"),
        summary=strip_html(summary_el.text or "") if summary_el is not None else "",
        sites=sites,
        mapped_id=(mapped.get("id") or "").strip() or None if mapped is not None else None,
    )


def read_records(source: str | Path | IO[bytes]) -> tuple[dt.date | None, Iterator[Record]]:
    """The file's generation date and its records, streamed one at a time."""
    fh: IO[bytes] = open(source, "rb") if isinstance(source, (str, Path)) else source
    check_prolog(fh.read(MAX_PROLOG))
    fh.seek(0)
    events = ET.iterparse(fh, events=("start", "end"))
    try:
        _, root = next(events)
    except ET.ParseError as exc:
        raise MedlinePlusError(f"not valid XML: {exc}") from None
    if root.tag != "health-topics":
        raise MedlinePlusError(f"the root element is <{root.tag}>, not <health-topics>")
    generated = _date(root.get("date-generated") or "")

    def records() -> Iterator[Record]:
        depth = 0
        try:
            for event, elem in events:
                if elem.tag == "health-topic":
                    depth += 1 if event == "start" else -1
                    if event == "end" and depth == 0:
                        yield _record(elem)
                        root.clear()  # keep memory flat on a 29 MB file
        except ET.ParseError as exc:
            raise MedlinePlusError(f"not valid XML: {exc}") from None
        finally:
            if isinstance(source, (str, Path)):
                fh.close()

    return generated, records()


def _date(value: str) -> dt.date | None:
    m = re.match(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None


# -- writing -------------------------------------------------------------------


def slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def _norm(name: str) -> str:
    """The validator's notion of "the same name"."""
    return " ".join(name.lower().replace("-", " ").split())


def _ambiguous(alias: str) -> bool:
    """An all-caps short alias that is also an everyday word ("ALL", "AIDS", "CAD" stays)."""
    from bot.core.spelling import english_words
    from bot.core.topics import STOPWORDS

    word = alias.strip()
    return word.isupper() and word.isalpha() and len(word) <= 4 and (
        word.lower() in STOPWORDS or word.lower() in _EVERYDAY or word.lower() in english_words())


def _topics_dir(folder: Path) -> Path:
    return folder / "data" / "topics" if (folder / "data" / "topics").is_dir() else folder


def curated_topics(folders: Iterable[Path]) -> dict[str, list[str]]:
    """id -> names of every topic file that was not written by this importer."""
    out: dict[str, list[str]] = {}
    for folder in folders:
        folder = _topics_dir(Path(folder))
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.y*ml")):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError, OSError):
                data = None
            if isinstance(data, dict) and data.get("imported") is True:
                continue
            names: list[str] = []
            if isinstance(data, dict):
                for key in ("title", *NAME_FIELDS):
                    value = data.get(key)
                    names += [str(v) for v in (value if isinstance(value, list) else [value]) if v]
            out[path.stem] = names
    return out


def topic_document(rec: Record, topic_id: str, aliases: list[str], related: list[str],
                   reviewed: dt.date, report: ImportReport) -> dict[str, Any]:
    publisher = "MedlinePlus" if rec.language == "en" else "MedlinePlus en español"
    sources: dict[str, dict[str, str]] = {"mplus": {"title": rec.title, "publisher": publisher, "url": rec.url}}

    def rank(site: Site) -> int:
        return min((CATEGORY_ORDER.index(c) for c in site.categories if c in CATEGORY_ORDER), default=len(CATEGORY_ORDER))

    seen = {rec.url}
    for site in sorted(rec.sites, key=rank):
        if not site.url.startswith("https://"):
            report.skipped_http_sites += 1
            continue
        if site.url in seen or not site.title or len(sources) > MAX_SITES:
            continue
        seen.add(site.url)
        sources[f"site{len(sources)}"] = {"title": site.title, "publisher": site.organization or publisher, "url": site.url}
    doc: dict[str, Any] = {
        "id": topic_id,
        "title": rec.title,
        "kind": "general",
        "imported": True,
        "language": rec.language,
        "url": rec.url,
        "reviewed": reviewed,
    }
    if aliases:
        doc["also_called"] = aliases
    if related:
        doc["related"] = related
    doc["sources"] = sources
    answers: dict[str, Any] = {}
    if rec.summary:
        answers["what_is"] = {"text": rec.summary, "sources": ["mplus"], "imported": True}
    answers["learn_more"] = {"links": list(sources)}
    doc["answers"] = answers
    return doc


def import_file(xml_file: str | Path | IO[bytes], out_dir: str | Path, *, lang: str | None = None,
                curated: Iterable[str | Path] = ()) -> ImportReport:
    """Write one topic file per record into ``out_dir``; never overwrite a curated file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = ImportReport()
    generated, stream = read_records(xml_file)
    reviewed = generated or dt.date.today()
    kept = curated_topics([out, *map(Path, curated)])
    claimed: dict[str, str] = {}  # normalised name -> topic id that owns it
    for topic_id, names in kept.items():
        for name in names:
            claimed.setdefault(_norm(name), topic_id)

    # Pass 1: choose ids and titles (titles outrank aliases, as in the page itself).
    chosen: list[tuple[Record, str]] = []
    ids: set[str] = set()
    for rec in stream:
        report.records += 1
        if lang and rec.language != lang:
            report.skipped_other_language += 1
            continue
        if not rec.title or not rec.url.startswith("https://"):
            report.skipped_no_https_page.append(rec.title or rec.nlm_id)
            continue
        topic_id = slugify(rec.title) + ("-es" if rec.language == "es" else "")
        if not topic_id or topic_id in ids:
            report.skipped_duplicate_id.append(topic_id or rec.title)
            continue
        if topic_id in kept:
            report.skipped_curated.append(topic_id)
            continue
        owner = claimed.get(_norm(rec.title))
        if owner is not None and owner != topic_id:
            report.skipped_name_clash.append(f"{topic_id} ('{rec.title}' belongs to {owner})")
            continue
        claimed[_norm(rec.title)] = topic_id
        ids.add(topic_id)
        chosen.append((rec, topic_id))

    # Pass 2: aliases in file order, first owner keeps a shared one; then write.
    by_nlm = {rec.nlm_id: topic_id for rec, topic_id in chosen if rec.nlm_id}
    known_ids = ids | set(kept)
    for rec, topic_id in chosen:
        aliases: list[str] = []
        for alias in rec.also_called + rec.see_references:
            key = _norm(alias)
            if not key or key == _norm(rec.title) or any(_norm(a) == key for a in aliases):
                continue
            if _ambiguous(alias):
                report.dropped_ambiguous_aliases += 1
                continue
            if claimed.get(key, topic_id) != topic_id:
                report.dropped_shared_aliases += 1
                continue
            claimed[key] = topic_id
            aliases.append(alias)
        related = []
        mapped = by_nlm.get(rec.mapped_id or "")
        if mapped and mapped in known_ids and mapped != topic_id:
            related.append(mapped)
        doc = topic_document(rec, topic_id, aliases, related, reviewed, report)
        (out / f"{topic_id}.yaml").write_text(
            "# Imported from the MedlinePlus health-topics XML; edit the curated topics, not this file.\n"
            + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
        report.written.append(topic_id)
        report.by_language[rec.language] = report.by_language.get(rec.language, 0) + 1
    return report
