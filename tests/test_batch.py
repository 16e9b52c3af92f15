"""suanli batch: one workbook per scenario row, a summary and a manifest; bad rows reported, resume."""

from __future__ import annotations

import json
import os
import zipfile

import openpyxl
import pytest

from engine import scenarios
from suanli.cli import main
from workbook_templates import batch, build, groups
from workbook_templates.meta import META_SHEET

CSV = """name,train_utilization,mm_dau[2025E],chain_h100_share,fig50_util_applied_twice
base,,,,
high util,0.45,,0.5,false
"=HYPERLINK(""http://x"")",0.3,2e8,,
bad util,30,,,
text cell,abc,,,
日本/中文 名字,0.35,,,
"""


def _cached(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    return {(ws.title, c.coordinate): c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r
            if c.value is not None and ws.title != META_SHEET}


@pytest.fixture()
def csv_file(tmp_path):
    p = tmp_path / "scenarios.csv"
    p.write_text(CSV, encoding="utf-8")
    return p


def test_batch_writes_workbooks_summary_and_manifest(csv_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["batch", str(csv_file), "--out", str(out), "--jobs", "2"]) == 1      # two rows fail
    err = capsys.readouterr().err
    assert "row 5: train_utilization must be in (0, 1], got 30 (did you mean 0.30?)" in err
    assert "row 6: train_utilization must be a number, got 'abc'" in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["scenario"]: e for e in manifest["scenarios"]}
    assert [e["status"] for e in manifest["scenarios"]] == ["ok", "ok", "ok", "error", "error", "ok"]
    assert entries["bad util"]["key"] == "train_utilization"
    files = sorted(p.name for p in out.glob("*.xlsx"))
    assert files == sorted(["base.xlsx", "high_util.xlsx", "HYPERLINK_http_x.xlsx", "日本_中文_名字.xlsx",
                            "summary.xlsx"])
    assert not list(out.glob("*.part"))
    # each workbook is exactly what templates build writes for that scenario
    sc = scenarios.load("csc-2023").with_values({"train_utilization": 0.45, "chain_h100_share": 0.5,
                                                 "fig50_util_applied_twice": False})
    expected = tmp_path / "expected.xlsx"
    build.build_workbook(groups.group("chain"), expected,
                         scenarios.Scenario("high util", sc.values, "high util"))
    assert _cached(out / "high_util.xlsx") == _cached(expected)


def test_per_column_override_and_text_stays_text(csv_file, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(csv_file, out, jobs=1)
    wb = openpyxl.load_workbook(out / "HYPERLINK_http_x.xlsx")
    target = wb.defined_names["mm_dau"].attr_text.split("!")[1].replace("$", "")
    values = [c.value for row in wb["Inputs"][target] for c in row]
    assert values == [2e7, 5e7, 2e8, 2e8, 4e8]                       # only 2025E changed
    with zipfile.ZipFile(out / "summary.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        strings = z.read("xl/sharedStrings.xml").decode()
    assert "HYPERLINK" not in sheet.split("<f>")[0] or "<f>HYPERLINK" not in sheet
    assert '=HYPERLINK("http://x")' in strings.replace("&quot;", '"')


def test_summary_has_headlines_and_charts(csv_file, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(csv_file, out, jobs=1)
    wb = openpyxl.load_workbook(out / "summary.xlsx")
    ws = wb["Summary"]
    assert [c.value for c in ws[1]][:3] == ["scenario", "workbook", batch.HEADLINES[0][3]]
    assert ws.max_row == 5
    base, high = ws["C2"].value, ws["C3"].value
    assert high == pytest.approx(base * 0.3 / 0.45)                   # training A100s scale with 1/utilisation
    with zipfile.ZipFile(out / "summary.xlsx") as z:
        assert sum(n.startswith("xl/charts/chart") for n in z.namelist()) == len(batch.HEADLINES)


def test_resume_builds_only_what_is_missing_or_changed(csv_file, tmp_path):
    out = tmp_path / "out"
    batch.run_batch(csv_file, out, jobs=1)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.xlsx")}
    (out / "base.xlsx").unlink()
    csv_file.write_text(CSV.replace("high util,0.45", "high util,0.40"), encoding="utf-8")
    report = batch.run_batch(csv_file, out, jobs=1, resume=True)
    resumed = {e["scenario"] for e in report.entries if e.get("resumed")}
    assert resumed == {'=HYPERLINK("http://x")', "日本/中文 名字"}
    assert (out / "base.xlsx").exists()
    assert (out / "high_util.xlsx").stat().st_mtime_ns != stamps["high_util.xlsx"]
    assert (out / "日本_中文_名字.xlsx").stat().st_mtime_ns == stamps["日本_中文_名字.xlsx"]


def test_an_interrupted_build_leaves_no_half_written_workbook(csv_file, tmp_path, monkeypatch):
    out = tmp_path / "out"

    def boom(self, *a, **k):
        raise KeyboardInterrupt

    import xlsxwriter.workbook
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "close", boom)
    with pytest.raises(KeyboardInterrupt):
        batch.run_batch(csv_file, out, jobs=1)
    assert not [p for p in out.iterdir() if p.suffix in (".xlsx", ".part") or p.name.endswith(".part")]


def test_xlsx_scenario_file_and_bad_files(tmp_path, capsys):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "train_days", "mm_vendors[2027E]", "nope"])
    ws.append(["a", 14, 20, None])
    ws.append(["b", 0, None, None])
    ws.append(["c", 7, 16, 3])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    report = batch.run_batch(path, tmp_path / "out", jobs=1, template="demand")
    status = {e["scenario"]: (e["status"], e.get("error", "")) for e in report.entries}
    assert status["a"][0] == "ok"
    assert status["b"] == ("error", "row 3: train_days must be in (0, 3650], got 0")
    assert status["c"][0] == "error" and "row 4: unknown input key 'nope'" in status["c"][1]
    (tmp_path / "x.txt").write_text("name\n", encoding="utf-8")
    assert main(["batch", str(tmp_path / "x.txt"), "--out", str(tmp_path / "o")]) == 2
    assert "must be a .csv or .xlsx file" in capsys.readouterr().err
    (tmp_path / "noname.csv").write_text("scenario,train_days\nx,7\n", encoding="utf-8")
    assert main(["batch", str(tmp_path / "noname.csv"), "--out", str(tmp_path / "o")]) == 2
    assert "needs a 'name' column" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "noname.csv"), "--out", str(tmp_path / "o"), "--template", "x"]) == 2
    assert "unknown template 'x'" in capsys.readouterr().err


def test_safe_filenames():
    taken: set[str] = set()
    assert batch.safe_filename("a/b\\c:d*e?", taken) == "a_b_c_d_e.xlsx"
    assert batch.safe_filename("A/B\\C:D*E?", taken) == "A_B_C_D_E_2.xlsx"
    assert batch.safe_filename("CON", taken) == "_CON.xlsx"
    assert batch.safe_filename("...", taken) == "scenario.xlsx"
    assert len(batch.safe_filename("x" * 300, taken)) <= 85
    assert os.sep not in batch.safe_filename("../../etc/passwd", taken)
