"""Errata sorted by kind: every entry is a computation error, an inconsistency, a wording slip or a
rounding note, and a rounding note (the printed value is reachable within the rounding of its
inputs) is not an erratum: listed apart, left out of the counts."""

from __future__ import annotations

import json

import pytest

import suanli
from engine import errata, packagedata, table
from engine.ops import round_half_up
from suanli.cli import main


def test_every_entry_has_one_of_the_four_kinds_and_a_detail():
    assert list(errata.KINDS) == ["computation", "inconsistency", "wording", "rounding-note"]
    for e in errata.all_errata():
        assert e.kind in errata.KINDS and e.detail in errata.DETAILS, e.id
    assert set(errata.all_errata()) == set(errata.errata_only()) | set(errata.rounding_notes())
    assert not set(errata.errata_only()) & set(errata.rounding_notes())
    assert sum(errata.counts().values()) == len(errata.all_errata())


def test_an_unknown_kind_or_detail_is_refused_naming_the_entry(monkeypatch):
    files = packagedata.listdir("data/errata")
    real = packagedata.read_toml
    for field, value in (("kind", "data"), ("detail", "typo")):
        def fake(path, field=field, value=value):
            d = real(path)
            if path == files[0]:
                first = next(iter(d))
                d = {**d, first: {**d[first], field: value}}
            return d

        monkeypatch.setattr(packagedata, "read_toml", fake)
        errata.all_errata.cache_clear()
        try:
            with pytest.raises(ValueError, match=rf"{field} '{value}' is not one of"):
                errata.all_errata()
        finally:
            monkeypatch.setattr(packagedata, "read_toml", real)
            errata.all_errata.cache_clear()


@pytest.mark.parametrize("eid, kind", [
    ("E66", "rounding-note"), ("S01", "rounding-note"), ("E13", "rounding-note"), ("E14", "rounding-note"),
    ("E61", "wording"), ("E16", "wording"), ("E45", "wording"), ("E60", "wording"), ("E30", "wording"),
    ("E01", "computation"), ("E26", "computation"), ("E03", "inconsistency"), ("S08", "inconsistency"),
])
def test_regraded(eid, kind):
    assert errata.get(eid).kind == kind


def test_the_rounding_notes_feasible_ranges_contain_the_printed_values():
    """S01 and E66: the project's own ranges (17.79-18.23%, 2.5-3.9%) hold the printed 17.9% and 3.3%."""
    china = table("s001_china_market")
    low, high = (round_half_up(china.value(k, "2027"), 2) for k in ("units_cagr_low", "units_cagr_high"))
    assert (low, high) == (17.79, 18.23) and low <= 17.9 <= high
    assert china.value("units_cagr_feasible", "2027") == 1
    assert "17.79%-18.23%" in errata.get("S01").title
    assert "2.5%-3.9%" in errata.get("E66").title and "2.5% to 3.9%" in errata.get("E66").description


def test_e61_two_lower_bounds_agree_and_e16_names_two_markets():
    e61 = errata.get("E61")
    assert "not a conflict" in e61.title and "lower bounds" in e61.description
    e16 = errata.get("E16")
    assert "市场收入" in e16.description and "组件市场" in e16.description and "not a data error" in e16.description


def test_e30_reads_the_rack_counts_as_standard_racks_from_the_text():
    e = errata.get("E30")
    assert "legacy" not in e.title + e.description
    assert "图表143" in e.description and "标准机架" in e.description and "standard racks" in e.description
    # the quotes are the report's words, one line each (transcribed once here)
    assert "「每年新增机柜数为 100 万架（按照单机柜 2.5kW 计算）」" in e.description
    assert "「2021 年和 2022 年分别新增机柜数量 120 万架和 150 万架」" in e.description


def test_cli_lists_rounding_notes_apart_with_a_kind_column(capsys):
    assert main(["errata"]) == 0
    out = capsys.readouterr().out
    errata_part, notes_part = out.split("rounding notes, not errata")
    assert errata_part.splitlines()[0].split()[:4] == ["id", "kind", "exhibits", "detail:"]
    for e in errata.errata_only():
        assert f"\n{e.id}  {e.kind}" in errata_part and e.id not in notes_part.split("\n", 1)[1].split("errata in all")[0]
    for e in errata.rounding_notes():
        assert f"\n{e.id}  rounding-note" in notes_part and f"\n{e.id} " not in errata_part
    assert " ".join(out.split()).endswith(errata.summary())              # wrapped to the terminal
    for e in errata.all_errata():
        assert f"{e.detail}: " in out


def test_cli_json_and_md(capsys):
    assert main(["errata", "--format", "json"]) == 0
    entries = {e["id"]: e for e in json.loads(capsys.readouterr().out)}
    assert entries["S01"]["kind"] == "rounding-note" and entries["S01"]["is_erratum"] is False
    assert entries["E01"]["detail"] == "arithmetic" and entries["E01"]["is_erratum"] is True
    assert main(["errata", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith(errata.summary()) and "| rounding-note |" in md


def test_a_table_marks_its_rounding_note(capsys):
    assert main(["table", "s001_china_market"]) == 0
    out = capsys.readouterr().out
    assert "S01 [rounding note, not an erratum; noted]" in out and "S08 [alternative applied]" in out


def test_api_frame_has_kind_detail_and_is_erratum():
    e = suanli.errata()
    assert not e.loc["E66", "is_erratum"] and e.loc["E66", "kind"] == "rounding-note"
    assert e.loc["E41", "detail"] == "unstated" and e["is_erratum"].sum() == len(errata.errata_only())
