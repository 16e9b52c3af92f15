"""Sources a reader can find: every place suanli cites is the report as its PDF shows it.

A source names the report by the short name defined once in engine/data/reports.toml, then 图表N,
or a section as the report's headings number it and the words quoted「…」from the sentence; a
figure from outside the reports names its document there; a figure of suanli's own says "suanli".
No text a user sees cites a line of a text extraction or a report by an internal name.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine import catalogue, errata, exhibits, printed, reports, scenarios
from engine.errors import UnknownNameError
from suanli.cli import main

#: A reference to a line of a text file (L892, L3636-3638, L3040/3077) or an internal report name.
LINE_REF = re.compile(r"\bL\d{2,}\b|\bL\d+\s*[-–/]\s*L?\d+|\bline \d{2,}\b")
INTERNAL = re.compile(r"seed\s*0\d\d", re.IGNORECASE)
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


#: Chip names that look like a line reference (the NVIDIA L20) are names, not lines.
CHIP_NAMES = {label for key in catalogue.keys() for label in (key, *catalogue.get(key).aliases)}


def _unfindable(text: str | None) -> list[str]:
    """What in a text a reader of the PDF could not find: line numbers, internal report names."""
    if not text:
        return []
    return [m for m in LINE_REF.findall(text) if m not in CHIP_NAMES] + INTERNAL.findall(text)


def _exhibit_texts():
    for ex in exhibits.all_exhibits():
        yield f"{ex.id} source", ex.source
        yield f"{ex.id} title", ex.title_en + " " + ex.title_zh
        yield f"{ex.id} note", ex.note
        for row in ex.rows:
            yield f"{ex.id}.{row.key}", " ".join(filter(None, (row.label_en, row.label_zh, row.note,
                                                              *(t for t in (row.text or ()) if t))))


def _catalogue_sources():
    for key in catalogue.keys():
        chip = catalogue.get(key)
        for name, src in chip.sources.items():
            yield f"{key}.{name}", src
        for name, alts in chip.alternatives.items():
            for alt in alts:
                yield f"{key}.{name} (also)", alt.source


def _user_texts():
    """Every text a user sees that could cite the reports, by where it is shown."""
    for key, spec in scenarios.schema().items():
        yield f"input {key}", " ".join(filter(None, (spec.label, spec.source, spec.note)))
    yield from (("exhibit " + w, t) for w, t in _exhibit_texts())
    for e in errata.all_errata():
        yield f"erratum {e.id}", " ".join(filter(None, (e.title, e.description, e.printed, e.consistent)))
    for name in scenarios.names():
        d = scenarios.describe(name)
        yield f"scenario {name}", f"{d.get('title', '')} {d.get('description', '')}"
    for ex_id in printed.exhibits(kind="text"):
        for key, quoted in printed.quotes(ex_id).items():
            yield f"printed quote {ex_id}.{key}", " ".join(quoted)
    yield from (("catalogue " + w, t) for w, t in _catalogue_sources())
    for key in catalogue.keys():
        chip = catalogue.get(key)
        for name, note in chip.notes.items():
            yield f"catalogue note {key}.{name}", note
        yield f"catalogue note {key}", chip.note
    for field in catalogue.fields():
        yield f"catalogue field {field}", catalogue.field_info(field)["doc"]
    for doc in reports.documents():
        yield f"document {doc.id}", " ".join(filter(None, (doc.short, doc.title, doc.note)))


# ------------------------------------------------------------------------------ the one place

def test_each_document_is_defined_once_with_title_publisher_and_date():
    docs = reports.documents()
    assert [d.id for d in docs if d.kind == "report"] == list(reports.REPORT_IDS)
    assert len({d.short for d in docs}) == len(docs) and len({d.id for d in docs}) == len(docs)
    for d in docs:
        assert d.short and d.title and d.publisher and d.date, d.id
    assert reports.short("csc-2023") == "中信建投《算力大时代》(2023)"
    assert reports.get("csc-2023").title == "算力大时代，AI 算力产业链全景梳理"
    assert reports.cite("ai-server-2023", "§三.2(4)") == "《AI 服务器行业深度》(2023) §三.2(4)"
    with pytest.raises(UnknownNameError, match="seed000"):
        reports.get("seed000")


def test_a_short_name_inside_another_is_refused(monkeypatch):
    from engine import packagedata

    text = packagedata.read_text("data/reports.toml") + '\n[documents.x]\nshort = "《AI 服务器行业深度》"\n' \
        'title = "t"\npublisher = "p"\ndate = "d"\n'
    read_text = packagedata.read_text
    monkeypatch.setattr(packagedata, "read_text", lambda path: text if path == "data/reports.toml" else read_text(path))
    reports.documents.cache_clear()
    try:
        with pytest.raises(ValueError, match="is part of another"):
            reports.documents()
    finally:
        reports.documents.cache_clear()


# ------------------------------------------------------------------- nothing a reader cannot find

def test_no_line_numbers_or_internal_report_names():
    texts = list(_user_texts())
    assert len(texts) > 1500
    bad = [f"{where}: {_unfindable(text)} in {text}" for where, text in texts if _unfindable(text)]
    assert not bad, "\n".join(bad[:20])


def test_the_check_itself_catches_the_old_forms():
    for old in ("seed000 fig42 L892", "seed000 §1 (L148)", "(§6.2, L3636-3638)", "seed001 DGX H100 bill",
                "L3040/3077", "§1.2 (line 257)", "Seed 001's market levels"):
        assert _unfindable(old), old
    for good in ("中信建投《算力大时代》(2023) 图表49", "§6.2「每年新增机柜数为 100 万架」", "Lenovo", "L2 cache",
                 "Tom's Hardware H20/L20/L2 (2024)"):
        assert not _unfindable(good), good


def test_inputs_json_has_no_line_reference(capsys):
    assert main(["inputs", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert not _unfindable(out), _unfindable(out)[:5]
    d = json.loads(out)
    assert all(i["source"] for i in d["inputs"])


# ----------------------------------------------------------- every source names where it comes from

def _names_a_document(source: str) -> bool:
    return bool(reports.named_in(source)) or reports.is_own(source)


def test_every_input_source_names_a_report_a_document_or_suanli():
    bad = [f"{key}: {spec.source}" for key, spec in scenarios.schema().items() if not _names_a_document(spec.source)]
    assert not bad, "\n".join(bad)
    own = [key for key, spec in scenarios.schema().items() if reports.is_own(spec.source)]
    assert "chain_usd_per_switch" in own and "cagr_periods" in own


def test_every_exhibit_source_names_a_report():
    for ex in exhibits.all_exhibits():
        named = {d.id for d in reports.named_in(ex.source)}
        assert named & set(reports.REPORT_IDS), f"{ex.id}: {ex.source}"
        expected = "ai-server-2023" if ex.group == "ai_server" else "csc-2023"
        assert ex.source.startswith(reports.short(expected)) or ex.id == "export_control", ex.id


def test_every_catalogue_source_names_its_documents():
    for where, source in _catalogue_sources():
        for part in source.split(";"):
            assert reports.named_in(part.strip()), f"{where}: {part}"
            assert part.strip().startswith(reports.named_in(part.strip())[0].short), f"{where}: {part}"


def test_quotes_are_balanced_and_follow_a_place():
    """A quote marks words as printed: 「 and 」 pair up, and each quoted run follows a section, a
    table or 摘要 of the same source (so the reader knows where to search)."""
    sources = [s for _, s in _catalogue_sources()] + [s.source for s in scenarios.schema().values()] + \
        [e.source for e in exhibits.all_exhibits()]
    quoted = 0
    for source in sources:
        assert source.count("「") == source.count("」"), source
        assert not re.search(r"「[^」]*「", source), source
        for m in re.finditer(r"「([^」]*)」", source):
            quoted += 1
            assert m.group(1).strip(), source
            before = source[:m.start()]
            assert re.search(r"§|摘要|开篇|图表|表", before), source
    assert quoted > 300


# ------------------------------------------------------------------------------------- README

def _readme_section() -> str:
    return README.split("\n## Sources\n", 1)[1].split("\n## ", 1)[0]


def test_the_readme_examples_are_the_inputs_sources():
    examples = re.findall(r"^- `(\w+)`: `(.+)`$", _readme_section(), flags=re.M)
    assert len(examples) >= 4
    schema = scenarios.schema()
    for key, source in examples:
        assert schema[key].source == source, key


def test_the_readme_names_the_reports_by_their_short_names():
    rows = re.findall(r"^\| (.+?) \| .+ \|$", _readme_section(), flags=re.M)
    assert [r for r in rows if r not in ("short name", "---")] == [reports.short(r) for r in reports.REPORT_IDS]
    assert not _unfindable(README.replace("--seed", "").replace("seed=", "")), _unfindable(README)[:5]
