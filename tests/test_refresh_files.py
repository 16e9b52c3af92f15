"""Refresh never loses or detaches a file.

A symbolic link keeps pointing at the workbook it refreshes; the workbook and its backup keep
their mode and owner; a read-only workbook, or one open in Excel or LibreOffice, is refused
unless --force; --out must be a regular file's path; names of 255 bytes work; concurrent
refreshes of one file leave the original in exactly one backup; TERM, INT and HUP leave no
temporary (real processes, real signals), and a temporary left by KILL goes with the next run; a
workbook that already holds what its inputs compute is not written again; memory stays bounded
for any workbook the guard accepts; a workbook written by batch refreshes as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from xlsxwriter.utility import xl_rowcol_to_cell

from engine import scenarios
from suanli.cli import main
from workbook_templates import build, files, groups, refresh, safety
from workbook_templates.meta import META_SHEET

from hostile import fixtures as fx
from hostile.cli import refused, run

DEMAND = groups.group("demand")
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def plan():
    return build.plan(DEMAND, scenarios.load(DEMAND.scenario))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build.build_workbook(DEMAND, tmp_path_factory.mktemp("built") / "demand.xlsx")


@pytest.fixture
def book(built, tmp_path) -> Path:
    return Path(shutil.copyfile(built, tmp_path / "demand.xlsx"))


def at(plan, key: str, j: int = 0) -> str:
    return xl_rowcol_to_cell(*plan.input_layout.cells(key)[j])


def edit(plan, path: Path, value: float = 0.45) -> Path:
    """Change train_utilization (2023E) in the file at ``path``, so that a refresh has something to write."""
    return fx.set_cell(path, path, "Inputs", at(plan, "train_utilization"), "number", value)


def backups(folder: Path, stem: str = "demand") -> list[Path]:
    return sorted(folder.glob(f"{stem}.*.bak*.xlsx"))


def leftovers(folder: Path) -> list[str]:
    """Temporaries and lock files of suanli's left in a folder."""
    return sorted(n for n in os.listdir(folder) if n.startswith(files.TEMP_PREFIX))


def meta(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path, data_only=True)[META_SHEET]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}


def utilization_hash(plan, value: float) -> str:
    return build.inputs_hash(scenarios.load("csc-2023").with_values(
        {"train_utilization": (value,) + scenarios.load("csc-2023").values["train_utilization"][1:]}), plan.inputs)


# ------------------------------------------------------------------ symlinks
def test_a_symlink_is_kept_and_the_workbook_it_points_to_refreshed(book, plan, tmp_path, capsys):
    edit(plan, book)
    original = book.read_bytes()
    elsewhere = tmp_path / "links"
    elsewhere.mkdir()
    link = elsewhere / "mine.xlsx"
    link.symlink_to(os.path.relpath(book, elsewhere))
    rc, out, err = run(capsys, link)
    assert rc == 0, err
    assert link.is_symlink() and os.readlink(link) == os.path.relpath(book, elsewhere)
    assert meta(book)["inputs_hash"] == utilization_hash(plan, 0.45)          # the target is refreshed
    [backup] = backups(tmp_path)
    assert backup.read_bytes() == original and str(backup) in out
    assert sorted(os.listdir(elsewhere)) == ["mine.xlsx"] and leftovers(tmp_path) == []


def test_out_through_a_symlink_writes_the_file_it_points_to(book, plan, tmp_path, capsys):
    target = tmp_path / "real-out.xlsx"
    target.write_bytes(b"old")
    link = tmp_path / "out-link.xlsx"
    link.symlink_to(target.name)
    edit(plan, book)
    rc, out, err = run(capsys, book, "--out", link)
    assert rc == 0, err
    assert link.is_symlink() and zipfile.is_zipfile(target)
    assert meta(target)["inputs_hash"] == utilization_hash(plan, 0.45)


# ------------------------------------------------------------------ mode and owner
def test_the_workbook_and_its_backup_keep_mode_and_owner(book, plan, capsys):
    edit(plan, book)
    os.chmod(book, 0o600)
    if os.geteuid() == 0:
        os.chown(book, 1234, 2345)                 # root may give files away: the owner is kept as it was
    before = os.stat(book)
    rc, _, err = run(capsys, book)
    assert rc == 0, err
    [backup] = backups(book.parent)
    for st in (os.stat(book), os.stat(backup)):
        assert stat.S_IMODE(st.st_mode) == 0o600
        assert (st.st_uid, st.st_gid) == (before.st_uid, before.st_gid)
    assert os.stat(backup).st_mtime_ns == before.st_mtime_ns                  # the backup keeps the original's times


def test_a_new_out_file_takes_the_source_files_mode(book, plan, tmp_path, capsys):
    os.chmod(book, 0o640)
    rc, _, err = run(capsys, book, "--out", tmp_path / "new.xlsx")
    assert rc == 0, err
    assert stat.S_IMODE(os.stat(tmp_path / "new.xlsx").st_mode) == 0o640


# ------------------------------------------------------------------ read-only, devices, long names
def test_a_read_only_workbook_is_refused_unless_forced(book, plan, capsys):
    edit(plan, book)
    os.chmod(book, 0o444)
    refused(capsys, book, ["refused ", "is read-only", "--force"])
    rc, out, err = run(capsys, book, "--force")
    assert rc == 0, err
    assert stat.S_IMODE(os.stat(book).st_mode) == 0o444 and meta(book)["inputs_hash"] == utilization_hash(plan, 0.45)
    [backup] = backups(book.parent)
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o444


def test_out_onto_a_read_only_file_is_refused_unless_forced(book, tmp_path, capsys):
    target = tmp_path / "locked.xlsx"
    target.write_bytes(b"keep me")
    os.chmod(target, 0o444)
    refused(capsys, book, ["refused --out ", "is read-only"], "--out", target)
    assert target.read_bytes() == b"keep me"
    assert run(capsys, book, "--out", target, "--force")[0] == 0 and zipfile.is_zipfile(target)


def _device(tmp_path: Path) -> Path:
    """A character device to aim at: a null device made in the test's folder where the user may (root), else
    /dev/null itself, which a user who may not make devices may not replace either."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    null = os.stat("/dev/null")
    device = tmp_path / "null-device"
    os.mknod(device, stat.S_IFCHR | 0o666, null.st_rdev)
    return device


def test_out_onto_a_device_a_pipe_or_a_folder_is_refused(book, tmp_path, capsys):
    device = _device(tmp_path)
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    link = tmp_path / "null.xlsx"
    link.symlink_to(device)
    for target, kind in ((device, stat.S_ISCHR), (fifo, stat.S_ISFIFO), (folder, stat.S_ISDIR),
                         (link, stat.S_ISCHR)):
        refused(capsys, book, ["refused --out ", "not a regular file"], "--out", target)
        assert kind(os.stat(target).st_mode), target
    assert link.is_symlink() and leftovers(tmp_path) == []


def test_a_pipe_given_as_the_workbook_is_refused_without_waiting_for_a_writer(tmp_path, capsys):
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    refused(capsys, fifo, "not an xlsx: ")


@pytest.mark.parametrize("name", ["a" * 235 + ".xlsx", "b" * 250 + ".xlsx", "算" * 83 + ".xlsx"])
def test_names_of_up_to_255_bytes(built, plan, tmp_path, capsys, name):
    assert 240 <= len(name.encode()) <= 255
    path = Path(shutil.copyfile(built, tmp_path / name))
    edit(plan, path)
    original = path.read_bytes()
    rc, out, err = run(capsys, path)
    assert rc == 0, err
    [backup] = [p for p in tmp_path.iterdir() if ".bak" in p.name]
    assert backup.read_bytes() == original and len(backup.name.encode()) <= 255 and backup.name.endswith(".bak.xlsx")
    other = tmp_path / ("c" * 250 + ".xlsx")
    rc, out, err = run(capsys, path, "--out", other)
    assert rc == 0 and zipfile.is_zipfile(other), err
    assert leftovers(tmp_path) == []


# ------------------------------------------------------------------ open elsewhere, in use, unchanged
@pytest.mark.parametrize("owner, app", [("~$demand.xlsx", "Excel"), (".~lock.demand.xlsx#", "LibreOffice")])
def test_a_workbook_open_in_excel_or_libreoffice(book, plan, capsys, owner, app):
    edit(plan, book)
    (book.parent / owner).write_text("someone,host,...")
    refused(capsys, book, [f"open in {app} ({owner} beside it)", "close it first", "--force"])
    rc, _, err = run(capsys, book, "--force")
    assert rc == 0, err


def test_an_out_file_open_in_excel_is_refused(book, tmp_path, capsys):
    (tmp_path / "~$report.xlsx").write_text("x")
    refused(capsys, book, ["refused --out ", "open in Excel", "close it first"], "--out", tmp_path / "report.xlsx")


def test_a_workbook_open_through_a_symlink(book, tmp_path, capsys):
    """Excel opened the file by its real name: its owner file is beside the target, not the link."""
    link = tmp_path / "sub"
    link.mkdir()
    (link / "mine.xlsx").symlink_to(book)
    (book.parent / "~$demand.xlsx").write_text("x")
    refused(capsys, link / "mine.xlsx", "close it first")


def test_a_second_refresh_of_the_same_file_is_refused_as_in_use(book, plan, capsys):
    edit(plan, book)
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with files.locked(book):
            holding.set()
            done.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(30)
        refused(capsys, book, ["refused ", "in use by another suanli process"])
    finally:
        done.set()
        holder.join()
    assert leftovers(book.parent) == []
    assert run(capsys, book)[0] == 0


def test_an_unchanged_workbook_gets_no_new_backup(book, plan, capsys):
    edit(plan, book)
    assert run(capsys, book)[0] == 0
    [first] = backups(book.parent)
    refreshed = book.read_bytes()
    mtime = os.stat(book).st_mtime_ns
    rc, out, err = run(capsys, book)
    assert rc == 0, err
    assert "is up to date" in out and "nothing written" in out
    assert backups(book.parent) == [first] and book.read_bytes() == refreshed and os.stat(book).st_mtime_ns == mtime
    edit(plan, book, 0.5)                                  # a change is written again, with its own backup
    assert run(capsys, book)[0] == 0 and len(backups(book.parent)) == 2


def test_the_new_file_reaches_the_disk_before_the_rename_and_the_folder_after(book, plan, monkeypatch):
    edit(plan, book)
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def replace(a, b):
        events.append(("replace", str(a)))
        return real_replace(a, b)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "replace", replace)
    refresh.refresh(book)
    renamed = next(i for i, (kind, _) in enumerate(events) if kind == "replace")
    temporary = events[renamed][1]
    flushed = {p for kind, p in events[:renamed] if kind == "fsync" and p.endswith(".part")}
    assert temporary in flushed and len(flushed) == 2                   # the new content and the backup's copy
    assert ("fsync", str(book.parent)) in events[renamed:]               # the folder, after the rename


# ------------------------------------------------------------------ concurrent refreshes
def _refresh_process(path: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "suanli.cli", "refresh", str(path), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_concurrent_refreshes_leave_the_original_in_exactly_one_backup(built, plan, tmp_path):
    path = Path(shutil.copyfile(built, tmp_path / "demand.xlsx"))
    for k in range(3):
        edit(plan, path, 0.4 + 0.01 * k)
        original = path.read_bytes()
        before = set(backups(tmp_path))
        procs = [_refresh_process(path) for _ in range(4)]
        results = [(p.wait(), *p.communicate()) for p in procs]
        for rc, out, err in results:
            assert (rc == 0 and ("refreshed" in out or "is up to date" in out)) or \
                (rc == 2 and "in use by another suanli process" in err), (rc, out, err)
        assert sum(rc == 0 and "refreshed" in out for rc, out, _ in results) == 1, results
        new = set(backups(tmp_path)) - before
        assert len(new) == 1 and new.pop().read_bytes() == original
        assert leftovers(tmp_path) == []
        assert meta(path)["inputs_hash"] == utilization_hash(plan, 0.4 + 0.01 * k)


# ------------------------------------------------------------------ interrupts: real processes, real signals
@pytest.fixture(scope="module")
def big(built, plan, tmp_path_factory) -> Path:
    """A 24 MB workbook (its write takes a while) with an edited input (so a refresh writes it)."""
    path = fx.with_noise(built, tmp_path_factory.mktemp("big") / "big.xlsx", 24 * MiB)
    return edit(plan, path)


def _when_writing(proc: subprocess.Popen, folder: Path) -> bool:
    """Wait until the process has a temporary in ``folder`` (True), or has ended (False)."""
    while proc.poll() is None:
        if any(n.endswith(".part") for n in leftovers(folder)):
            return True
    return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_an_interrupted_refresh_leaves_no_temporary(big, tmp_path, sig):
    path = Path(shutil.copyfile(big, tmp_path / "big.xlsx"))
    original = path.read_bytes()
    proc = _refresh_process(path)
    assert _when_writing(proc, tmp_path), proc.communicate()
    proc.send_signal(sig)
    out, err = proc.communicate()
    assert proc.returncode == 128 + sig, (proc.returncode, out, err)
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith(f"suanli: refresh interrupted ({signal.Signals(sig).name}); ")
    assert leftovers(tmp_path) == []
    kept = backups(tmp_path, "big")
    assert (path.read_bytes() == original and kept == []) or (len(kept) == 1 and kept[0].read_bytes() == original)


_HELD = """
import os, signal, threading, time
from workbook_templates import files
stop = threading.Event()
other = threading.Thread(target=stop.wait)      # a thread that takes signals, as numpy's BLAS threads do
other.start()
order = []
try:
    with files.signals_held():
        os.kill(os.getpid(), signal.SIGINT)     # to the process: the system may hand it to the other thread
        for _ in range(200):
            time.sleep(0.001)
        order.append("held-block-done")
    for _ in range(200):
        time.sleep(0.001)
except KeyboardInterrupt:
    order.append("interrupted")
stop.set()
other.join()
print(" ".join(order))
"""


def test_a_signal_is_held_back_for_a_rename_whichever_thread_receives_it():
    """The rename and the recording of a temporary are not cut short by Ctrl-C, even when the system
    delivers the signal to another thread of the process; the interrupt comes right after."""
    done = subprocess.run([sys.executable, "-c", _HELD], capture_output=True, text=True)
    assert (done.returncode, done.stdout.split(), done.stderr) == (0, ["held-block-done", "interrupted"], "")


def test_a_temporary_left_by_kill_is_removed_by_the_next_run(big, tmp_path, capsys):
    path = Path(shutil.copyfile(big, tmp_path / "big.xlsx"))
    original = path.read_bytes()
    proc = _refresh_process(path)
    assert _when_writing(proc, tmp_path), proc.communicate()
    proc.kill()
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    left = files.temporaries(path)
    assert left or backups(tmp_path, "big")              # killed while writing (or, rarely, just after the rename)
    if left:
        assert path.read_bytes() == original
    rc, out, err = run(capsys, path)
    assert rc == 0, err
    assert leftovers(tmp_path) == []
    assert any(b.read_bytes() == original for b in backups(tmp_path, "big"))


def test_stale_temporaries_and_lock_files_of_the_target_go_and_no_others(book, plan, tmp_path, capsys):
    stale = tmp_path / (files.temporary_prefix(book) + "deadbeef.part")
    stale.write_bytes(b"x" * 1000)
    files.lock_path(book).write_bytes(b"")
    other = tmp_path / (files.temporary_prefix(tmp_path / "other.xlsx") + "deadbeef.part")
    other.write_bytes(b"theirs")
    rc, _, err = run(capsys, book)                        # nothing changed in it: still cleaned up
    assert rc == 0, err
    assert leftovers(tmp_path) == [other.name]


# ------------------------------------------------------------------ memory
#: Runs ``suanli ARGS`` as its own child and prints "STATUS MAXRSS" of it.  Linux keeps a process's peak memory
#: across fork and exec, so a child of the test process would report the test process's own size (which grows
#: with the suite); a child of this small launcher reports only what the command itself used.
_LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen([sys.executable, "-m", "suanli.cli", *sys.argv[1:]], stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def _peak_rss(args: list[str]) -> tuple[int, int]:
    """(exit status, peak resident memory in bytes) of ``suanli ARGS`` run in a child process."""
    out = subprocess.run([sys.executable, "-c", _LAUNCHER, *args], capture_output=True, text=True, check=True).stdout
    code, maxrss = (int(x) for x in out.split())
    scale = 1 if sys.platform == "darwin" else 1024        # ru_maxrss: bytes on macOS, KiB on Linux
    return code, maxrss * scale


@pytest.mark.parametrize("sheet", ["Inputs", "fig49"])
def test_a_sheet_that_inflates_far_is_read_in_bounded_memory(built, tmp_path, sheet):
    """A 24 MiB sheet (the guard accepts up to 256 MiB) parsed as a DOM took some 55 times its size."""
    path = fx.inflate_sheet(built, tmp_path / "inflated.xlsx", sheet, 24 * MiB)
    with safety.open_checked(path) as zf:                  # the guard accepts it
        assert zf.getinfo(fx.sheet_member(path, sheet)).file_size >= 24 * MiB
    assert path.stat().st_size < 4 * MiB
    rc, peak = _peak_rss(["refresh", str(path), "--out", str(tmp_path / "out.xlsx")])
    assert rc == 0
    assert peak < 500 * 1000 * 1000, f"peak memory {peak / 1e6:.0f} MB"
    assert zipfile.ZipFile(tmp_path / "out.xlsx").getinfo(fx.sheet_member(path, sheet)).file_size >= 24 * MiB


# ------------------------------------------------------------------ batch output
def test_a_workbook_written_by_batch_refreshes_as_it_is(tmp_path, capsys):
    scenarios_csv = tmp_path / "rows.csv"
    scenarios_csv.write_text("name,train_utilization\nok,0.45\n", encoding="utf-8")
    assert main(["batch", str(scenarios_csv), "--out", str(tmp_path / "out"), "--template", "demand",
                 "--jobs", "1", "--scenario", "csc-2023"]) == 0          # the demand workbook's own scenario
    capsys.readouterr()
    path = tmp_path / "out" / "ok.xlsx"
    written = openpyxl.load_workbook(path, data_only=True)["fig49"]
    rc, out, err = run(capsys, path)
    assert rc == 0, err
    assert "scenario ok" in out and "not a packaged scenario" in out and "1 input differs from it (train_utilization)" \
        in out
    assert meta(path)["scenario"] == "ok"
    again = openpyxl.load_workbook(path, data_only=True)["fig49"]
    numbers = [(c.coordinate, c.value) for row in written.iter_rows() for c in row if isinstance(c.value, float)]
    assert len(numbers) > 100 and all(again[ref].value == value for ref, value in numbers)
    assert re.search(r"scenario ok · inputs [0-9a-f]{16}$", openpyxl.load_workbook(path)["Index"]["A2"].value)
