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
    assert _number(r"(\d+) errata in all") == len(errata.errata_only())
    assert _number(r"server-CPU tables\): (\d+) entries") == len(catalogue.keys())
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
