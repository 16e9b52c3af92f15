"""The README's counts and commands are the code's: they cannot drift."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

from addin import udfs
from engine import catalogue, errata, exhibits

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _number(pattern: str) -> int:
    m = re.search(pattern, README)
    assert m, f"README no longer says {pattern!r}"
    return int(m.group(1).replace(",", ""))


def test_counts():
    assert _number(r"`suanli tables` lists all (\d+)\.") == len(exhibits.all_exhibits())
    assert _number(r"(\d+) errata in all") == len(errata.all_errata())
    assert _number(r"server-CPU tables\): (\d+) entries") == len(catalogue.keys())
    assert _number(r"gives the engine to Excel as (\d+) functions") == len(udfs.functions())


def test_every_exhibit_in_the_table_exists():
    ids = set(re.findall(r"^\| `([\w.]+)`", README, flags=re.M))
    known = {e.id for e in exhibits.all_exhibits()} | {a for e in exhibits.all_exhibits() for a in e.aliases}
    assert ids and ids <= known, ids - known


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["./dev demo", "./dev test"]
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "./dev test" in ci


def test_every_from_python_example_prints_what_the_readme_shows():
    section = README.split("### From Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```pycon\n(.*?)```", section, flags=re.S)
    assert len(blocks) >= 4
    # one session, as a reader would type the blocks one after another
    session = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "README From Python", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(session)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 20 and result.failed == 0
    assert "suanli.sweep(\"fig49.a100_total\", {\"train_utilization\": [0.2, 0.3, 0.4]})" in section


# ------------------------------------------------------------------ "Your own scenario": a transcript that is true
def _own_scenario_section() -> str:
    return README.split("## Your own scenario", 1)[1].split("\n## ", 1)[0]


def _edit_demand_workbook(folder: Path) -> None:
    """The step the transcript does in Excel: mm_vendors 2027E from 18 to 20 on demand.xlsx's Inputs sheet."""
    import openpyxl
    from xlsxwriter.utility import xl_rowcol_to_cell

    from suanli import scenariofiles
    from workbook_templates import build, groups

    plan = build.plan(groups.group("demand"), scenariofiles.read(folder / "house.toml"))
    row, col, _ = plan.input_layout.places["mm_vendors"]
    path = folder / "books" / "demand.xlsx"
    wb = openpyxl.load_workbook(path)
    cell = wb["Inputs"][xl_rowcol_to_cell(row, col + 4)]
    assert cell.value == 18
    cell.value = 20
    wb.save(path)


#: What a ``# ...`` line of the transcript stands for, done here instead of by hand.
STEPS = {"# in Excel: books/demand.xlsx, Inputs, mm_vendors 2027E from 18 to 20; save": _edit_demand_workbook}


def run_transcript(block: str, folder: Path) -> list[str]:
    """Run a ``console`` block's ``$ suanli ...`` commands in ``folder`` (and its ``# ...`` steps); returns the
    block as it should read: each command followed by what it printed."""
    import contextlib
    import io
    import os
    import shlex

    from suanli.cli import main

    out_lines: list[str] = []
    here = os.getcwd()
    os.chdir(folder)
    try:
        for line in block.splitlines():
            if line.startswith("$ "):
                argv = shlex.split(line[2:])
                assert argv[0] == "suanli", line
                buf, err = io.StringIO(), io.StringIO()
                with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
                    rc = main(argv[1:])
                assert rc == 0, (line, err.getvalue())
                out_lines += [line, *buf.getvalue().rstrip("\n").splitlines()]
            elif line.startswith("# "):
                STEPS[line](folder)
                out_lines.append(line)
    finally:
        os.chdir(here)
    return out_lines


def test_your_own_scenario_shows_what_the_commands_print(tmp_path):
    section = _own_scenario_section()
    block = re.search(r"```console\n(.*?)```", section, flags=re.S).group(1)
    assert run_transcript(block, tmp_path) == block.rstrip("\n").splitlines()
    # then the Python session, in the same folder
    session = re.search(r"```pycon\n(.*?)```", section, flags=re.S).group(1)
    test = doctest.DocTestParser().get_doctest(session, {}, "README Your own scenario", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    import os

    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        runner.run(test)
    finally:
        os.chdir(here)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 5 and result.failed == 0
    for command in ("scenario new", "scenario show", "scenario diff", "scenario from-workbook", "templates build"):
        assert f"$ suanli {command}" in block
