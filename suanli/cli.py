"""The ``suanli`` command: argument parsing, formatting and exit codes over the :mod:`suanli` API
(and the workbook builders).

Every failure caused by the user's input prints one line naming the flag or key and what is
accepted, and exits with status 2; nothing is printed or written before that.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import math
import os
import stat
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import suanli
from engine import SuanliError, __version__, catalogue, errata, exhibits, formats, scenarios, tables
from engine.analysis import MAX_DRAWS, MAX_SEED, PERCENTILES, AnalysisError
from engine.errors import InvalidValueError, SuanliWarning

from . import scenario_commands
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
from .scenariofiles import resolve
from .textgrid import grid, input_value, number, room, terminal_width, width, wrap

EXIT_USAGE = 2
TABLE_FORMATS = ("table", "csv", "json", "md", "xlsx")
SCENARIO_OR_FILE = "a scenario name or a scenario file (.toml)"
WORK_DEFAULT = "default: the exhibit's, with the report's errata corrected: csc-2023-corrected"
EXIT_PARTIAL = 1   # a batch wrote what it could; some rows failed
#: In `suanli table`, a column holding text wider than TEXT_WRAP_PAST (sources, definitions) wraps at
#: TEXT_WRAP, so that the table stays readable; shorter text and numbers never wrap.
TEXT_WRAP, TEXT_WRAP_PAST = 36, 60


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
    except CheckFailed as exc:
        sys.stdout.write(f"{exc}\n")
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


class _Parser(argparse.ArgumentParser):
    """argparse's parser, saying a usage error in one line (what is wrong, and where the help is)
    instead of the usage block and the error."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="suanli",
        description="AI compute demand and its industry chain, from the CSC 2023 report: tables, inputs, errata.")
    p.add_argument("--version", action="version", version=f"suanli {__version__}")
    sub = p.add_subparsers(title="commands", metavar="COMMAND")

    s = sub.add_parser("tables", help="list the exhibits")
    s.set_defaults(handler=cmd_tables)

    s = sub.add_parser("table", help="print or export one exhibit")
    s.add_argument("id", nargs="+", metavar="ID", help="exhibit id as `suanli tables` lists it or as the report "
                                                       "prints it (fig49, 图表49, fig 49)")
    _scenario_args(s)
    s.add_argument("--format", choices=TABLE_FORMATS, default=None,
                   help="table (the default), csv, json, md or xlsx (needs --out); with --out, the default "
                        "follows the file's extension")
    s.add_argument("--out", metavar="FILE", default=None,
                   help="write to FILE (replaced in one step, never half-written) instead of printing")
    s.add_argument("--bom", action=argparse.BooleanOptionalAction, default=None,
                   help="CSV: begin with a UTF-8 byte-order mark, which Excel needs to read Chinese labels "
                        "(default: with --out or when stdout is a file, not on a pipe or terminal)")
    s.add_argument("--keys", action="store_true",
                   help="list the exhibit's row keys and labels (what --row EXHIBIT.ROW takes)")
    s.set_defaults(handler=cmd_table, flags={"format": "--format", "out": "--out"})

    s = sub.add_parser("inputs", help="the inputs: key, value, unit, description (all of them, an exhibit's, "
                                      "or those matching --search)")
    s.add_argument("exhibit", nargs="*", default=None,
                   help="only the inputs this exhibit reads, through the exhibits it reads too (e.g. fig49)")
    s.add_argument("--search", metavar="WORD", action="append", default=[],
                   help="only inputs whose key or description contains WORD (any case; repeat to narrow)")
    s.add_argument("--scenario", default=None,
                   help="the scenario whose values to show: a scenario name or a scenario file (.toml) (default: "
                        "the exhibit's own; csc-2023)")
    s.add_argument("--format", choices=("table", "json", "csv"), default="table",
                   help="table fits the terminal; json and csv add the accepted range, source, axis and note")
    s.add_argument("--bom", action=argparse.BooleanOptionalAction, default=None,
                   help="CSV: begin with a UTF-8 byte-order mark (default: when stdout is a file)")
    s.set_defaults(handler=cmd_inputs, flags={"search": "--search"})

    s = sub.add_parser("errata", help="list the report's errata by kind and their switches, then the rounding notes")
    s.add_argument("--format", choices=("table", "json", "md"), default="table",
                   help="md: the counts by kind, as the README shows them")
    s.set_defaults(handler=cmd_errata)

    s = sub.add_parser("coverage", help="every figure of the reports: where it is, what holds it, and its status")
    s.add_argument("--report", choices=("csc-2023", "ai-server-2023"), default=None,
                   help="one report only (default: both)")
    s.add_argument("--format", choices=("table", "json", "md"), default="table")
    s.add_argument("--write", metavar="README", default=None,
                   help="with --format md: write the Markdown between the coverage markers of this file")
    s.set_defaults(handler=cmd_coverage)

    s = sub.add_parser("catalogue", help="the hardware catalogue: list chips, or show one chip's fields")
    s.add_argument("chip", nargs="?", help="a chip name or alias, e.g. H100 (omit to list every chip)")
    s.add_argument("--kind", help=f"only chips of this kind ({', '.join(catalogue.KINDS)})")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.set_defaults(handler=cmd_catalogue)

    s = sub.add_parser("addin",
                       help="the Excel functions: set-up steps, a ready workbook, the Lite bundle, the reference")
    s.set_defaults(handler=cmd_addin_steps)
    addin_sub = s.add_subparsers(title="addin commands", metavar="WHAT")
    a = addin_sub.add_parser("install", help="install the classic xlwings add-in and write suanli's settings into "
                                              "the user's xlwings.conf (UDF module, this Python)")
    _setup_args(a)
    a.add_argument("--interpreter", default=None, metavar="PYTHON",
                   help="the python executable Excel starts (default: this one, " + sys.executable + ")")
    a.set_defaults(handler=cmd_addin_install)
    a = addin_sub.add_parser("status", help="check the add-in, the config, the interpreter, the xlwings DLL and "
                                             "workbooks, each ok or missing with the fix")
    _setup_args(a)
    a.add_argument("--workbook", action="append", default=[], metavar="BOOK.xlsm",
                   help="also check this workbook's VBA and xlwings.conf sheet (repeat for more)")
    a.set_defaults(handler=cmd_addin_status)
    a = addin_sub.add_parser("workbook", help="write a macro-enabled workbook configured for the UDF module addin.udfs")
    a.add_argument("path", metavar="PATH.xlsm", help="where to write it, e.g. suanli.xlsm")
    a.add_argument("--interpreter", default=None, metavar="PYTHON",
                   help="the python executable Excel starts, written into the xlwings.conf sheet "
                        "(default: this one, " + sys.executable + ")")
    a.add_argument("--platform", choices=("windows", "mac"), default=None,
                   help="write it as Interpreter_Win or Interpreter_Mac (default: this system's; windows elsewhere)")
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
                   help="the scenario for every workbook: a scenario name or a scenario file (.toml) (default: "
                        "each workbook's own: csc-2023, the report as printed, for the report's tables; "
                        "csc-2023-corrected for the chain)")
    t.add_argument("--out", default="out/templates", help="folder to write into (default out/templates)")
    t.add_argument("--excel-button", action="store_true",
                   help="macro-enabled workbooks (.xlsm) with a Refresh button for Windows Excel and xlwings")
    t.add_argument("--interpreter", default=None, metavar="PYTHON",
                   help="with --excel-button: the python executable the button starts, written into each "
                        "workbook's xlwings.conf sheet (default: this one, " + sys.executable + ")")
    t.set_defaults(handler=cmd_templates_build)
    t = t_sub.add_parser("picture", help="render a built template's sheet to PNG (LibreOffice, pdftoppm)")
    t.add_argument("--out", default=None,
                   help="the PNG to write (default docs/template.png; with --summary docs/summary.png; with "
                        "--readme the folder, default docs)")
    t.add_argument("--exhibit", default="fig49", help="the exhibit sheet to show (default fig49)")
    t.add_argument("--inputs", action="store_true",
                   help="show the Inputs sheet of the exhibit's workbook instead (e.g. --out docs/inputs.png)")
    t.add_argument("--scenario", default=None,
                   help="the scenario to build it with (default: the workbook's own; see `suanli scenarios`)")
    what = t.add_mutually_exclusive_group()
    what.add_argument("--summary", action="store_true",
                      help="instead, the summary.xlsx of a batch of three scenarios (bear, base, bull)")
    what.add_argument("--readme", action="store_true",
                      help="instead, every picture the README shows: inputs.png, template.png, chain.png, summary.png, "
                            "tornado.png, histogram.png, compare.png")
    t.set_defaults(handler=cmd_templates_picture)

    s = sub.add_parser("refresh", help="check a template workbook's edited inputs and recompute its saved results")
    s.add_argument("path", metavar="BOOK.xlsx", help="a workbook written by `suanli templates build`")
    s.add_argument("--out", metavar="NEW.xlsx", default=None,
                   help="write the refreshed workbook here (default: in place, keeping BOOK.<time>.bak.xlsx)")
    s.add_argument("--scenario", default=None,
                   help="the scenario the inputs start from: a scenario name or a scenario file (.toml) (default: "
                        "the workbook's own; see `suanli scenarios`)")
    s.add_argument("--force", action="store_true",
                   help="refresh a read-only workbook, or one that looks open in Excel or LibreOffice")
    s.set_defaults(handler=cmd_refresh)

    s = sub.add_parser("batch", help="one workbook per row of a scenario file (CSV or XLSX), a summary and a manifest")
    s.add_argument("scenarios_file", metavar="SCENARIOS",
                   help="CSV or XLSX: a 'name' column and one column per input key; KEY[COLUMN] sets one column")
    s.add_argument("--out", required=True, help="the folder to write into")
    s.add_argument("--template", default="chain",
                   help="which template workbook to write per scenario (default chain; see `suanli templates build`)")
    s.add_argument("--scenario", default=None,
                   help="the base scenario the rows change: a scenario name or a scenario file (.toml) (default: "
                        "the template's, with the report's errata corrected: csc-2023-corrected)")
    s.add_argument("--jobs", type=int, default=None, help="processes (default: the machine's cores)")
    s.add_argument("--resume", action="store_true",
                   help="build only what is missing, unfinished (after an interrupt) or whose inputs changed")
    s.add_argument("--encoding", default=None,
                   help="the CSV's encoding, e.g. gbk or utf-16 (default: detected: UTF-8 with or without BOM, "
                        "UTF-16 with BOM, GB18030/GBK)")
    s.set_defaults(handler=cmd_batch, flags={"out_dir": "--out", "encoding": "--encoding"})

    s = sub.add_parser("scenarios", help="list the packaged scenarios")
    s.set_defaults(handler=cmd_scenarios)
    scenario_commands.add_parser(sub)

    s = sub.add_parser("demo", help="build the template workbooks and print the headline tables")
    s.add_argument("--out", default="out/templates", help="where the workbooks go (default out/templates)")
    s.set_defaults(handler=cmd_demo)

    s = sub.add_parser("sweep", help="an output row over a grid of input values (one pass): an xlsx with a chart")
    s.add_argument("--set", action="append", default=[], metavar="KEY=START:STOP:STEP",
                   help="sweep KEY from START to STOP (included) by STEP, in its base unit and in every column; "
                        "repeat for a grid; KEY=VALUE (or V1,V2,...) holds an input at a value")
    _row_args(s, "the row to compute, e.g. chain.cards or fig49.a100_total")
    s.add_argument("--scenario", default=None,
                   help=f"the scenario the other inputs come from: {SCENARIO_OR_FILE} ({WORK_DEFAULT})")
    s.add_argument("--out", default="out/sweep.xlsx", metavar="FILE.xlsx", help="the workbook (default out/sweep.xlsx)")
    s.set_defaults(handler=cmd_sweep, flags={"output": "--row", "ranges": "--set"})

    s = sub.add_parser("sensitivity", help="rank the inputs of an output row by its swing at ±delta: an xlsx "
                                           "with a tornado chart")
    _row_args(s, "the row, e.g. chain.energy_kwh")
    s.add_argument("--column", default=None, help="the column to rank at (default: the last, e.g. 2027E)")
    s.add_argument("--delta", default="0.1", help="the relative move of each input (default 0.1: ±10%%)")
    s.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="hold an input at a value")
    s.add_argument("--scenario", default=None, help=f"the base scenario: {SCENARIO_OR_FILE} ({WORK_DEFAULT})")
    s.add_argument("--out", default="out/sensitivity.xlsx", metavar="FILE.xlsx",
                   help="the workbook (default out/sensitivity.xlsx)")
    s.set_defaults(handler=cmd_sensitivity, flags={"output": "--row", "delta": "--delta", "column": "--column"})

    s = sub.add_parser("compare", help="scenarios side by side with their differences: an xlsx with a chart per "
                                       "headline row")
    s.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                   help="two or more scenarios, each a scenario name or a scenario file (.toml) (see `suanli "
                        "scenarios`); the differences are against the first")
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
    s.add_argument("--exhibit", default=None, help="the exhibit to summarise (default: --row's, else chain)")
    _row_args(s, "the row to histogram at the last column (default: the exhibit's last row the draws reach)")
    s.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="hold an input at a value")
    s.add_argument("--scenario", default=None, help=f"the base scenario: {SCENARIO_OR_FILE} ({WORK_DEFAULT})")
    s.add_argument("--out", default="out/montecarlo.xlsx", metavar="FILE.xlsx",
                   help="the workbook (default out/montecarlo.xlsx)")
    s.set_defaults(handler=cmd_montecarlo, flags={"output": "--row", "distributions": "--dist", "n": "--n",
                                                  "seed": "--seed", "exhibit": "--exhibit"})
    return p


def _row_args(s, what: str) -> None:
    """``--row EXHIBIT.ROW``, and ``--output``, its earlier name, kept working but not shown."""
    s.add_argument("--row", metavar="EXHIBIT.ROW", default=None, help=what)
    s.add_argument("--output", dest="output_alias", default=None, help=argparse.SUPPRESS)


def _row(args) -> str | None:
    """The row of an analysis, from ``--row`` or its earlier name ``--output``."""
    if args.row is not None and args.output_alias is not None and args.row != args.output_alias:
        raise AnalysisError("--row", f"--row {args.row} and --output {args.output_alias} name different rows; "
                                     "give --row once (--output is its earlier name)")
    return args.row if args.row is not None else args.output_alias


def _scenario_args(s):
    s.add_argument("--scenario", default=None,
                   help="a scenario name or a scenario file (.toml) (default: the exhibit's own: csc-2023, the "
                        "report as printed, for the report's tables; csc-2023-corrected for suanli's chain; see "
                        "`suanli scenarios`)")
    s.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override an input: one value for every column, or a comma-separated list, one per "
                        "column; values in the input's base unit (see `suanli inputs`)")


def _setup_args(a):
    a.add_argument("--home", default=None, metavar="DIR",
                   help="do it under this folder instead of your home, leaving Excel alone (tests; a computer "
                        "without Excel)")
    a.add_argument("--platform", choices=("windows", "mac"), default=None,
                   help="the layout: windows or mac (default: this system's; windows elsewhere)")


def _help_of(parser: argparse.ArgumentParser):
    """A handler that shows a command group's help (``suanli templates`` without a subcommand)."""
    return lambda args: parser.format_help()


# commands ----------------------------------------------------------------------------
def cmd_tables(args) -> str:
    rows = [[ex_id, r.group, r.title_en, r.title_zh] for ex_id, r in suanli.tables().iterrows()]
    total = terminal_width()
    note = ("Default scenario: csc-2023, the report as printed, for the report's tables; csc-2023-corrected "
            "(its errata corrected) for suanli's own chain, and for sweeps, sensitivity, Monte Carlo and batches.")
    return "\n".join([grid(["id", "group", "title", "标题"], rows, wraps={3: 20 if total < 100 else 30}, fill=2,
                           total=total, least=24, stack=True), *wrap(note, total)])


def cmd_table(args) -> str:
    fmt = _table_format(args.format, args.out)
    t = tables.table(" ".join(args.id), resolve(args.scenario), parse_sets(args.set))
    if args.keys:
        text = render_keys(t, fmt)
    elif fmt == "xlsx":
        from workbook_templates.table_xlsx import write_table

        return _wrote(write_table(t, args.out), t, fmt)
    else:
        text = render_table(t, fmt)
    if fmt == "csv" and _with_bom(args.bom, args.out):
        text = BOM + text
    if args.out is None:
        return text
    from workbook_templates.files import write_text_atomic

    return _wrote(write_text_atomic(args.out, text if text.endswith("\n") else text + "\n"), t, fmt)


BOM = "\ufeff"
_EXTENSIONS = {".csv": "csv", ".json": "json", ".md": "md", ".xlsx": "xlsx", ".txt": "table"}


def _table_format(fmt: str | None, out: str | None) -> str:
    """``--format``, or the format the ``--out`` file's extension names; refused when they disagree."""
    ext = Path(out).suffix.lower() if out else ""
    if fmt is None:
        if out is None:
            return "table"
        if ext not in _EXTENSIONS:
            raise AnalysisError("--out", f"--out {out!r}: cannot tell the format from its name; end it in "
                                         ".csv, .json, .md, .txt or .xlsx, or give --format")
        fmt = _EXTENSIONS[ext]
    if fmt == "xlsx":
        if out is None:
            raise AnalysisError("--format", "--format xlsx needs --out FILE.xlsx (a workbook is not text to print)")
        check_xlsx_path(out)
    elif ext == ".xlsx":
        raise AnalysisError("--out", f"--out {out!r} names a workbook but --format is {fmt}: use --format xlsx, "
                                     f"or a file name ending in .{'txt' if fmt == 'table' else fmt}")
    return fmt


def _with_bom(bom: bool | None, out: str | None) -> bool:
    """Whether CSV begins with a UTF-8 byte-order mark: as ``--bom``/``--no-bom`` say; by default
    when it goes to a file (``--out``, or stdout redirected to one: ``> fig49.csv``), which Excel
    opens as UTF-8 only with the mark; not on a pipe or a terminal, where the mark would become
    part of the first column's name for the program reading it."""
    if bom is not None:
        return bom
    return out is not None or _stdout_is_file()


def _stdout_is_file() -> bool:
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False


def _wrote(path, t: tables.Table, fmt: str) -> str:
    return (f"wrote {path}: {t.exhibit.id} as {fmt}, {len(t.exhibit.rows)} rows x {len(t.columns)} columns; "
            + tables.scenario_line(t.scenario))


def render_keys(t: tables.Table, fmt: str) -> str:
    """The exhibit's row keys with unit and labels (``suanli table ID --keys``): what ``--row
    EXHIBIT.ROW`` takes."""
    rows = [{"key": r.key, "unit": r.unit, "label_en": r.label_en, "label_zh": r.label_zh} for r in t.exhibit.rows]
    if fmt == "json":
        return _json({"exhibit": t.exhibit.id, "rows": rows})
    if fmt == "csv":
        return _csv(["key", "unit", "label_en", "label_zh"], [list(r.values()) for r in rows])
    if fmt == "md":
        return "\n".join(["| key | unit | row | 报告行 |", "|---|---|---|---|"] +
                         [f"| `{r['key']}` | {r['unit']} | {r['label_en']} | {r['label_zh'] or ''} |" for r in rows])
    body = [[r["key"], r["unit"], r["label_en"], r["label_zh"] or ""] for r in rows]
    total = terminal_width()
    return "\n".join([*wrap(f"{t.exhibit.id}  {t.exhibit.title_zh}: {len(rows)} rows; --row {t.exhibit.id}.KEY "
                            "names one in sweep, sensitivity and montecarlo", total),
                      grid(["key", "unit", "row", "报告行"], body, wraps={3: 24 if total < 100 else 34}, fill=2,
                           total=total, least=24, stack=True)])


def _csv(head: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    w.writerows(rows)
    return buf.getvalue()


def render_table(t: tables.Table, fmt: str) -> str:
    """A table as text in one of the formats table, csv, json, md.

    CSV is data only (a header row, then a row per exhibit row): numbers at full precision
    without float noise, counts as integers; the scenario is recorded in the JSON, md and table
    forms and the xlsx export.
    """
    if fmt == "json":
        return _json(t.to_dict())
    if fmt == "csv":
        return _csv(["key", "label_zh", "label_en", "unit", *t.columns],
                    [[r.key, r.label_zh or "", r.label_en, r.unit,
                      *[_csv_cell(t, r.key, i, v) for i, v in enumerate(t.values(r.key))]] for r in t.exhibit.rows])
    head = ["row", "报告行", "unit", *t.columns]
    body = [[r.label_en, r.label_zh or "", r.unit, *_cells(t, r)] for r in t.exhibit.rows]
    title = f"{t.exhibit.id}  {t.exhibit.title_zh}\n{t.exhibit.title_en}\n{tables.scenario_line(t.scenario)}"
    source = f"source: {t.exhibit.source}"
    notes = _errata_lines(t)
    errors = _error_lines(t)
    needs = _needs_lines(t)
    if fmt == "md":
        md = [f"### {t.exhibit.id} {t.exhibit.title_zh}", "", f"{t.exhibit.title_en}.", "",
              tables.scenario_line(t.scenario).replace("scenario: ", "Scenario: ", 1), "",
              "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        md += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in body]
        md += ["", source] + [f"- {line}" for line in needs + notes + errors]
        return "\n".join(md)
    long = {i: TEXT_WRAP for i in range(3, len(head)) if any(width(row[i]) > TEXT_WRAP_PAST for row in body)}
    out = [title, "", grid(head, body, max_width={0: 44, 1: 40}, wraps=long), source]
    if needs:
        out += ["inputs to supply (the reports give none):"] + [f"  {line}" for line in needs]
    if errors:
        out += ["cells with no number:"] + [f"  {line}" for line in errors]
    if notes:
        out += ["errata:"] + [f"  {line}" for line in notes]
    return "\n".join(out)


def _cells(t: tables.Table, row) -> list[str]:
    """A row's cells as the command shows them: "needs" where an input is still to supply (named
    under the table, so that the column stays as wide as its numbers), the spreadsheet error where
    there is no number, else the number (:func:`textgrid.number`)."""
    out = []
    for i, v in enumerate(t.values(row.key)):
        error = t.error(row.key, i)
        out.append("needs" if t.result.needed(row.key, i) else error.excel if error else number(row, v))
    return out


def _needs_lines(t: tables.Table) -> list[str]:
    """The inputs the table's "needs" cells wait for: each with the rows waiting, and how to give it."""
    rows: dict[str, list[str]] = {}
    for r in t.exhibit.rows:
        for key in dict.fromkeys(k for i in range(len(t.columns)) for k in t.result.needed(r.key, i)):
            rows.setdefault(key, []).append(r.key)
    return [f"{key}: {', '.join(waiting)} (--set {key}=VALUE)" for key, waiting in rows.items()]


def _csv_cell(t: tables.Table, key: str, i: int, value):
    error = t.error(key, i)
    if error is not None:
        return error.excel
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(tables.plain_number(value))
    return value


def _error_lines(t: tables.Table, limit: int = 8) -> list[str]:
    """The cells where an error arises, each with why (a row's columns with the same error on one line);
    then how many more cells read them."""
    # an error arises in this table's cell, or in another exhibit's cell it reads (chain_mix for the chain)
    own = [(key, column, e) for key, column, e in t.errors()
           if e.origin is None or e.origin.split(" ", 1)[0] != t.exhibit.id]
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
        status = e.status(t.scenario) if e.is_erratum else f"rounding note, not an erratum; {e.status(t.scenario)}"
        line = f"{e.id} [{status}] {e.title}"
        if e.switch:
            line += f"; switch {e.switch}"
        if e.alternative:
            line += f"; alternative scenario {e.alternative}"
        if e.printed and e.consistent:
            line += f"; printed {e.printed}; consistent {e.consistent}"
        lines.append(line)
    return lines


def _supply_hint(value, spec) -> str:
    """What ``suanli inputs`` adds to the label of an input the user supplies: nothing where it has a
    value; where every column is blank, that the reports give none; where some are, which."""
    if not spec.user_supplied or spec.blank_means:
        return ""
    values = value if isinstance(value, tuple) else (value,)
    blank = sum(v is None for v in values)
    if blank == len(values):
        return " (the reports give none: --set it)"
    if blank:
        return f" (blank in {blank} of {len(values)} columns: none published; --set {spec.key}[COLUMN]=...)"
    return ""


def cmd_inputs(args) -> str:
    exhibit = exhibits.get(" ".join(args.exhibit)) if args.exhibit else None
    sc = resolve(args.scenario or (exhibit.default_scenario if exhibit else "csc-2023"))
    specs = scenarios.schema()
    words = [w for text in args.search for w in str(text).split()]
    if args.search and not words:
        raise AnalysisError("--search", "--search needs a word to look for in input keys and descriptions")
    keys = tables.find_inputs(exhibit.id if exhibit else None, words, sc)
    if not keys:
        among = f"the {exhibit.id} inputs" if exhibit else "the inputs"
        close = difflib.get_close_matches("_".join(words).lower(), list(specs), n=1, cutoff=0.5)
        raise AnalysisError("--search", f"--search {' '.join(words)!r} matches no key or description of {among}"
                            + (f" (did you mean {close[0]}?)" if close else "; try a shorter word"))
    what = f"{len(keys)} input{'s' * (len(keys) != 1)}" + (f" that {exhibit.id} reads" if exhibit else "") + \
        (f" matching {' '.join(words)!r}" if words else "")
    if args.format == "json":
        return _json({"scenario": tables.scenario_record(sc), "exhibit": exhibit.id if exhibit else None,
                      "search": words, "inputs": [_input_record(sc, k, specs[k]) for k in keys]})
    if args.format == "csv":
        head = ["key", "label", "unit", "value", "axis", "bounds", "source", "erratum", "note", "user_supplied"]
        body = []
        for k in keys:
            d = _input_record(sc, k, specs[k])
            d["value"] = input_value(sc.value(k), specs[k])
            d["axis"] = ",".join(d["axis"] or [])
            body.append(["" if d[h] is None else d[h] for h in head])
        return (BOM if _with_bom(args.bom, None) else "") + _csv(head, body)
    total = terminal_width()
    rows = [[k, input_value(sc.value(k), specs[k]), specs[k].unit, specs[k].describe_bounds(),
             specs[k].label + _supply_hint(sc.value(k), specs[k])] for k in keys]
    footer = "Values in base units, as --set takes them (or in the report's units: --set mm_params_base=18000亿). " \
             "The accepted range, source and note of each: --format json or csv."
    return "\n".join([*wrap(f"{what}; {tables.scenario_line(sc)}", total), _inputs_grid(rows, total),
                      *wrap(footer, total)])


def _inputs_grid(rows: list[list[str]], total: int, least: int = 30) -> str:
    """key, value, unit, accepted range and description, in ``total`` columns: without the accepted
    range where the description would get fewer than ``least`` columns, and with the description
    on its own line under the key where it still would."""
    head = ["key", "value", "unit", "accepted", "description"]
    wraps = {1: 22, 3: 16}
    if room(head, rows, 4, wraps, total) >= least:
        return grid(head, rows, wraps=wraps, fill=4, total=total, left=(1,))
    return grid(head[:3] + head[4:], [r[:3] + r[4:] for r in rows], wraps=wraps, fill=3, total=total, least=least,
                left=(1,), stack=True)


def _input_record(sc: scenarios.Scenario, key: str, spec) -> dict:
    value = sc.value(key)
    if spec.is_switch:
        value = bool(value[0] if isinstance(value, tuple) else value)
    elif isinstance(value, tuple):
        value = [None if v is None else tables.plain_number(v) for v in value]
    elif value is not None:
        value = tables.plain_number(value)
    return {"key": key, "label": spec.label, "unit": spec.unit,
            "axis": list(scenarios.axes()[spec.axis]) if spec.axis else None, "value": value,
            "bounds": spec.describe_bounds(), "source": spec.source, "erratum": spec.erratum, "note": spec.note,
            "user_supplied": spec.user_supplied}


def cmd_errata(args) -> str:
    if args.format == "json":
        return _json([e.to_dict() for e in errata.all_errata()])
    if args.format == "md":
        return errata.summary() + "\n\n" + errata.kinds_table()
    head = ["id", "kind", "exhibits", "detail: title", "switch / alternative"]

    def rows(entries):
        return [[e.id, e.kind, ", ".join(e.exhibits), f"{e.detail}: {e.title}" if e.detail else e.title,
                 e.switch or e.alternative or ""] for e in entries]

    def table(entries):
        return grid(head, rows(entries), wraps={2: 16, 4: 31}, fill=3, least=24, stack=True)

    notes = errata.rounding_notes()
    width = terminal_width()
    return "\n".join([table(errata.errata_only()), "",
                      *wrap(f"rounding notes, not errata ({errata.KINDS[errata.ROUNDING_NOTE].split(':')[0]}):",
                            width),
                      table(notes), "", *wrap(errata.summary(), width)])


def cmd_coverage(args) -> str:
    from engine import coverage
    from workbook_templates.files import write_text_atomic

    if args.write is not None and (args.format != "md" or args.report is not None):
        raise InvalidValueError("--write", args.write, "goes with --format md and both reports (no --report)")
    if args.format == "json":
        return _json({"counts": coverage.counts(args.report), "entries": coverage.rows(args.report)})
    if args.format == "md":
        if args.report is not None:
            raise InvalidValueError("--report", args.report, "is for --format table or json; md prints both reports")
        text = coverage.markdown()
        if args.write is None:
            return text
        readme = Path(args.write)
        old = readme.read_text(encoding="utf-8")
        start, end = coverage.START, coverage.END
        if start not in old or end not in old:
            raise InvalidValueError("--write", str(readme), f"needs the markers {start!r} and {end!r}")
        rest = old[old.index(coverage.END) + len(coverage.END):]
        new = old[:old.index(coverage.START)] + text + (rest[1:] if rest.startswith("\n") else rest)
        write_text_atomic(readme, new)
        return f"updated the coverage table in {readme}"
    rows = [[r["report"], r["where"], r["figure"], ", ".join(r["held_in"]) or "-", r["status"], r["why"]]
            for r in coverage.rows(args.report)]
    n = coverage.counts(args.report)
    summary = f"{sum(n.values())} entries: " + ", ".join(f"{v} {k}" for k, v in n.items())
    return grid(["report", "where", "figure", "held in", "status", "why"], rows,
                max_width={1: 30, 2: 50, 3: 30, 5: 50}) + "\n" + summary


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
    where = ", ".join(chip["tables"]) if chip["tables"] else "today's catalogue, from documents outside the reports"
    title = f"{chip['name']}" + (f" ({chip['name_zh']})" if chip["name_zh"] else "") + f"  [{chip['kind']}; {where}]"
    out = title + "\n" + grid(["field", "value", "unit", "source", "note"], body, max_width={3: 40, 4: 60})
    if any(width(str(r[3])) > 40 or width(str(r[4])) > 60 for r in body):
        out += f"\nsources and notes in full: suanli catalogue {chip['key']} --format json"
    return out


def _plain(v):
    """A DataFrame cell as the value it came from: a missing value (NaN) as None, numpy scalars as
    Python numbers."""
    if isinstance(v, np.generic):
        v = v.item()
    return None if isinstance(v, float) and math.isnan(v) else v


def _indent(text: str, prefix: str) -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def cmd_addin_steps(args) -> str:
    import xlwings

    from addin import udfs
    from addin.lite import requirements as lite_requirements

    return f"""suanli {__version__}: {len(udfs.functions())} Excel functions (AI_TRAIN_FLOPS, AI_CAGR, AI_TABLE, ...)

Windows desktop Excel (the classic xlwings add-in), with xlwings {xlwings.__version__}, in PowerShell:
  1. With the Python that Excel will start (python.org's; "py" is its launcher), install suanli:
       py -m pip install PATH\\TO\\suanli-{__version__}-py3-none-any.whl   (or the repository's folder)
     It brings xlwings {xlwings.__version__}: the VBA calls its xlwings64-{xlwings.__version__}.dll, installed beside
     that Python.
  2. py -m suanli addin install
     (the xlwings add-in; your xlwings.conf gets UDF Modules = addin.udfs and this Python's full path)
  3. In Excel: File > Options > Trust Center > Trust Center Settings > Macro Settings:
     tick "Trust access to the VBA project object model".
  4. py -m suanli addin status      (each check ok, or what to do)
  5. py -m suanli addin workbook suanli.xlsm
     Open it, enable macros, press Alt+F8, run ImportPythonUDFs.
     The Examples sheet's Result column then matches its Expected column.
  Excel 2016/2019: press Ctrl+Alt+F9 after ImportPythonUDFs; a function returning a range is entered
  over the whole range with Ctrl+Shift+Enter (Excel 365 spills it by itself).
  In other workbooks (.xlsm): the xlwings tab > Import Functions.

macOS, Windows or Excel on the web (xlwings Lite, Microsoft 365 or Office 2021+):
  1. suanli addin lite suanli_lite.py
  2. In Excel: Home > Add-ins > xlwings Lite; open its editor.
  3. Paste all of suanli_lite.py into main.py. Put these lines in requirements.txt and
     restart xlwings Lite when it asks:
{_indent(lite_requirements(), "       ")}
  4. Save the workbook. The AI_* functions then compute in every cell of that workbook, and
     again whenever it opens (unless Settings > Workbook > Startup Behavior is "Do not autostart").

Reference of every function: suanli addin reference (also in README.md).
"""


def cmd_addin_workbook(args) -> str:
    from addin.install import check_interpreter
    from addin.workbook import build, check_xlsm, conf_rows

    check_xlsm(args.path)                      # the name first: one refusal at a time, nothing written
    interpreter = check_interpreter(args.interpreter)
    path = build(args.path, interpreter, args.platform)
    rows = conf_rows(interpreter, args.platform)
    return (f"wrote {path}: an Examples sheet and an xlwings.conf sheet with "
            + ", ".join(f"{k} = {v}" for k, v in rows)
            + "\nIn Excel: enable macros, then Alt+F8 > ImportPythonUDFs (Excel 2016/2019: then Ctrl+Alt+F9)")


def cmd_addin_install(args) -> str:
    from addin.install import install, layout

    lay = layout(args.platform, args.home)
    report = install(lay, args.interpreter, write=args.home is not None or lay.real)
    if not report.ok:
        raise CheckFailed(report.text)
    return report.text


def cmd_addin_status(args) -> str:
    from addin.install import layout, status

    report = status(layout(args.platform, args.home), args.workbook)
    if not report.ok:
        raise CheckFailed(report.text)
    return report.text


class CheckFailed(Exception):
    """A set-up check found something missing: the report goes to stdout, and the exit status is 1."""


def cmd_addin_lite(args) -> str:
    from addin.lite import build, requirements
    from workbook_templates.files import write_text_atomic

    path = write_text_atomic(args.path, build())
    return (f"wrote {path} ({path.stat().st_size:,} bytes): paste it into xlwings Lite's main.py; "
            f"requirements.txt: {', '.join(requirements().splitlines())}")


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

    chosen = resolve(args.scenario)         # an unknown name or a bad file stops here, before anything is written
    interpreter = None
    if args.interpreter is not None:
        from addin.install import SetupError, check_interpreter

        if not args.excel_button:
            raise SetupError("--interpreter", "--interpreter goes with --excel-button: it is the Python the "
                                              "Refresh button starts")
        interpreter = check_interpreter(args.interpreter)
    paths = build_all(args.out, chosen, excel_button=args.excel_button, interpreter=interpreter)
    lines = [f"wrote {len(paths)} workbooks to {Path(args.out)}/:"]
    lines += [f"  {p.name}" for p in paths]
    return "\n".join(lines)


def cmd_templates_picture(args) -> str:
    from .picture import render, render_inputs, render_readme, render_summary

    if args.readme:
        return "\n".join(f"wrote {p}" for p in render_readme(args.out or "docs"))
    if args.scenario is not None:
        scenarios.describe(args.scenario)          # an unknown scenario stops here
    if args.summary:
        return f"wrote {render_summary(args.out or 'docs/summary.png', base=args.scenario or 'csc-2023-corrected')}"
    exhibit = exhibits.get(args.exhibit)           # an unknown id stops here; 图表49 is fig49
    if args.inputs:
        return f"wrote {render_inputs(args.out or 'docs/inputs.png', exhibit.id)}"
    return f"wrote {render(args.out or 'docs/template.png', exhibit.id, scenario=args.scenario)}"


def cmd_refresh(args) -> str:
    import signal

    from workbook_templates.refresh import refresh

    try:
        return refresh(args.path, args.out, resolve(args.scenario), force=args.force).summary()
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
        report = run_batch(args.scenarios_file, args.out, template=args.template, base=resolve(args.scenario),
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
    return grid(["scenario", "based on", "title"], rows, fill=2, least=30, stack=True)


def cmd_demo(args) -> str:
    """The main job: build the template workbooks, then print the headline tables, as printed and corrected."""
    from workbook_templates.build import build_all

    paths = build_all(args.out)
    parts = [f"Template workbooks: {len(paths)} written to {Path(args.out)}/ "
             f"({', '.join(p.name for p in paths)}). Open index.xlsx."]
    for ex in ("fig49", "fig50", "fig51", "cagr", "fig7", "fig8"):       # the report's tables: as printed
        parts.append(render_table(tables.table(ex), "table"))
    for ex in ("fig50", "cagr"):                                         # and with its errata corrected
        parts.append(render_table(tables.table(ex, tables.work_scenario(ex)), "table"))
    parts.append(render_table(tables.table("chain"), "table"))           # suanli's own: corrected by default
    return "\n\n".join(parts)


def cmd_sweep(args) -> str:
    from workbook_templates.analysis_xlsx import write_sweep

    out = check_xlsx_path(args.out)
    texts, fixed = split_sets(args.set)
    row = _row(args)
    if row is None:
        raise AnalysisError("--row", "sweep needs --row EXHIBIT.ROW, the row to compute (e.g. chain.cards; "
                                     "`suanli table chain --keys` lists them)")
    if not texts:
        raise AnalysisError("--set", "a sweep needs at least one --set KEY=START:STOP:STEP")
    ranges = {key: parse_range(key, text) for key, text in texts.items()}
    result = suanli.sweep(row, ranges, scenario=args.scenario, overrides=fixed)
    return sweep_summary(result, write_sweep(result, out))


def cmd_sensitivity(args) -> str:
    from workbook_templates.analysis_xlsx import write_sensitivity

    out = check_xlsx_path(args.out)
    _, fixed = split_sets(args.set, ranges_allowed=False)
    row = _row(args)
    if row is None:
        raise AnalysisError("--row", "sensitivity needs --row EXHIBIT.ROW, the row to rank inputs for "
                                     "(e.g. chain.energy_kwh; `suanli table chain --keys` lists them)")
    result = suanli.sensitivity(row, column=args.column, delta=parse_delta(args.delta),
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
    result = suanli.montecarlo(_row(args), dists, n=n, seed=seed, exhibit=args.exhibit, scenario=args.scenario,
                               overrides=fixed)
    return montecarlo_summary(result, write_montecarlo(result, out))


def cmd_compare(args) -> str:
    from engine.comparison import DEFAULT_EXHIBIT, compare
    from workbook_templates.analysis_xlsx import write_comparison

    out = check_xlsx_path(args.out)
    if args.picture is not None:
        _check_picture_tools(args.picture)
    c = compare(args.scenarios, args.exhibit or [DEFAULT_EXHIBIT], resolve=resolve)
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
    """What ``suanli compare`` prints: the file, then each exhibit's headline rows at its last column, each
    cell as its row's cells print (:func:`_cells`), laid out for the terminal's width."""
    names = c.names
    differ = c.inputs_that_differ()
    total = terminal_width()
    lines = wrap(f"wrote {path}: {', '.join(e.id for e in c.exhibits)} in {len(names)} scenarios; "
                 f"{len(differ)} input{'s' if len(differ) != 1 else ''} differ"
                 + (f" ({', '.join(differ[:6])}{', ...' if len(differ) > 6 else ''})" if differ else ""), total)
    head = ["row", "unit", *names] + [f"Δ% {n}" for n in names[1:]]
    wraps = {2 + len(names) + k: max(width(n), 6) for k, n in enumerate(names[1:])}     # "Δ%" above the name
    for ex in c.exhibits:
        last = len(c.columns(ex.id)) - 1
        rows = []
        for key in c.headline_rows(ex.id):
            row = ex.row(key)
            shown = [_cells(c.tables[ex.id][i], row)[last] for i in range(len(names))]
            pct = [c.diff_pct(ex.id, key, last, i) for i in range(1, len(names))]
            rows.append([key, row.unit, *shown, *map(_signed_pct, pct)])
        lines.append(f"{ex.id} at {c.columns(ex.id)[last]}:")
        lines.append(grid(head, rows, wraps=wraps))
    return "\n".join(lines)


def _signed_pct(p: float | None) -> str:
    return "-" if p is None else f"{p:+.1f}%" if round(p, 1) else "0.0%"


def _pct(x) -> str:
    """A percentage (25.4 for 25.4%) as the workbook's % of base column shows it: one decimal."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return formats.format_value(x, "%", 1)


def _g(row, x, extra: int = 0) -> str:
    """An output value of ``row`` as its analysis workbook shows it: the row's unit format
    (:func:`engine.formats.format_value`) at the report's precision, or ``extra`` decimals past it."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if row.sig is not None:
        return formats.format_value(x, row.unit, sig=row.sig + extra)
    return formats.format_value(x, row.unit, None if row.decimals is None else row.decimals + extra)


def sweep_summary(result: suanli.SweepResult, path) -> str:
    """What ``suanli sweep`` prints after writing the workbook."""
    out, last = result.output, len(result.columns) - 1
    swept = ", ".join(f"{s.key}={s.text} ({s.values.size:,} values)" for s in result.swept)
    col = result.values[:, last]
    low, high = (None, None) if np.isnan(col).all() else (float(np.nanmin(col)), float(np.nanmax(col)))
    lines = [f"wrote {path}: {out.name} ({out.unit}) over {swept}: {result.points:,} grid points in one pass",
             tables.scenario_line(result.scenario),
             f"{out.name} at {result.columns[last]}: from {_g(out.row, low)} to {_g(out.row, high)} {out.unit}"
             if low is not None
             else f"{out.name} at {result.columns[last]}: blank (no finite value) at every grid point"]
    lines += [f"note: {k} does not affect {out.name}" for k in result.unused]
    lines += [f"note: {line}" for line in result.notes()]
    return "\n".join(lines)


def sensitivity_summary(result: suanli.SensitivityResult, path, top: int = 10) -> str:
    """What ``suanli sensitivity`` prints: the file and the largest swings."""
    out = result.output
    head = [f"wrote {path}: {len(result.moves)} inputs of {out.name} at {result.column} moved by "
            f"±{result.delta * 100:g}% ({2 * len(result.moves) + 1} scenarios in one pass); "
            f"base {_g(out.row, result.base_output)} {out.unit}", tables.scenario_line(result.scenario)]
    rows = [[str(i + 1), m.key, _g(out.row, m.output_low, 1), _g(out.row, m.output_high, 1),
             _g(out.row, m.swing, 1), _pct(result.share(m)),
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
             f"(--seed {result.seed} repeats it)", tables.scenario_line(result.scenario),
             f"{out.name} at {result.output_column} ({out.unit}): "
             + (", ".join(f"{k} {_g(out.row, float(x))}" for k, x in stats.items()) or "no draw gives a finite value")]
    lines += [f"clipped: {count:,} of {result.n:,} normal draws of {key} to its accepted range"
              for key, count in result.clipped.items()]
    lines += [f"note: {k} does not affect {result.exhibit.id}" for k in result.unused]
    lines += [f"note: {line}" for line in result.notes()]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
