"""What the command and the library give an analyst: which scenario each starts from and says it
used, exports to send (xlsx, CSV with a byte-order mark, JSON), and finding exhibits, rows and
inputs in a terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import suanli
from engine import exhibits, scenarios, tables
from suanli.cli import main
from suanli.textgrid import width, wrap

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    """The command in this process: (exit status, stdout, stderr); argparse's refusals too."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv, stdout=subprocess.PIPE, cwd=None):
    """The command in its own process (stdout a pipe unless given a file)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "suanli.cli", *argv], stdout=stdout, stderr=subprocess.PIPE,
                          env=env, cwd=cwd, check=False)


# ---------------------------------------------------------------------------- honest defaults
def test_the_reports_tables_default_to_it_as_printed_and_the_chain_to_it_corrected():
    assert suanli.table("fig50").scenario.name == "csc-2023"
    assert suanli.table("cagr").scenario.name == "csc-2023"
    assert suanli.table("s001_global_market").scenario.name == "ai-server-2023"
    chain = suanli.table("chain")
    assert chain.scenario.name == "csc-2023-corrected"
    # E01 as printed inflates the 2023 fleet from 356万 to 540万 A100-equivalents
    assert round(chain.value("a100_eq", "2023E")) == 356
    assert round(suanli.table("chain", "csc-2023").value("a100_eq", "2023E")) == 540
    # the chain is suanli's own exhibit (the others are the reports' tables and passages): the only one corrected
    own = {e.id for e in exhibits.all_exhibits() if e.default_scenario == "csc-2023-corrected"}
    assert own == {"chain"}
    assert suanli.tables().loc["chain", "scenario"] == "csc-2023-corrected"


def test_analyses_start_from_the_corrected_model():
    assert suanli.sweep("fig50.a100_cards", {"infer_utilization": [0.3]}).scenario.name == "csc-2023-corrected"
    assert suanli.sensitivity("fig49.a100_total").scenario.name == "csc-2023-corrected"
    mc = suanli.montecarlo(None, {"train_utilization": suanli.Uniform(0.2, 0.4)}, n=100, seed=1)
    assert mc.scenario.name == "csc-2023-corrected" and mc.exhibit.id == "chain"
    # fig50 corrected: the cards are 0.3 times the printed ones
    swept = suanli.sweep("fig50.a100_cards", {"infer_utilization": [0.3]}).values[0]
    printed = suanli.table("fig50").values("a100_cards")
    assert swept.tolist() == pytest.approx([0.3 * v for v in printed])
    # the compilation has no corrected counterpart: its exhibits stay on their own scenario
    assert tables.work_scenario("s001_global_market") == "ai-server-2023"


def test_infer_utilization_leads_the_ranking_only_because_of_e01():
    corrected = suanli.sensitivity("chain.it_kw").to_frame()
    printed = suanli.sensitivity("chain.it_kw", scenario="csc-2023").to_frame()
    assert printed.index[0] == "infer_utilization"
    assert corrected.index[0] == "chain_gpus_per_server"
    assert list(corrected.index).index("infer_utilization") == 5
    assert corrected.loc["infer_utilization", "swing_pct"] < printed.loc["infer_utilization", "swing_pct"] / 3


def test_batch_starts_from_the_corrected_scenario_unless_told(tmp_path, capsys):
    rows = tmp_path / "s.csv"
    rows.write_text("name,train_utilization\nbase,0.3\n", encoding="utf-8")
    assert main(["batch", str(rows), "--out", str(tmp_path / "a"), "--jobs", "1"]) == 0
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["base_scenario"] == "csc-2023-corrected"
    assert main(["batch", str(rows), "--out", str(tmp_path / "b"), "--jobs", "1", "--scenario", "csc-2023"]) == 0
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["base_scenario"] == "csc-2023"
    capsys.readouterr()


def test_the_chain_template_opens_corrected_and_the_reports_as_printed():
    from workbook_templates import groups

    assert groups.group("chain").scenario == "csc-2023-corrected"
    assert groups.group("demand").scenario == "csc-2023"


def test_the_demo_prints_the_reports_tables_as_printed_and_the_chain_corrected(capsys, tmp_path):
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path))
    assert code == 0
    headers = [(out.splitlines()[i - 2].split()[0], line) for i, line in enumerate(out.splitlines())
               if line.startswith("scenario: ")]
    assert ("fig49", "scenario: csc-2023; errata as printed: E01 E02 E05 E06 E13 E19") in headers
    assert ("chain", "scenario: csc-2023-corrected; errata corrected: E01 E02 E05 E06 E13 E19") in headers
    assert [h for h in headers if h[0] == "chain"] == [("chain", headers[-1][1])]


# ---------------------------------------------------------------------------- every output names its scenario
def test_the_table_header_names_the_scenario_and_the_switches(capsys):
    _, out, _ = run(capsys, "table", "fig50", "--set", "fig50_util_applied_twice=FALSE", "--set",
                    "infer_utilization=0.4")
    assert out.splitlines()[2] == ("scenario: csc-2023 (with fig50_util_applied_twice=FALSE, infer_utilization=0.4); "
                                   "errata as printed: E02 E05 E06 E13 E19; corrected: E01")
    _, out, _ = run(capsys, "table", "fig50", "--format", "md")
    assert "Scenario: csc-2023; errata as printed: E01 E02 E05 E06 E13 E19" in out


def test_json_records_the_scenario_with_its_switches(capsys):
    _, out, _ = run(capsys, "table", "chain", "--format", "json", "--set", "train_utilization=0.4")
    sc = json.loads(out)["scenario"]
    assert sc["name"] == "csc-2023-corrected" and sc["title"].startswith("CSC 2023")
    assert sc["switches"]["fig50_util_applied_twice"] is False and len(sc["switches"]) == 6
    assert sc["as_printed"] == [] and sc["corrected"] == ["E01", "E02", "E05", "E06", "E13", "E19"]
    assert sc["overrides"] == {"train_utilization": [0.4] * 5}


def test_analysis_summaries_name_the_scenario(capsys, tmp_path):
    code, out, _ = run(capsys, "sweep", "--set", "train_utilization=0.2:0.4:0.1", "--row", "chain.cards",
                       "--scenario", "csc-2023", "--out", str(tmp_path / "s.xlsx"))
    assert code == 0 and out.splitlines()[1] == "scenario: csc-2023; errata as printed: E01 E02 E05 E06 E13 E19"


# ---------------------------------------------------------------------------- exports
def test_xlsx_of_one_table_has_a_scenario_header_formats_and_an_about_sheet(capsys, tmp_path):
    path = tmp_path / "fig50.xlsx"
    code, out, err = run(capsys, "table", "图表50", "--format", "xlsx", "--out", str(path),
                         "--set", "infer_utilization=0.4")
    assert code == 0 and err == "" and out.startswith(f"wrote {path}: fig50 as xlsx, 32 rows x 5 columns; scenario:")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["fig50", "About"]
    ws = wb["fig50"]
    assert ws["A1"].value.startswith("fig50") and ws["A3"].value.startswith("scenario: csc-2023 (with infer_utilization")
    assert [c.value for c in ws[6]] == ["key", "row", "报告行", "unit", "2023E", "2024E", "2025E", "2026E", "2027E"]
    t = suanli.table("fig50", overrides={"infer_utilization": 0.4})
    keys = [ws.cell(r, 1).value for r in range(7, 7 + len(t.exhibit.rows))]
    assert keys == [r.key for r in t.exhibit.rows]
    for r, row in enumerate(t.exhibit.rows, start=7):
        for c, v in enumerate(t.values(row.key), start=5):
            cell = ws.cell(r, c)
            if v is None:
                continue
            shown = cell.value * 100 if row.unit == "%" else cell.value      # a % row holds the fraction
            assert shown == pytest.approx(v, rel=1e-12), (row.key, c)
            assert cell.number_format != "General" or row.decimals is None, (row.key, cell.number_format)
    a100 = keys.index("a100_cards") + 7
    assert ws.cell(a100, 5).number_format == "#,##0"
    yoy = keys.index("mm_params_yoy") + 7
    assert ws.cell(yoy, 6).number_format.endswith("%") and ws.cell(yoy, 6).value == pytest.approx(0.2)
    about = {r[0]: r[1:] for r in wb["About"].iter_rows(min_row=4, values_only=True)}
    assert about["scenario"][0] == "csc-2023"
    assert about["based on"][0] == "-" and about["scenario hash"][0] == t.scenario.fingerprint   # which values made it
    assert "scenario file" not in about
    assert about["erratum E01"][0] == "fig50_util_applied_twice=TRUE"
    assert about["set"][0] == "infer_utilization=0.4,0.4,0.4,0.4,0.4"


def test_xlsx_marks_cells_that_need_an_input_without_widening_the_columns(capsys, tmp_path):
    path = tmp_path / "chain.xlsx"
    assert run(capsys, "table", "chain", "--out", str(path))[0] == 0
    ws = openpyxl.load_workbook(path)["chain"]
    needs = [c for row in ws.iter_rows(min_row=7, min_col=5) for c in row if c.value == "needs"]
    assert {c.comment.text for c in needs} == {"needs chain_usd_per_switch", "needs chain_usd_per_optical_module",
                                               "needs chain_electricity_cny_per_kwh"}
    assert all(ws.column_dimensions[col].width < 16 for col in "EFGHI")
    notes = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any(n.startswith("  chain_usd_per_switch: ") for n in notes)
    assert any(n.startswith("  E01 [corrected]") for n in notes)


def test_csv_numbers_have_no_float_noise_and_counts_no_decimal_point(capsys):
    _, out, _ = run(capsys, "table", "fig50", "--format", "csv")
    rows = {r[0]: r for r in csv.reader(io.StringIO(out))}
    assert rows["mm_params_yoy"][4:] == ["", "20", "20", "20", "20"]            # not 19.999999999999996
    assert rows["mm_queries"][4:] == ["20"] * 5                                 # not 20.0
    assert rows["mm_dau"][4:] == ["0.2", "0.5", "1", "2", "4"]
    _, out, _ = run(capsys, "table", "fig50", "--format", "json")
    row = next(r for r in json.loads(out)["rows"] if r["key"] == "mm_params_yoy")
    assert row["values"] == [None, 20, 20, 20, 20]


def test_plain_number_keeps_full_precision():
    assert tables.plain_number(19.999999999999996) == 20 and isinstance(tables.plain_number(5.0), int)
    assert tables.plain_number(2079.296703296703) == 2079.2967032967
    assert tables.plain_number(1 / 3) == 0.333333333333333
    assert tables.plain_number(1.5e20) == 1.5e20 and isinstance(tables.plain_number(1.5e20), float)
    assert tables.plain_number(-0.1 - 0.2) == -0.3


def test_csv_gets_a_bom_in_a_file_but_not_on_a_pipe(tmp_path):
    piped = cli("table", "fig49", "--format", "csv")
    assert piped.returncode == 0 and piped.stdout.startswith(b"key,")
    with open(tmp_path / "redirected.csv", "wb") as f:                  # suanli table ... > redirected.csv
        assert cli("table", "fig49", "--format", "csv", stdout=f).returncode == 0
    assert (tmp_path / "redirected.csv").read_bytes().startswith(b"\xef\xbb\xbfkey,")
    with open(tmp_path / "plain.csv", "wb") as f:
        assert cli("table", "fig49", "--format", "csv", "--no-bom", stdout=f).returncode == 0
    assert (tmp_path / "plain.csv").read_bytes().startswith(b"key,")
    assert cli("table", "fig49", "--format", "csv", "--bom").stdout.startswith(b"\xef\xbb\xbfkey,")
    done = cli("table", "fig49", "--out", "out/f49.csv", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.decode().startswith(f"wrote {tmp_path}/out/f49.csv: fig49 as csv")
    data = (tmp_path / "out" / "f49.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfkey,") and "多模态大模型研发厂商个数".encode() in data
    assert cli("table", "fig49", "--out", "x.csv", "--no-bom", cwd=tmp_path).returncode == 0
    assert (tmp_path / "x.csv").read_bytes().startswith(b"key,")
    # the JSON written to a file is the JSON printed
    assert cli("table", "fig49", "--out", "f.json", cwd=tmp_path).returncode == 0
    assert json.loads((tmp_path / "f.json").read_text("utf-8")) == json.loads(cli("table", "fig49", "--format",
                                                                                     "json").stdout)


@pytest.mark.parametrize("argv, message", [
    (["table", "fig49", "--format", "xlsx"], "--format xlsx needs --out FILE.xlsx"),
    (["table", "fig49", "--out", "x.pdf"], "--out 'x.pdf': cannot tell the format from its name"),
    (["table", "fig49", "--out", "x.xlsx", "--format", "csv"], "--out 'x.xlsx' names a workbook but --format is csv"),
    (["table", "fig49", "--format", "xlsx", "--out", "x.csv"], "--out must be a file name ending in .xlsx"),
    (["table", "fig49", "--out", "x.csv", "--set", "train_utilization=2"], "train_utilization must be in (0, 1]"),
    (["table", "fig49", "--format", "pdf"], "argument --format: invalid choice: 'pdf'"),
    (["table", "fig49", "--nosuch"], "unrecognized arguments: --nosuch"),
])
def test_a_bad_export_is_one_line_and_writes_nothing(argv, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_an_xlsx_onto_a_folder_is_refused_in_one_line(tmp_path, capsys):
    (tmp_path / "f.xlsx").mkdir()
    code, out, err = run(capsys, "table", "fig49", "--out", str(tmp_path / "f.xlsx"))
    assert code == 2 and out == "" and "is a folder" in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------------------- finding exhibits, rows and inputs
@pytest.mark.parametrize("typed", ["fig49", "Fig49", "FIG49", "图表49", "fig 49", "Fig. 49", "figure 49", "Figure49",
                                   "图49", "图表４９", " fig49 "])
def test_exhibit_ids_as_the_report_prints_them(typed):
    assert exhibits.get(typed).id == "fig49"
    assert suanli.table(typed).exhibit.id == "fig49"
    assert suanli.sweep(f"{typed}.a100_total", {"train_utilization": [0.3]}).output.name == "fig49.a100_total"


def test_exhibit_ids_as_printed_on_the_command_line_and_in_excel(capsys):
    from addin import udfs

    code, out, _ = run(capsys, "table", "fig", "49")
    assert code == 0 and out.startswith("fig49")
    assert run(capsys, "table", "图表108")[1].startswith("fig7")                 # an alias, as printed
    assert run(capsys, "inputs", "图表43")[1].startswith("6 inputs that fig43 reads")
    assert udfs.AI_TABLE("图表49")[0][0].startswith("fig49")
    code, _, err = run(capsys, "table", "fig499")
    assert code == 2 and err.strip() == ("suanli: unknown exhibit 'fig499'; one of the 92 that `suanli tables` "
                                         "lists (did you mean fig49?)")


def test_keys_lists_every_row_key_with_its_labels(capsys):
    code, out, _ = run(capsys, "table", "fig49", "--keys")
    assert code == 0
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("---")) + 1
    listed = [line.split()[0] for line in lines[first:] if line and not line.startswith(" ")]
    assert listed == [r.key for r in exhibits.get("fig49").rows]
    assert "A100 需求总量" in out
    _, out, _ = run(capsys, "table", "chain", "--keys", "--format", "json")
    assert [r["key"] for r in json.loads(out)["rows"]] == [r.key for r in exhibits.get("chain").rows]


@pytest.mark.parametrize("argv, message", [
    (["sweep", "--set", "train_utilization=0.2:0.3:0.1", "--row", "chain.card"],
     "unknown row of chain 'card'; one of the 32 that `suanli table chain --keys` lists (did you mean cards?)"),
    (["sensitivity", "--row", "fig49.a100"], "(did you mean a100_total?)"),
    (["montecarlo", "--dist", "train_utilization=uniform(0.2,0.4)", "--row", "fig43.a100_card"],
     "unknown row of fig43 'a100_card'; one of: params, weights_gb, inference_gb, a100_cards, a800_cards, a10_cards "
     "(did you mean a100_cards?)"),
    (["sweep", "--set", "train_utilization=0.2:0.3:0.1", "--row", "chain.cards", "--output", "chain.pue"],
     "--row chain.cards and --output chain.pue name different rows"),
    (["inputs", "--search", "zzzqqq"], "--search 'zzzqqq' matches no key or description of the inputs"),
    (["inputs", "fig43", "--search", "h100"], "matches no key or description of the fig43 inputs"),
    (["inputs", "--search", " "], "--search needs a word"),
    (["inputs", "nosuch"], "unknown exhibit 'nosuch'"),
])
def test_unknown_rows_and_searches_say_what_is_accepted_in_one_line(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_output_is_an_alias_of_row_kept_out_of_the_help(capsys, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    code, by_row, _ = run(capsys, "sweep", "--set", "train_utilization=0.2:0.3:0.1", "--row", "chain.cards",
                          "--out", str(a))
    code2, by_output, _ = run(capsys, "sweep", "--set", "train_utilization=0.2:0.3:0.1", "--output", "chain.cards",
                              "--out", str(b))
    assert code == code2 == 0 and by_row.replace(str(a), "F") == by_output.replace(str(b), "F")
    for command in ("sweep", "sensitivity", "montecarlo"):
        code, text, _ = run(capsys, command, "--help")
        assert code == 0 and "--row EXHIBIT.ROW" in text and "--output" not in text


def test_inputs_of_an_exhibit_are_what_it_reads():
    assert tables.exhibit_inputs("fig43") == ["llm_params", "infer_bytes_per_param", "infer_intermediate_multiplier",
                                              "a100_memory_gb", "a800_memory_gb", "a10_memory_gb"]
    chain = tables.exhibit_inputs("chain")
    assert set(tables.exhibit_inputs("fig49")) <= set(chain) and "fig50_util_applied_twice" in chain
    # an input it does not read does not move it
    t = suanli.table("fig43")
    other = suanli.table("fig43", overrides={"train_utilization": 0.5})
    assert "train_utilization" not in tables.exhibit_inputs("fig43")
    assert [t.values(r.key) for r in t.exhibit.rows] == [other.values(r.key) for r in t.exhibit.rows]
    assert list(suanli.inputs(exhibit="fig 43").index) == tables.exhibit_inputs("fig43")


def test_inputs_search_and_formats(capsys):
    code, out, _ = run(capsys, "inputs", "--search", "utilisation", "--format", "json")
    d = json.loads(out)
    keys = [i["key"] for i in d["inputs"]]
    assert code == 0 and "train_utilization" in keys and "infer_utilization" in keys
    assert all("utilisation" in i["label"].lower() or "utilisation" in i["key"] for i in d["inputs"])
    assert d["scenario"]["name"] == "csc-2023" and d["search"] == ["utilisation"]
    assert {"key", "label", "unit", "value", "bounds", "source", "note", "axis", "erratum"} <= set(d["inputs"][0])
    code, out, _ = run(capsys, "inputs", "fig49", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["key"] for r in rows] == tables.exhibit_inputs("fig49")
    assert next(r for r in rows if r["key"] == "mm_vendors")["value"] == "5,8,10,13,15"
    code, out, _ = run(capsys, "inputs", "chain", "--scenario", "csc-2023")
    assert "fig50_util_applied_twice" in out and "scenario: csc-2023;" in out.splitlines()[0]


@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("argv", [["inputs"], ["inputs", "chain"], ["tables"], ["errata"], ["scenarios"],
                                  ["table", "fig50", "--keys"], ["table", "chain", "--keys"]])
def test_listings_fit_the_terminal(argv, columns, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(capsys, *argv)
    lines = out.splitlines()
    assert code == 0 and max(width(line) for line in lines) <= columns
    assert "…" not in out                                   # wrapped, not cut
    if argv == ["inputs"]:
        assert all(k in out for k in scenarios.schema())


def test_inputs_drop_then_stack_columns_as_the_terminal_narrows(capsys, monkeypatch):
    heads = {}
    for columns in (80, 100, 120, 200):
        monkeypatch.setenv("COLUMNS", str(columns))
        heads[columns] = next(line for line in run(capsys, "inputs", "fig49")[1].splitlines()
                              if line.startswith("key ")).split()
    assert heads[200] == heads[120] == ["key", "value", "unit", "accepted", "description"]
    assert heads[100] == ["key", "value", "unit", "description"]
    assert heads[80] == ["key", "value", "unit"]                        # description under each key


def test_wrap_breaks_at_spaces_and_inside_chinese():
    assert wrap("Training hardware utilisation (MFU)", 12) == ["Training", "hardware", "utilisation", "(MFU)"]
    assert wrap("多模态大模型平均参数", 8) == ["多模态大", "模型平均", "参数"]
    assert wrap("0.213,0.325,0.302,0.462", 18) == ["0.213,0.325,0.302,", "0.462"]
    assert all(width(line) <= 5 for line in wrap("abcdefghijklmnop qrs", 5))


def test_the_examples_in_engine_tables_run():
    import doctest

    result = doctest.testmod(tables)
    assert result.attempted >= 8 and result.failed == 0


@pytest.mark.libreoffice
@pytest.mark.parametrize("exhibit", ["fig50", "chain"])
def test_the_xlsx_of_one_table_prints_one_page_wide_with_its_scenario(exhibit, tmp_path, capsys):
    """Printed through LibreOffice: the table sheet on one page (then the About sheet on its own),
    and the scenario line and the switches on the page."""
    from suanli import libreoffice

    book = tmp_path / f"{exhibit}.xlsx"
    assert run(capsys, "table", exhibit, "--out", str(book))[0] == 0
    pdf = libreoffice.to_pdf(book, tmp_path / "pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           2" in info
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert tables.scenario_line(suanli.table(exhibit).scenario) in first
    assert "2027E" in first and exhibits.get(exhibit).rows[-1].key in first


def test_a_cell_waiting_for_an_input_is_short_and_the_input_is_named_under_the_table(capsys):
    code, out, _ = run(capsys, "table", "chain")
    lines = out.splitlines()
    row = next(line for line in lines if line.startswith("Electricity cost per year"))
    assert row.split()[-5:] == ["needs"] * 5
    assert "  chain_electricity_cny_per_kwh: electricity_cost (--set chain_electricity_cny_per_kwh=VALUE)" in lines
    table = lines[lines.index("") + 1:next(i for i, line in enumerate(lines) if line.startswith("source: "))]
    assert max(width(line) for line in table) < 120              # no column as wide as "needs chain_usd_per_..."
    code, out, _ = run(capsys, "table", "chain", "--set", "chain_electricity_cny_per_kwh=0.5", "--set",
                       "chain_usd_per_switch=30000", "--set", "chain_usd_per_optical_module=600")
    assert "needs" not in out and "inputs to supply" not in out
