"""Batch generation: one template workbook per row of a scenario file, a summary and a manifest.

``suanli batch SCENARIOS --out DIR`` reads a CSV or XLSX file with one row per scenario
(:mod:`.scenario_file`): a ``name`` column and one column per input key (``suanli inputs``); a
value applies to every column of an input, a ``KEY[COLUMN]`` header (``mm_dau[2025E]``) sets one
column; an empty cell keeps the base scenario's value.  For each row it writes the template workbook with that
scenario's inputs (live formulas and cached values, exactly as ``templates build`` writes it),
then ``summary.xlsx`` (the scenarios' headline outputs side by side, with charts) and
``manifest.json`` (scenario, input hash, file, status).

Workbooks are built across processes, each written to a temporary name and renamed; an
interrupted run leaves no half-written file, and ``--resume`` builds only what is missing or
whose inputs changed.  A bad row is reported with its row number and key and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from engine import SuanliError, exhibits, scenarios
from engine.errors import InvalidTypeError, InvalidValueError
from engine.exhibit import NumericResolver

from . import groups
from .build import inputs_hash, plan, write_plan
from .files import write_atomic, write_text_atomic
from .groups import Group
from .scenario_file import KEY_COLUMN, CellError, ScenarioRow, Unusable, read_scenarios
from .writer import HouseFormats, new_workbook

__all__ = ["ScenarioRow", "read_scenarios", "safe_filename", "run_batch", "BatchReport", "HEADLINES"]

#: The outputs the summary compares: (exhibit, row, column, label).
HEADLINES = (
    ("fig49", "a100_total", "2027E", "Training A100s needed 2027E (万张)"),
    ("fig50", "a100_cards", "2027E", "Inference A100s needed 2027E (万张)"),
    ("chain", "cards", "2027E", "Accelerators 2027E (万张)"),
    ("chain", "server_market", "2027E", "AI-server market 2027E (亿美元)"),
    ("chain", "it_kw", "2027E", "IT load 2027E (万kW)"),
    ("chain", "energy_kwh", "2027E", "Energy 2027E (亿kWh)"),
    ("cagr", "train_cagr", "value", "Training peak CAGR 2023-27 (%)"),
    ("cagr", "infer_cagr", "value", "Inference peak CAGR 2023-27 (%)"),
)

#: A scenario's file name is at most this many bytes of UTF-8 before ``.xlsx`` (and a ``_2`` when
#: it repeats another's): room for the temporary name beside it within a file system's 255 bytes.
NAME_BYTES = 80

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?[0-9]+,[0-9]+\s*$")


def scenario_for(row: ScenarioRow, base: scenarios.Scenario) -> scenarios.Scenario:
    """The scenario a row describes: the base with the row's values applied and checked."""
    schema, axes = scenarios.schema(), scenarios.axes()
    changes: dict[str, object] = {}
    per_column: dict[str, dict[str, object]] = {}
    for header, raw in row.values.items():
        m = KEY_COLUMN.match(header)
        if not m or m.group(1) not in schema:
            raise scenarios.unknown_key(m.group(1) if m else header)
        key, column = m.group(1), m.group(2)
        value = _cell_value(f"{key}" if column is None else f"{key}[{column}]", raw)
        if column is None:
            changes[key] = value
            continue
        spec = schema[key]
        if spec.axis is None or column not in axes[spec.axis]:
            accepted = "has no columns" if spec.axis is None else f"columns are {', '.join(axes[spec.axis])}"
            raise InvalidValueError(f"{key}[{column}]", column, f"is not a column of {key} ({accepted})")
        per_column.setdefault(key, {})[column] = value
    for key, cols in per_column.items():
        labels = scenarios.axes()[schema[key].axis]
        start = changes.get(key, base.values[key])
        current = list(start) if isinstance(start, (tuple, list)) else [start] * len(labels)
        for column, value in cols.items():
            current[labels.index(column)] = value
        changes[key] = current
    return base.with_values(changes, name=row.name)


def _cell_value(name: str, raw):
    if isinstance(raw, Unusable):
        raise CellError(name, raw.problem)
    if isinstance(raw, bool) or isinstance(raw, (int, float)):
        return raw
    if isinstance(raw, str):
        if _DECIMAL_COMMA.match(raw):
            raise InvalidTypeError(name, raw, "must be a number", "write the decimal point as '.'")
        return scenarios.parse_value(name, raw)
    raise InvalidValueError(name, raw, "must be a number or TRUE/FALSE")


def safe_filename(name: str, taken: set[str]) -> str:
    """A file name for a scenario: letters, digits, '-', '_' and '.', at most :data:`NAME_BYTES`
    bytes before ``.xlsx``, unique among ``taken`` (lower-case names without ``.xlsx``, to which it is added).

    A longer name keeps its beginning and gets a short hash of the whole, so that two long names
    that begin alike still differ."""
    text = unicodedata.normalize("NFKC", name)
    text = re.sub(r"[^\w.-]+", "_", text, flags=re.UNICODE).strip("._") or "scenario"
    if len(text.encode("utf-8")) > NAME_BYTES:
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]
        head = text.encode("utf-8")[:NAME_BYTES - 7].decode("utf-8", errors="ignore").rstrip("._")
        text = f"{head}_{digest}"
    if text.upper().split(".")[0] in _RESERVED:
        text = "_" + text
    candidate, n = text, 2
    while candidate.lower() in taken:
        candidate, n = f"{text}_{n}", n + 1
    taken.add(candidate.lower())
    return candidate + ".xlsx"


# ------------------------------------------------------------------ running
@dataclass
class BatchReport:
    """What a batch did: one manifest entry per row, and whether any failed."""

    entries: list[dict]

    @property
    def failed(self) -> list[dict]:
        return [e for e in self.entries if e["status"] == "error"]


def _build_one(task: tuple) -> dict:
    """Build one workbook (in a worker process); returns its manifest entry with headline values."""
    group_name, name, values, file, digest = task
    group = groups.group(group_name)
    sc = scenarios.Scenario(name, values, name)
    planned = plan(group, sc)
    write_plan(planned, file)
    return {"scenario": name, "input_hash": digest, "file": Path(file).name, "status": "ok",
            "headlines": headlines(sc, planned.numeric)}


def headlines(sc: scenarios.Scenario, known: dict | None = None) -> list[float | None]:
    """The summary's headline values for a scenario, in display units (one evaluation of each exhibit;
    ``known`` results, such as a workbook's own, are reused)."""
    resolver = NumericResolver(sc, exhibits.get)
    resolver.results.update(known or {})
    out = []
    for ex, row, column, _ in HEADLINES:
        try:
            out.append(resolver.run(exhibits.get(ex)).display(row, column))
        except SuanliError:
            out.append(None)
    return out


def run_batch(scenario_file: str | os.PathLike, out_dir: str | os.PathLike, *, template: str = "chain",
              base: str = "csc-2023", jobs: int | None = None, resume: bool = False,
              progress: Callable[[int, int, dict], None] | None = None,
              encoding: str | None = None) -> BatchReport:
    """Build one workbook per scenario row, then the summary and the manifest (``encoding``: a CSV's,
    None to detect it)."""
    group = groups.group(template)
    rows = read_scenarios(scenario_file, encoding)
    base_sc = scenarios.load(base)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / "manifest.json"
    previous = _previous_manifest(manifest_path) if resume else {}
    used = _keys_used(group, base_sc)
    taken: set[str] = set()
    entries: dict[int, dict] = {}
    tasks: list[tuple[int, tuple]] = []
    for row in rows:
        file = safe_filename(row.name or f"row{row.number}", taken)
        entry = {"row": row.number, "scenario": row.name, "file": file}
        if row.error:
            entries[row.number] = {**entry, "status": "error", "error": row.error}
            continue
        try:
            sc = scenario_for(row, base_sc)
        except SuanliError as exc:
            key = getattr(exc, "name", "")
            entries[row.number] = {**entry, "status": "error", "key": key,
                                   "error": f"row {row.number}: {exc.message}"}
            continue
        digest = inputs_hash(sc, used)
        prior = previous.get(row.name)
        if resume and prior and prior.get("input_hash") == digest and prior.get("status") == "ok" \
                and (out / prior["file"]).is_file():
            entries[row.number] = {**prior, "row": row.number, "status": "ok", "resumed": True}
            continue
        tasks.append((row.number, (group.name, row.name, sc.values, str(out / file), digest)))
    total = len(entries) + len(tasks)
    done = 0
    for entry in entries.values():
        done += 1
        if progress:
            progress(done, total, entry)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    if workers == 1:
        results = ((n, _safe(_build_one, t)) for n, t in tasks)
        for number, result in results:
            done += 1
            entries[number] = {"row": number, **result}
            if progress:
                progress(done, total, entries[number])
    else:
        with ProcessPoolExecutor(workers) as pool:
            futures = {pool.submit(_safe, _build_one, t): n for n, t in tasks}
            for fut in as_completed(futures):
                number = futures[fut]
                done += 1
                entries[number] = {"row": number, **fut.result()}
                if progress:
                    progress(done, total, entries[number])
    ordered = [entries[r.number] for r in rows]
    _write_summary(out / "summary.xlsx", [e for e in ordered if e["status"] == "ok"], group)
    manifest = {"template": group.name, "base_scenario": base, "scenarios": [
        {k: v for k, v in e.items() if k != "headlines"} for e in ordered]}
    write_text_atomic(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2))
    return BatchReport(ordered)


def _safe(fn, task) -> dict:
    try:
        return fn(task)
    except Exception as exc:  # a workbook that could not be built: reported, the others go on
        return {"scenario": task[1], "file": Path(task[3]).name, "status": "error",
                "error": f"{type(exc).__name__}: {exc}"}


def _keys_used(group: Group, base: scenarios.Scenario) -> list[str]:
    return plan(group, base).inputs


def _previous_manifest(path: Path) -> dict[str, dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {e["scenario"]: e for e in data.get("scenarios", []) if isinstance(e, dict) and "scenario" in e}
    except (OSError, ValueError):
        return {}


def _write_summary(path: Path, entries: list[dict], group: Group) -> None:
    def write(tmp: Path) -> None:
        wb = new_workbook(tmp)
        bold = HouseFormats(wb).header
        num = wb.add_format({"num_format": "#,##0.00"})
        ws = wb.add_worksheet("Summary")
        ws.write_row(0, 0, ["scenario", "workbook"] + [h[3] for h in HEADLINES], bold)
        for i, e in enumerate(entries, start=1):
            ws.write_string(i, 0, e["scenario"])
            ws.write_url(i, 1, f"external:{e['file']}", string=e["file"])
            for j, v in enumerate(e.get("headlines") or []):
                if isinstance(v, (int, float)):
                    ws.write_number(i, 2 + j, v, num)
        ws.set_column(0, 1, 24)
        ws.set_column(2, 1 + len(HEADLINES), 16)
        ws.freeze_panes(1, 1)
        if entries:
            charts = wb.add_worksheet("Charts")
            for j, (_, _, _, label) in enumerate(HEADLINES):
                chart = wb.add_chart({"type": "bar"})
                chart.add_series({"name": label, "categories": ["Summary", 1, 0, len(entries), 0],
                                  "values": ["Summary", 1, 2 + j, len(entries), 2 + j]})
                chart.set_title({"name": label})
                chart.set_legend({"none": True})
                chart.set_size({"width": 480, "height": 90 + 18 * min(len(entries), 40)})
                charts.insert_chart((j // 2) * (6 + min(len(entries), 40)), (j % 2) * 8, chart)
        wb.close()

    write_atomic(path, write)


# ------------------------------------------------------------------ progress
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """``text`` with line breaks, tabs and other control characters shown as escapes (``\\n``)."""
    return "".join(_ESCAPES.get(ch) or (f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Zl", "Zp")
                                        else ch) for ch in text)


def progress_printer(stream=None) -> Callable[[int, int, dict], None]:
    """A progress bar on a terminal; one parseable line per scenario otherwise (tab-separated: status,
    row, scenario, file or error; a line break or tab in a name shown as ``\\n`` or ``\\t``)."""
    stream = stream or sys.stderr
    tty = hasattr(stream, "isatty") and stream.isatty()

    def show(done: int, total: int, entry: dict) -> None:
        name = one_line(entry.get("scenario", ""))
        if tty:
            width = 30
            filled = int(width * done / max(total, 1))
            stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:30]:30s}")
            if done == total:
                stream.write("\n")
            if entry["status"] == "error":
                stream.write(f"\n{one_line(entry['error'])}\n")
        else:
            status = entry["status"] + ("(resumed)" if entry.get("resumed") else "")
            detail = one_line(entry.get("error") or entry.get("file", ""))
            stream.write(f"{status}\t{entry.get('row', '')}\t{name}\t{detail}\n")
        stream.flush()

    return show


def iter_errors(report: BatchReport) -> Iterable[str]:
    for e in report.failed:
        yield e["error"]
