"""The command line: tables in four formats, inputs, errata, and exit status 2 on bad input."""

from __future__ import annotations

import csv
import io
import json

import pytest

from suanli.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tables_lists_every_exhibit(capsys):
    code, out, _ = run(capsys, "tables")
    assert code == 0
    for ex in ("fig49", "fig50", "fig43", "fig51", "fig45", "fig48", "cagr", "gpt3", "fig173"):
        assert ex in out


def test_table_json_schema(capsys):
    code, out, _ = run(capsys, "table", "fig49", "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert set(d) >= {"id", "title_en", "title_zh", "scenario", "columns", "rows", "errata"}
    assert d["columns"] == ["2023E", "2024E", "2025E", "2026E", "2027E"]
    row = next(r for r in d["rows"] if r["key"] == "a100_total")
    assert row["label_zh"] == "A100 需求总量（万张）（只考虑 A100 的情况下）"
    assert row["unit"] == "万张"
    assert round(row["values"][3], 2) == 2079.30
    total = next(r for r in d["rows"] if r["key"] == "total_peak")
    assert total["label_zh"] is None
    yoy = next(r for r in d["rows"] if r["key"] == "mm_params_yoy")
    assert yoy["values"][0] is None and round(yoy["values"][1], 6) == 20.0
    assert [r["key"] for r in d["rows"]][:3] == ["mm_vendors", "mm_models_per_vendor", "mm_params"]


def test_corrected_fig50_is_333_times_lower_and_names_the_erratum(capsys):
    _, printed, _ = run(capsys, "table", "fig50", "--format", "json")
    _, corrected, _ = run(capsys, "table", "fig50", "--scenario", "csc-2023-corrected", "--format", "json")
    p, c = json.loads(printed), json.loads(corrected)
    for key in ("h100_cards", "a100_cards"):
        pv = next(r for r in p["rows"] if r["key"] == key)["values"]
        cv = next(r for r in c["rows"] if r["key"] == key)["values"]
        assert all(a / b == pytest.approx(1 / 0.3) for a, b in zip(pv, cv, strict=True))
    e01 = next(e for e in c["errata"] if e["id"] == "E01")
    assert e01["status"] == "corrected" and e01["switch"] == "fig50_util_applied_twice"
    code, text, _ = run(capsys, "table", "fig50", "--scenario", "csc-2023-corrected")
    assert code == 0 and "E01 [corrected] fig50 applies the 30% utilisation twice" in text
    assert "24.94" in text  # the consistent value beside the printed one


def test_table_text_and_md_and_csv(capsys):
    code, out, _ = run(capsys, "table", "fig43")
    assert code == 0 and "A10 24GB" in out and "167" in out
    code, out, _ = run(capsys, "table", "fig43", "--format", "md")
    assert code == 0 and out.startswith("### fig43") and "| A10 24GB | 张 | 30 | 167 |" in out
    code, out, _ = run(capsys, "table", "fig51", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:4] == ["key", "label_zh", "label_en", "unit"]
    cards = next(r for r in rows if r[0] == "cards")
    assert [float(x) for x in cards[4:]] == [180, 1000]


def test_set_scalar_and_list(capsys):
    code, out, _ = run(capsys, "table", "fig49", "--set", "train_utilization=0.6", "--format", "json")
    d = json.loads(out)
    a100 = next(r for r in d["rows"] if r["key"] == "a100_total")["values"]
    assert a100[0] == pytest.approx(276.633089 / 2, rel=1e-6)   # twice the utilisation, half the cards
    code, out, _ = run(capsys, "table", "fig49", "--set", "mm_vendors=1,1,1,1,1", "--format", "json")
    vendors = next(r for r in json.loads(out)["rows"] if r["key"] == "mm_vendors")["values"]
    assert vendors == [1, 1, 1, 1, 1]


@pytest.mark.parametrize("argv, message", [
    (["table", "fig49", "--set", "mm_vendor=3"], "unknown input key 'mm_vendor'"),
    (["table", "fig49", "--set", "train_utilization=30"], "did you mean 0.30?"),
    (["table", "fig49", "--set", "mm_vendors=1,2"], "got 2 values"),
    (["table", "fig49", "--set", "mm_vendors=abc"], "mm_vendors must be a number, got 'abc'"),
    (["table", "fig49", "--set", "novalue"], "--set takes KEY=VALUE"),
    (["table", "fig49", "--set", "train_days="], "train_days needs a number"),
    (["table", "fig49", "--set", "train_days=-3"], "train_days must be in (0, 3650], got -3"),
    (["table", "fig49", "--scenario", "nope"], "unknown scenario 'nope'"),
    (["table", "fig0"], "unknown exhibit 'fig0'"),
])
def test_bad_input_exits_2_with_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_inputs_and_errata(capsys):
    code, out, _ = run(capsys, "inputs", "--format", "json")
    d = json.loads(out)
    keys = {i["key"]: i for i in d["inputs"]}
    assert keys["mm_vendors"]["value"] == [5, 8, 10, 13, 15]
    assert keys["train_utilization"]["bounds"] == "in (0, 1]"
    assert all(i["source"] for i in d["inputs"])
    code, out, _ = run(capsys, "inputs")
    assert code == 0 and "h100_fp16_tflops" in out
    code, out, _ = run(capsys, "errata", "--format", "json")
    ids = [e["id"] for e in json.loads(out)]
    assert {"E01", "E03", "E04", "E05", "E06", "E31"} <= set(ids)
    code, out, _ = run(capsys, "errata")
    assert code == 0 and "fig50_util_applied_twice" in out


def test_demo_builds_the_workbooks_and_prints_printed_and_corrected(capsys, tmp_path):
    code, out, _ = run(capsys, "demo", "--out", str(tmp_path))
    assert code == 0
    assert "scenario: csc-2023-corrected" in out and "78.0%" in out and "88.0%" in out
    assert (tmp_path / "index.xlsx").exists() and (tmp_path / "chain.xlsx").exists()


def test_catalogue_lists_and_shows_a_chip(capsys):
    code, out, _ = run(capsys, "catalogue", "--kind", "asic")
    assert code == 0 and "海思 昇腾 910" in out and "NVIDIA" not in out
    code, out, _ = run(capsys, "catalogue", "h100", "--format", "json")
    d = json.loads(out)
    fields = {f["field"]: f for f in d["fields"]}
    assert fields["fp16_tensor_dense_tflops"]["value"] == 990
    assert fields["fp16_tensor_sparse_tflops"]["value"] == 1979
    assert fields["fp16_tensor_sparse_tflops"]["source"] == "NVIDIA H100 datasheet (2022) (external)"
    code, _, err = run(capsys, "catalogue", "A800")
    assert code == 2 and "NVIDIA A800 80GB" in err
    code, _, err = run(capsys, "catalogue", "--kind", "fpga")
    assert code == 2 and "unknown kind 'fpga'" in err
