"""The MedlinePlus importer, on a small file we wrote in NLM's published schema."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.load import load_content
from bot.content.medlineplus import MedlinePlusError, import_file, read_records, slugify, strip_html
from bot.core.engine import Engine
from bot.core.knowledge import build
from bot.core.models import Message
from bot.sessions.memory import MemoryStore
from tests.conftest import write_content

FIXTURE = textwrap.dedent("""\
    <?xml version="1.0" encoding="UTF-8"?>
    <!DOCTYPE health-topics PUBLIC "-//NLM//DTD health-topics //EN" "https://medlineplus.gov/xml/mplus_topics.dtd">
    <health-topics total="4" date-generated="03/15/2026 02:30:10">
    <health-topic title="Kawasaki Disease" url="https://medlineplus.gov/kawasakidisease.html" id="101" language="English" date-created="05/01/2003" meta-desc="Kawasaki disease mostly affects children.">
      <also-called>Mucocutaneous lymph node syndrome</also-called>
      <also-called>KD</also-called>
      <see-reference>Lymph Node Syndrome, Mucocutaneous</see-reference>
      <see-reference>Mucocutaneous lymph node syndrome</see-reference>
      <full-summary>&lt;p&gt;Kawasaki disease is a rare illness that inflames blood vessels. It mostly affects &lt;a href="https://medlineplus.gov/childrenshealth.html"&gt;children&lt;/a&gt; under five.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;High fever&lt;/li&gt;&lt;li&gt;Red eyes &amp;amp; lips&lt;/li&gt;&lt;/ul&gt;</full-summary>
      <group url="https://medlineplus.gov/bloodheartandcirculation.html" id="3">Blood, Heart and Circulation</group>
      <language-mapped-topic url="https://medlineplus.gov/spanish/kawasakidisease.html" id="201" language="Spanish">Enfermedad de Kawasaki</language-mapped-topic>
      <mesh-heading><descriptor id="D009080">Mucocutaneous Lymph Node Syndrome</descriptor></mesh-heading>
      <primary-institute url="https://www.nhlbi.nih.gov/">National Heart, Lung, and Blood Institute</primary-institute>
      <related-topic url="https://medlineplus.gov/vasculitis.html" id="102">Vasculitis</related-topic>
      <site title="Kawasaki Disease" url="https://www.nhlbi.nih.gov/health/kawasaki-disease" language-mapped-url="https://www.nhlbi.nih.gov/es/kawasaki">
        <information-category>Start Here</information-category>
        <organization>National Heart, Lung, and Blood Institute</organization>
        <standard-description>NIH</standard-description>
      </site>
      <site title="Old insecure page" url="http://example.org/kawasaki">
        <information-category>Related Issues</information-category>
        <organization>Example Org</organization>
      </site>
      <site title="Kawasaki disease (Encyclopedia)" url="https://medlineplus.gov/ency/article/000989.htm">
        <information-category>Diagnosis and Tests</information-category>
        <organization>A.D.A.M.</organization>
      </site>
    </health-topic>
    <health-topic title="Vasculitis" url="https://medlineplus.gov/vasculitis.html" id="102" language="English" date-created="05/01/2003">
      <also-called>Angiitis</also-called>
      <see-reference>Mucocutaneous lymph node syndrome</see-reference>
      <see-reference>Arteritis</see-reference>
      <full-summary>&lt;h3&gt;What is vasculitis?&lt;/h3&gt;&lt;p&gt;Vasculitis is inflammation of the blood vessels.&lt;/p&gt;</full-summary>
    </health-topic>
    <health-topic title="Angioplasty" url="https://medlineplus.gov/angioplasty.html" id="103" language="English" date-created="05/01/2003">
      <full-summary>&lt;p&gt;NLM TEXT THAT MUST NOT REPLACE THE CURATED FILE&lt;/p&gt;</full-summary>
    </health-topic>
    <health-topic title="Enfermedad de Kawasaki" url="https://medlineplus.gov/spanish/kawasakidisease.html" id="201" language="Spanish" date-created="05/01/2003">
      <also-called>Síndrome mucocutáneo ganglionar</also-called>
      <full-summary>&lt;p&gt;La enfermedad de Kawasaki es una enfermedad poco común que inflama los vasos sanguíneos.&lt;/p&gt;</full-summary>
      <language-mapped-topic url="https://medlineplus.gov/kawasakidisease.html" id="101" language="English">Kawasaki Disease</language-mapped-topic>
    </health-topic>
    </health-topics>
    """)


@pytest.fixture
def xml_file(tmp_path: Path) -> Path:
    path = tmp_path / "mplus_topics_2026-03-15.xml"
    path.write_text(FIXTURE, encoding="utf-8")
    return path


@pytest.fixture
def imported(xml_file: Path, content_root: Path):
    report = import_file(xml_file, content_root / "data" / "topics")
    return content_root, report


def test_strip_html() -> None:
    assert strip_html("<p>One &amp; two.</p><ul><li>a</li><li>b</li></ul>") == "One & two.\n\n- a\n\n- b"
    assert strip_html("&lt;p&gt;escaped&lt;/p&gt;") == "escaped"
    assert strip_html("") == ""


def test_slugify() -> None:
    assert slugify("Kawasaki Disease") == "kawasaki-disease"
    assert slugify("Síndrome: Ébola / HIV") == "sindrome-ebola-hiv"


def test_records_are_read_in_the_official_schema(xml_file: Path) -> None:
    generated, records = read_records(xml_file)
    recs = list(records)
    assert generated is not None and generated.isoformat() == "2026-03-15"
    assert [r.title for r in recs] == ["Kawasaki Disease", "Vasculitis", "Angioplasty", "Enfermedad de Kawasaki"]
    kd = recs[0]
    assert kd.language == "en" and kd.nlm_id == "101" and kd.mapped_id == "201"
    assert kd.also_called == ["Mucocutaneous lymph node syndrome", "KD"]
    assert kd.see_references == ["Lymph Node Syndrome, Mucocutaneous", "Mucocutaneous lymph node syndrome"]
    assert "<" not in kd.summary and "children under five" in kd.summary and "Red eyes & lips" in kd.summary
    assert [s.categories for s in kd.sites] == [("Start Here",), ("Related Issues",), ("Diagnosis and Tests",)]
    assert recs[3].language == "es"


def test_import_writes_valid_topic_files(imported) -> None:
    root, report = imported
    assert sorted(report.written) == ["enfermedad-de-kawasaki-es", "kawasaki-disease", "vasculitis"]
    assert report.skipped_curated == ["angioplasty"]
    assert report.skipped_http_sites == 1
    # "Mucocutaneous lymph node syndrome" belongs to Kawasaki Disease; Vasculitis loses it.
    assert report.dropped_shared_aliases == 1
    content = load_content(root)
    assert content.ok, [str(e) for e in content.errors]

    kd = content.topics["kawasaki-disease"]
    assert kd.imported and kd.kind == "general" and kd.language == "en"
    assert kd.url == "https://medlineplus.gov/kawasakidisease.html"
    assert kd.reviewed is not None and kd.reviewed.isoformat() == "2026-03-15"
    assert kd.also_called == ("Mucocutaneous lymph node syndrome", "KD", "Lymph Node Syndrome, Mucocutaneous")
    assert kd.answers["what_is"].imported is True
    assert kd.answers["what_is"].sources == ("mplus",)
    urls = [kd.sources[k].url for k in kd.answers["learn_more"].links]
    assert urls == ["https://medlineplus.gov/kawasakidisease.html", "https://www.nhlbi.nih.gov/health/kawasaki-disease",
                    "https://medlineplus.gov/ency/article/000989.htm"]  # Start Here first, http dropped
    assert all(s.url.startswith("https://") for s in kd.sources.values())
    assert kd.related == ("enfermedad-de-kawasaki-es",)

    es = content.topics["enfermedad-de-kawasaki-es"]
    assert es.language == "es" and es.related == ("kawasaki-disease",)
    assert content.topics["vasculitis"].also_called == ("Angiitis", "Arteritis")


def test_curated_topics_are_never_overwritten(imported) -> None:
    root, _ = imported
    text = (root / "data" / "topics" / "angioplasty.yaml").read_text(encoding="utf-8")
    assert "TEST-ANGIO-WHAT" in text and "NLM TEXT" not in text
    assert "imported" not in text


def test_reimport_overwrites_only_imported_files(imported, xml_file: Path) -> None:
    root, first = imported
    again = import_file(xml_file, root / "data" / "topics")
    assert sorted(again.written) == sorted(first.written)
    assert again.skipped_curated == ["angioplasty"]


def test_curated_dir_elsewhere_is_respected(xml_file: Path, content_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "imported"
    report = import_file(xml_file, out, curated=[content_root])
    assert "angioplasty" in report.skipped_curated and not (out / "angioplasty.yaml").exists()


def test_lang_filter(xml_file: Path, tmp_path: Path) -> None:
    report = import_file(xml_file, tmp_path / "es", lang="es")
    assert report.written == ["enfermedad-de-kawasaki-es"]
    assert report.skipped_other_language == 3


def test_bot_answers_an_imported_topic(imported) -> None:
    root, _ = imported
    engine = Engine(build(load_content(root)), MemoryStore())
    what = engine.handle(Message("m", "what is kawasaki disease"))
    assert (what.kind, what.intent, what.topic_id) == ("answer", "what_is", "kawasaki-disease")
    assert "rare illness that inflames blood vessels" in what.text
    assert [c.url for c in what.citations] == ["https://medlineplus.gov/kawasakidisease.html"]

    more = engine.handle(Message("m2", "learn more about kawasaki disease"))
    assert (more.intent, more.topic_id) == ("learn_more", "kawasaki-disease")
    assert more.citations[0].url == "https://medlineplus.gov/kawasakidisease.html"

    # Curated answers still win for a curated topic.
    angio = engine.handle(Message("m3", "what is angioplasty"))
    assert "TEST-ANGIO-WHAT" in angio.text


def test_cli_import_then_validate(xml_file: Path, content_root: Path, capsys) -> None:
    code = main(["import-medlineplus", str(xml_file), "--out", str(content_root / "data" / "topics")])
    out = capsys.readouterr().out
    assert code == 0
    assert "imported 3 of 4 topics (en 2, es 1)" in out and "angioplasty" in out
    assert main(["--content", str(content_root), "validate"]) == 0


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE health-topics [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<health-topics><health-topic title="&c;" url="https://medlineplus.gov/x.html" id="1" language="English"/></health-topics>
"""


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (BOMB, "DTD"),
        (b"<?xml version='1.0'?><!DOCTYPE x SYSTEM 'file:///etc/passwd' [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x/>", "DTD"),
        (b"<rss><channel/></rss>", "not <health-topics>"),
        (b"not xml at all", "XML"),
        (b"<health-topics><health-topic title='x'></health-topics>", "not valid XML"),
        ("<health-topics/>".encode("utf-16"), "UTF-16"),
    ],
)
def test_unsafe_or_wrong_files_are_refused(data: bytes, words: str, tmp_path: Path) -> None:
    with pytest.raises(MedlinePlusError, match=words):
        import_file(io.BytesIO(data), tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.yaml"))


def test_cli_reports_a_bad_file_without_a_traceback(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bomb.xml"
    bad.write_bytes(BOMB)
    assert main(["import-medlineplus", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "DTD" in err and "Traceback" not in err


def test_records_without_summary_or_sites_get_only_their_link(tmp_path: Path) -> None:
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<health-topics total="1" date-generated="01/01/2017 00:00:00">
<health-topic title="Acne" url="https://medlineplus.gov/acne.html" id="900005" language="English" date-created="01/01/2017">
<also-called>Pimples</also-called><also-called>ALL</also-called>
</health-topic></health-topics>"""
    root = write_content(tmp_path / "c", {})
    report = import_file(io.BytesIO(xml), root / "data" / "topics")
    assert report.dropped_ambiguous_aliases == 1  # "ALL" would match "all the risks"
    content = load_content(root)
    acne = content.topics["acne"]
    assert "what_is" not in acne.answers and acne.answers["learn_more"].links == ("mplus",)
    assert acne.also_called == ("Pimples",)
