"""``suanli scenario new|show|diff|from-workbook``: your own scenario as a file, and back from a workbook.

* ``new FILE --from BASE [--set KEY=VALUE ...]`` writes a scenario file (:mod:`.scenariofiles`),
  each value commented with its label, base unit and the report's value;
* ``show NAME|FILE`` lists the inputs that differ from its base (or, with ``--report``, from the
  report), beside the report's values, as the report shows them (亿, 万, %);
* ``diff A B`` lists the inputs that differ and the headline outputs side by side
  (:data:`workbook_templates.batch.HEADLINES`, the outputs a batch summary compares);
* ``from-workbook BOOK.xlsx`` turns the inputs of an edited template workbook into a scenario file,
  read exactly as ``suanli refresh`` reads them: keep it as a house view, rebuild or batch from it.

Every file is checked by reading it back before it is written, and written atomically; an
existing file is replaced only with ``--force``.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from engine import exhibits, scenarios
from engine.errors import InvalidValueError
from engine.scenarios import Scenario
from engine.tables import format_value

from . import scenariofiles as files
from .parsing import parse_sets
from .textgrid import grid

__all__ = ["add_parser"]

_REF = "NAME|FILE"


def add_parser(sub) -> None:
    """Add the ``scenario`` command and its four subcommands to the ``suanli`` parser's ``sub``."""
    s = sub.add_parser("scenario", help="your own scenario as a TOML file: new, show, diff, from-workbook")
    s.set_defaults(handler=lambda args: s.format_help())
    commands = s.add_subparsers(title="scenario commands", metavar="WHAT")

    c = commands.add_parser("new", help="write a scenario file: a base and the inputs you change")
    c.add_argument("file", metavar="FILE.toml", help="the file to write")
    c.add_argument("--from", dest="base", required=True, metavar=_REF,
                   help="the scenario it starts from: a packaged name (see `suanli scenarios`) or a file")
    c.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="an input's value: one for every column or a comma-separated list, one per column; in "
                        "its base unit or the report's units (18000亿, 30%%)")
    c.add_argument("--name", default=None, help="the scenario's name (default: the file's name without .toml)")
    c.add_argument("--title", default=None, help="a line saying what it is (default: the name)")
    c.add_argument("--force", action="store_true", help="replace FILE if it exists")
    c.set_defaults(handler=cmd_new, flags={"scenario": "--from"})

    c = commands.add_parser("show", help="the inputs of a scenario that differ from its base, beside the report's")
    c.add_argument("scenario", metavar=_REF, help="a packaged scenario's name or a scenario file")
    c.add_argument("--report", action="store_true", help="compare with the report (csc-2023) instead of the base")
    c.set_defaults(handler=cmd_show)

    c = commands.add_parser("diff", help="two scenarios side by side: the inputs that differ and the headline outputs")
    c.add_argument("a", metavar="A", help="a packaged scenario's name or a scenario file")
    c.add_argument("b", metavar="B", help="another")
    c.set_defaults(handler=cmd_diff)

    c = commands.add_parser("from-workbook", help="a scenario file from the inputs of an edited template workbook")
    c.add_argument("book", metavar="BOOK.xlsx", help="a workbook written by `suanli templates build` or `batch`")
    c.add_argument("--out", default=None, metavar="FILE.toml", help="the file to write (default: BOOK.toml beside it)")
    c.add_argument("--name", default=None, help="the scenario's name (default: the file's name without .toml)")
    c.add_argument("--force", action="store_true", help="replace the file if it exists")
    c.set_defaults(handler=cmd_from_workbook)


# ------------------------------------------------------------------ new
def cmd_new(args: argparse.Namespace) -> str:
    target = _toml_path(args.file, "FILE")
    base = files.resolve(args.base)
    sets = parse_sets(args.set)
    edited = base.with_values(sets) if sets else base
    changes = {k: edited.values[k] for k in sets}
    path, written = _write(target, base, changes, name=args.name, title=args.title, force=args.force,
                           base_ref=_base_ref(args.base, base, target))
    what = (f"{_count(changes, 'input')} set ({_keys(changes)})" if changes
            else f"no input set: every one as in {base.name}")
    return _wrote(path, written, what) + f"\nuse it where a scenario name goes: suanli table fig49 --scenario {target}"


def _base_ref(given: str, base: Scenario, target: Path) -> str:
    """How the new file names its base: a packaged name, or a file's path relative to the new file's folder."""
    if base.source is None:
        return base.name
    return Path(os.path.relpath(Path(given).resolve(), target.resolve().parent)).as_posix()


def _toml_path(text: str, what: str) -> Path:
    p = Path(text)
    if p.suffix.lower() != ".toml" or p.is_dir():
        raise InvalidValueError(what, str(text), "must be the name of a file ending in .toml")
    return p


def _write(target: Path, base: Scenario, changes: dict, *, name: str | None, title: str | None, force: bool,
           base_ref: str, description: str | None = None, header: str | None = None) -> tuple[Path, Scenario]:
    """Render the file, read the text back as the file will be read (refused before anything is
    written), then write it; returns the path written and the scenario it holds."""
    text = files.render(name or target.stem, base, changes, title=title, description=description,
                        base_ref=base_ref, header=header, file=target.name)
    written = files.from_text(text, target)
    expected = base.with_values(changes) if changes else base
    if written.fingerprint != expected.fingerprint:  # pragma: no cover - render() writes values exactly
        raise AssertionError(f"{target}: the file would not read back as the values meant")
    files.write(target, text, force=force)
    return target, written


def _wrote(path: Path, sc: Scenario, what: str) -> str:
    return f"wrote {path}: scenario {sc.name}, based on {' ← '.join(sc.chain)}; {what}; hash {sc.fingerprint}"


def _count(items, noun: str) -> str:
    return f"{len(items)} {noun}{'s' if len(items) != 1 else ''}"


def _keys(keys) -> str:
    keys = list(keys)
    return ", ".join(keys[:6]) + (", ..." if len(keys) > 6 else "")


# ------------------------------------------------------------------ show
def cmd_show(args: argparse.Namespace) -> str:
    sc = files.resolve(args.scenario)
    report = scenarios.load(files.REPORT)
    head = _describe(sc)
    base = None if args.report else files.base_of(sc)
    against = base if base is not None else report
    keys = [k for k in scenarios.schema() if files.differs(sc.values[k], against.values[k])]
    if not keys:
        if sc.name == files.REPORT:
            return head + f"\n{files.REPORT} is the report as printed: every input is the report's value"
        return head + f"\nno input differs from {against.name}"
    spec = scenarios.schema()
    beside = against is not report and against.name != files.REPORT
    columns = ["key", sc.name] + ([against.name] if beside else []) + ["report", "unit", "input"]
    rows = [[k, files.shown(k, sc.values[k])] + ([files.shown(k, against.values[k])] if beside else [])
            + [files.shown(k, report.values[k]), spec[k].unit, spec[k].label] for k in keys]
    differ = "inputs differ" if len(keys) != 1 else "input differs"
    return head + f"\n{len(keys)} {differ} from {against.name}:\n" + grid(
        columns, rows, max_width={1: 40, 2: 40, 3: 40, len(columns) - 1: 50})


def _describe(sc: Scenario) -> str:
    source = f" ({sc.source})" if sc.source else ""
    title = f": {sc.title}" if sc.title and sc.title != sc.name else ""
    chain = " ← ".join(sc.chain) if sc.chain else "nothing (the report as printed)"
    return f"scenario {sc.name}{source}{title}\nbased on {chain}; hash {sc.fingerprint}"


# ------------------------------------------------------------------ diff
def cmd_diff(args: argparse.Namespace) -> str:
    from workbook_templates.batch import HEADLINES, headlines

    a, b = files.resolve(args.a), files.resolve(args.b)
    names = _labels(a, b, args.a, args.b)
    report = scenarios.load(files.REPORT)
    spec = scenarios.schema()
    lines = [f"A: {_one_line(a)}", f"B: {_one_line(b)}"]
    keys = [k for k in spec if files.differs(a.values[k], b.values[k])]
    if keys:
        rows = [[k, files.shown(k, a.values[k]), files.shown(k, b.values[k]), files.shown(k, report.values[k]),
                 spec[k].unit] for k in keys]
        lines.append(f"{len(keys)} input{'s differ' if len(keys) != 1 else ' differs'}:")
        lines.append(grid(["key", names[0], names[1], "report", "unit"], rows, max_width={1: 40, 2: 40, 3: 40}))
    else:
        lines.append("no input differs: the two give the same outputs")
    rows = []
    for (ex, key, _, label), x, y in zip(HEADLINES, headlines(a), headlines(b), strict=True):
        row = exhibits.get(ex).row(key)
        rows.append([label, _cell(row, x), _cell(row, y), _delta(row, x, y), _relative(x, y)])
    lines.append("headline outputs:")
    lines.append(grid(["output", names[0], names[1], "B − A", "B vs A"], rows))
    return "\n".join(lines)


def _labels(a: Scenario, b: Scenario, ref_a: str, ref_b: str) -> tuple[str, str]:
    """Column heads for the two scenarios: their names, or what was typed when the names are the same."""
    if a.name != b.name:
        return a.name, b.name
    return (ref_a, ref_b) if ref_a != ref_b else ("A", "B")


def _one_line(sc: Scenario) -> str:
    source = f" ({sc.source})" if sc.source else ""
    chain = f", based on {' ← '.join(sc.chain)}" if sc.chain else ""
    return f"{sc.name}{source}{chain}; hash {sc.fingerprint}"


def _cell(row, v) -> str:
    return "-" if v is None else format_value(row, v)


def _delta(row, x, y) -> str:
    if x is None or y is None:
        return "-"
    if x == y:
        return "0"
    text = format_value(row, y - x)
    if row.unit == "%":
        text = text.removesuffix("%") + " pp"
    return text if text.startswith("-") else "+" + text


def _relative(x, y) -> str:
    if x is None or y is None or x == 0:
        return "-"
    return "0.0%" if x == y else f"{(y - x) / abs(x) * 100:+.1f}%"


# ------------------------------------------------------------------ from-workbook
def cmd_from_workbook(args: argparse.Namespace) -> str:
    from workbook_templates.refresh import starting_scenario, workbook_inputs

    book = Path(args.book)
    target = _toml_path(args.out, "--out") if args.out else book.with_suffix(".toml")
    info, values = workbook_inputs(book)
    start, _, _ = starting_scenario(info)
    packaged = scenarios.names()
    base_name = next(n for n in (start.name, *start.chain, info.group.scenario) if n in packaged)
    base = scenarios.load(base_name)
    changes = {k: v for k, v in values.items() if files.differs(v, base.values[k])}
    path, written = _write(
        target, base, changes, name=args.name, title=f"{info.scenario} as edited in {book.name}", force=args.force,
        base_ref=base_name, header=f"From {book.name}: group {info.group.name}, scenario {info.scenario}, "
                                   f"inputs {info.get('inputs_hash', '')}",
        description=f"The inputs of {book.name} (group {info.group.name}) that differ from {base_name}; the "
                    f"inputs it does not use are {base_name}'s.")
    what = (f"{len(changes)} of the workbook's {len(values)} inputs differ from it ({_keys(changes)})" if changes
            else f"each of the workbook's {len(values)} inputs as in it")
    return _wrote(path, written, what) + f"\nrebuild or batch from it: suanli templates build --scenario {path}"
