"""The README's counts and commands are the code's: they cannot drift."""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

import pytest

from addin import udfs
from engine import catalogue, errata, exhibits

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _number(pattern: str) -> int:
    m = re.search(pattern, README)
    assert m, f"README no longer says {pattern!r}"
    return int(m.group(1).replace(",", ""))


def test_counts():
    assert _number(r"`suanli tables` lists all (\d+)\.") == len(exhibits.all_exhibits())
    assert _number(r"(\d+) errata in all") == len(errata.errata_only())
    # the entries of catalogue.toml, the reports' tables (today's catalogue is counted apart)
    assert _number(r"server-CPU tables\): (\d+) entries") == len([k for k in catalogue.keys()
                                                                 if not catalogue.get(k).outside])
    assert _number(r"gives the engine to Excel as (\d+) functions") == len(udfs.functions())


def test_the_errata_counts_by_kind_are_generated():
    """The README's counts by kind are the data's: `suanli errata --format md` prints the block."""
    block = errata.summary() + "\n\n" + errata.kinds_table()
    assert block in README, "README's errata counts are stale; paste the output of `suanli errata --format md`:\n" + block


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


# ---------------------------------------------------------------------------- the commands it shows
#: What a shown output is compared with: the command run as the README has it, in an empty folder,
#: with a terminal 100 columns wide; what it writes to stderr (warnings, refusals) comes first, as
#: on a terminal, then stdout.  Lines are compared exactly (trailing spaces aside); a shown line
#: "..." stands for any number of lines; the folder's own path is shown relative ("out/sweep.xlsx").
SHOWN = re.compile(r"^```[a-z]*\n(.*?)^```", flags=re.S | re.M)


#: Sections whose blocks are transcripts, each command running where the one before left its files;
#: their own tests run them in order (:func:`run_transcript`).
TRANSCRIPTS = ("## Your own scenario",)


def _standalone() -> str:
    """The README without its :data:`TRANSCRIPTS` sections."""
    text = README
    for heading in TRANSCRIPTS:
        before, after = text.split(heading, 1)
        text = before + ("\n## " + after.split("\n## ", 1)[1] if "\n## " in after else "")
    return text


def shown_commands() -> list[tuple[str, list[str]]]:
    """Every ``$ suanli ...`` in the README's code blocks (transcripts aside), with the lines shown after it."""
    found = []
    for block in SHOWN.findall(_standalone()):
        current = None
        for line in block.splitlines():
            if line.startswith("$ "):
                current = (line[2:], [])
                found.append(current)
            elif current is not None:
                current[1].append(line)
    return found


def matches(shown: list[str], actual: list[str]) -> bool:
    """``shown`` is ``actual`` with "..." lines standing for any number of lines."""
    if not shown:
        return not actual
    if shown[0] == "...":
        return any(matches(shown[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and shown[0].rstrip() == actual[0].rstrip() and matches(shown[1:], actual[1:])


def run_shown(command: str, folder: Path, capsys, monkeypatch) -> tuple[int, list[str]]:
    import shlex

    from suanli.cli import main

    argv = shlex.split(command)
    assert argv[0] == "suanli", command
    monkeypatch.chdir(folder)
    monkeypatch.setenv("COLUMNS", "100")
    code = main(argv[1:])
    out, err = capsys.readouterr()
    text = (err + out).replace(f"{folder}{os.sep}", "")
    return code, text.splitlines()


def test_the_readme_shows_commands_with_their_output():
    commands = shown_commands()
    assert len(commands) >= 10
    for needed in ("suanli montecarlo", "suanli sensitivity", "suanli sweep", "suanli table chain",
                   "suanli inputs --search", "--keys", "--format csv"):
        assert any(needed in c for c, _ in commands), needed


@pytest.mark.parametrize("command, shown", shown_commands(), ids=[c for c, _ in shown_commands()])
def test_every_shown_command_prints_what_the_readme_shows(command, shown, tmp_path, capsys, monkeypatch):
    code, actual = run_shown(command, tmp_path, capsys, monkeypatch)
    refused = any(line.startswith("suanli: ") and "warning" not in line for line in shown)
    assert code == (2 if refused else 0), (command, actual)
    assert matches(shown, actual), "\n".join([f"$ {command}", "README shows:", *shown, "it prints:", *actual])


def listed_commands() -> list[str]:
    """The "Using it" list's commands without a placeholder (those writing template workbooks,
    refreshing or batching need files and are run by their own tests)."""
    block = README.split("## Using it", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("  #")[0].strip() for line in block.strip().splitlines()]
    runnable = [c for c in commands if not re.search(r"[A-Z]{3,}|\.\.\.|\||templates build|addin", c)]
    return runnable


def test_most_listed_commands_are_run():
    assert len(listed_commands()) >= 10


@pytest.mark.parametrize("command", listed_commands())
def test_each_listed_command_exits_0(command, tmp_path, capsys, monkeypatch):
    # the scenario files the list writes are there for the commands that read them, as for a reader
    # going down the list
    for earlier in listed_commands()[:listed_commands().index(command)]:
        if earlier.startswith("suanli scenario new "):
            assert run_shown(earlier, tmp_path, capsys, monkeypatch)[0] == 0, earlier
    code, actual = run_shown(command, tmp_path, capsys, monkeypatch)
    assert code == 0 and actual, (command, actual)


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
    row, col = plan.input_layout.cells("mm_vendors")[4]
    path = folder / "books" / "demand.xlsx"
    wb = openpyxl.load_workbook(path)
    cell = wb["Inputs"][xl_rowcol_to_cell(row, col)]
    assert cell.value == 18
    cell.value = 20
    wb.save(path)


#: What a ``# ...`` line of the transcript stands for, done here instead of by hand.
STEPS = {"# in Excel: books/demand.xlsx, Inputs, mm_vendors 2027E from 18 to 20; save": _edit_demand_workbook}


def run_transcript(block: str, folder: Path, capsys, monkeypatch) -> list[str]:
    """Run a ``console`` block's ``$ suanli ...`` commands one after another in ``folder`` (and its
    ``# ...`` steps), as :func:`run_shown` runs one; returns the block as it should read: each
    command followed by what it printed."""
    out_lines: list[str] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            code, printed = run_shown(line[2:], folder, capsys, monkeypatch)
            assert code == 0, (line, printed)
            out_lines += [line, *printed]
        elif line.startswith("# "):
            STEPS[line](folder)
            out_lines.append(line)
    return out_lines


def test_your_own_scenario_shows_what_the_commands_print(tmp_path, capsys, monkeypatch):
    section = _own_scenario_section()
    block = re.search(r"```console\n(.*?)```", section, flags=re.S).group(1)
    assert [line.rstrip() for line in run_transcript(block, tmp_path, capsys, monkeypatch)] == \
        [line.rstrip() for line in block.rstrip("\n").splitlines()]
    # then the Python session, in the same folder
    session = re.search(r"```pycon\n(.*?)```", section, flags=re.S).group(1)
    test = doctest.DocTestParser().get_doctest(session, {}, "README Your own scenario", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    monkeypatch.chdir(tmp_path)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 5 and result.failed == 0
    for command in ("scenario new", "scenario show", "scenario diff", "scenario from-workbook", "templates build"):
        assert f"$ suanli {command}" in block
