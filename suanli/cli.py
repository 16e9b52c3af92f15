"""The ``suanli`` command: argument parsing, formatting and exit codes over the :mod:`suanli` API
(and the workbook builders).

Every failure caused by the user's input prints one line naming the flag or key and what is
accepted, and exits with status 2; nothing is printed or written before that.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import suanli
from engine import SuanliError, __version__, catalogue, errata, exhibits, scenarios, tables
from engine.analysis import MAX_DRAWS, MAX_SEED, PERCENTILES, AnalysisError
from engine.errors import InvalidValueError, SuanliWarning

from .parsing import (
    DIST_SYNTAX,
    check_xlsx_path,
    cli_message,
    parse_count,
    parse_delta,
    parse_distribution,
    parse_range,
    parse_sets,
    split_sets,
)
from .textgrid import grid

EXIT_USAGE = 2
EXIT_PARTIAL = 1   # a batch wrote what it could; some rows failed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", SuanliWarning)
            text = args.handler(args)
    except SuanliError as exc:
        print(f"suanli: {cli_message(exc, getattr(args, 'flags', {}))}", file=sys.stderr)
        return EXIT_USAGE
    except BatchFailed as exc:
        print(f"suanli: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    _print_warnings(caught)
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def _print_warnings(caught) -> None:
    """Each distinct :class:`SuanliWarning` once, as ``suanli: warning: ...`` on stderr; other warnings
    as Python shows them."""
    said = set()
    for w in caught:
        if not issubclass(w.category, SuanliWarning):
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
        elif str(w.message) not in said:
            said.add(str(w.message))
            print(f"suanli: warning: {w.message}", file=sys.stderr)


def _json(data) -> str:
    """JSON as RFC 8259 has it: a number that is not finite is refused here, never written as
    ``Infinity`` or ``NaN`` (the library gives None for a cell with no number, and says why)."""
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="suanli",
        description="AI compute demand and its industry chain, from the CSC 2023 report: tables, inputs, errata.")
    p.add_argument("--version", action="version", version=f"suanli {__version__}")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    s = sub.add_parser("tables", help="list the exhibits")
    s.set_defaults(handler=cmd_tables)

    s = sub.add_parser("table", help="print one exhibit")
    s.add_argument("id", help="exhibit id, e.g. fig49 (see `suanli tables`)")
    _scenario_args(s)
    s.add_argument("--format", choices=("table", "csv", "json", "md"), default="table")
    s.set_defaults(handler=cmd_table)

    s = sub.add_parser("inputs", help="list every input with unit, value, bounds and source")
    s.add_argument("--scenario", default="csc-2023", help="scenario name (default csc-2023)")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.set_defaults(handler=cmd_inputs)

    s = sub.add_parser("errata", help="list the report's inconsistencies and their switches")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.set_defaults(handler=cmd_errata)

    s = sub.add_parser("catalogue", help="the hardware catalogue: list chips, or show one chip's fields")
    s.add_argument("chip", nargs="?", help="a chip name or alias, e.g. H100 (omit to list every chip)")
    s.add_argument("--kind", help=f"only chips of this kind ({', '.join(catalogue.KINDS)})")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.set_defaults(handler=cmd_catalogue)

    s = sub.add_parser("addin",
                       help="the Excel functions: set-up steps, a ready workbook, the Lite bundle, the reference")
    s.set_defaults(handler=cmd_addin_steps)
    addin_sub = s.add_subparsers(title="addin commands", metavar="WHAT")
    a = addin_sub.add_parser("workbook", help="write a macro-enabled workbook configured for the UDF module addin.udfs")
    a.add_argument("path", help="where to write it, e.g. suanli.xlsm")
    a.add_argument("--interpreter", default="python",
                   help="the Python that Excel starts (Interpreter_Win; default: python on the PATH)")
    a.set_defaults(handler=cmd_addin_workbook)
    a = addin_sub.add_parser("lite", help="write the single-file bundle for xlwings Lite (paste it into main.py)")
    a.add_argument("path", help="where to write it, e.g. suanli_lite.py")
    a.set_defaults(handler=cmd_addin_lite)
    a = addin_sub.add_parser("reference", help="print the function reference (Markdown), or --write it into README.md")
    a.add_argument("--write", metavar="README", help="replace the reference block of this README file")
    a.set_defaults(handler=cmd_addin_reference)

    s = sub.add_parser("templates", help="template workbooks: the report's tables as live formulas over inputs")
    s.set_defaults(handler=_help_of(s))
    t_sub = s.add_subparsers(title="templates commands", metavar="WHAT")
    t = t_sub.add_parser("build", help="write every template workbook and an index")
    t.add_argument("--scenario", default=None,
                   help="scenario for every workbook (default: each workbook's own; csc-2023 for the CSC report)")
    t.add_argument("--out", default="out/templates", help="folder to write into (default out/templates)")
    t.add_argument("--excel-button", action="store_true",
                   help="macro-enabled workbooks (.xlsm) with a Refresh button for Windows Excel and xlwings")
    t.set_defaults(handler=cmd_templates_build)
    t = t_sub.add_parser("picture", help="render a built template's sheet to PNG (LibreOffice, pdftoppm)")
    t.add_argument("--out", default="docs/template.png", help="the PNG to write (default docs/template.png)")
    t.add_argument("--exhibit", default="fig49", help="the exhibit sheet to show (default fig49)")
    t.set_defaults(handler=cmd_templates_picture)

    s = sub.add_parser("refresh", help="check a template workbook's edited inputs and recompute its saved results")
    s.add_argument("path", metavar="BOOK.xlsx", help="a workbook written by `suanli templates build`")
    s.add_argument("--out", metavar="NEW.xlsx", default=None,
                   help="write the refreshed workbook here (default: in place, keeping BOOK.<time>.bak.xlsx)")
    s.add_argument("--scenario", default=None,
                   help="the scenario the inputs start from (default: the workbook's own; see `suanli scenarios`)")
    s.add_argument("--force", action="store_true",
                   help="refresh a read-only workbook, or one that looks open in Excel or LibreOffice")
    s.set_defaults(handler=cmd_refresh)

    s = sub.add_parser("batch", help="one workbook per row of a scenario file (CSV or XLSX), a summary and a manifest")
    s.add_argument("scenarios_file", metavar="SCENARIOS",
                   help="CSV or XLSX: a 'name' column and one column per input key; KEY[COLUMN] sets one column")
    s.add_argument("--out", required=True, help="the folder to write into")
    s.add_argument("--template", default="chain",
                   help="which template workbook to write per scenario (default chain; see `suanli templates build`)")
    s.add_argument("--scenario", default="csc-2023", help="the base scenario the rows change (default csc-2023)")
    s.add_argument("--jobs", type=int, default=None, help="processes (default: the machine's cores)")
    s.add_argument("--resume", action="store_true",
                   help="build only what is missing, unfinished (after an interrupt) or whose inputs changed")
    s.add_argument("--encoding", default=None,
                   help="the CSV's encoding, e.g. gbk or utf-16 (default: detected: UTF-8 with or without BOM, "
                        "UTF-16 with BOM, GB18030/GBK)")
    s.set_defaults(handler=cmd_batch, flags={"out_dir": "--out", "encoding": "--encoding"})

    s = sub.add_parser("scenarios", help="list the packaged scenarios")
    s.set_defaults(handler=cmd_scenarios)

    s = sub.add_parser("demo", help="build the template workbooks and print the headline tables")
    s.add_argument("--out", default="out/templates", help="where the workbooks go (default out/templates)")
    s.set_defaults(handler=cmd_demo)

    s = sub.add_parser("sweep", help="an output row over a grid of input values (one pass): an xlsx with a chart")
    s.add_argument("--set", action="append", default=[], metavar="KEY=START:STOP:STEP",
                   help="sweep KEY from START to STOP (included) by STEP, in its base unit and in every column; "
                        "repeat for a grid; KEY=VALUE (or V1,V2,...) holds an input at a value")
    s.add_argument("--output", metavar="EXHIBIT.ROW", help="the row to compute, e.g. chain.cards or fig49.a100_total")
    s.add_argument("--scenario", default=None, help="the scenario the other inputs come from (default: the exhibit's)")
    s.add_argument("--out", default="out/sweep.xlsx", metavar="FILE.xlsx", help="the workbook (default out/sweep.xlsx)")
    s.set_defaults(handler=cmd_sweep, flags={"output": "--output", "ranges": "--set"})

    s = sub.add_parser("sensitivity", help="rank the inputs of an output row by its swing at ±delta: an xlsx "
                                           "with a tornado chart")
    s.add_argument("--output", metavar="EXHIBIT.ROW", help="the row, e.g. chain.energy_kwh")
    s.add_argument("--column", default=None, help="the column to rank at (default: the last, e.g. 2027E)")
    s.add_argument("--delta", default="0.1", help="the relative move of each input (default 0.1: ±10%%)")
    s.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="hold an input at a value")
    s.add_argument("--scenario", default=None, help="the base scenario (default: the exhibit's)")
    s.add_argument("--out", default="out/sensitivity.xlsx", metavar="FILE.xlsx",
                   help="the workbook (default out/sensitivity.xlsx)")
    s.set_defaults(handler=cmd_sensitivity, flags={"output": "--output", "delta": "--delta", "column": "--column"})

    s = sub.add_parser("compare", help="scenarios side by side with their differences: an xlsx with a chart per "
                                       "headline row")
    s.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help="two or more scenarios (see `suanli scenarios`); the differences are against the first")
    s.add_argument("--exhibit", action="append", default=None, metavar="ID",
                   help="an exhibit to compare (default chain, the chain from demand to data-centre energy); "
                        "repeat for several")
    s.add_argument("--out", default="out/compare.xlsx", metavar="FILE.xlsx",
                   help="the workbook (default out/compare.xlsx)")
    s.add_argument("--picture", default=None, metavar="FILE.png",
                   help="also a picture of the workbook's Headlines sheet as LibreOffice prints it (needs LibreOffice "
                        "and pdftoppm)")
    s.set_defaults(handler=cmd_compare, flags={"exhibits": "--exhibit"})

    s = sub.add_parser("montecarlo", help="draw inputs from distributions and give every row's P5/P50/P95 "
                                          "(one pass): an xlsx with a histogram")
    s.add_argument("--dist", action="append", default=[], metavar="KEY=DIST",
                   help="triangular(LOW,MODE,HIGH), uniform(LOW,HIGH) or normal(MEAN,SD) in KEY's base unit, "
                        "every column; KEY*=DIST draws a factor on the scenario's value; normal draws outside "
                        "the accepted range are clipped (at most 1%%), other draws outside it are refused")
    s.add_argument("--n", default="100000", help="the number of draws (default 100000, at most 1000000)")
    s.add_argument("--seed", default=None, help="the random seed (default: a new one, printed, to repeat the run)")
    s.add_argument("--exhibit", default=None, help="the exhibit to summarise (default: --output's, else chain)")
    s.add_argument("--output", metavar="EXHIBIT.ROW", default=None,
                   help="the row to histogram at the last column (default: the exhibit's last row the draws reach)")
    s.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="hold an input at a value")
    s.add_argument("--scenario", default=None, help="the base scenario (default: the exhibit's)")
    s.add_argument("--out", default="out/montecarlo.xlsx", metavar="FILE.xlsx",
                   help="the workbook (default out/montecarlo.xlsx)")
    s.set_defaults(handler=cmd_montecarlo, flags={"output": "--output", "distributions": "--dist", "n": "--n",
                                                  "seed": "--seed", "exhibit": "--exhibit"})
    return p


def _scenario_args(s):
    s.add_argument("--scenario", default=None,
                   help="scenario name (default: the exhibit's own, csc-2023 for the CSC report; "
                        "see `suanli scenarios`)")
    s.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override an input: one value for every column, or a comma-separated list, one per "
                        "column; values in the input's base unit (see `suanli inputs`)")


def _help_of(parser: argparse.ArgumentParser):
    """A handler that shows a command group's help (``suanli templates`` without a subcommand)."""
    return lambda args: parser.format_help()


# commands ----------------------------------------------------------------------------
def cmd_tables(args) -> str:
    rows = [[ex_id, r.group, r.title_en, r.title_zh] for ex_id, r in suanli.tables().iterrows()]
    return grid(["id", "group", "title", "标题"], rows)


def cmd_table(args) -> str:
    t = tables.table(args.id, args.scenario, parse_sets(args.set))
    return render_table(t, args.format)


def render_table(t: tables.Table, fmt: str) -> str:
    """A table as text in one of the formats table, csv, json, md."""
    if fmt == "json":
        return _json(t.to_dict())
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["key", "label_zh", "label_en", "unit", *t.columns])
        for r in t.exhibit.rows:
            w.writerow([r.key, r.label_zh or "", r.label_en, r.unit,
                        *[_csv_cell(t, r.key, i, v) for i, v in enumerate(t.values(r.key))]])
        return buf.getvalue()
    head = ["row", "报告行", "unit", *t.columns]
    body = [[r.label_en, r.label_zh or "", r.unit, *t.formatted(r.key)] for r in t.exhibit.rows]
    title = f"{t.exhibit.id}  {t.exhibit.title_zh}\n{t.exhibit.title_en}\nscenario: {t.scenario.name}"
    if t.scenario.overrides:
        title += "  (with " + ", ".join(f"{k}={_short(v)}" for k, v in t.scenario.overrides.items()) + ")"
    source = f"source: {t.exhibit.source}"
    notes = _errata_lines(t)
    errors = _error_lines(t)
    if fmt == "md":
        md = [f"### {t.exhibit.id} {t.exhibit.title_zh}", "", f"{t.exhibit.title_en}. Scenario `{t.scenario.name}`.",
              "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        md += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
        md += ["", source] + [f"- {line}" for line in notes] + [f"- {line}" for line in errors]
        return "\n".join(md)
    out = [title, "", grid(head, body, max_width={0: 44, 1: 40}), source]
    if errors:
        out += ["cells with no number:"] + [f"  {line}" for line in errors]
    if notes:
        out += ["errata:"] + [f"  {line}" for line in notes]
    return "\n".join(out)


def _csv_cell(t: tables.Table, key: str, i: int, value):
    error = t.error(key, i)
    if error is not None:
        return error.excel
    return "" if value is None else value


def _error_lines(t: tables.Table, limit: int = 8) -> list[str]:
    """The cells where an error arises, each with why (a row's columns with the same error on one line);
    then how many more cells read them."""
    own = [(key, column, e) for key, column, e in t.errors() if e.origin is None]
    runs: list[list] = []
    for key, column, e in own:
        if runs and runs[-1][0] == key and str(runs[-1][3]) == str(e):
            runs[-1][2] = column
        else:
            runs.append([key, column, column, e])
    lines = [f"{key} {first if first == last else f'{first}-{last}'}: {e}" for key, first, last, e in runs[:limit]]
    if len(runs) > limit:
        lines.append(f"... and {len(runs) - limit} more like these")
    reading = len(t.errors()) - len(own)
    if reading:
        lines.append(f"{reading} other cell{'s' if reading > 1 else ''} read{'' if reading > 1 else 's'} "
                     f"{'them' if len(own) > 1 else 'it'} and show{'' if reading > 1 else 's'} the same error")
    return lines


def _errata_lines(t: tables.Table) -> list[str]:
    lines = []
    for e in t.errata():
        status = e.status(t.scenario)
        line = f"{e.id} [{status}] {e.title}"
        if e.switch:
            line += f"; switch {e.switch}"
        if e.alternative:
            line += f"; alternative scenario {e.alternative}"
        if e.printed and e.consistent:
            line += f"; printed {e.printed}; consistent {e.consistent}"
        lines.append(line)
    return lines


def _short(v) -> str:
    return ",".join(v) if isinstance(v, list) else str(v)


def cmd_inputs(args) -> str:
    sc = scenarios.load(args.scenario)
    specs = scenarios.schema()
    if args.format == "json":
        out = []
        for key, spec in specs.items():
            value = sc.value(key)
            out.append({"key": key, "label": spec.label, "unit": spec.unit,
                        "axis": list(scenarios.axes()[spec.axis]) if spec.axis else None,
                        "value": list(value) if isinstance(value, tuple) else value,
                        "bounds": spec.describe_bounds(), "source": spec.source, "erratum": spec.erratum})
        return _json({"scenario": sc.name, "inputs": out})
    rows = []
    for key, spec in specs.items():
        value = sc.value(key)
        if (value[0] if isinstance(value, tuple) else value) is None:
            shown = "(yours to supply)"
        elif isinstance(value, tuple) and len(set(value)) > 1:
            shown = ", ".join(_num(v, spec) for v in value)
        else:
            shown = _num(value[0] if isinstance(value, tuple) else value, spec)
        rows.append([key, shown, spec.unit, spec.describe_bounds(), spec.source])
    return f"scenario: {sc.name}\n" + grid(["key", "value", "unit", "accepted", "source"], rows,
                                            max_width={4: 70})


def _num(v, spec) -> str:
    if spec.is_switch:
        return "TRUE" if v else "FALSE"
    return format(v, ".10g")


def cmd_errata(args) -> str:
    all_e = errata.all_errata()
    if args.format == "json":
        return _json([e.to_dict() for e in all_e])
    rows = [[e.id, e.kind, ", ".join(e.exhibits), e.title, e.switch or e.alternative or ""] for e in all_e]
    return grid(["id", "kind", "exhibits", "inconsistency", "switch / alternative"], rows, max_width={3: 70})


def cmd_catalogue(args) -> str:
    if args.chip is None:
        chips = suanli.catalogue(kind=args.kind)
        listed = [{"key": key, "name": c["name"], "name_zh": _plain(c["name_zh"]), "kind": c["kind"],
                   "vendor": c["vendor"], "tables": c["tables"].split(", ") if c["tables"] else []}
                  for key, c in chips.iterrows()]
        if args.format == "json":
            return _json(listed)
        return grid(["key", "name", "中文名", "kind", "tables"],
                    [[c["key"], c["name"], c["name_zh"] or "", c["kind"], " ".join(c["tables"])] for c in listed])
    fields = suanli.catalogue(args.chip)
    chip = fields.attrs
    rows = [{"field": f, "value": _plain(r["value"]), "unit": r["unit"], "source": r["source"],
             "note": _plain(r["note"])} for f, r in fields.iterrows()]
    if args.format == "json":
        return _json({"key": chip["key"], "name": chip["name"], "name_zh": chip["name_zh"], "kind": chip["kind"],
                           "fields": rows})
    body = [[r["field"], "—" if r["value"] is None else str(r["value"]), r["unit"], r["source"], r["note"] or ""]
            for r in rows]
    title = f"{chip['name']}" + (f" ({chip['name_zh']})" if chip["name_zh"] else "") + \
        f"  [{chip['kind']}; {', '.join(chip['tables'])}]"
    return title + "\n" + grid(["field", "value", "unit", "source", "note"], body, max_width={3: 40, 4: 60})


def _plain(v):
    """A DataFrame cell as the value it came from: a missing value (NaN) as None, numpy scalars as
    Python numbers."""
    if isinstance(v, np.generic):
        v = v.item()
    return None if isinstance(v, float) and math.isnan(v) else v


def cmd_addin_steps(args) -> str:
    import xlwings

    from addin import udfs

    return f"""suanli {__version__}: {len(udfs.functions())} Excel functions (AI_TRAIN_FLOPS, AI_CAGR, AI_TABLE, ...)

Windows desktop Excel (the classic xlwings add-in), with xlwings {xlwings.__version__}:
  1. In the Python that Excel will start, install suanli (and with it xlwings {xlwings.__version__}):
       python -m pip install PATH-TO-THIS-REPOSITORY
     The workbook's VBA calls xlwings64-{xlwings.__version__}.dll, so keep that exact xlwings version.
  2. suanli addin workbook suanli.xlsm
     (UDF module addin.udfs; --interpreter C:\\path\\to\\python.exe if python is not on the PATH)
  3. In Excel: File > Options > Trust Center > Trust Center Settings > Macro Settings:
     tick "Trust access to the VBA project object model".
  4. Open suanli.xlsm, enable macros, press Alt+F8, run ImportPythonUDFs.
     The Examples sheet's Result column then matches its Expected column.
  Use the functions in other workbooks through the xlwings add-in (xlwings addin install) with
  UDF Modules set to addin.udfs.

macOS, Windows or Excel on the web (xlwings Lite, Microsoft 365 or Office 2021+):
  1. suanli addin lite suanli_lite.py
  2. In Excel: Home > Add-ins > xlwings Lite; open its editor.
  3. Paste all of suanli_lite.py into main.py; put numpy in requirements.txt; save.
     The AI_* functions are then available in every cell of that workbook.

Reference of every function: suanli addin reference (also in README.md).
"""


def cmd_addin_workbook(args) -> str:
    from addin.workbook import build

    path = build(args.path, args.interpreter)
    return f"wrote {path}: UDF module addin.udfs, an Examples sheet; in Excel run ImportPythonUDFs (Alt+F8)"


def cmd_addin_lite(args) -> str:
    from addin.lite import build
    from workbook_templates.files import write_text_atomic

    path = write_text_atomic(args.path, build())
    return (f"wrote {path} ({path.stat().st_size:,} bytes): paste it into xlwings Lite's main.py; "
            "requirements.txt: numpy")


def cmd_addin_reference(args) -> str:
    from addin.reference import END, START, markdown
    from workbook_templates.files import write_text_atomic

    text = markdown()
    if not args.write:
        return text
    readme = Path(args.write)
    old = readme.read_text(encoding="utf-8")
    if START not in old or END not in old:
        raise InvalidValueError("--write", str(readme), f"needs the markers {START!r} and {END!r}")
    new = old[:old.index(START)] + text + old[old.index(END) + len(END):]
    write_text_atomic(readme, new)
    return f"updated the function reference in {readme}"


def cmd_templates_build(args) -> str:
    from workbook_templates.build import build_all

    if args.scenario is not None:
        scenarios.load(args.scenario)          # an unknown name stops here, before anything is written
    paths = build_all(args.out, args.scenario, excel_button=args.excel_button)
    lines = [f"wrote {len(paths)} workbooks to {Path(args.out)}/:"]
    lines += [f"  {p.name}" for p in paths]
    return "\n".join(lines)


def cmd_templates_picture(args) -> str:
    from .picture import render

    exhibits.get(args.exhibit)                     # an unknown id stops here
    path = render(args.out, args.exhibit)
    return f"wrote {path}"


def cmd_refresh(args) -> str:
    import signal

    from workbook_templates.refresh import refresh

    try:
        return refresh(args.path, args.out, args.scenario, force=args.force).summary()
    except KeyboardInterrupt as exc:           # Ctrl-C, or SIGTERM/SIGHUP while writing: one line, no traceback
        signum = getattr(exc, "signum", signal.SIGINT)
        print(f"suanli: refresh interrupted ({signal.Signals(signum).name}); {args.out or args.path} is as it was "
              "or fully refreshed, never half-written", file=sys.stderr)
        raise SystemExit(128 + signum) from None


def cmd_batch(args) -> str:
    from workbook_templates.batch import BatchInterrupted, progress_printer, run_batch

    if args.jobs is not None and args.jobs < 1:
        raise InvalidValueError("--jobs", args.jobs, "must be a whole number >= 1")
    try:
        report = run_batch(args.scenarios_file, args.out, template=args.template, base=args.scenario,
                           jobs=args.jobs, resume=args.resume, progress=progress_printer(), encoding=args.encoding)
    except BatchInterrupted as exc:
        raise BatchFailed(f"interrupted by {exc}: " + _batch_outcome(exc.report, args.out)) from None
    except KeyboardInterrupt as exc:
        raise BatchFailed(f"interrupted{f' by {exc}' if str(exc) else ''} before any workbook was written") from None
    text = _batch_outcome(report, args.out)
    if report.failed or report.pending or report.problems:
        raise BatchFailed(text)
    return text


def _batch_outcome(report, out: str) -> str:
    """What a batch wrote, what failed and what is left, one line each after the first."""
    written = len(report.written)
    text = f"{written} of {len(report.entries)} workbooks in {out}/ ({'summary.xlsx, ' * report.summary}" \
           f"{report.recorded_in})"
    lines = [e["error"] for e in report.failed] + report.problems
    if report.failed:
        text += f"; {len(report.failed)} rows failed"
    if report.pending:
        why = report.stopped or report.pending[0]["reason"].removeprefix("not built: ")
        lines.append(f"{len(report.pending)} rows not built ({why}): run the same command with --resume to "
                     "build them")
    return text + (":\n" + "\n".join(lines) if lines else "")


class BatchFailed(Exception):
    """Some rows of a batch failed; the others were written."""


def cmd_scenarios(args) -> str:
    rows = [[name, _plain(d["base"]) or "", d["title"]] for name, d in suanli.scenarios().iterrows()]
    return grid(["scenario", "based on", "title"], rows)


def cmd_demo(args) -> str:
    """The main job: build the template workbooks, then print the headline tables, as printed and corrected."""
    from workbook_templates.build import build_all

    paths = build_all(args.out)
    parts = [f"Template workbooks: {len(paths)} written to {Path(args.out)}/ "
             f"({', '.join(p.name for p in paths)}). Open index.xlsx."]
    for ex in ("fig49", "fig50", "fig51", "cagr", "fig7", "fig8"):
        parts.append(render_table(tables.table(ex, "csc-2023"), "table"))
    for ex in ("fig50", "cagr", "chain"):
        parts.append(render_table(tables.table(ex, "csc-2023-corrected"), "table"))
    return "\n\n".join(parts)


def cmd_sweep(args) -> str:
    from workbook_templates.analysis_xlsx import write_sweep

    out = check_xlsx_path(args.out)
    texts, fixed = split_sets(args.set)
    if args.output is None:
        raise AnalysisError("--output", "sweep needs --output EXHIBIT.ROW, the row to compute (e.g. chain.cards)")
    if not texts:
        raise AnalysisError("--set", "a sweep needs at least one --set KEY=START:STOP:STEP")
    ranges = {key: parse_range(key, text) for key, text in texts.items()}
    result = suanli.sweep(args.output, ranges, scenario=args.scenario, overrides=fixed)
    return sweep_summary(result, write_sweep(result, out))


def cmd_sensitivity(args) -> str:
    from workbook_templates.analysis_xlsx import write_sensitivity

    out = check_xlsx_path(args.out)
    _, fixed = split_sets(args.set, ranges_allowed=False)
    if args.output is None:
        raise AnalysisError("--output", "sensitivity needs --output EXHIBIT.ROW, the row to rank inputs for "
                                        "(e.g. chain.energy_kwh)")
    result = suanli.sensitivity(args.output, column=args.column, delta=parse_delta(args.delta),
                                scenario=args.scenario, overrides=fixed)
    return sensitivity_summary(result, write_sensitivity(result, out))


def cmd_montecarlo(args) -> str:
    from workbook_templates.analysis_xlsx import write_montecarlo

    out = check_xlsx_path(args.out)
    _, fixed = split_sets(args.set, ranges_allowed=False)
    if not args.dist:
        raise AnalysisError("--dist", f"a Monte Carlo run needs at least one --dist ({DIST_SYNTAX})")
    dists = {}
    for text in args.dist:
        key, dist = parse_distribution(text)
        if key in dists:
            raise AnalysisError(key, f"{key} has two distributions; give it one --dist")
        dists[key] = dist
    n = parse_count(args.n, "--n", 1, MAX_DRAWS, "the number of draws")
    seed = None if args.seed is None else parse_count(args.seed, "--seed", 0, MAX_SEED, "the random seed")
    result = suanli.montecarlo(args.output, dists, n=n, seed=seed, exhibit=args.exhibit, scenario=args.scenario,
                               overrides=fixed)
    return montecarlo_summary(result, write_montecarlo(result, out))


def cmd_compare(args) -> str:
    from engine.comparison import DEFAULT_EXHIBIT, compare
    from workbook_templates.analysis_xlsx import write_comparison

    out = check_xlsx_path(args.out)
    if args.picture is not None:
        _check_picture_tools(args.picture)
    c = compare(args.scenarios, args.exhibit or [DEFAULT_EXHIBIT])
    write_comparison(c, out)
    text = compare_summary(c, out)
    if args.picture is not None:
        from .libreoffice import LibreOfficeError
        from .picture import render_first_page

        try:
            render_first_page(out, args.picture)
            text += f"\nwrote {args.picture}: the Headlines sheet"
        except LibreOfficeError as exc:
            raise AnalysisError("--picture", f"--picture: {out} is written, the picture is not: {exc}") from None
    return text


def _check_picture_tools(path: str) -> None:
    """``--picture``: a .png name, and LibreOffice and pdftoppm installed, before anything is written."""
    import shutil

    from .libreoffice import INSTALL_HINT, PDFTOPPM_HINT, find_soffice

    if not str(path).lower().endswith(".png") or Path(path).is_dir():
        raise AnalysisError("--picture", f"--picture must be a file name ending in .png, got {str(path)!r}")
    if find_soffice() is None:
        raise AnalysisError("--picture", f"--picture: {INSTALL_HINT}")
    if shutil.which("pdftoppm") is None:
        raise AnalysisError("--picture", f"--picture: {PDFTOPPM_HINT}")


def compare_summary(c, path) -> str:
    """What ``suanli compare`` prints: the file, then each exhibit's headline rows at its last column."""
    names = c.names
    differ = c.inputs_that_differ()
    lines = [f"wrote {path}: {', '.join(e.id for e in c.exhibits)} in {len(names)} scenarios; "
             f"{len(differ)} input{'s' if len(differ) != 1 else ''} differ"
             + (f" ({', '.join(differ[:6])}{', ...' if len(differ) > 6 else ''})" if differ else "")]
    for ex in c.exhibits:
        last = len(c.columns(ex.id)) - 1
        head = ["row", "unit", *names] + [f"Δ% {n}" for n in names[1:]]
        rows = []
        for key in c.headline_rows(ex.id):
            row = ex.row(key)
            shown = [c.tables[ex.id][i].formatted(key)[last] for i in range(len(names))]
            pct = [c.diff_pct(ex.id, key, last, i) for i in range(1, len(names))]
            rows.append([key, row.unit, *shown, *map(_signed_pct, pct)])
        lines.append(f"{ex.id} at {c.columns(ex.id)[last]}:")
        lines.append(grid(head, rows))
    return "\n".join(lines)


def _signed_pct(p: float | None) -> str:
    return "-" if p is None else f"{p:+.1f}%" if round(p, 1) else "0.0%"


def _g(x, digits: int = 6) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return format(x, f",.{digits}g")


def sweep_summary(result: suanli.SweepResult, path) -> str:
    """What ``suanli sweep`` prints after writing the workbook."""
    out, last = result.output, len(result.columns) - 1
    swept = ", ".join(f"{s.key}={s.text} ({s.values.size:,} values)" for s in result.swept)
    col = result.values[:, last]
    low, high = (None, None) if np.isnan(col).all() else (float(np.nanmin(col)), float(np.nanmax(col)))
    lines = [f"wrote {path}: {out.name} ({out.unit}) over {swept}: {result.points:,} grid points in one pass",
             f"{out.name} at {result.columns[last]}: from {_g(low)} to {_g(high)} {out.unit}" if low is not None
             else f"{out.name} at {result.columns[last]}: blank (no finite value) at every grid point"]
    lines += [f"note: {k} does not affect {out.name}" for k in result.unused]
    lines += [f"note: {line}" for line in result.notes()]
    return "\n".join(lines)


def sensitivity_summary(result: suanli.SensitivityResult, path, top: int = 10) -> str:
    """What ``suanli sensitivity`` prints: the file and the largest swings."""
    out = result.output
    head = [f"wrote {path}: {len(result.moves)} inputs of {out.name} at {result.column} moved by "
            f"±{result.delta * 100:g}% ({2 * len(result.moves) + 1} scenarios in one pass); "
            f"base {_g(result.base_output)} {out.unit}"]
    rows = [[str(i + 1), m.key, _g(m.output_low), _g(m.output_high), _g(m.swing), _g(result.share(m), 3) + "%",
             "; ".join(m.notes)] for i, m in enumerate(result.moves[:top])]
    if rows:
        head.append(grid(["rank", "input", f"at low ({out.unit})", "at high", "swing", "% of base", "note"], rows,
                         max_width={6: 60}))
    if len(result.moves) > top:
        head.append(f"... {len(result.moves) - top} more in the workbook")
    head += [f"not moved: {k} ({why})" for k, why in result.skipped.items()]
    return "\n".join(head)


def montecarlo_summary(result: suanli.MonteCarloResult, path) -> str:
    """What ``suanli montecarlo`` prints: the file, the seed and the output's percentiles."""
    out = result.output
    stats = {}
    v = result.output_values[np.isfinite(result.output_values)]
    if v.size:
        q = np.percentile(v, PERCENTILES)
        stats = {"P5": q[0], "P50": q[1], "P95": q[2], "mean": float(v.mean())}
    lines = [f"wrote {path}: {result.exhibit.id}, {result.n:,} draws in one pass, seed {result.seed} "
             f"(--seed {result.seed} repeats it)",
             f"{out.name} at {result.output_column} ({out.unit}): "
             + (", ".join(f"{k} {_g(float(x))}" for k, x in stats.items()) or "no draw gives a finite value")]
    lines += [f"clipped: {count:,} of {result.n:,} normal draws of {key} to its accepted range"
              for key, count in result.clipped.items()]
    lines += [f"note: {k} does not affect {result.exhibit.id}" for k in result.unused]
    lines += [f"note: {line}" for line in result.notes()]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
