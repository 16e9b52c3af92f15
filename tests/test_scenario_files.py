"""Scenario files: an analyst's own scenario as TOML, accepted wherever a scenario name is; the
``suanli scenario`` commands; and the provenance every output records (name, base chain, hash)."""

from __future__ import annotations

import json
import math
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.utility import xl_rowcol_to_cell

import suanli
from engine import scenarios
from suanli import scenariofiles
from suanli.cli import main
from workbook_templates import build, groups, meta
from workbook_templates.batch import HEADLINES

from hostile import fixtures as fx

HOUSE = """\
name = "house"
title = "House view"
base = "csc-2023-corrected"

[values]
mm_params_base = "18000亿"
train_utilization = "35%"
mm_vendors = [5, 8, 12, 15, 18]
"std_dau[2025E]" = "3亿"
"""
#: The same scenario as --set flags (std_dau's other columns as in the base).
SETS = ["mm_params_base=18000亿", "train_utilization=35%", "mm_vendors=5,8,12,15,18",
        "std_dau=2000万,1亿,3亿,4亿,8亿"]
DEMAND = groups.group("demand")


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return rc, out, err


def refused(capsys, *argv) -> str:
    rc, out, err = run(capsys, *argv)
    assert rc == 2 and out == "", (rc, out, err)
    assert err.startswith("suanli: ") and err.count("\n") == 1, err
    return err


@pytest.fixture
def house(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "house.toml"
    path.write_text(HOUSE, encoding="utf-8")
    return path


def meta_rows(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path, data_only=True)[meta.META_SHEET]
    return {r[0]: r[1] or "" for r in ws.iter_rows(values_only=True) if r[0]}


# ------------------------------------------------------------------ the file and the one resolver
def test_a_file_gives_the_same_table_as_the_same_values_given_with_set(house, capsys):
    rc, from_file, err = run(capsys, "table", "fig49", "--scenario", "house.toml", "--format", "json")
    assert rc == 0, err
    rc, from_sets, err = run(capsys, "table", "fig49", "--scenario", "csc-2023-corrected",
                             *[x for s in SETS for x in ("--set", s)], "--format", "json")
    assert rc == 0, err
    a, b = json.loads(from_file), json.loads(from_sets)
    assert a["rows"] == b["rows"] and a["errata"] == b["errata"]
    made = {k: a["scenario"][k] for k in ("name", "base", "hash", "file", "overrides")}
    assert made == {"name": "house", "base": ["csc-2023-corrected", "csc-2023"], "hash": b["scenario"]["hash"],
                    "file": "house.toml", "overrides": {}}
    assert b["scenario"]["name"] == "csc-2023-corrected" and b["scenario"]["file"] is None
    assert set(b["scenario"]["overrides"]) == {"mm_params_base", "train_utilization", "mm_vendors", "std_dau"}
    assert a["scenario"]["switches"] == b["scenario"]["switches"] and a["scenario"]["as_printed"] == []
    mm = next(r for r in a["rows"] if r["key"] == "mm_params")
    assert mm["values"][0] == 18000.0
    rc, text, _ = run(capsys, "table", "fig49", "--scenario", "house.toml")
    assert "scenario: house (house.toml)" in text.splitlines()[2]


def test_the_python_api_takes_a_file_name_or_a_path(house):
    by_name = suanli.table("fig49", scenario="house.toml")
    by_path = suanli.table("fig49", scenario=house)
    by_sets = suanli.table("fig49", scenario="csc-2023-corrected", overrides={
        "mm_params_base": "18000亿", "train_utilization": 0.35, "mm_vendors": [5, 8, 12, 15, 18],
        "std_dau": [2e7, 1e8, 3e8, 4e8, 8e8]})
    assert by_name.to_frame().equals(by_sets.to_frame()) and by_path.to_frame().equals(by_sets.to_frame())
    sc = suanli.scenario(house)
    assert (sc.name, sc.title, sc.chain, sc.source) == ("house", "House view", ("csc-2023-corrected", "csc-2023"),
                                                       str(house))
    assert sc.fingerprint == by_sets.scenario.fingerprint != scenarios.load("csc-2023-corrected").fingerprint
    assert sc.value("std_dau") == (2e7, 1e8, 3e8, 4e8, 8e8)                 # one column set, the others the base's
    assert suanli.inputs("house.toml").loc["mm_vendors", "value"] == (5.0, 8.0, 12.0, 15.0, 18.0)
    assert suanli.errata("fig50", scenario=house).loc["E01", "status"] == "corrected"
    r = suanli.sweep("fig49.a100_total", {"train_days": [30, 60]}, scenario="house.toml")
    assert r.scenario.chain == sc.chain
    assert suanli.sensitivity("fig49.a100_total", scenario=house).scenario.name == "house"
    mc = suanli.montecarlo("fig49.a100_total", {"train_days": suanli.Uniform(20, 40)}, n=100, seed=1,
                           scenario=house)
    assert mc.scenario.source == str(house)


def test_a_base_file_is_read_relative_to_the_file_that_names_it(tmp_path, monkeypatch):
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "q2.toml").write_text('name = "q2"\nbase = "csc-2023-text-dau"\n[values]\n'
                                                'train_days = 40\n', encoding="utf-8")
    (tmp_path / "views" / "q3.toml").write_text('base = "q2.toml"\n[values]\ntrain_days = 45\n'
                                                'infer_utilization = 0.4\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sc = scenariofiles.resolve("views/q3.toml")
    assert sc.name == "q3" and sc.title == "q3"                             # the file's name, when it gives none
    assert sc.chain == ("q2", "csc-2023-text-dau", "csc-2023-corrected", "csc-2023")
    assert sc.value("train_days")[0] == 45 and sc.value("std_dau")[0] == 1e7    # its own, then its bases'
    assert scenariofiles.base_of(sc).name == "q2"
    default = tmp_path / "plain.toml"
    default.write_text("[values]\ntrain_days = 45\n", encoding="utf-8")
    assert scenariofiles.read(default).chain == ("csc-2023",)                # no base: the report as printed


def test_a_byte_order_mark_and_the_report_units_are_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeffname = \"bom\"\n[values]\nmm_params_base = \"１８０００亿\"\n"
                     "chain_usd_per_switch = \"1.5万美元\"\nfig50_util_applied_twice = false\n".encode())
    sc = scenariofiles.read(path)
    assert sc.value("mm_params_base") == 1.8e12 and sc.value("fig50_util_applied_twice") == 0.0
    assert sc.value("chain_usd_per_switch") == 1.5e4


def test_a_bare_number_off_by_a_display_factor_is_warned_about(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("slip.toml").write_text("[values]\nmm_params_base = 18000\n", encoding="utf-8")
    rc, out, err = run(capsys, "table", "fig49", "--scenario", "slip.toml")
    assert rc == 0 and "did you mean 18000亿 (1.8e12)?" in err


BAD_FILES = [
    ("unknown-key.toml", 'name = "x"\n[values]\nmm_params_bas = 1\n',
     f"unknown-key.toml: [values] unknown input key 'mm_params_bas'; one of the {len(scenarios.schema())} that `suanli inputs` lists "
     "(did you mean mm_params_base?)"),
    ("length.toml", "[values]\nmm_vendors = [1, 2, 3]\n",
     "length.toml: [values] mm_vendors takes one value or 5 values (2023E, 2024E, 2025E, 2026E, 2027E), got 3 values"),
    ("bounds.toml", "[values]\ntrain_utilization = 30\n",
     "bounds.toml: [values] train_utilization must be in (0, 1], got 30 (did you mean 0.30?)"),
    ("text.toml", '[values]\nmm_dau = "2亿个"\n', "text.toml: [values] mm_dau must be a number, got '2亿个'"),
    ("column.toml", '[values]\n"mm_vendors[2029E]" = 3\n',
     "column.toml: [values] mm_vendors[2029E]: '2029E' is not a column of mm_vendors (its columns are 2023E, 2024E, "
     "2025E, 2026E, 2027E) (did you mean 2027E?)"),
    ("negative.toml", '[values]\n"mm_vendors[2025E]" = -3\n',
     "negative.toml: [values] mm_vendors[2025E] must be a whole number >= 0, got -3"),
    ("table.toml", "[values]\nmm_vendors = {a = 1}\n",
     "table.toml: [values] mm_vendors must be a number, true/false or text in the report's units"),
    ("date.toml", "[values]\ntrain_days = 2025-01-01\n", "date.toml: [values] train_days must be a number"),
    ("not-toml.toml", "name = \"x\"\n[values\n", "not-toml.toml: is not TOML: "),
    ("csv.toml", "name,train_utilization\nx,0.3\n", "csv.toml: is not TOML: "),
    ("field.toml", 'name = "x"\nvaules = {}\n',
     "field.toml: unknown key 'vaules'; a scenario file has name, title, description, base and [values] "
     "(did you mean values?)"),
    ("base.toml", 'base = "csc-2023-corected"\n',
     "base.toml: base 'csc-2023-corected' is neither a packaged scenario (ai-server-2023, csc-2023, "
     "csc-2023-corrected, csc-2023-text-dau, csc-2023-text-params, today) nor a .toml file (did you mean "
     "csc-2023-corrected?)"),
    ("packaged.toml", 'name = "csc-2023"\n', "packaged.toml: name 'csc-2023' is a packaged scenario's"),
    ("number-name.toml", "name = 3\n", "number-name.toml: name must be text in quotes, got 3"),
    ("values.toml", "values = 3\n", "values.toml: values must be a table ([values], one line per input), got 3"),
    ("missing-base.toml", 'base = "nowhere.toml"\n', "nowhere.toml: no such file"),
]


@pytest.mark.parametrize("name, text, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_refused_naming_the_file_and_the_key_and_nothing_is_written(tmp_path, monkeypatch, capsys,
                                                                                  name, text, message):
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text, encoding="utf-8")
    assert message in refused(capsys, "table", "fig49", "--scenario", name)
    for argv in (["templates", "build", "--out", "books"], ["sweep", "--set", "train_days=30:40:10", "--output",
                                                           "fig49.a100_total", "--out", "sweep.xlsx"]):
        assert message in refused(capsys, *argv, "--scenario", name)
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_file_that_is_not_utf8_a_loop_a_folder_and_a_huge_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("gbk.toml").write_bytes('name = "房子"\n'.encode("gbk"))
    assert "gbk.toml: line 1: byte 0xb7 is not UTF-8" in refused(capsys, "table", "fig49", "--scenario", "gbk.toml")
    Path("a.toml").write_text('base = "b.toml"\n', encoding="utf-8")
    Path("b.toml").write_text('base = "./c.toml"\n', encoding="utf-8")
    Path("c.toml").write_text('base = "a.toml"\n', encoding="utf-8")
    err = refused(capsys, "table", "fig49", "--scenario", "a.toml")
    assert "a.toml: its base chain loops: a.toml → b.toml → c.toml → a.toml" in err
    Path("self.toml").write_text('base = "self.toml"\n', encoding="utf-8")
    assert "self.toml → self.toml" in refused(capsys, "table", "fig49", "--scenario", "self.toml")
    Path("dir.toml").mkdir()
    assert "dir.toml: is a folder" in refused(capsys, "table", "fig49", "--scenario", "dir.toml")
    Path("huge.toml").write_text("# " + "x" * scenariofiles.MAX_BYTES, encoding="utf-8")
    assert "huge.toml: is 1,048,578 bytes; a scenario file is at most 1,048,576" in refused(
        capsys, "table", "fig49", "--scenario", "huge.toml")


def test_a_name_that_is_neither_scenario_nor_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    err = refused(capsys, "table", "fig49", "--scenario", "csc-2024")
    assert "unknown scenario 'csc-2024'" in err and "a scenario file (FILE.toml)" in err and "csc-2023?" in err
    Path("house").write_text(HOUSE, encoding="utf-8")
    assert "a scenario file's name ends in .toml; or give it as ./house" in refused(
        capsys, "table", "fig49", "--scenario", "house")
    rc, out, _ = run(capsys, "table", "fig49", "--scenario", "./house")
    assert rc == 0 and "scenario: house (./house)" in out
    assert "nor is it a file" in refused(capsys, "table", "fig49", "--scenario", "no/such")
    with pytest.raises(suanli.InvalidTypeError, match="scenario must be a scenario name, the path of a .toml"):
        suanli.table("fig49", scenario=3)


def test_values_hash_is_the_values_and_only_the_values():
    a = scenarios.load("csc-2023")
    assert a.fingerprint == scenarios.values_hash(a.values) and len(a.fingerprint) == 16
    renamed = a.with_values({}, name="other")
    assert renamed.fingerprint == a.fingerprint and renamed.chain == ("csc-2023",)
    assert a.with_values({"train_days": 31}).fingerprint != a.fingerprint
    assert a.with_values({"train_days": 7.000000000000001}).fingerprint == a.fingerprint    # 15 digits, as a cell
    assert build.inputs_hash(a, ["train_days"]) == scenarios.values_hash(a.values, ["train_days"])


# ------------------------------------------------------------------ accepted wherever a scenario name is
def test_templates_build_from_a_file_records_it_and_refreshes_without_it(house, tmp_path, capsys):
    rc, out, err = run(capsys, "templates", "build", "--scenario", "house.toml", "--out", "books")
    assert rc == 0, err
    sc = scenariofiles.read(house)
    book = tmp_path / "books" / "demand.xlsx"
    rows = meta_rows(book)
    assert (rows["scenario"], rows["base"], rows["base_chain"], rows["scenario_hash"], rows["scenario_file"]) == (
        "house", "csc-2023-corrected", "csc-2023-corrected ← csc-2023", sc.fingerprint, "house.toml")
    assert meta_rows(tmp_path / "books" / "chain.xlsx")["scenario_hash"] == sc.fingerprint
    assert openpyxl.load_workbook(tmp_path / "books" / "index.xlsx")["Index"]["A2"].value.endswith(
        "scenario house (house.toml); errata corrected: E01 E02 E05 E06 E13 E19.")
    house.unlink()                                           # its values are in the workbook
    wb = openpyxl.load_workbook(book)
    wb["Inputs"][_at(DEMAND, sc, "mm_vendors", 4)] = 20
    wb.save(book)
    rc, out, err = run(capsys, "refresh", book)
    assert rc == 0, err
    # without the file, the inputs are compared with its packaged base, and it says so
    assert "scenario house" in out and "4 inputs differ" in out
    assert "scenario house is not a packaged scenario: its inputs compared with csc-2023-corrected" in out
    after = meta_rows(book)
    edited = sc.with_values({"mm_vendors": [5, 8, 12, 15, 20]})
    assert (after["scenario"], after["base_chain"], after["scenario_file"]) == (
        "house", "csc-2023-corrected ← csc-2023", "house.toml")
    # the inputs this workbook does not use are the packaged base's now: the hash is of what the workbook holds
    assert after["inputs_hash"] == build.inputs_hash(edited, after["inputs"].split(","))
    assert after["scenario_hash"] == scenarios.load("csc-2023-corrected").with_values(
        {k: edited.values[k] for k in after["inputs"].split(",")}).fingerprint
    wb = openpyxl.load_workbook(book, data_only=True)
    assert wb["fig49"]["H5"].value == 20                    # mm_vendors 2027E, recomputed


def test_refresh_keeps_the_hash_of_a_file_scenario_while_the_inputs_are_the_files(house, tmp_path, capsys):
    assert run(capsys, "templates", "build", "--scenario", "house.toml", "--out", "books")[0] == 0
    book = tmp_path / "books" / "demand.xlsx"
    wb = openpyxl.load_workbook(book)
    wb.save(book)                                           # openpyxl drops the cached results: refresh restores them
    before = meta_rows(book)
    house.unlink()
    rc, out, err = run(capsys, "refresh", book)
    assert rc == 0 and "scenario house" in out, (out, err)
    assert {k: meta_rows(book)[k] for k in meta.LINEAGE} == {k: before[k] for k in meta.LINEAGE}


def test_refresh_with_a_file_starts_from_it_and_stamps_it(house, tmp_path, capsys):
    book = build.build_workbook(DEMAND, tmp_path / "demand.xlsx")
    rc, out, err = run(capsys, "refresh", book, "--scenario", "house.toml")
    assert rc == 0, err
    assert "scenario house" in out and "inputs differ from it" in out
    rows = meta_rows(book)
    assert (rows["scenario"], rows["base"], rows["scenario_file"]) == ("house", "csc-2023-corrected", "house.toml")
    keys = rows["inputs"].split(",")
    held = scenarios.load("csc-2023")
    assert rows["scenario_hash"] == scenariofiles.read(house).with_values({k: held.values[k] for k in keys}).fingerprint


def test_batch_takes_a_file_as_its_base_and_the_manifest_records_it(house, tmp_path, capsys):
    Path("rows.csv").write_text("name,train_days\nlong,60\nshort,20\n", encoding="utf-8")
    rc, out, err = run(capsys, "batch", "rows.csv", "--out", "out", "--scenario", "house.toml", "--jobs", "1")
    assert rc == 0, err
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    sc = scenariofiles.read(house)
    assert manifest["base_scenario"] == "house"
    assert manifest["base"] == {"name": "house", "base": ["csc-2023-corrected", "csc-2023"], "hash": sc.fingerprint,
                                "file": "house.toml"}
    long = sc.with_values({"train_days": 60}, name="long")
    assert manifest["scenarios"][0]["scenario_hash"] == long.fingerprint
    rows = meta_rows(tmp_path / "out" / "long.xlsx")
    assert (rows["base"], rows["base_chain"], rows["scenario_hash"]) == (
        "csc-2023-corrected", "house ← csc-2023-corrected ← csc-2023", long.fingerprint)
    assert "no such file" in refused(capsys, "batch", "rows.csv", "--out", "out2", "--scenario", "gone.toml")
    assert not (tmp_path / "out2").exists()


def test_the_analyses_about_sheets_say_which_scenario(house, tmp_path, capsys):
    sc = scenariofiles.read(house)
    for argv in (["sweep", "--set", "train_days=30:60:10", "--row", "fig49.a100_total"],
                 ["sensitivity", "--row", "fig49.a100_total"],
                 ["montecarlo", "--dist", "train_days=uniform(20,40)", "--n", "1000", "--seed", "3", "--row",
                  "fig49.a100_total"],
                 ["table", "fig49", "--format", "xlsx"]):
        out = tmp_path / f"{argv[0]}.xlsx"
        rc, _, err = run(capsys, *argv, "--scenario", "house.toml", "--out", out)
        assert rc == 0, err
        about = {r[0]: r[1] for r in openpyxl.load_workbook(out)["About"].iter_rows(min_row=4, values_only=True)}
        assert about["scenario"] == "house" and about["scenario file"] == "house.toml", argv[0]
        assert about["based on"] == "csc-2023-corrected ← csc-2023" and about["scenario hash"] == sc.fingerprint


def test_inputs_lists_a_files_values(house, capsys):
    rc, out, _ = run(capsys, "inputs", "--scenario", "house.toml", "--format", "json")
    values = {i["key"]: i["value"] for i in json.loads(out)["inputs"]}
    assert rc == 0 and values["mm_vendors"] == [5.0, 8.0, 12.0, 15.0, 18.0] and values["mm_params_base"] == 1.8e12


# ------------------------------------------------------------------ suanli scenario new / show / diff
def test_new_writes_a_commented_file_that_reads_back_and_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    rc, out, err = run(capsys, "scenario", "new", "mine.toml", "--from", "csc-2023-corrected",
                       "--set", "mm_params_base=18000亿", "--set", "train_utilization=35%",
                       "--set", "mm_vendors=5,8,12,15,18", "--set", "cagr_inference_extra_period=TRUE",
                       "--title", "My view")
    assert rc == 0, err
    sc = scenariofiles.read("mine.toml")
    expected = scenarios.load("csc-2023-corrected").with_values({
        "mm_params_base": 1.8e12, "train_utilization": 0.35, "mm_vendors": [5, 8, 12, 15, 18],
        "cagr_inference_extra_period": True})
    assert sc.fingerprint == expected.fingerprint and (sc.name, sc.title) == ("mine", "My view")
    assert out.splitlines() == [
        f"wrote mine.toml: scenario mine, based on csc-2023-corrected ← csc-2023; 4 inputs set (mm_params_base, "
        f"train_utilization, mm_vendors, cagr_inference_extra_period); hash {sc.fingerprint}",
        "use it where a scenario name goes: suanli table fig49 --scenario mine.toml"]
    text = Path("mine.toml").read_text(encoding="utf-8")
    assert "# Multimodal model parameters, 2023E; params; report 15000亿\nmm_params_base = 1.8e+12  # 18000亿\n" in text
    assert "train_utilization = 0.35  # 35%\n" in text
    assert "mm_vendors = [5, 8, 12, 15, 18]  # 5, 8, 12, 15, 18\n" in text
    assert "; switch; report TRUE; csc-2023-corrected FALSE\ncagr_inference_extra_period = true  # TRUE\n" in text
    # an existing file is kept unless --force
    err = refused(capsys, "scenario", "new", "mine.toml", "--from", "csc-2023")
    assert "refused mine.toml: it exists; pass --force" in err and Path("mine.toml").read_text(encoding="utf-8") == text
    rc, out, _ = run(capsys, "scenario", "new", "mine.toml", "--from", "csc-2023", "--force")
    assert rc == 0 and "no input set: every one as in csc-2023" in out
    assert scenariofiles.read("mine.toml").fingerprint == scenarios.load("csc-2023").fingerprint
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]


def test_new_from_a_file_names_it_relative_to_the_new_file(house, tmp_path, capsys):
    (tmp_path / "next").mkdir()
    rc, _, err = run(capsys, "scenario", "new", "next/q4.toml", "--from", "house.toml", "--set", "train_days=40")
    assert rc == 0, err
    assert 'base = "../house.toml"\n' in (tmp_path / "next" / "q4.toml").read_text(encoding="utf-8")
    sc = scenariofiles.read(tmp_path / "next" / "q4.toml")
    assert sc.chain == ("house", "csc-2023-corrected", "csc-2023") and sc.value("train_days")[0] == 40


@pytest.mark.parametrize("argv, message", [
    (["mine.toml", "--from", "csc-2023", "--set", "train_utilization=30"], "train_utilization must be in (0, 1], got 30"),
    (["mine.toml", "--from", "csc-2023", "--set", "nope=1"], "unknown input key 'nope'"),
    (["mine.toml", "--from", "csc-2024"], "unknown scenario 'csc-2024'"),
    (["mine.txt", "--from", "csc-2023"], "FILE must be the name of a file ending in .toml, got 'mine.txt'"),
    (["mine.toml", "--from", "csc-2023", "--name", "csc-2023-corrected"], "mine.toml: name 'csc-2023-corrected' is a "
                                                                          "packaged scenario's"),
    (["mine.toml", "--from", "csc-2023", "--name", "two\nlines"], "mine.toml: name must be one line of text"),
    (["mine.toml", "--from", "csc-2023", "--name", "bell\x07"], "mine.toml: name must be one line of text"),
    (["mine.toml", "--from", "csc-2023", "--title", "a\x00b"], "mine.toml: title must be one line of text"),
    (["mine.toml", "--from", "csc-2023", "--name", "x" * 201], "of at most 200 characters"),
])
def test_new_refuses_and_writes_nothing(tmp_path, monkeypatch, capsys, argv, message):
    monkeypatch.chdir(tmp_path)
    assert message in refused(capsys, "scenario", "new", *argv)
    assert list(tmp_path.iterdir()) == []


def test_show_lists_what_differs_from_the_base_beside_the_report(house, capsys):
    rc, out, _ = run(capsys, "scenario", "show", "house.toml")
    sc = scenariofiles.read(house)
    lines = out.splitlines()
    assert rc == 0 and lines[:3] == ["scenario house (house.toml): House view",
                                     f"based on csc-2023-corrected ← csc-2023; hash {sc.fingerprint}",
                                     "4 inputs differ from csc-2023-corrected:"]
    assert lines[3].split() == ["key", "house", "csc-2023-corrected", "report", "unit", "input"]
    shown = {line.split()[0]: line for line in lines[5:]}
    assert list(shown) == ["mm_vendors", "mm_params_base", "train_utilization", "std_dau"]
    assert shown["mm_params_base"].split()[1:5] == ["18000亿", "15000亿", "15000亿", "params"]
    assert shown["train_utilization"].split()[1:4] == ["35%", "30%", "30%"]
    assert "2000万, 1亿, 3亿, 4亿, 8亿" in shown["std_dau"]
    rc, out, _ = run(capsys, "scenario", "show", "house.toml", "--report")
    assert "10 inputs differ from csc-2023:" in out and "fig50_util_applied_twice" in out
    rc, out, _ = run(capsys, "scenario", "show", "csc-2023-text-params")
    assert "1 input differs from csc-2023-corrected:" in out and "10000亿" in out
    rc, out, _ = run(capsys, "scenario", "show", "csc-2023")
    assert out.splitlines()[-1] == "csc-2023 is the report as printed: every input is the report's value"


def test_diff_shows_the_inputs_and_the_headline_outputs_side_by_side(house, capsys):
    rc, out, err = run(capsys, "scenario", "diff", "csc-2023-corrected", "house.toml")
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == f"A: csc-2023-corrected, based on csc-2023; hash {scenarios.load('csc-2023-corrected').fingerprint}"
    assert lines[2] == "4 inputs differ:"
    head = lines.index("headline outputs:")
    rows = {line[:38].strip(): line[38:].split() for line in lines[head + 3:]}
    assert len(rows) == len(HEADLINES)
    a = suanli.table("fig49", scenario="csc-2023-corrected").value("a100_total", "2027E")
    b = suanli.table("fig49", scenario="house.toml").value("a100_total", "2027E")
    assert rows["Training A100s needed 2027E (万张)"] == [f"{a:,.2f}", f"{b:,.2f}", f"{b - a:+,.2f}",
                                                         f"{(b - a) / a * 100:+.1f}%"]
    cagr = rows["Training peak CAGR 2023-27 (%)"]
    assert cagr[2] == "pp" or cagr[3] == "pp"
    rc, out, _ = run(capsys, "scenario", "diff", "house.toml", "house.toml")
    assert "no input differs: the two give the same outputs" in out


# ------------------------------------------------------------------ from-workbook: the loop closes
def _at(group, sc, key: str, j: int = 0) -> str:
    row, col, _ = build.plan(group, sc).input_layout.places[key]
    return xl_rowcol_to_cell(row, col + j)


#: The edits an analyst makes on the demand workbook's Inputs sheet, as its cells show the inputs (in their
#: display units: mm_params_base in 亿, so 18,000 is 1.8e12; train_utilization 2027E a % cell holding its fraction),
#: and the values in base units they stand for.
EDITS = (("mm_vendors", 2, "number", 12), ("std_vendors", 4, "number", 40), ("fig50_util_applied_twice", 0, "bool", False),
         ("mm_params_base", 0, "number", 18000), ("train_utilization", 4, "number", 0.35))
EDITED = {"mm_vendors": (5, 8, 12, 13, 15), "std_vendors": (15, 20, 25, 30, 40), "fig50_util_applied_twice": 0,
          "mm_params_base": 1.8e12, "train_utilization": (0.3, 0.3, 0.3, 0.3, 0.35)}


def _edited_via_openpyxl(built: Path, out: Path) -> Path:
    sc = scenarios.load("csc-2023")
    shutil.copyfile(built, out)
    wb = openpyxl.load_workbook(out)
    ws = wb["Inputs"]
    for key, j, _, value in EDITS:
        ws[_at(DEMAND, sc, key, j)] = value
    wb.save(out)
    return out


def _edited_via_xml(built: Path, out: Path) -> Path:
    sc = scenarios.load("csc-2023")
    book = built
    for i, (key, j, kind, value) in enumerate(EDITS):
        book = fx.set_cell(book, out if i == len(EDITS) - 1 else out.with_name(f"step{i}.xlsx"), "Inputs",
                           _at(DEMAND, sc, key, j), kind, value)
    return book


def _cells(path: Path) -> dict[tuple[str, str], object]:
    """Every cell of every sheet: (sheet, ref) -> (formula or value, cached value); an empty text as None."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                cached = values[ws.title][c.coordinate].value
                if c.value in (None, "") and cached in (None, ""):
                    continue
                out[(ws.title, c.coordinate)] = (c.value, cached)
    return out


#: Cells that name the scenario, the errata switches it was built with, or the time: the only ones a
#: rebuilt workbook may differ in.
NAMING = {("Index", "A2"), ("Index", "A4"), ("Errata", "A3"), ("Inputs", "A3")}


@pytest.mark.parametrize("edit", [_edited_via_openpyxl, _edited_via_xml], ids=["openpyxl", "xml"])
def test_from_workbook_then_build_gives_the_edited_workbook_cell_for_cell(tmp_path, monkeypatch, capsys, edit):
    monkeypatch.chdir(tmp_path)
    built = build.build_workbook(DEMAND, tmp_path / "built.xlsx")
    book = edit(built, tmp_path / "demand.xlsx")
    rc, out, err = run(capsys, "refresh", book)
    assert rc == 0 and "5 inputs differ" in out, (out, err)
    rc, out, err = run(capsys, "scenario", "from-workbook", "demand.xlsx", "--out", "house.toml")
    assert rc == 0, err
    sc = scenariofiles.read("house.toml")
    assert out.splitlines() == [
        f"wrote house.toml: scenario house, based on csc-2023; 5 of the workbook's 53 inputs differ from it "
        f"(mm_vendors, mm_params_base, std_vendors, train_utilization, fig50_util_applied_twice); "
        f"hash {sc.fingerprint}",
        "rebuild or batch from it: suanli templates build --scenario house.toml"]
    # each read back in base units: 18,000 typed in the 亿 cell is 1.8e12, as --set mm_params_base=18000亿 is
    assert {k: sc.value(k) for k in EDITED} == EDITED
    assert sc.fingerprint == scenarios.load("csc-2023").with_values(
        {"mm_params_base": "18000亿", "train_utilization": ["30%", "30%", "30%", "30%", "35%"],
         "mm_vendors": [5, 8, 12, 13, 15], "std_vendors": [15, 20, 25, 30, 40],
         "fig50_util_applied_twice": False}).fingerprint
    text = Path("house.toml").read_text(encoding="utf-8")
    assert "mm_params_base = 1.8e+12  # 18000亿\n" in text
    assert "train_utilization = [0.3, 0.3, 0.3, 0.3, 0.35]  # 30%, 30%, 30%, 30%, 35%\n" in text
    rc, _, err = run(capsys, "templates", "build", "--scenario", "house.toml", "--out", "rebuilt")
    assert rc == 0, err
    rebuilt = tmp_path / "rebuilt" / "demand.xlsx"
    ours, theirs = _cells(book), _cells(rebuilt)
    assert {k for k in ours if k[0] != meta.META_SHEET} == {k for k in theirs if k[0] != meta.META_SHEET}
    compared = 0
    for where, (formula, cached) in ours.items():
        sheet, ref = where
        if sheet == meta.META_SHEET or where in NAMING or (ref == "A3" and sheet in build.plan(DEMAND, sc).order):
            continue
        other_formula, other_cached = theirs[where]
        assert formula == other_formula, where
        if isinstance(cached, float):
            assert math.isclose(cached, other_cached, rel_tol=1e-12, abs_tol=1e-300), (where, cached, other_cached)
        else:
            assert cached == other_cached, where
        compared += 1
    assert compared > 2000
    mine, rebuilt_meta = meta_rows(book), meta_rows(rebuilt)
    assert mine["scenario_hash"] == rebuilt_meta["scenario_hash"] == sc.fingerprint
    assert mine["inputs_hash"] == rebuilt_meta["inputs_hash"]
    # and a batch from it builds the same workbook for a row that changes nothing
    Path("rows.csv").write_text("name\nsame\n", encoding="utf-8")
    rc, _, err = run(capsys, "batch", "rows.csv", "--out", "batch", "--template", "demand", "--scenario", "house.toml",
                     "--jobs", "1")
    assert rc == 0, err
    assert meta_rows(tmp_path / "batch" / "same.xlsx")["inputs_hash"] == mine["inputs_hash"]


def test_from_workbook_of_a_batch_or_file_workbook_starts_from_its_packaged_base(house, tmp_path, capsys):
    assert run(capsys, "templates", "build", "--scenario", "house.toml", "--out", "books")[0] == 0
    rc, out, err = run(capsys, "scenario", "from-workbook", "books/demand.xlsx")
    assert rc == 0, err
    text = (tmp_path / "books" / "demand.toml").read_text(encoding="utf-8")
    assert 'base = "csc-2023-corrected"\n' in text and 'name = "demand"\n' in text
    sc = scenariofiles.read(tmp_path / "books" / "demand.toml")
    used = meta_rows(tmp_path / "books" / "demand.xlsx")["inputs"].split(",")
    house_sc = scenariofiles.read(house)
    assert all(sc.values[k] == house_sc.values[k] for k in used)
    assert "4 of the workbook's" in out
    err = refused(capsys, "scenario", "from-workbook", "books/demand.xlsx")
    assert "refused books/demand.toml: it exists" in err


def test_from_workbook_of_an_unedited_workbook_and_of_bad_ones(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    built = build.build_workbook(DEMAND, tmp_path / "demand.xlsx")
    rc, out, _ = run(capsys, "scenario", "from-workbook", "demand.xlsx", "--out", "same.toml", "--name", "same")
    assert rc == 0 and "each of the workbook's 53 inputs as in it" in out
    assert scenariofiles.read("same.toml").fingerprint == scenarios.load("csc-2023").fingerprint
    sc = scenarios.load("csc-2023")
    text = fx.set_cell(built, tmp_path / "text.xlsx", "Inputs", _at(DEMAND, sc, "mm_vendors", 1), "text", "eight")
    err = refused(capsys, "scenario", "from-workbook", text, "--out", "text.toml")
    assert "input mm_vendors (2024E) at Inputs!" in err and "holds the text 'eight'" in err
    Path("plain.xlsx").write_bytes(b"not a zip")
    assert "plain.xlsx" in refused(capsys, "scenario", "from-workbook", "plain.xlsx", "--out", "plain.toml")
    bare = fx.drop_sheet(built, tmp_path / "bare.xlsx", meta.META_SHEET)
    assert "no _suanli sheet" in refused(capsys, "scenario", "from-workbook", bare, "--out", "bare.toml")
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".toml") == ["same.toml"]
    with zipfile.ZipFile(built) as zf:
        assert zf.testzip() is None


@pytest.mark.libreoffice
def test_libreoffice_computes_the_rebuilt_workbook_as_the_edited_one(tmp_path, monkeypatch, capsys):
    """A real spreadsheet recalculating the workbook rebuilt from the scenario file gets the values the
    edited, refreshed workbook caches."""
    from suanli import libreoffice

    monkeypatch.chdir(tmp_path)
    built = build.build_workbook(DEMAND, tmp_path / "built.xlsx")
    book = _edited_via_xml(built, tmp_path / "demand.xlsx")
    assert run(capsys, "refresh", book)[0] == 0
    assert run(capsys, "scenario", "from-workbook", "demand.xlsx", "--out", "house.toml")[0] == 0
    rebuilt = build.build_workbook(DEMAND, tmp_path / "rebuilt.xlsx", scenariofiles.read("house.toml"))
    ours = libreoffice.read_values(book)
    theirs = libreoffice.read_values(libreoffice.recalculate([rebuilt], tmp_path / "lo")[0])
    compared = 0
    for sheet in build.plan(DEMAND, scenarios.load("csc-2023")).order:
        for ref, v in ours[sheet].items():
            if isinstance(v, float):
                assert math.isclose(v, theirs[sheet][ref], rel_tol=1e-9, abs_tol=1e-300), (sheet, ref)
                compared += 1
    assert compared > 300
