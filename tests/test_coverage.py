"""Coverage (engine/data/coverage.toml, engine.coverage, `suanli coverage`): every figure of the
reports has an entry, every exhibit and every erratum is in one, each status follows from the data,
and the README's table is what the command prints.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import suanli
from engine import catalogue, coverage, errata, exhibits, packagedata, printed, reports
from engine.errors import UnknownNameError
from suanli.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"

#: The 图表 of 中信建投《算力大时代》(2023) that hold numbers, read from the report: its tables, and the
#: charts whose content is quantitative (values, shares, series), whether or not the text quotes their
#: values.  Left out: diagrams, photos, maps without figures, product line-ups without quantities,
#: timelines, algorithms and qualitative comparisons (图表1-4, 10, 12, 13, 17-19, 26, 28, 29, 31-39,
#: 41, 46, 47, 52, 62-65, 70, 71, 74-76, 78, 79, 86, 88, 89, 92, 96-99, 103-105, 112-115, 118, 119,
#: 122, 125, 132, 146, 148, 149, 153, 156, 161, 162, 168, 172, 174, 175, 177, 182, 186, 188, 189).
NUMERIC_FIGURES = {
    5, 6, 7, 8, 9, 11, 14, 15, 16, 20, 21, 22, 23, 24, 25, 27, 30,          # §1, §2.1
    40, 42, 43, 44, 45, 48, 49, 50, 51,                                      # §2.1.3
    53, 54, 55, 56, 57, 58, 59, 60, 61,                                      # §2.2
    66, 67, 68, 69, 72, 73, 77, 80, 81, 82, 83, 84, 85, 87, 90, 91,          # §2.3.1
    93, 94, 95, 100,                                                         # §2.3.2
    101, 102, 106, 107, 108, 109, 110, 111,                                  # §3
    116, 117, 120, 121, 123, 124, 126, 127, 128, 129, 130, 131,              # §4
    133, 134, 135, 136, 137, 138, 139, 140,                                  # §5
    141, 142, 143, 144, 145, 147, 150, 151, 152, 154, 155, 157, 158, 159, 160,   # §6
    163, 164, 165, 166, 167, 169, 170, 171, 173, 176, 178, 179, 180, 181, 183, 184, 185, 187,   # §7
}

ENTRIES = coverage.entries()


# ----------------------------------------------------------------------------------- completeness
def test_every_figure_with_numbers_has_an_entry():
    named = set().union(*(e.figures for e in ENTRIES if e.report == "csc-2023"))
    assert NUMERIC_FIGURES <= named, sorted(NUMERIC_FIGURES - named)
    assert max(named) <= 189                          # the report's last 图表


def test_every_exhibit_is_in_the_table():
    held = {x for e in ENTRIES for x in e.exhibits}
    assert held == {e.id for e in exhibits.all_exhibits()}


def test_every_catalogue_table_is_in_the_table():
    assert {t for e in ENTRIES for t in e.catalogue} == set(catalogue.tables())


def test_every_erratum_is_in_the_table():
    listed = {eid for e in ENTRIES for eid in e.errata}
    assert listed == {e.id for e in errata.all_errata()}, sorted({e.id for e in errata.all_errata()} - listed)


def test_every_printed_value_that_does_not_follow_is_listed_where_its_exhibit_is():
    for (ex_id, _, _), (_, eid, _) in printed.deviations().items():
        assert any(ex_id in e.exhibits and eid in e.errata for e in ENTRIES), (ex_id, eid)


def test_nothing_is_left_unmodelled():
    for e in ENTRIES:
        assert e.status in coverage.STATUSES
        if e.status == coverage.NOT_REPRODUCIBLE:
            assert e.reason, e.where
        else:
            assert e.exhibits or e.catalogue, e.where


def test_places_are_as_a_reader_finds_them():
    for e in ENTRIES:
        assert re.search(r"图表\d+|§|摘要|开篇|表「", e.where), e.where
        text = " ".join(filter(None, (e.where, e.figure, e.reason)))
        assert not re.search(r"\bL\d{2,}\b|seed\s*0\d\d", text, re.IGNORECASE), text
    assert {e.report for e in ENTRIES} == set(reports.REPORT_IDS)


def test_the_package_carries_the_file():
    assert "data/coverage.toml" in packagedata.all_files()


# ----------------------------------------------------------------------------------- status, derived
def _by_where(where: str) -> coverage.Entry:
    found = [e for e in ENTRIES if e.where == where]
    assert len(found) == 1, where
    return found[0]


def test_status_follows_the_data():
    assert _by_where("图表49").status == "reproduced"                # its totals are formulas
    assert _by_where("图表50").status == "erratum"                   # E01: utilisation twice
    assert _by_where("图表45").status == "data only"                 # parameters and tokens as quoted
    assert _by_where("图表87").status == "not reproducible"          # an image
    assert _by_where("图表129").status == "data only"


def test_a_rounding_note_does_not_make_an_erratum():
    china = _by_where("§3.2.2")
    assert [errata.get(e).kind for e in china.errata] == ["rounding-note"]
    assert china.status == "reproduced"                          # 60 and 7 are formulas of 67 and 89%
    kinds = {errata.get(e).kind for e in _by_where("§3.5").errata}
    assert kinds == {"wording"} and _by_where("§3.5").status == "data only"


def test_a_stated_status_is_only_where_nothing_printed_is_held():
    stated = [e for e in ENTRIES if e.stated is not None]
    assert stated and all(not any(printed.cells(x) for x in e.exhibits) for e in stated)


def test_rows_narrow_an_exhibit_to_the_figure():
    sk = [e for e in ENTRIES if e.figure.startswith("SK hynix's first 12-layer")][0]
    pins = [e for e in ENTRIES if e.figure.startswith("HBM against DRAM")][0]
    assert sk.exhibits == pins.exhibits == ("s2.3.1_hbm_vs_dram",)
    assert (sk.status, pins.status) == ("data only", "reproduced")   # HBM3's 819 GB/s is computed


@pytest.mark.parametrize("entry, message", [
    ({"report": "csc-2023", "where": "图表1", "figure": "x", "exhibits": ["nope"]}, "no exhibit 'nope'"),
    ({"report": "csc", "where": "图表1", "figure": "x"}, "report must be one of"),
    ({"report": "csc-2023", "where": "图表1", "figure": "x", "exhibits": ["fig49"], "errata": ["E19"]},
     "erratum E19 names fig159"),
    ({"report": "csc-2023", "where": "图表1", "figure": "x", "exhibits": ["fig49"], "status": "reproduced"},
     "states its status"),
    ({"report": "csc-2023", "where": "图表1", "figure": "x"}, "say why"),
    ({"report": "csc-2023", "where": "图表1", "figure": "x", "exhibit": ["fig49"]}, "unknown keys"),
    ({"report": "csc-2023", "where": "图表1", "figure": "x", "exhibits": ["fig49"], "rows": ["fig50.mm_dau"]},
     "rows: 'fig50.mm_dau'"),
])
def test_a_bad_entry_is_refused_naming_it(monkeypatch, entry, message):
    monkeypatch.setattr(packagedata, "read_toml", lambda path: {"entry": [entry]})
    coverage.entries.cache_clear()
    try:
        with pytest.raises(ValueError, match=re.escape(message)) as info:
            coverage.entries()
        assert "data/coverage.toml entry 1" in str(info.value)
    finally:
        coverage.entries.cache_clear()


# ----------------------------------------------------------------------------------- the README, the command
def test_the_readme_table_is_what_the_command_prints():
    text = README.read_text(encoding="utf-8")
    block = text[text.index(coverage.START):text.index(coverage.END) + len(coverage.END)] + "\n"
    assert block == coverage.markdown(), \
        "README's coverage table is stale: run `suanli coverage --format md --write README.md`"


def test_the_readme_counts_are_the_entries():
    md = coverage.markdown()
    for report_id in reports.REPORT_IDS:
        n = coverage.counts(report_id)
        assert f"**{reports.short(report_id)}**: {sum(n.values())} entries" in md
        assert sum(n.values()) == sum(1 for e in ENTRIES if e.report == report_id)


def test_command_json(capsys):
    assert main(["coverage", "--format", "json", "--report", "ai-server-2023"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert sum(d["counts"].values()) == len(d["entries"]) > 10
    assert {r["report"] for r in d["entries"]} == {reports.short("ai-server-2023")}


def test_command_table(capsys):
    assert main(["coverage"]) == 0
    out = capsys.readouterr().out
    assert "图表49" in out and out.rstrip().endswith(" not reproducible")


def test_command_writes_between_the_markers(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{coverage.START}\nold\n{coverage.END}\n\nafter\n", encoding="utf-8")
    assert main(["coverage", "--format", "md", "--write", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == "# x\n\n" + coverage.markdown() + "\nafter\n"
    plain = tmp_path / "plain.md"
    plain.write_text("no markers\n", encoding="utf-8")
    assert main(["coverage", "--format", "md", "--write", str(plain)]) == 2
    assert "needs the markers" in capsys.readouterr().err
    assert plain.read_text(encoding="utf-8") == "no markers\n"
    assert main(["coverage", "--write", str(readme)]) == 2
    assert "--write" in capsys.readouterr().err


def test_api_frame():
    c = suanli.coverage()
    assert len(c) == len(ENTRIES) and set(c["status"]) <= set(coverage.STATUSES)
    one = suanli.coverage("ai-server-2023")
    assert set(one["report"]) == {reports.short("ai-server-2023")}
    with pytest.raises(UnknownNameError, match="csc-2023"):
        suanli.coverage("csc")
