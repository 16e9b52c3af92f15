"""Batch generation: one template workbook per row of a scenario file, a summary and a manifest.

``suanli batch SCENARIOS --out DIR`` reads a CSV or XLSX file with one row per scenario
(:mod:`.scenario_file`): a ``name`` column and one column per input key (``suanli inputs``); a
value applies to every column of an input, a ``KEY[COLUMN]`` header (``mm_dau[2025E]``) sets one
column; an empty cell keeps the base scenario's value.  For each row it writes the template
workbook with that scenario's inputs (live formulas and cached values, exactly as ``templates
build`` writes it), then ``summary.xlsx`` (the scenarios' headline outputs side by side, with
charts) and ``manifest.json`` (per row: scenario, input hash, file, status).

Workbooks are built across worker processes (:mod:`.pool`), each written to a temporary name and
renamed.  While the batch runs, ``manifest.jsonl`` gets a line when a workbook is started (its
file as it was) and one when it is finished, so whatever ends the run (SIGINT, SIGTERM, SIGKILL, a
full disk) leaves a record of exactly which workbooks are whole: ``--resume`` builds the others,
and those whose inputs changed.  On SIGINT or SIGTERM each workbook in hand is finished, the
workers stop with the main process and ``manifest.json`` records the rows not built as
``pending``; after SIGKILL the workers notice, finish theirs and stop, and ``manifest.jsonl``
stands in for the manifest until the next run.

A row keeps its file from run to run (the manifest says whose it is); a new row never takes a
file an earlier run wrote for another scenario, nor any other file already in the folder: it gets
the next free name.  A bad row is reported with its row number and key and the others go on.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import re
import signal
import sys
import traceback
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from engine import SuanliError, errata, exhibits, formats, scenarios
from engine.errors import InvalidTypeError, InvalidValueError, TextError
from engine.exhibit import NumericResolver
from engine.tables import CORRECTED

from . import groups, widths
from .build import inputs_hash, plan, write_plan
from .files import write_atomic, write_text_atomic
from .groups import Group
from .pool import Died, Interrupted, Pool, Signals, signal_name
from .scenario_file import KEY_COLUMN, CellError, ScenarioRow, Unusable, read_scenarios
from .writer import HouseFormats, new_workbook

__all__ = ["ScenarioRow", "read_scenarios", "scenario_for", "varying", "safe_filename", "run_batch", "BatchReport",
           "BatchInterrupted", "BatchFileError", "HEADLINES", "MANIFEST", "JOURNAL", "SUMMARY", "headlines",
           "progress_printer", "one_line"]

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

MANIFEST = "manifest.json"
JOURNAL = "manifest.jsonl"
SUMMARY = "summary.xlsx"

#: A scenario's file name is at most this many bytes of UTF-8 before ``.xlsx`` (and a ``_2`` when
#: it repeats another's): room for the temporary name beside it within a file system's 255 bytes.
NAME_BYTES = 80

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FULL = {errno.ENOSPC: "the disk is full", getattr(errno, "EDQUOT", errno.ENOSPC): "the disk quota is used up",
         errno.EFBIG: "the file-size limit is reached"}
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?[0-9]+,[0-9]+\s*$")


class BatchFileError(TextError, ValueError):
    """The output folder or its manifest cannot be used as it is: one line saying which and what to do."""

    def __init__(self, text: str):
        super().__init__("out_dir", text)


@dataclass
class BatchReport:
    """What a batch did: one manifest entry per row, and why it stopped early, if it did."""

    entries: list[dict]
    stopped: str | None = None                 # why rows were left pending (the disk filled up)
    problems: list[str] = field(default_factory=list)   # summary or manifest that could not be written
    recorded_in: str = MANIFEST                # the file that records the entries
    summary: bool = True                       # whether summary.xlsx was written

    @property
    def failed(self) -> list[dict]:
        return [e for e in self.entries if e["status"] == "error"]

    @property
    def pending(self) -> list[dict]:
        return [e for e in self.entries if e["status"] == "pending"]

    @property
    def written(self) -> list[dict]:
        return [e for e in self.entries if e["status"] == "ok"]


class BatchInterrupted(Interrupted):
    """SIGINT or SIGTERM stopped a batch; ``report`` records what was written before it."""

    def __init__(self, signum: int, report: BatchReport):
        super().__init__(signum)
        self.report = report


# ------------------------------------------------------------------ rows to scenarios
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


# ------------------------------------------------------------------ building (in a worker or here)
def _build_one(task: tuple) -> dict:
    """Build one workbook; returns its manifest entry with headline values."""
    group_name, name, values, file, digest, number, chain = task
    group = groups.group(group_name)
    sc = scenarios.Scenario(name, values, name, chain=chain)
    planned = plan(group, sc)
    write_plan(planned, file)
    return {"scenario": name, "input_hash": digest, "scenario_hash": sc.fingerprint, "file": Path(file).name,
            "status": "ok", "headlines": headlines(sc, planned.numeric)}


def _build_safely(task: tuple) -> dict:
    """:func:`_build_one`, with a failure turned into the row's error entry (the other rows go on)."""
    name, file, number = task[1], Path(task[3]).name, task[5]
    try:
        return _build_one(task)
    except SuanliError as exc:
        return {"scenario": name, "file": file, "status": "error", "key": getattr(exc, "name", ""),
                "error": one_line(f"row {number}: {exc.message}")}
    except Exception as exc:
        os_error = _os_error(exc)
        if os_error is None:
            return {"scenario": name, "file": file, "status": "error",
                    "error": one_line(f"row {number}: {type(exc).__name__}: {exc}")}
        what = _FULL.get(os_error.errno, "it could not be written")
        _release(exc)
        return {"scenario": name, "file": file, "status": "error", "full": _FULL.get(os_error.errno),
                "error": one_line(f"row {number}: {what}: {file} ({os_error.strerror or os_error})")}


def _release(exc: BaseException) -> None:
    """Let go, quietly, of what the frames of a failed write still hold: XlsxWriter's zip is left open
    with its buffer unwritten, and closing it fails again on a full disk (the file it was writing is
    removed already); until it is closed, the space the file took is not given back."""
    hook = sys.unraisablehook
    sys.unraisablehook = _ignore
    try:
        seen: set[int] = set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            traceback.clear_frames(exc.__traceback__)
            exc = exc.__context__ or exc.__cause__
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _ignore(unraisable) -> None:
    pass


def _os_error(exc: BaseException) -> OSError | None:
    """The operating system's error behind ``exc`` (XlsxWriter wraps it in its own), if there is one."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OSError):
            return exc
        seen.add(id(exc))
        inner = next((a for a in getattr(exc, "args", ()) if isinstance(a, OSError)), None)
        exc = inner or exc.__cause__ or exc.__context__
    return None


# ------------------------------------------------------------------ what earlier runs recorded
def _plain_file_name(value) -> bool:
    """Whether a recorded file name names an .xlsx file in the folder itself (not elsewhere, not hidden)."""
    return (isinstance(value, str) and value.lower().endswith(".xlsx") and not value.startswith(".")
            and not re.search(r"[/\\\x00]", value) and len(value.encode("utf-8", "replace")) <= 255)


def _stat_key(path: Path) -> list[int] | None:
    """What tells one version of a file from another: inode, size, modification time (None: no file)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


class _Ledger:
    """``manifest.json`` (the last run that finished) and ``manifest.jsonl`` (each workbook started or
    finished since, one JSON object a line), read and checked, and the latter appended to."""

    def __init__(self, out: Path):
        self.out = out
        self.manifest = out / MANIFEST
        self.journal = out / JOURNAL
        self.records: list[dict] = []           # in the order they happened, each with its template
        self.fd: int | None = None
        self._whole = 0                          # the journal's length up to its last complete line

    def load(self) -> _Ledger:
        for path in (self.manifest, self.journal):
            if (path.exists() or path.is_symlink()) and not path.is_file():
                raise BatchFileError(f"{path} is not a file: move it away, or delete it to start afresh")
        if self.manifest.is_file():
            self._load_manifest()
        if self.journal.is_file():
            self._load_journal()
        return self

    def _refuse(self, path: Path, why: str) -> BatchFileError:
        return BatchFileError(f"{path} is not a manifest suanli batch wrote ({why}): move it away, or delete it "
                              "to start afresh")

    def _load_manifest(self) -> None:
        try:
            data = json.loads(self.manifest.read_text(encoding="utf-8"))
        except OSError as exc:
            raise BatchFileError(f"cannot read {self.manifest}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise self._refuse(self.manifest, "it is not UTF-8 text") from None
        except (ValueError, RecursionError) as exc:
            raise self._refuse(self.manifest, f"not JSON: {one_line(str(exc))}") from None
        if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
            raise self._refuse(self.manifest, "it must be an object whose 'scenarios' is a list")
        template = data.get("template")
        for i, entry in enumerate(data["scenarios"], start=1):
            self.records.append(self._checked(entry, self.manifest, f"entry {i}", template))

    def _load_journal(self) -> None:
        try:
            data = self.journal.read_bytes()
        except OSError as exc:
            raise BatchFileError(f"cannot read {self.journal}: {exc.strerror or exc}") from None
        self._whole = data.rfind(b"\n") + 1      # a last line cut short (the disk was full) is dropped
        for i, line in enumerate(data[:self._whole].splitlines(), start=1):
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                raise self._refuse(self.journal, f"line {i} is not JSON") from None
            template = record.get("template") if isinstance(record, dict) else None
            if not isinstance(template, str) or record.get("status") not in ("building", "ok"):
                raise self._refuse(self.journal, f"line {i} is not a record of a workbook")
            self.records.append(self._checked(record, self.journal, f"line {i}", template))

    def _checked(self, record, path: Path, where: str, template) -> dict:
        if not isinstance(record, dict) or not isinstance(record.get("scenario"), str) \
                or not isinstance(record.get("status"), str):
            raise self._refuse(path, f"{where} is not an object with a scenario and a status")
        if "file" in record and not _plain_file_name(record["file"]):
            raise self._refuse(path, f"{where} names the file {record['file']!r}, which is not an .xlsx file "
                                     "in the folder")
        if "input_hash" in record and not isinstance(record["input_hash"], str):
            raise self._refuse(path, f"{where} has an input_hash that is not text")
        before = record.get("before")
        if before is not None and not (isinstance(before, list) and len(before) == 3
                                       and all(isinstance(x, int) for x in before)):
            raise self._refuse(path, f"{where} has a 'before' that is not three whole numbers")
        return {**record, "template": template}

    def open(self) -> None:
        """Open the journal to append to, cutting off a last line left incomplete."""
        flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            self.fd = os.open(self.journal, flags, 0o666)
            os.ftruncate(self.fd, self._whole)
            os.lseek(self.fd, self._whole, os.SEEK_SET)
        except OSError as exc:
            raise BatchFileError(f"cannot write in {self.out}: {exc.strerror or exc}") from None

    def append(self, record: dict) -> OSError | None:
        """Append one line; None when written, else the error (the line is then not there at all)."""
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            written = os.write(self.fd, line)
            if written == len(line):
                self._whole += written
                return None
            problem = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            problem = exc
        try:
            os.ftruncate(self.fd, self._whole)
            os.lseek(self.fd, self._whole, os.SEEK_SET)
        except OSError:
            pass
        return problem

    def close(self, remove: bool) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if remove:
            try:
                self.journal.unlink()
            except OSError:
                pass


@dataclass
class _Known:
    """What the records say: which scenario each file belongs to, and what each scenario's file holds."""

    owner: dict[str, str] = field(default_factory=dict)           # lower-case file name -> scenario
    files: dict[str, str] = field(default_factory=dict)           # scenario -> its file
    content: dict[str, tuple | None] = field(default_factory=dict)  # scenario -> (template, input hash)
    contested: set[str] = field(default_factory=set)              # files two scenarios were recorded in

    @classmethod
    def from_records(cls, records: Iterable[dict], out: Path) -> _Known:
        k = cls()
        now: dict[str, list[int] | None] = {}
        for rec in records:
            name, file, status = rec["scenario"], rec.get("file"), rec["status"]
            if not file or file.lower() == SUMMARY:     # (an earlier suanli let a scenario named summary take it)
                continue
            low = file.lower()
            if k.owner.get(low, name) != name:
                k.contested.add(low)
            if status in ("ok", "building"):
                k.owner[low] = name
                if k.files.get(name, file).lower() != low:
                    k.content[name] = None
                k.files[name] = file
                if status == "ok":
                    k.content[name] = (rec["template"], rec.get("input_hash"))
                else:
                    # started: it finished if the file is no longer the one there when it started
                    if low not in now:
                        now[low] = _stat_key(out / file)
                    if now[low] is not None and now[low] != rec.get("before"):
                        k.content[name] = (rec["template"], rec.get("input_hash"))
            else:
                k.owner.setdefault(low, name)
                k.files.setdefault(name, file)
        return k

    def holds(self, name: str, template: str, digest: str, out: Path) -> bool:
        """Whether ``name``'s recorded file is whole and built from these inputs with this template."""
        file = self.files.get(name)
        return (file is not None and self.owner.get(file.lower()) == name and file.lower() not in self.contested
                and self.content.get(name) == (template, digest) and (out / file).is_file())


def _assign_files(rows: list[ScenarioRow], known: _Known, out: Path) -> dict[int, str]:
    """Row number -> file name: a scenario's recorded file if it has one, else a new name that no
    scenario was recorded in and no file in the folder has."""
    existing = set()
    if out.is_dir():
        existing = {p.name[:-5].lower() for p in out.iterdir() if p.name.lower().endswith(".xlsx")}
    taken = {SUMMARY[:-5]} | existing | {f[:-5] for f in known.owner}
    files: dict[int, str] = {}
    given: set[str] = set()
    for row in rows:
        file = known.files.get(row.name)
        if row.error is None and file and known.owner.get(file.lower()) == row.name and file.lower() not in given:
            files[row.number] = file
            given.add(file.lower())
    for row in rows:
        if row.error is None and row.number not in files:
            files[row.number] = safe_filename(row.name, taken)
    return files


# ------------------------------------------------------------------ running
@dataclass
class _Job:
    row: int
    name: str
    file: str
    digest: str
    scenario: scenarios.Scenario
    before: list[int] | None = None


class _Run:
    """One batch in progress: the entries so far, the workbooks started and not yet recorded, the journal."""

    def __init__(self, group: Group, base: scenarios.Scenario, out: Path, ledger: _Ledger, rows: list[ScenarioRow],
                 progress: Callable[[int, int, dict], None] | None):
        self.group, self.base, self.out, self.ledger, self.rows = group, base, out, ledger, rows
        self.progress = progress
        self.entries: dict[int, dict] = {}
        self.started: dict[int, _Job] = {}
        self.stopped: str | None = None
        self.done = 0

    def add(self, entry: dict) -> None:
        self.entries[entry["row"]] = entry
        self.done += 1
        if self.progress:
            self.progress(self.done, len(self.rows), entry)

    def job(self, row: ScenarioRow, file: str | None, base: scenarios.Scenario, used: list[str],
            known: _Known | None) -> _Job | None:
        """The job that builds a row's workbook; None when the row has its entry already (an error, or
        a workbook ``known`` to be whole and built from the same inputs)."""
        entry = {"row": row.number, "scenario": row.name}
        if row.error:
            self.add({**entry, "status": "error", "error": one_line(row.error)})
            return None
        entry["file"] = file
        try:
            sc = scenario_for(row, base)
        except SuanliError as exc:
            self.add({**entry, "status": "error", "key": getattr(exc, "name", ""),
                      "error": one_line(f"row {row.number}: {exc.message}")})
            return None
        digest = inputs_hash(sc, used)
        if known is not None and known.holds(row.name, self.group.name, digest, self.out):
            self.add({**entry, "input_hash": digest, "scenario_hash": sc.fingerprint, "status": "ok", "resumed": True,
                      "headlines": headlines(sc)})
            return None
        return _Job(row.number, row.name, file, digest, sc)

    def task(self, job: _Job) -> tuple:
        return (self.group.name, job.name, job.scenario.values, str(self.out / job.file), job.digest, job.row,
                job.scenario.chain)

    def starting(self, jobs: Iterable[_Job]) -> Iterator[_Job]:
        """The jobs, each recorded as started (with its file as it was) just before it is handed out;
        none once the batch has stopped."""
        for job in jobs:
            if self.stopped:
                return
            job.before = _stat_key(self.out / job.file)
            problem = self.ledger.append({"template": self.group.name, "row": job.row, "scenario": job.name,
                                          "file": job.file, "input_hash": job.digest, "status": "building",
                                          "before": job.before})
            if problem:
                what = _FULL.get(problem.errno, problem.strerror or str(problem))
                self.stopped = f"{what}: {JOURNAL} could not be written before row {job.row}"
                return
            self.started[job.row] = job
            yield job

    def finished(self, job: _Job, result) -> None:
        self.started.pop(job.row, None)
        if isinstance(result, Died):
            result = self._settled(job) or {
                "scenario": job.name, "file": job.file, "status": "error",
                "error": f"row {job.row}: the process building it stopped ({result.reason})"}
        entry = {"row": job.row, **result}
        full = entry.pop("full", None)
        if full and not self.stopped:
            self.stopped = f"{full}: row {job.row} ({job.file}) could not be written"
        if entry["status"] == "ok":
            self.ledger.append({"template": self.group.name, **{k: v for k, v in entry.items() if k != "headlines"}})
        self.add(entry)

    def _settled(self, job: _Job) -> dict | None:
        """The entry of a job whose result never came, if its file was replaced (it was written whole)."""
        now = _stat_key(self.out / job.file)
        if now is None or now == job.before:
            return None
        return {"scenario": job.name, "input_hash": job.digest, "scenario_hash": job.scenario.fingerprint,
                "file": job.file, "status": "ok", "headlines": headlines(job.scenario)}

    def settle(self, todo: list[_Job], files: dict[int, str], why: str) -> None:
        """Entries for the rows without one: written (a job whose file was replaced) or pending, with ``why``."""
        jobs = {job.row: job for job in todo}
        for row in self.rows:
            if row.number in self.entries:
                continue
            job = jobs.get(row.number)
            entry = self._settled(job) if job is not None and job.row in self.started else None
            if entry:
                self.ledger.append({"template": self.group.name, "row": job.row,
                                    **{k: v for k, v in entry.items() if k != "headlines"}})
                self.add({"row": job.row, **entry})
                continue
            pending = {"row": row.number, "scenario": row.name, "file": files.get(row.number),
                       "status": "pending", "input_hash": job.digest if job else None, "reason": f"not built: {why}"}
            self.entries[row.number] = {k: v for k, v in pending.items() if v is not None}
        self.started.clear()

    def finish(self) -> BatchReport:
        """Write the manifest (and drop the journal it replaces), then the summary."""
        ordered = [self.entries[r.number] for r in self.rows]
        report = BatchReport(ordered, self.stopped)
        manifest = {"template": self.group.name, "base_scenario": self.base.name, "base": self.base.provenance(),
                    "scenarios": [{k: v for k, v in e.items() if k != "headlines"} for e in ordered]}
        try:
            write_text_atomic(self.out / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        except OSError as exc:
            report.problems.append(f"{MANIFEST} could not be written ({exc.strerror or exc}); {JOURNAL} records "
                                   "what was written")
            report.recorded_in = JOURNAL
            self.ledger.close(remove=False)
        else:
            self.ledger.close(remove=True)
        try:
            written = [e for e in ordered if e["status"] == "ok"]
            by_number = {r.number: r for r in self.rows}
            _write_summary(self.out / SUMMARY, written, varying([by_number[e["row"]] for e in written], self.base),
                           self.base, self.group)
        except Exception as exc:
            os_error = _os_error(exc)
            if os_error is None:
                raise
            report.problems.append(f"{SUMMARY} could not be written ({os_error.strerror or os_error})")
            report.summary = False
            _release(exc)
        return report


def run_batch(scenario_file: str | os.PathLike, out_dir: str | os.PathLike, *, template: str = "chain",
              base: str | scenarios.Scenario | None = None, jobs: int | None = None, resume: bool = False,
              progress: Callable[[int, int, dict], None] | None = None,
              encoding: str | None = None) -> BatchReport:
    """Build one workbook per scenario row, then the summary and the manifest.

    ``resume`` skips a row whose recorded workbook is whole and built from the same inputs with the
    same template.  ``encoding`` names a CSV's encoding (None: detected).  SIGINT or SIGTERM stops the
    workers and raises :class:`BatchInterrupted` once the manifest records what was written; a full
    disk stops the batch too, leaving the rows not built ``pending`` (``report.stopped`` says why).
    Nothing is written before the scenario file, the base scenario and the folder are checked.
    ``base`` is a packaged scenario's name or a :class:`~engine.scenarios.Scenario` (one read from a
    scenario file); it defaults to the corrected counterpart of the template's scenario
    (``csc-2023-corrected``: a batch is new work, and starts from the model without the report's
    known errors).  The manifest records it (``base``: name, base chain, hash, file) and each row's
    ``scenario_hash``.
    """
    group = groups.group(template)
    if base is None:
        base = CORRECTED.get(group.scenario, group.scenario)
    out = Path(out_dir)
    if (out.exists() or out.is_symlink()) and not out.is_dir():
        raise InvalidValueError("out_dir", str(out), "must be a folder", "it is a file")
    summary = out / SUMMARY
    if (summary.exists() or summary.is_symlink()) and not summary.is_file():
        raise BatchFileError(f"{summary} is not a file: move it away, so that the summary can be written")
    with Signals() as signals:
        rows = read_scenarios(scenario_file, encoding)
        base_sc = scenarios.load(base) if isinstance(base, str) else base
        ledger = _Ledger(out).load() if out.is_dir() else _Ledger(out)
        known = _Known.from_records(ledger.records, out)
        used = plan(group, base_sc).inputs
        files = _assign_files(rows, known, out)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidValueError("out_dir", str(out), "must be a folder that can be created",
                                    exc.strerror or str(exc)) from None
        ledger.open()
        run = _Run(group, base_sc, out, ledger, rows, progress)
        todo: list[_Job] = []
        interrupted: KeyboardInterrupt | None = None
        try:
            for row in rows:
                job = run.job(row, files.get(row.number), base_sc, used, known if resume else None)
                if job is not None:
                    todo.append(job)
            workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
            _build(run, todo, workers, signals)
        except KeyboardInterrupt as exc:
            interrupted = exc
        why = (f"interrupted by {signal_name(interrupted.signum)}" if isinstance(interrupted, Interrupted)
               else "interrupted" if interrupted else run.stopped or "stopped")
        try:
            with signals.held():                 # what is written now is written whole
                run.settle(todo, files, why)
                report = run.finish()
        except Interrupted as exc:
            interrupted = interrupted or exc
    if interrupted is not None:
        signum = interrupted.signum if isinstance(interrupted, Interrupted) else signal.SIGINT
        raise BatchInterrupted(signum, report) from None
    return report


def _build(run: _Run, todo: list[_Job], workers: int, signals: Signals) -> None:
    """Build the jobs here (one worker) or in worker processes, recording each as it starts and ends."""
    if workers == 1:
        for job in run.starting(todo):
            with signals.held():                 # a workbook is written whole, then recorded; then the signal
                run.finished(job, _build_safely(run.task(job)))
        return
    pool = Pool(_build_safely, workers)
    try:
        handed: dict[int, _Job] = {}

        def tasks() -> Iterator[tuple]:
            for job in run.starting(todo):
                handed[job.row] = job
                yield run.task(job)

        for task, result in pool.imap(tasks()):
            with signals.held():
                run.finished(handed.pop(task[5]), result)
        pool.close()
    finally:
        with signals.held():
            pool.stop()


def varying(rows: list[ScenarioRow], base: scenarios.Scenario) -> list[tuple[str, str, list]]:
    """The inputs whose values differ between ``rows``, as each row's scenario has them: ``(column header,
    unit, one value per row)`` in the order the file gives them.  A value is a number, TRUE/FALSE, or text
    for a path of values over columns that are not all one ("2e+07 … 8e+08")."""
    schema = scenarios.schema()
    scs = [scenario_for(row, base) for row in rows]
    out = []
    for header in _file_order([list(row.values) for row in rows]):
        m = KEY_COLUMN.match(header)
        key, column = m.group(1), m.group(2)
        spec = schema[key]
        values = [_one(sc.at(key, column) if column is not None else sc.values[key], spec.is_switch) for sc in scs]
        if any(v != values[0] for v in values[1:]):
            out.append((key if column is None else f"{key}[{column}]", spec.unit, values))
    return out


def _file_order(rows: list[list[str]]) -> list[str]:
    """The headers of a scenario file in its column order, from rows that each hold some of them in that order."""
    after: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for row in rows:
        for i, h in enumerate(row):
            first.setdefault(h, len(first))
            after.setdefault(h, set()).update(row[:i])
    out: list[str] = []
    while len(out) < len(first):
        ready = [h for h in first if h not in out and after[h] <= set(out)]
        out.append(min(ready, key=first.get))
    return out


def _one(value, switch: bool):
    if isinstance(value, tuple):
        if all(v == value[0] for v in value):
            return _one(value[0], switch)
        return f"{value[0]:g} … {value[-1]:g}"
    if value is None:
        return ""
    return bool(value) if switch else float(value)


def _write_summary(path: Path, entries: list[dict], inputs: list[tuple[str, str, list]],
                   base: scenarios.Scenario, group: Group) -> None:
    """summary.xlsx: a row per scenario, the inputs that differ between them beside the headline outputs,
    and a chart of each headline that differs between them."""

    def write(tmp: Path) -> None:
        wb = new_workbook(tmp)
        fmt = HouseFormats(wb)
        num = wb.add_format({"num_format": "#,##0.00"})
        displays = [formats.input_display(key.split("[")[0]) for key, _, _ in inputs]     # mm_dau[2027E]: mm_dau's
        shown = [(d, [d.cell_value(v) if isinstance(v, float) else v for v in values])
                 for d, (_, _, values) in zip(displays, inputs, strict=True)]
        styles = [_input_format(display, values) for display, values in shown]
        given = {style: wb.add_format({"num_format": style, **fmt.input_fill}) for style in styles}
        band = {"inputs": wb.add_format({"bold": True, "align": "center", "bg_color": "#FFF2CC", "border": 1}),
                "outputs": wb.add_format({"bold": True, "align": "center", "bg_color": "#DDEBF7", "border": 1})}
        ws = wb.add_worksheet("Summary")
        ws.write(0, 0, f"suanli batch — the {group.name} workbook per scenario", fmt.title)
        ws.write(1, 0, f"Each row is the base scenario {base.name} ({base.title}) with the inputs of its row; "
                       f"base {errata.switches_text(base)}.", fmt.subtle)
        head = SUMMARY_HEADER_ROW
        first_in, first_out = 2, 2 + len(inputs)
        last = first_out + len(HEADLINES) - 1
        heads = ["scenario", "workbook"] + [f"{key} ({display.label})" if display.unit not in ("count", "switch")
                                            else key for (key, _, _), (display, _) in zip(inputs, shown, strict=True)
                                            ] + [h[3] for h in HEADLINES]
        if inputs:
            _band(ws, head - 1, first_in, first_out - 1, "inputs that differ between the rows", band["inputs"])
        _band(ws, head - 1, first_out, last, "outputs", band["outputs"])
        texts: list[list[str]] = [[h] for h in heads]
        for i, e in enumerate(entries, start=head + 1):
            ws.write_string(i, 0, e["scenario"])
            ws.write_url(i, 1, f"external:{e['file']}", string=e["file"])
            texts[0].append(e["scenario"])
            texts[1].append(e["file"])
            for j, (_, values) in enumerate(shown):
                v, style = values[i - head - 1], styles[j]
                if isinstance(v, bool):
                    ws.write_boolean(i, first_in + j, v, given[style])
                elif isinstance(v, float):
                    ws.write_number(i, first_in + j, v, given[style])
                else:
                    ws.write_string(i, first_in + j, v, given[style])
                texts[first_in + j].append(widths.shown(v, style))
            for j, v in enumerate(e.get("headlines") or []):
                if isinstance(v, (int, float)):
                    ws.write_number(i, first_out + j, v, num)
                    texts[first_out + j].append(widths.shown(v, "#,##0.00"))
        col_width = []
        for c, column in enumerate(texts):
            words = column[0].replace("(", " (").split()
            w = widths.fit(column[1:], minimum=12.0 if c >= first_out else 8.0, maximum=30.0, bold_texts=words)
            col_width.append(w)
            ws.set_column(c, c, w)
        for c, h in enumerate(heads):
            ws.write_string(head, c, h, fmt.header)
        ws.set_row(head, widths.row_height([(h, col_width[c]) for c, h in enumerate(heads)], bold=True))
        ws.freeze_panes(head + 1, 1)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        if entries:
            _summary_charts(wb, ws, fmt, entries, head, first_out, sum(col_width[:9]))
        wb.close()

    write_atomic(path, write)


def _input_format(display: formats.InputDisplay, cell_values: list) -> str:
    """The number format of an input column of the summary: the input's display unit's, as on the Inputs sheet
    (``cell_values``: what the cells hold, 2.4 for 2.4亿 users, 0.4 for 40%)."""
    numbers = [display.base_value(v) for v in cell_values if isinstance(v, float)]
    return display.excel_format(numbers) if numbers else "General"


#: The 0-based row of the summary's column headers (above it: the title, the base scenario, the bands).
SUMMARY_HEADER_ROW = 4


def _band(ws, r: int, c1: int, c2: int, text: str, style) -> None:
    if c2 > c1:
        ws.merge_range(r, c1, r, c2, text, style)
    else:
        ws.write_string(r, c1, text, style)


def _summary_charts(wb, ws, fmt: HouseFormats, entries: list[dict], head: int, first_out: int,
                    width: float) -> None:
    """Below the table, a bar chart of each headline that differs between the scenarios, two a row; a line
    saying so for one that does not (a growth rate does not move when an input scales every year alike)."""
    drawn, notes = [], []
    for j, (_, _, _, label) in enumerate(HEADLINES):
        values = [(e.get("headlines") or [None] * len(HEADLINES))[j] for e in entries]
        numbers = [v for v in values if isinstance(v, (int, float))]
        if not numbers:
            notes.append(f"{label}: no value in any scenario")
        elif len(values) > 1 and len(numbers) == len(values) and \
                max(numbers) - min(numbers) <= 1e-9 * max(abs(x) for x in numbers):
            notes.append(f"{label}: {numbers[0]:,.2f} in every scenario (the rows' inputs do not move it), "
                         "so no chart")
        else:
            drawn.append((j, label))
    r = head + len(entries) + 2
    for note in notes:
        ws.write_string(r, 0, note, fmt.subtle)
        r += 1
    n = min(len(entries), 40)
    height = 150 + 22 * n
    rows_per_chart = height // 20 + 1
    chart_width = int(min(max(width * 7 / 2 - 10, 380), 560))
    top = r + 1
    for placed, (j, label) in enumerate(drawn):
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({"name": label, "categories": ["Summary", head + 1, 0, head + len(entries), 0],
                          "values": ["Summary", head + 1, first_out + j, head + len(entries), first_out + j],
                          "data_labels": {"value": True, "num_format": "#,##0.0"}})
        chart.set_title({"name": label, "name_font": {"size": 11, "bold": True}})
        chart.set_legend({"none": True})
        chart.set_x_axis({"num_format": "#,##0", "major_gridlines": {"visible": True}})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": chart_width, "height": height})
        ws.insert_chart(top + (placed // 2) * rows_per_chart, 0, chart,
                        {"x_offset": (placed % 2) * (chart_width + 16), "y_offset": 4})


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
