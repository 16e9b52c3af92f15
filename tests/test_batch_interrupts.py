"""suanli batch stopped by real signals and by a full disk, in real processes.

Each test runs ``python -m suanli.cli batch`` as its own process group, stops it (SIGINT, SIGTERM,
SIGKILL, or a disk that fills up) once some workbooks exist, then checks that no process of the
batch is left running, that no partial file is left behind, that the manifest records exactly the
workbooks in the folder, and that ``--resume`` builds exactly the others.  Processes are found in
/proc.  ``PATIENCE`` only keeps a hang from blocking the suite: nothing is timed.
"""

from __future__ import annotations

import csv
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

ROWS = 60
PATIENCE = 120.0


def _scenarios(path: Path, n: int = ROWS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "train_utilization", "chain_share_h100_sxm"])
        for i in range(n):
            w.writerow([f"s{i:03d}", f"{0.2 + i * 0.005:.3f}", f"{(i % 10) / 10:.1f}"])
    return path


def _command(scenarios: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "suanli.cli", "batch", str(scenarios), "--out", str(out), "--jobs", str(jobs),
            *extra]


def _start(scenarios: Path, out: Path, jobs: int = 2) -> subprocess.Popen:
    return subprocess.Popen(_command(scenarios, out, jobs), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def _run(scenarios: Path, out: Path, *extra: str, jobs: int = 2, file_limit: int | None = None):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))

    return subprocess.run(_command(scenarios, out, jobs, *extra), capture_output=True, text=True, timeout=PATIENCE,
                          preexec_fn=limit if file_limit else None)


def _processes() -> dict[int, tuple[str, int, int, int]]:
    """pid -> (state, parent pid, process group, CPU ticks) of every process, from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(entry)] = (fields[0], int(fields[1]), int(fields[2]), int(fields[11]) + int(fields[12]))
    return out


def _alive_in_group(group: int) -> list[int]:
    return [pid for pid, (state, _, pgrp, _) in _processes().items() if pgrp == group and state not in "ZX"]


def _children(pid: int) -> list[int]:
    return [p for p, (state, ppid, _, _) in _processes().items() if ppid == pid and state not in "ZX"]


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen")
        time.sleep(0.005)


def _journal(out: Path) -> list[dict]:
    try:
        data = (out / "manifest.jsonl").read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return [json.loads(line) for line in data.split("\n")[:-1]]


def _finished(out: Path) -> set[str]:
    return {r["file"] for r in _journal(out) if r["status"] == "ok"}


def _built(out: Path) -> int:
    """How many scenario workbooks the folder holds so far."""
    try:
        return sum(1 for p in out.iterdir() if p.suffix == ".xlsx" and not p.name.startswith(".")
                   and p.name != "summary.xlsx")
    except FileNotFoundError:
        return 0


def _workbooks(out: Path) -> set[str]:
    """The workbooks in the folder; checks that nothing else is there but the summary and the manifest,
    and that each is whole."""
    names = {p.name for p in out.iterdir()}
    assert not [n for n in names if n.startswith(".") or n.endswith(".part")], names
    assert names <= {"summary.xlsx", "manifest.json", "manifest.jsonl"} | {n for n in names if n.endswith(".xlsx")}
    books = {n for n in names if n.endswith(".xlsx")} - {"summary.xlsx"}
    for name in books:
        with zipfile.ZipFile(out / name) as z:
            assert z.testzip() is None
    return books


def _resume_builds_exactly_the_rest(scenarios: Path, out: Path, written: set[str], rows: int = ROWS) -> None:
    stamps = {n: (out / n).stat().st_mtime_ns for n in written}
    done = _run(scenarios, out, "--resume")
    assert done.returncode == 0, done.stderr
    lines = [line.split("\t") for line in done.stderr.splitlines() if "\t" in line]
    assert {f for status, _, _, f in lines if status == "ok(resumed)"} == written
    assert {f for status, _, _, f in lines if status == "ok"} == {f"s{i:03d}.xlsx" for i in range(rows)} - written
    assert {n: (out / n).stat().st_mtime_ns for n in written} == stamps
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["status"] for e in manifest["scenarios"]] == ["ok"] * rows
    assert not (out / "manifest.jsonl").exists()


@pytest.mark.parametrize("signum,jobs", [(signal.SIGINT, 2), (signal.SIGTERM, 2), (signal.SIGKILL, 2),
                                         (signal.SIGTERM, 1)], ids=["INT", "TERM", "KILL", "TERM-one-process"])
def test_a_signal_stops_every_process_and_resume_builds_exactly_the_rest(tmp_path, signum, jobs):
    scenarios = _scenarios(tmp_path / "s.csv")
    out = tmp_path / "out"
    proc = _start(scenarios, out, jobs)
    try:
        _until(lambda: _built(out) >= 3 or proc.poll() is not None, "three workbooks")
        assert proc.poll() is None, "the batch ended before it could be interrupted"
        assert len(_children(proc.pid)) == (jobs if jobs > 1 else 0)
        os.kill(proc.pid, signum)
        _, err = proc.communicate(timeout=PATIENCE)
    finally:
        if proc.poll() is None:
            proc.kill()
    _until(lambda: not _alive_in_group(proc.pid), "every worker's end")
    assert "Traceback" not in err
    written = _workbooks(out)
    assert 3 <= len(written) < ROWS
    if signum != signal.SIGKILL:
        name = signal.Signals(signum).name
        assert proc.returncode == 1
        assert re.search(rf"^suanli: interrupted by {name}: {len(written)} of {ROWS} workbooks in .*/ "
                         r"\(summary.xlsx, manifest.json\):$", err, re.M), err
        assert f"{ROWS - len(written)} rows not built (interrupted by {name}): run the same command with --resume " \
               "to build them" in err
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenarios"]
        assert {e["file"] for e in manifest if e["status"] == "ok"} == written
        assert {e["status"] for e in manifest if e["file"] not in written} == {"pending"}
        assert not (out / "manifest.jsonl").exists()
    else:
        assert not (out / "manifest.json").exists()
    _resume_builds_exactly_the_rest(scenarios, out, written)


def test_a_workbook_renamed_after_the_last_record_counts_as_written(tmp_path):
    """The main process is stopped (SIGSTOP) while a worker holds a workbook; the worker finishes and
    renames it, and the main process is killed before it records that: the manifest's last word on
    that workbook is that it was started.  --resume must not build it again."""
    scenarios = _scenarios(tmp_path / "s.csv")
    out = tmp_path / "out"
    proc = _start(scenarios, out, 2)
    try:
        _until(lambda: len(_finished(out)) >= 3 or proc.poll() is not None, "three workbooks")
        in_hand: set[str] = set()
        while not in_hand:
            assert proc.poll() is None, "the batch ended before a workbook was caught in a worker's hands"
            os.kill(proc.pid, signal.SIGSTOP)
            _until(lambda: _processes()[proc.pid][0] == "T", "the main process stopping")
            records = _journal(out)
            held = {r["file"] for r in records if r["status"] == "building"} - {
                r["file"] for r in records if r["status"] == "ok"}
            workers = _children(proc.pid)
            # wait until the workers have nothing left to do: their CPU time stops growing
            last, idle = None, 0
            while idle < 20:
                now = [_processes().get(w, ("", 0, 0, 0))[3] for w in workers]
                idle = idle + 1 if now == last else 0
                last = now
                time.sleep(0.01)
            in_hand = {f for f in held if (out / f).exists()}
            if not in_hand:
                os.kill(proc.pid, signal.SIGCONT)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=PATIENCE)
    finally:
        if proc.poll() is None:
            proc.kill()
    _until(lambda: not _alive_in_group(proc.pid), "every worker's end")
    written = _workbooks(out)
    assert in_hand <= written and not in_hand & _finished(out)
    _resume_builds_exactly_the_rest(scenarios, out, written)


@pytest.mark.parametrize("size", ["216k", "536k"], ids=["no room left", "room for the manifest"])
def test_a_full_disk_stops_the_batch_and_the_manifest_records_what_was_written(tmp_path, size):
    """A small tmpfs where one can be mounted (as root): it fills up with three workbooks (no room is
    left for manifest.json: its journal, manifest.jsonl, records what was written) or with seven (the
    manifest and the summary fit).  Elsewhere a file-size limit (RLIMIT_FSIZE) on the batch, which
    fails a write with EFBIG as a full disk fails it with ENOSPC, after an unlimited run has written
    the first rows."""
    rows = 12
    scenarios = _scenarios(tmp_path / "s.csv", rows)
    disk = tmp_path / "disk"
    disk.mkdir()
    out = disk / "out"
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], capture_output=True).returncode == 0
    try:
        if mounted:
            full = _run(scenarios, out)
        else:
            assert _run(_scenarios(tmp_path / "first.csv", 3), out).returncode == 0
            full = _run(scenarios, out, "--resume", file_limit=30_000)
        assert full.returncode == 1 and "Traceback" not in full.stderr, full.stderr
        reason = r"the (disk is full|file-size limit is reached)"
        assert re.search(rf"^row \d+: {reason}: s\d+\.xlsx \((No space left on device|File too large)\)$",
                         full.stderr, re.M), full.stderr
        assert re.search(rf"^\d+ rows not built \({reason}: (row \d+ \(s\d+\.xlsx\)|manifest.jsonl) could not be "
                         r"written( before row \d+)?\): run the same command with --resume to build them$",
                         full.stderr, re.M), full.stderr
        written = _workbooks(out)
        assert 0 < len(written) < rows
        if "manifest.json could not be written (No space left on device); manifest.jsonl records what was " \
                "written" in full.stderr:
            assert re.search(rf"^suanli: {len(written)} of {rows} workbooks in .*/ \(manifest.jsonl\)", full.stderr,
                             re.M), full.stderr
            journal = _journal(out)
            assert _finished(out) <= written <= {r["file"] for r in journal if r["status"] == "building"}
        else:
            manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenarios"]
            assert {e["file"] for e in manifest if e["status"] == "ok"} == written
            assert {e["status"] for e in manifest if e["file"] not in written} == {"error", "pending"}
        if mounted:
            subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)
        _resume_builds_exactly_the_rest(scenarios, out, written, rows)
    finally:
        if mounted:
            subprocess.run(["umount", str(disk)], check=True)


def test_a_worker_killed_on_its_own_fails_its_row_and_the_others_go_on(tmp_path):
    scenarios = _scenarios(tmp_path / "s.csv")
    out = tmp_path / "out"
    proc = _start(scenarios, out, 2)
    try:
        _until(lambda: _built(out) >= 3 or proc.poll() is not None, "three workbooks")
        assert proc.poll() is None, "the batch ended before a worker could be killed"
        os.kill(_children(proc.pid)[0], signal.SIGKILL)
        _, err = proc.communicate(timeout=PATIENCE)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in err
    failed = re.findall(r"^row (\d+): the process building it stopped \(killed by SIGKILL\)$", err, re.M)
    books = {p.name for p in out.glob("s*.xlsx")} - {"summary.xlsx"}
    assert len(failed) + len(books) == ROWS and len(failed) <= 1
    assert proc.returncode == (1 if failed else 0)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["scenarios"]
    assert {e["file"] for e in manifest if e["status"] == "ok"} == books
    _resume_builds_exactly_the_rest(scenarios, out, books)
