"""`suanli addin install` and `status`, run against a temporary home folder in the Windows and the
macOS layout: the files xlwings' own installer would put in place, the user config as xlwings reads
it, the interpreter and the DLL beside it, and the versions of add-in and workbooks."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlwings

from addin import install, vba
from addin.install import layout
from suanli.cli import main

VERSION = xlwings.__version__
PACKAGE = Path(xlwings.__file__).parent
TRUST = '"Trust access to the VBA project object model"'


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def xlwings_reads(path: Path, monkeypatch) -> dict:
    """The user config as xlwings itself reads it (``xlwings.utils.read_user_config``)."""
    from xlwings import utils

    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(path))
    return utils.read_user_config()


def test_install_writes_the_windows_layout(tmp_path, capsys, monkeypatch):
    code, out, err = run(capsys, "addin", "install", "--home", str(tmp_path), "--platform", "windows")
    assert code == 0 and err == ""
    addin = tmp_path / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"
    assert addin.read_bytes() == (PACKAGE / "addin" / "xlwings.xlam").read_bytes()
    config = tmp_path / ".xlwings" / "xlwings.conf"
    assert config.read_bytes() == (f'"UDF MODULES","addin.udfs"\r\n"INTERPRETER_WIN","{sys.executable}"\r\n').encode()
    assert xlwings_reads(config, monkeypatch) == {"udf modules": "addin.udfs", "interpreter_win": sys.executable}
    assert f"copy add-in xlwings.xlam to {addin}" in out
    assert '"UDF MODULES","addin.udfs"  (added)' in out
    assert "File > Options > Trust Center > Trust Center Settings > Macro Settings" in out and TRUST in out
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["xlwings.conf", "xlwings.xlam"]


def test_install_writes_the_mac_layout(tmp_path, capsys, monkeypatch):
    code, out, _ = run(capsys, "addin", "install", "--home", str(tmp_path), "--platform", "mac")
    assert code == 0
    config = tmp_path / "Library" / "Containers" / "com.microsoft.Excel" / "Data" / "xlwings.conf"
    assert config.read_text(encoding="utf-8") == f'"UDF MODULES","addin.udfs"\n"INTERPRETER_MAC","{sys.executable}"\n'
    assert xlwings_reads(config, monkeypatch)["interpreter_mac"] == sys.executable
    script = tmp_path / "Library" / "Application Scripts" / "com.microsoft.Excel" / f"xlwings-{VERSION}.applescript"
    assert script.read_bytes() == (PACKAGE / f"xlwings-{VERSION}.applescript").read_bytes()
    startup = tmp_path / "Library" / "Group Containers" / "UBF8T346G9.Office" / "User Content" / "Startup" / "Excel"
    assert (startup / "xlwings.xlam").is_file()
    assert "Excel > Preferences > Security" in out and TRUST in out
    code, out, _ = run(capsys, "addin", "status", "--home", str(tmp_path), "--platform", "mac")
    assert code == 0, out
    assert f"ok       RunPython script: {script}" in out and "DLL" not in out


def test_install_keeps_the_users_other_settings(tmp_path, capsys, monkeypatch):
    config = tmp_path / ".xlwings" / "xlwings.conf"
    config.parent.mkdir()
    config.write_bytes(b'"LICENSE_KEY","abc"\r\n\r\n"UDF MODULES","myudfs"\r\n"INTERPRETER_WIN","python"\r\n'
                       b'"SHOW CONSOLE","True"\r\n')
    code, out, _ = run(capsys, "addin", "install", "--home", str(tmp_path), "--platform", "windows")
    assert code == 0
    assert config.read_bytes() == (b'"LICENSE_KEY","abc"\r\n"SHOW CONSOLE","True"\r\n"UDF MODULES","myudfs;addin.udfs"'
                                   b'\r\n"INTERPRETER_WIN","' + sys.executable.encode() + b'"\r\n')
    assert '(keeping its 2 other lines)' in out and '(was "python")' in out and '(was "myudfs")' in out
    assert xlwings_reads(config, monkeypatch)["license_key"] == "abc"
    before = config.read_bytes()
    code, out, _ = run(capsys, "addin", "install", "--home", str(tmp_path), "--platform", "windows")
    assert code == 0 and config.read_bytes() == before            # a second run changes nothing
    assert out.count("(already so)") == 2
    assert not list(config.parent.glob(".suanli-*"))               # no temporary left


def test_without_excel_install_says_what_it_would_write_and_writes_nothing(tmp_path, capsys, monkeypatch):
    if install.running_platform() is not None:
        pytest.skip("this system has desktop Excel's layout: install would run xlwings' own installer")
    monkeypatch.setenv("HOME", str(tmp_path))
    code, out, _ = run(capsys, "addin", "install")
    assert code == 0
    assert f"would write {tmp_path}/.xlwings/xlwings.conf" in out and "would copy add-in" in out
    assert "nothing written" in out and "--home DIR" in out and TRUST in out
    assert list(tmp_path.iterdir()) == []


def test_the_real_layout_runs_xlwings_own_installer(tmp_path, monkeypatch):
    """On Windows and macOS without --home, `xlwings addin install` does the copying (it asks Excel
    where); install then checks the add-in it finds. The installer is replaced here by what it does."""
    monkeypatch.delenv("APPDATA", raising=False)
    lay = install.Layout("windows", tmp_path, real=True, chosen_home=False)
    calls = []

    def xlwings_install(argv, **kwargs):
        calls.append(argv)
        lay.addin.parent.mkdir(parents=True)
        lay.addin.write_bytes(install.package_addin().read_bytes())
        return type("Done", (), {"stdout": "Successfully installed the xlwings add-in! ", "stderr": "",
                                 "returncode": 0})()

    report = install.install(lay, run=xlwings_install)
    assert calls == [[sys.executable, "-c", "from xlwings.cli import main; main()", "addin", "install"]]
    assert report.ok and "xlwings addin install: Successfully installed the xlwings add-in!" in report.text
    assert f"ok       add-in: {lay.addin}" in report.text
    failed = type("Done", (), {"stdout": "", "stderr": "", "returncode": 1})()
    older_addin(lay.addin)
    report = install.install(lay, run=lambda argv, **kw: failed)
    assert not report.ok and f"missing  add-in: {lay.addin} is not xlwings {VERSION}'s: quit Excel" in report.text
    assert "xlwings addin install: exit status 1" in report.text
    lay.addin.unlink()
    report = install.install(lay, run=lambda argv, **kw: failed)
    assert not report.ok and f"missing  add-in: not at {lay.addin}, where Excel's user startup folder" in report.text


@pytest.mark.parametrize("argv, message", [
    (["addin", "install", "--home", "{tmp}/nowhere"], "suanli: --home {tmp}/nowhere is not a folder: give an existing folder to write into"),
    (["addin", "install", "--home", "{tmp}", "--interpreter", "{tmp}/python.exe"], "suanli: --interpreter {tmp}/python.exe is not a file on this computer"),
    (["addin", "install", "--home", "{tmp}", "--interpreter", "python"], "suanli: --interpreter python is not a file on this computer"),
    (["addin", "status", "--home", "{tmp}/nowhere"], "suanli: --home {tmp}/nowhere is not a folder"),
])
def test_refusals_are_one_line_and_write_nothing(tmp_path, capsys, argv, message):
    code, out, err = run(capsys, *[a.format(tmp=tmp_path) for a in argv])
    assert code == 2 and out == ""
    assert err.startswith(message.format(tmp=tmp_path)) and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def fake_python(tmp_path: Path, venv: bool = True) -> Path:
    """A python.exe as a Windows virtual environment (Scripts\\python.exe) or a python.org install has it."""
    folder = tmp_path / ("venv/Scripts" if venv else "Python311")
    folder.mkdir(parents=True)
    exe = folder / "python.exe"
    exe.write_bytes(b"MZ")
    return exe


def test_status_finds_the_dll_where_xlwings_vba_loads_it(tmp_path, capsys):
    home = tmp_path / "home"
    home.mkdir()
    exe = fake_python(tmp_path)
    assert main(["addin", "install", "--home", str(home), "--platform", "windows", "--interpreter", str(exe)]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "addin", "status", "--home", str(home), "--platform", "windows")
    assert code == 1
    assert f"missing  DLL: no xlwings64-{VERSION}.dll beside {exe} or one folder up" in out
    assert f"fix: py -m pip install --force-reinstall xlwings=={VERSION}" in out
    (exe.parent.parent / f"xlwings64-{VERSION}.dll").write_bytes(b"MZ")       # a venv: the folder above Scripts
    code, out, _ = run(capsys, "addin", "status", "--home", str(home), "--platform", "windows")
    assert code == 0, out
    assert f"ok       DLL: {exe.parent.parent / f'xlwings64-{VERSION}.dll'}" in out
    assert f"ok       interpreter: config INTERPRETER_WIN {exe}" in out
    assert f"ok       add-in: {home}/AppData/Roaming/Microsoft/Excel/XLSTART/xlwings.xlam is xlwings {VERSION}'s" in out
    assert "missing" not in out and TRUST in out


def test_status_names_a_dll_of_another_xlwings_version(tmp_path, capsys):
    exe = fake_python(tmp_path, venv=False)
    (exe.parent / "xlwings64-0.30.0.dll").write_bytes(b"MZ")
    lay = layout("windows", tmp_path)
    rows = install._interpreter_rows(lay, str(exe), "config INTERPRETER_WIN", set())
    assert rows[-1][0] is False
    assert rows[-1][1] == (f"DLL: no xlwings64-{VERSION}.dll beside {exe} or one folder up (found xlwings64-0.30.0.dll: "
                           "another xlwings version)")
    (exe.parent / f"xlwings32-{VERSION}.dll").write_bytes(b"MZ")                # a python.org install: beside it
    rows = install._interpreter_rows(lay, str(exe), "config INTERPRETER_WIN", set())
    assert rows[-1][:2] == (True, f"DLL: {exe.parent / f'xlwings32-{VERSION}.dll'} (32-bit Excel only)")


def older_addin(path: Path, version: str = "0.30.0") -> None:
    """xlwings' add-in as another xlwings version's would be: its VBA declares that version's DLL."""
    source = PACKAGE / "addin" / "xlwings.xlam"
    with zipfile.ZipFile(source) as z:
        project = z.read("xl/vbaProject.bin")
        parts = {n: z.read(n) for n in z.namelist()}
    code = vba.modules(project)["Main"]
    body = "\n".join(line for line in code.splitlines() if not line.startswith("Attribute "))
    parts["xl/vbaProject.bin"] = vba.with_module_code(project, "Main", body.replace(VERSION, version))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_status_says_when_the_addin_is_another_xlwings_version(tmp_path, capsys):
    assert main(["addin", "install", "--home", str(tmp_path), "--platform", "windows"]) == 0
    capsys.readouterr()
    addin = tmp_path / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"
    older_addin(addin)
    assert install.addin_version(addin) == "0.30.0"
    code, out, _ = run(capsys, "addin", "status", "--home", str(tmp_path), "--platform", "windows")
    assert code == 1
    assert f"missing  add-in: {addin} is xlwings 0.30.0's, the package is xlwings {VERSION}" in out
    assert "fix: quit Excel, then run suanli addin install" in out


def test_status_of_an_empty_home_lists_every_step(tmp_path, capsys):
    code, out, _ = run(capsys, "addin", "status", "--home", str(tmp_path), "--platform", "windows")
    assert code == 1
    assert "missing  add-in: no xlwings.xlam in" in out
    assert f"missing  config: no {tmp_path}/.xlwings/xlwings.conf" in out
    assert "missing  interpreter: config INTERPRETER_WIN is not set" in out
    assert out.count("fix: run suanli addin install") == 3 and TRUST in out


def test_status_checks_a_workbooks_vba_and_conf_sheet(tmp_path, capsys):
    assert main(["addin", "install", "--home", str(tmp_path), "--platform", "windows"]) == 0
    book = tmp_path / "suanli.xlsm"
    assert main(["addin", "workbook", str(book), "--platform", "windows"]) == 0
    capsys.readouterr()
    _, out, _ = run(capsys, "addin", "status", "--home", str(tmp_path), "--platform", "windows", "--workbook", str(book))
    assert f"ok       workbook suanli.xlsm: its VBA calls xlwings {VERSION}'s DLL" in out
    assert f"ok       workbook suanli.xlsm: xlwings.conf sheet UDF MODULES=addin.udfs, INTERPRETER_WIN={sys.executable}" in out
    # a workbook without xlwings' VBA
    old = tmp_path / "old.xlsm"
    wb = openpyxl.Workbook()
    conf = wb.active
    conf.title = "xlwings.conf"
    for row in (("Interpreter_Win", "python"), ("Conda Path", None), ("UDF Modules", "addin.udfs")):
        conf.append(row)
    wb.save(old)
    code, out, _ = run(capsys, "addin", "status", "--home", str(tmp_path), "--platform", "windows", "--workbook", str(old))
    assert code == 1
    assert "missing  workbook old.xlsm: no xlwings VBA in it" in out


def test_blank_rows_of_a_conf_sheet_are_reported(tmp_path):
    book = tmp_path / "book.xlsm"
    with zipfile.ZipFile(PACKAGE / "quickstart_standalone.xlsm") as z:
        project = z.read("xl/vbaProject.bin")
    import xlsxwriter
    wb = xlsxwriter.Workbook(str(book))
    wb.add_worksheet("Sheet1")
    conf = wb.add_worksheet("xlwings.conf")
    for r, (k, v) in enumerate((("Interpreter_Win", "python"), ("Conda Path", ""), ("UDF Modules", "addin.udfs"))):
        conf.write_string(r, 0, k)
        conf.write_string(r, 1, v)
    wb.add_vba_project(io.BytesIO(project), is_stream=True)
    wb.close()
    rows = install._workbook_rows(layout("windows", tmp_path), book, set())
    assert (False, "workbook book.xlsm: xlwings.conf sheet has blank CONDA PATH, which hide the user config's "
                   "values", "delete those rows of the sheet") in rows
    assert rows[-1][:2] == (False, "interpreter: book.xlsm's INTERPRETER_WIN (the sheet wins over the config) is "
                                   "'python', whatever is first on the PATH")
