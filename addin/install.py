"""Set up the classic xlwings add-in for suanli, and check it: ``suanli addin install`` and ``status``.

What a user would otherwise click or type, taken from the installed xlwings' own source:

* **the add-in.**  ``xlwings addin install`` copies ``xlwings/addin/xlwings.xlam`` into Excel's
  user startup folder (``XLSTART``, which it asks Excel for); on macOS it also copies
  ``xlwings-<version>.applescript`` into ``~/Library/Application Scripts/com.microsoft.Excel``,
  which RunPython calls (xlwings ``cli.py``: ``_addin_install``, ``runpython_install``).
* **the user config.**  The add-in's ribbon settings live in the user's ``xlwings.conf``, one
  ``"KEY","VALUE"`` line each (``xlwings.USER_CONFIG_FILE``: ``~/.xlwings/xlwings.conf`` on Windows,
  ``~/Library/Containers/com.microsoft.Excel/Data/xlwings.conf`` on macOS; the VBA reads it with
  ``GetConfigFromFile`` in ``Config.bas``).  :func:`install` sets ``UDF MODULES`` to include
  ``addin.udfs`` and ``INTERPRETER_WIN`` (or ``INTERPRETER_MAC``) to the Python that runs it, keeps
  every other line as it was, and writes no blank value.
* **the DLL.**  The VBA declares ``xlwings64-<version>.dll`` (``xlwings32-`` for 32-bit Excel) and,
  for an interpreter given as a path, loads it from the interpreter's folder, else from the
  folder above (a virtual environment's ``Scripts``), (``XLPyLoadDLL`` in ``Main.bas``); xlwings'
  Windows wheel installs the DLLs there.  :func:`status` looks in the same two places.

``--home DIR`` does all of it under ``DIR`` (``--platform windows`` or ``mac`` picks the layout),
touching nothing of the running system's Excel: that is how the tests run it, and how a user on
a computer without Excel sees what would be written.  Without ``--home``, on Windows and macOS,
:func:`install` runs xlwings' own ``xlwings addin install`` and checks the add-in it copied.
"""

from __future__ import annotations

import locale
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import xlwings

from engine import __version__
from engine.errors import TextError
from workbook_templates.files import write_atomic

from . import vba

__all__ = ["PLATFORMS", "UDF_MODULE", "Layout", "layout", "install", "status", "trust_step", "SetupError",
           "check_interpreter", "interpreter_key", "running_platform", "find_dll", "Report"]

PLATFORMS = ("windows", "mac")
UDF_MODULE = "addin.udfs"
ADDIN_NAME = "xlwings.xlam"


class SetupError(TextError, ValueError):
    """A set-up request that cannot be carried out, told in one line naming the argument."""


def running_platform() -> str | None:
    """``windows`` or ``mac`` for the system this runs on; None elsewhere (no desktop Excel)."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "mac"
    return None


def interpreter_key(platform: str) -> str:
    """The setting xlwings reads the interpreter from: ``INTERPRETER_WIN`` or ``INTERPRETER_MAC``."""
    return "INTERPRETER_WIN" if platform == "windows" else "INTERPRETER_MAC"


def trust_step(platform: str) -> str:
    """The one set-up step only the user can do, in Excel, and where to click."""
    if platform == "mac":
        return ('In Excel: Excel > Preferences > Security: tick "Trust access to the VBA project object model". '
                "(On the Mac the classic add-in runs RunPython, the templates' Refresh button, but not UDFs: "
                "the AI_* functions come through xlwings Lite there.)")
    return ("In Excel: File > Options > Trust Center > Trust Center Settings > Macro Settings: tick "
            '"Trust access to the VBA project object model" (ImportPythonUDFs writes the functions\' VBA).')


def check_interpreter(text: str | None, flag: str = "--interpreter") -> str:
    """The interpreter Excel is to start: ``text`` as an absolute path, or this Python when None.

    A path that is not an existing file is refused (a bare ``python`` is refused too: xlwings then
    finds neither a venv's packages nor its DLL), as is one a config line cannot hold (a ``"``).
    """
    if text is None:
        return sys.executable
    path = os.path.abspath(os.path.expanduser(text))
    if not os.path.isfile(path):
        raise SetupError(flag, f"{flag} {text} is not a file on this computer: give the full path of the "
                               f"python executable Excel should start, e.g. {sys.executable}")
    if '"' in path:
        raise SetupError(flag, f"{flag} {text} contains a double quote (\"), which xlwings' config cannot hold")
    return path


@dataclass(frozen=True)
class Layout:
    """Where the add-in and its config go for one platform, under one home folder."""

    platform: str
    home: Path
    real: bool = False          # the running system's own home: xlwings' installer may run
    chosen_home: bool = True    # --home was given

    @property
    def key(self) -> str:
        return interpreter_key(self.platform)

    @property
    def config_file(self) -> Path:
        if self.platform == "mac":
            return self.home / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
        return self.home / ".xlwings" / "xlwings.conf"

    @property
    def startup_dir(self) -> Path:
        """Excel's user startup folder: ``%APPDATA%\\Microsoft\\Excel\\XLSTART`` on Windows; on macOS
        the folder Excel reports, usually this one in Office's group container."""
        if self.platform == "mac":
            return (self.home / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content" / "Startup"
                    / "Excel")
        appdata = os.environ.get("APPDATA") if self.real else None
        roaming = Path(appdata) if appdata else self.home / "AppData" / "Roaming"
        return roaming / "Microsoft" / "Excel" / "XLSTART"

    @property
    def addin(self) -> Path:
        return self.startup_dir / ADDIN_NAME

    @property
    def applescript(self) -> Path | None:
        """macOS: the script RunPython calls through ``AppleScriptTask``; None on Windows."""
        if self.platform != "mac":
            return None
        return (self.home / "Library" / "Application Scripts" / "com.microsoft.Excel"
                / f"xlwings-{xlwings.__version__}.applescript")

    def describe(self) -> str:
        return f"{self.platform} layout in {self.home}" + (" (--home)" if self.chosen_home else "")


def layout(platform: str | None = None, home: str | os.PathLike | None = None) -> Layout:
    """The layout for ``--platform`` and ``--home``: by default the running system's, in the user's home."""
    if platform is not None and platform not in PLATFORMS:
        raise SetupError("--platform", f"--platform must be one of {', '.join(PLATFORMS)}, got {platform!r}")
    running = running_platform()
    chosen = platform or running or "windows"
    if home is None:
        return Layout(chosen, Path.home(), real=chosen == running, chosen_home=False)
    folder = Path(home).expanduser()
    if not folder.is_dir():
        raise SetupError("--home", f"--home {home} is not a folder: give an existing folder to write into")
    return Layout(chosen, folder.resolve())


# the package's own files --------------------------------------------------------------------
def package_addin() -> Path:
    return Path(xlwings.__file__).parent / "addin" / ADDIN_NAME


def package_applescript() -> Path:
    return Path(xlwings.__file__).parent / f"xlwings-{xlwings.__version__}.applescript"


def dll_names(version: str = xlwings.__version__) -> tuple[str, str]:
    """The DLLs xlwings' VBA declares: 64-bit Excel's, then 32-bit Excel's."""
    return f"xlwings64-{version}.dll", f"xlwings32-{version}.dll"


def find_dll(interpreter: str | os.PathLike, name: str) -> Path | None:
    """``name`` where xlwings' VBA loads it from: beside the interpreter, else one folder up."""
    folder = Path(interpreter).parent
    for where in (folder, folder.parent):
        if (where / name).is_file():
            return where / name
    return None


def addin_version(path: Path) -> str | None:
    """The xlwings version an add-in or workbook's VBA is for (from the DLL it declares), or None."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            names = vba.dll_names(z.read("xl/vbaProject.bin"))
    except (OSError, KeyError, zipfile.BadZipFile, vba.VbaError):
        return None
    versions = {n.split("-", 1)[1].removesuffix(".dll") for n in names}
    return versions.pop() if len(versions) == 1 else None


# the config file ------------------------------------------------------------------------------
def _encoding(lay: Layout) -> str:
    """VBA reads the config in the Windows code page (``Input #``); elsewhere it is UTF-8."""
    if lay.platform == "windows" and sys.platform.startswith("win"):
        getencoding = getattr(locale, "getencoding", None)
        return getencoding() if getencoding else locale.getpreferredencoding(False)
    return "utf-8"


def _entry(line: str) -> tuple[str, str] | None:
    """(KEY, value) of a config line as xlwings reads it (the first two quoted strings), else None."""
    values = re.findall(r'"[^"]*"', line)
    return (values[0].strip('"'), values[1].strip('"')) if len(values) >= 2 else None


def read_config(path: Path, encoding: str = "utf-8") -> dict[str, str]:
    """The settings of a config file, keys upper-cased (the last line of a key wins); {} when absent."""
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding=encoding, errors="surrogateescape").splitlines():
        e = _entry(line)
        if e:
            out[e[0].upper()] = e[1]
    return out


@dataclass
class ConfigPlan:
    path: Path
    text: str
    changes: list[str] = field(default_factory=list)
    kept: int = 0


def plan_config(lay: Layout, interpreter: str) -> ConfigPlan:
    """The user config with suanli's settings in, every other line kept as it was."""
    path = lay.config_file
    encoding = _encoding(lay)
    old_lines = path.read_text(encoding=encoding, errors="surrogateescape").splitlines() if path.is_file() else []
    old = read_config(path, encoding)
    modules = [m.strip() for m in old.get("UDF MODULES", "").split(";") if m.strip()]
    if UDF_MODULE not in modules:
        modules.append(UDF_MODULE)
    want = {"UDF MODULES": ";".join(modules), lay.key: interpreter}
    kept, changes = [], []
    for line in old_lines:
        e = _entry(line)
        if not line.strip() or (e and e[0].upper() in want):
            continue                   # xlwings drops blank lines too (cli.update_user_config)
        kept.append(line)
    for key, value in want.items():
        before = old.get(key)
        if before == value:
            changes.append(f'"{key}","{value}"  (already so)')
        elif before is None:
            changes.append(f'"{key}","{value}"  (added)')
        else:
            changes.append(f'"{key}","{value}"  (was "{before}")')
    newline = "\r\n" if lay.platform == "windows" else "\n"
    lines = kept + [f'"{k}","{v}"' for k, v in want.items()]
    try:
        "".join(want.values()).encode(encoding)
    except UnicodeEncodeError:
        raise SetupError("--interpreter", f"{interpreter!r} has characters the Windows code page ({encoding}) "
                                          "cannot hold, and xlwings' VBA reads its config in that code page: "
                                          "install Python in a folder with a plain name") from None
    return ConfigPlan(path, newline.join(lines) + newline, changes, len(kept))


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda tmp: tmp.write_bytes(data))


# install ------------------------------------------------------------------------------------
@dataclass
class Report:
    """What a command did or found, as text, and whether everything it checks is in place."""

    lines: list[str]
    ok: bool = True

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def install(lay: Layout, interpreter: str | None = None, write: bool = True, run=subprocess.run) -> Report:
    """Put the add-in in place and write suanli's settings into the user config (see the module).

    ``write=False`` only says what it would do.  On the running system's own layout the add-in is
    installed by xlwings' ``xlwings addin install`` (it needs Excel), and then checked.
    """
    interpreter = check_interpreter(interpreter)
    plan = plan_config(lay, interpreter)
    head = f"suanli addin install: the classic xlwings {xlwings.__version__} add-in, {lay.describe()}"
    lines = [head]
    verb = "" if write else "would "
    copies = [(package_addin(), lay.addin, "add-in")]
    if lay.applescript is not None:
        copies.append((package_applescript(), lay.applescript, "RunPython script"))
    ok = True
    if write and lay.real:
        done = run([sys.executable, "-c", "from xlwings.cli import main; main()", "addin", "install"],
                   capture_output=True, text=True)
        said = " ".join((done.stdout + done.stderr).split())
        lines.append(f"  xlwings addin install: {said or f'exit status {done.returncode}'}")
        for source, target, what in copies:
            same = target.is_file() and target.read_bytes() == source.read_bytes()
            ok &= same
            if same:
                lines.append(f"  ok       {what}: {target}")
            elif target.is_file():
                lines.append(f"  missing  {what}: {target} is not xlwings {xlwings.__version__}'s: quit Excel and "
                             "run this again")
            else:
                lines.append(f"  missing  {what}: not at {target}, where Excel's user startup folder usually is: "
                             "see what xlwings addin install said above")
    else:
        for source, target, what in copies:
            if write:
                _write_bytes(target, source.read_bytes())
            lines.append(f"  {verb}copy {what} {source.name} to {target}")
    lines.append(f"  {verb}write {plan.path}" + (f" (keeping its {plan.kept} other lines)" if plan.kept else ""))
    lines += [f"    {c}" for c in plan.changes]
    if write:
        _write_bytes(plan.path, plan.text.encode(_encoding(lay), errors="surrogateescape"))
    else:
        lines.append(f"nothing written: this system ({sys.platform}) has no desktop Excel; --home DIR writes "
                     "all of it under DIR (--platform windows or mac)")
    lines.append(f"One step is left: {trust_step(lay.platform)}")
    lines.append("Then check with: suanli addin status" + (f" --home {lay.home} --platform {lay.platform}"
                                                         if lay.chosen_home else ""))
    return Report(lines, ok)


# status ---------------------------------------------------------------------------------------
def status(lay: Layout, workbooks: list[str] | None = None) -> Report:
    """Check the add-in, the config, the interpreter, its DLL and the workbooks' VBA: one line each,
    ``ok`` or ``missing`` with the fix; ``Report.ok`` is False when anything is missing."""
    version = xlwings.__version__
    rows: list[tuple[bool | None, str, str]] = []     # (ok, what, fix)
    rows.append((None, f"suanli {__version__} with xlwings {version} in {sys.executable}", ""))
    # the add-in
    addin = lay.addin
    if not addin.is_file():
        rows.append((False, f"add-in: no {ADDIN_NAME} in {lay.startup_dir}", "run suanli addin install"))
    elif addin.read_bytes() == package_addin().read_bytes():
        rows.append((True, f"add-in: {addin} is xlwings {version}'s", ""))
    else:
        theirs = addin_version(addin) or "another version"
        rows.append((False, f"add-in: {addin} is xlwings {theirs}'s, the package is xlwings {version}",
                     "quit Excel, then run suanli addin install"))
    if lay.applescript is not None:
        if lay.applescript.is_file():
            rows.append((True, f"RunPython script: {lay.applescript}", ""))
        else:
            rows.append((False, f"RunPython script: no {lay.applescript}", "run suanli addin install"))
    # the config
    config = read_config(lay.config_file, _encoding(lay))
    if not lay.config_file.is_file():
        rows.append((False, f"config: no {lay.config_file}", "run suanli addin install"))
    else:
        modules = [m.strip() for m in config.get("UDF MODULES", "").split(";")]
        if UDF_MODULE in modules:
            rows.append((True, f"config: UDF MODULES includes {UDF_MODULE} ({lay.config_file})", ""))
        else:
            rows.append((False, f"config: UDF MODULES is {config.get('UDF MODULES', '(not set)')!r}, without "
                                f"{UDF_MODULE} ({lay.config_file})", "run suanli addin install"))
    interpreter = config.get(lay.key, "")
    seen: set[str] = set()
    rows += _interpreter_rows(lay, interpreter, f"config {lay.key}", seen)
    for book in workbooks or []:
        rows += _workbook_rows(lay, Path(book), seen)
    lines = [f"suanli addin status: the classic xlwings add-in, {lay.describe()}"]
    ok = True
    for good, what, fix in rows:
        mark = "" if good is None else "ok" if good else "missing"
        ok &= good is not False
        lines.append(f"  {mark:8} {what}")
        if fix:
            lines.append(f"  {'':8}   fix: {fix}")
    lines.append(f"The step only you can do: {trust_step(lay.platform)}")
    return Report(lines, ok)


def _interpreter_rows(lay: Layout, interpreter: str, where: str, seen: set[str]) -> list[tuple[bool | None, str, str]]:
    """The interpreter a setting names, and (Windows) the DLL beside it; each interpreter's DLL once."""
    rows: list[tuple[bool | None, str, str]] = []
    if not interpreter:
        rows.append((False, f"interpreter: {where} is not set", "run suanli addin install"))
        return rows
    if interpreter in ("python", "pythonw"):
        rows.append((False, f"interpreter: {where} is {interpreter!r}, whatever is first on the PATH",
                     "run suanli addin install (it writes this Python's full path)"))
        return rows
    if not os.path.isfile(interpreter):
        rows.append((False, f"interpreter: {where} {interpreter} does not exist",
                     "run suanli addin install with the Python that has suanli"))
        return rows
    rows.append((True, f"interpreter: {where} {interpreter}", ""))
    if lay.platform == "windows" and interpreter not in seen:
        seen.add(interpreter)
        d64, d32 = dll_names()
        found = find_dll(interpreter, d64) or find_dll(interpreter, d32)
        if found:
            rows.append((True, f"DLL: {found}" + ("" if found.name == d64 else " (32-bit Excel only)"), ""))
        else:
            other = _other_dlls(interpreter)
            rows.append((False, f"DLL: no {d64} beside {interpreter} or one folder up"
                         + (f" (found {', '.join(other)}: another xlwings version)" if other else ""),
                         f"py -m pip install --force-reinstall xlwings=={xlwings.__version__} (with that "
                         "interpreter; xlwings' Windows wheel puts the DLL there)"))
    return rows


def _other_dlls(interpreter: str) -> list[str]:
    folder = Path(interpreter).parent
    return sorted({p.name for where in (folder, folder.parent) for p in where.glob("xlwings??-*.dll")})


def _workbook_rows(lay: Layout, book: Path, seen: set[str]) -> list[tuple[bool | None, str, str]]:
    """A macro-enabled workbook's VBA version and its ``xlwings.conf`` sheet."""
    if not book.is_file():
        return [(False, f"workbook {book}: no such file", "give the path of a .xlsm workbook")]
    theirs = addin_version(book)
    rows: list[tuple[bool | None, str, str]] = []
    if theirs is None:
        rows.append((False, f"workbook {book.name}: no xlwings VBA in it",
                     "rebuild it: suanli addin workbook, or suanli templates build --excel-button"))
        return rows
    if theirs == xlwings.__version__:
        rows.append((True, f"workbook {book.name}: its VBA calls xlwings {theirs}'s DLL", ""))
    else:
        rows.append((False, f"workbook {book.name}: its VBA calls xlwings {theirs}'s DLL, the package is "
                            f"xlwings {xlwings.__version__}",
                     "rebuild the workbook with this suanli, or install xlwings " + theirs))
    sheet = _conf_sheet(book)
    if sheet is None:
        rows.append((None, f"workbook {book.name}: no xlwings.conf sheet (the user config applies)", ""))
        return rows
    shown = ", ".join(f"{k}={v}" for k, v in sheet.items()) or "empty"
    blank = [k for k, v in sheet.items() if v == ""]
    if blank:
        rows.append((False, f"workbook {book.name}: xlwings.conf sheet has blank {', '.join(blank)}, which "
                            "hide the user config's values", "delete those rows of the sheet"))
    else:
        rows.append((True, f"workbook {book.name}: xlwings.conf sheet {shown}", ""))
    if lay.key in sheet and sheet[lay.key]:
        rows += _interpreter_rows(lay, sheet[lay.key], f"{book.name}'s {lay.key} (the sheet wins over the config)",
                                  seen)
    return rows


def _conf_sheet(book: Path) -> dict[str, str] | None:
    """The ``xlwings.conf`` sheet's rows as xlwings reads them: from A1 down to the first blank key."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(book, read_only=True)
    except Exception:  # noqa: BLE001 - a file openpyxl cannot read has no sheet to report
        return None
    try:
        if "xlwings.conf" not in wb.sheetnames:
            return None
        out: dict[str, str] = {}
        for key, value, *_ in wb["xlwings.conf"].iter_rows(min_col=1, max_col=2, values_only=True):
            if key is None or key == "":
                break
            out[str(key).upper()] = "" if value is None else str(value)
        return out
    finally:
        wb.close()
