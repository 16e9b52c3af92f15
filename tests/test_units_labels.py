"""Units and labels: no physical quantity is labelled "count", every unit a row or an input shows has one
number format, and the labels the report prints are whole (上网电价, not 网电价) and sit on the
printed value (S01's「CAGR 为」on the printed 17.9%)."""

from __future__ import annotations

import re

import pytest

from engine import exhibits, formats, printed, scenarios, table, units

#: Words of a label (English or as the report prints it) that name a physical quantity or its unit:
#: speed, time, price, area, length, process node, transfer rate, energy, water.  A row or an input
#: whose label holds one cannot be a plain count.
PHYSICAL = re.compile(
    r"m/s|GT/s|mm²|mm\^?2|\bnm\b|kWh|kW\b|\bW\b|CNY|USD|元|美元|\bWUE\b|面积|电价|风速|速度|小时|（h）|\(h\)|工艺|"
    r"尺|米|\bmetres?\b|\bfeet\b|\bft\b|\bsq\b|\btariff|\bprice|\bcost\b|\bdepth\b|\blength\b|\bhours?\b|"
    r"\barea\b|\bprocess\b|\bwind speed\b|\bper lane\b", re.IGNORECASE)


def _looks_physical(*texts: str | None) -> list[str]:
    return [m for t in texts if t for m in PHYSICAL.findall(t)]


def test_no_exhibit_row_labels_a_physical_quantity_count():
    bad = [f"{ex.id}.{r.key}: {r.label_en} / {r.label_zh} -> {_looks_physical(r.label_en, r.label_zh, r.note)}"
           for ex in exhibits.all_exhibits() for r in ex.rows
           if r.unit == "count" and _looks_physical(r.label_en, r.label_zh, r.note)]
    assert not bad, "\n".join(bad)


def test_no_input_labels_a_physical_quantity_count():
    bad = [f"{key}: {spec.label}" for key, spec in scenarios.schema().items()
           if spec.unit == "count" and _looks_physical(spec.label)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("label_en, label_zh", [
    ("Annual mean wind speed, lower end (m/s)", "年平均风速（m/s）"),
    ("Equivalent full-load hours, lower end", "等效满负荷小时数（h）"),
    ("Benchmark coal-power tariff (CNY/kWh)", "标杆煤电价格 (元/kWh)"),
    ("Approved tariff of the rush projects (CNY/kWh)", "网电价"),
    ("Gen-5 silicon interposer area (mm²)", "硅中介层扩大到"),
    ("PCIe 4.0 GT/s per lane", None),
    ("V100 process (nm)", "V100 工艺为"),
    ("Land build cost per square foot (USD)", "每平方英尺"),
    ("Land data-centre WUE 2021 (L/kWh)", "行业平均 WUE 是每千瓦时"),
    ("Length in metres (Phase 3: less than)", None),
    ("Phase 3 depth as the text states it, more than (ft)", "的深度"),
])
def test_the_check_catches_the_old_count_labels(label_en, label_zh):
    assert _looks_physical(label_en, label_zh)


@pytest.mark.parametrize("label", ["GPUs in the cluster", "Switch ports at the NIC speed", "Servers per rack",
                                   "HBM2E stacks on the gen-5 interposer", "Printed CAGR within that range (1 = yes)",
                                   "Queries per user per day", "New data-centre projects this year, nearly"])
def test_the_check_leaves_real_counts_alone(label):
    assert not _looks_physical(label)


@pytest.mark.parametrize("ex_id, key, unit", [
    ("fig155", "wind_low", "m/s"), ("fig155", "hours_high", "hours"), ("fig155", "coal_tariff", "CNY/kWh"),
    ("fig155", "tariff_gap", "CNY/kWh"), ("fig155", "parity_tariff", "CNY/kWh"), ("fig155", "gap_ratio", "hours"),
    ("s6.3_offshore_wind_cost", "tariff", "CNY/kWh"), ("s6.3_offshore_wind_cost", "unsubsidised", "CNY/kWh"),
    ("s2.3.1_cowos", "interposer_mm2", "mm²"), ("s2.3.1_cowos", "reticle_mm2", "mm²"),
    ("switching", "pcie5_gt", "GT/s"), ("s001_gpu_compare", "v100_nm", "nm"),
    ("fig159", "capex_sqft", "USD/sq ft"), ("fig159", "land_wue", "L/kWh"),
    ("fig160", "length_m", "m"), ("fig160", "depth_m", "m"), ("fig160", "depth_text", "ft"),
])
def test_physical_rows_carry_their_unit(ex_id, key, unit):
    assert exhibits.get(ex_id).row(key).unit == unit


def test_every_unit_shown_has_one_number_format():
    shown = set(units.DISPLAY) | {r.unit for e in exhibits.all_exhibits() for r in e.rows} | \
        {s.display for s in scenarios.schema().values()}
    assert not shown - set(formats.FORMATS), sorted(shown - set(formats.FORMATS))
    assert formats.format_value(12.2, "m", 1) == "12.2" and formats.format_value(0.85, "CNY/kWh") == "0.85"


def test_the_tariff_label_is_the_whole_word():
    assert exhibits.get("s6.3_offshore_wind_cost").row("tariff").label_zh == "上网电价"
    assert printed.cells("s6.3_offshore_wind_cost")["tariff"][0] == "上网电价"


def test_the_printed_cagr_label_sits_on_the_printed_value():
    """§一.4「CAGR 为 17.9%」: the label belongs to the printed 17.9%, not the endpoints' 18.0%."""
    ex = exhibits.get("s001_china_market")
    assert ex.row("units_cagr_stated").label_zh == "CAGR 为" and ex.row("units_cagr").label_zh is None
    assert printed.cells("s001_china_market")["units_cagr_stated"] == ("CAGR 为", "_ _ _ _ _ 17.9%")
    t = table("s001_china_market")
    assert t.formatted("units_cagr_stated")[-1] == "17.9%" and t.formatted("units_cagr")[-1] == "18.0%"
