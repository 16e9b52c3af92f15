"""The templates' Refresh button (`suanli templates build --excel-button`): the macro it runs, the
command that macro hands to xlwings' RunPython, carried through xlwings' own VBA into a real Python
process for a renamed copy of the workbook, and the interpreter the workbook names.

Excel itself cannot run here; what the VBA does with the command is read from the workbook's own
xlwings module and evaluated, so a change in xlwings' construction fails this test."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from addin import refresh_button, vba
from suanli import libreoffice
from suanli.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("button")
    assert main(["templates", "build", "--out", str(out), "--excel-button"]) == 0
    return out


def project(book: Path) -> bytes:
    with zipfile.ZipFile(book) as z:
        return z.read("xl/vbaProject.bin")


def test_button_runs_suanlis_macro_and_no_module_beside_the_workbook(built):
    book = built / "demand.xlsm"
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        vml = "".join(z.read(n).decode() for n in names if n.startswith("xl/drawings/vmlDrawing"))
    assert f"<x:FmlaMacro>[0]!{refresh_button.MACRO}</x:FmlaMacro>" in vml
    modules = vba.modules(project(book))
    assert modules["Module1"] == 'Attribute VB_Name = "Module1"\r\n' + refresh_button.vba_code().replace("\n", "\r\n")
    assert "SampleCall" not in "".join(modules.values())
    # every other module is xlwings' own, unchanged
    original = vba.modules(vba.quickstart_project())
    assert {k: v for k, v in modules.items() if k != "Module1"} == {k: v for k, v in original.items() if k != "Module1"}
    assert not list(built.glob("*.py"))


def test_workbook_names_an_interpreter_that_exists(built):
    wb = openpyxl.load_workbook(built / "chain.xlsm", keep_vba=True)
    rows = [tuple(r[:2]) for r in wb["xlwings.conf"].iter_rows(values_only=True)]
    key = "Interpreter_Mac" if sys.platform == "darwin" else "Interpreter_Win"
    assert rows == [(key, sys.executable)] and os.path.isfile(rows[0][1])
    assert wb["xlwings.conf"].sheet_state == "hidden"


def test_interpreter_option(tmp_path, capsys):
    python = tmp_path / "python"
    shutil.copy(sys.executable, python)
    assert main(["templates", "build", "--out", str(tmp_path / "a"), "--excel-button", "--interpreter", str(python)]) == 0
    wb = openpyxl.load_workbook(tmp_path / "a" / "power.xlsm", read_only=True)
    assert next(wb["xlwings.conf"].iter_rows(values_only=True))[1] == str(python)
    capsys.readouterr()
    assert main(["templates", "build", "--out", str(tmp_path / "b"), "--interpreter", str(python)]) == 2
    assert capsys.readouterr().err == ("suanli: --interpreter goes with --excel-button: it is the Python the Refresh "
                                       "button starts\n")
    assert main(["templates", "build", "--out", str(tmp_path / "c"), "--excel-button", "--interpreter", "python"]) == 2
    assert capsys.readouterr().err.startswith("suanli: --interpreter python is not a file on this computer")
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()


# xlwings' VBA, evaluated ----------------------------------------------------------------------
def vba_line(source: str, start: str) -> str:
    """The statement of ``source`` beginning with ``start`` (continuation lines joined)."""
    lines = source.replace("\r\n", "\n").split("\n")
    for i, line in enumerate(lines):
        if line.strip().startswith(start):
            text = line.strip()
            while text.endswith(" _"):
                i += 1
                text = text[:-1] + lines[i].strip()
            return text
    raise AssertionError(f"xlwings' VBA has no statement {start!r}")


def vba_concat(expr: str, names: dict[str, str]) -> str:
    """A VBA string expression of literals, variables, Chr(n), Left$(x, n) and GetConfig(...) joined by &."""
    parts, buf, quoted = [], "", False
    for ch in expr:
        if ch == '"':
            quoted = not quoted
        if ch == "&" and not quoted:
            parts.append(buf.strip())
            buf = ""
        else:
            buf += ch
    parts.append(buf.strip())
    out = ""
    for part in parts:
        if part.startswith('"'):
            assert part.endswith('"'), part
            out += part[1:-1].replace('""', '"')
        elif m := re.fullmatch(r"Chr\((\d+)\)", part):
            out += chr(int(m.group(1)))
        elif m := re.fullmatch(r"Left\$\((\w+), (\d+)\)", part):
            out += names[m.group(1)][:int(m.group(2))]
        elif re.fullmatch(r'GetConfig\("[A-Z_]+"\)', part):
            out += ""                                   # a setting left unset
        else:
            out += names[part]
    return out


def windows_argv(line: str) -> list[str]:
    """A command line split into argv as the Microsoft C runtime does ("Parsing C command-line arguments")."""
    args, cur, quoted, started, i = [], [], False, False, 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            n = len(line[i:]) - len(line[i:].lstrip("\\"))
            i += n
            if i < len(line) and line[i] == '"':
                cur.append("\\" * (n // 2))
                if n % 2:
                    cur.append('"')
                    i += 1
            else:
                cur.append("\\" * n)
            started = True
        elif c == '"':
            if quoted and line[i + 1:i + 2] == '"':
                cur.append('"')
                i += 2
                continue
            quoted, started = not quoted, True
            i += 1
        elif c in " \t" and not quoted:
            if started:
                args.append("".join(cur))
                cur, started = [], False
            i += 1
        else:
            cur.append(c)
            started = True
            i += 1
    if started:
        args.append("".join(cur))
    return args


def cmd_commands(line: str) -> list[str]:
    """cmd.exe /C's command line: the redirection cut off, split at ``&`` outside quotes."""
    assert line.startswith("cmd.exe /C ")
    line = line[len("cmd.exe /C "):]
    out, buf, quoted = [], "", False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        if not quoted and line.startswith(" 2> ", i):
            break
        if ch == "&" and not quoted:
            out.append(buf.strip())
            buf = ""
        else:
            buf += ch
    out.append(buf.strip())
    return out


def runpython_argv(book: Path, command: str, workbook_name: str, interpreter: str) -> list[str]:
    """The argv Windows Excel starts when ``RunPython command`` runs in ``book`` saved as ``workbook_name``,
    built by the workbook's own VBA: ``RunPython`` (the PYTHONPATH string) and ``ExecuteWindows``
    (the command line through cmd.exe)."""
    xlwings_vba = vba.modules(project(book))["xlwings"]
    fullname = "C:\\Users\\analyst\\Downloads\\" + workbook_name
    names = {"AddExcelDir": "true", "ActiveFullName": fullname, "ThisFullName": fullname}
    pythonpath = vba_concat(vba_line(xlwings_vba, "PYTHONPATH = AddExcelDir & \";\" & ActiveFullName & \";\" & "
                                                  "ThisFullName & \";\" & GetConfig(\"ONEDRIVE_CONSUMER_WIN\")")
                            .split("=", 1)[1], names)
    # ExecuteWindows escapes it for cmd.exe and for the Python string literal it lands in
    assert 'PYTHONPATH = Replace(PYTHONPATH, "&", "^&")' in xlwings_vba
    assert 'PYTHONPATH = Replace(PYTHONPATH, "\\", "\\\\")' in xlwings_vba
    pythonpath = pythonpath.replace("&", "^&").replace("\\", "\\\\")
    folder = interpreter.rsplit("\\", 1)[0]
    names = {"PYTHON_WIN": interpreter, "PythonDir": folder, "CondaCmd": "",
             "PythonInterpreter": '"' + interpreter + '"', "PYTHONPATH": pythonpath, "PythonCommand": command,
             "ThisWorkbook.Name": workbook_name, "ActiveWorkbook.Name": workbook_name,
             "Application.Path": "C:\\Program Files\\Microsoft Office\\root\\Office16",
             "Application.Name": "Microsoft Excel", "Application.Hwnd": "1234", "LOG_FILE": "C:\\Temp\\xlwings.log"}
    names["DriveCommand"] = vba_concat(vba_line(xlwings_vba, "DriveCommand = Left$(PYTHON_WIN, 2)")
                                       .split("=", 1)[1], names)
    names["RunCommand"] = vba_concat(vba_line(xlwings_vba, "RunCommand = CondaCmd & PythonInterpreter")
                                     .split("=", 1)[1], names)
    run = vba_line(xlwings_vba, "ExitCode = WScript.Run(")
    line = vba_concat(run[len("ExitCode = WScript.Run("):].rsplit(",", 2)[0], names)
    commands = cmd_commands(line)
    assert commands[:2] == ["C:", f'cd "{folder}"']
    return windows_argv(commands[2])


def run_as_excel_would(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Start this Python with the argv Excel would give the interpreter (suanli importable as installed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *argv[1:]], capture_output=True, text=True, cwd=cwd, env=env)


def macro_command(book: Path) -> str:
    """The text of the RunPython call in the Refresh macro, as the workbook's VBA has it."""
    code = vba.modules(project(book))["Module1"]
    [literal] = re.findall(r'^\s*RunPython "((?:[^"]|"")*)"\s*$', code, flags=re.M)
    return literal.replace('""', '"')


def test_runpython_command_reaches_refresh_in_a_renamed_copy(built, tmp_path):
    copy = tmp_path / "demand (1).xlsm"
    shutil.copy(built / "demand.xlsm", copy)
    command = macro_command(copy)
    assert command == refresh_button.RUNPYTHON_COMMAND
    assert not set('"%^&|<>') & set(command)            # nothing cmd.exe or the quoted -c argument would change
    interpreter = "C:\\Users\\analyst\\venv\\Scripts\\python.exe"
    argv = runpython_argv(copy, command, copy.name, interpreter)
    assert argv[:3] == [interpreter, "-B", "-c"]
    assert argv[3] == ('import xlwings.utils;xlwings.utils.prepare_sys_path("true;C:\\\\Users\\\\analyst\\\\Downloads'
                       '\\\\demand (1).xlsm;C:\\\\Users\\\\analyst\\\\Downloads\\\\demand (1).xlsm;;;;"); ' + command)
    assert argv[4:6] == ["--wb=demand (1).xlsm", "--from_xl=1"]
    done = run_as_excel_would(argv, tmp_path)
    # It imports suanli and calls the refresh entry point, which asks xlwings for the calling book:
    # with no Excel on this machine that is where it stops.
    assert "in refresh_caller" in done.stderr and "refresh_button.py" in done.stderr, done.stderr
    assert "return refresh_book(xlwings.Book.caller())" in done.stderr
    assert "XlwingsError" in done.stderr and "SyntaxError" not in done.stderr


def test_xlwings_samplecall_fails_for_the_renamed_copy(built, tmp_path):
    """What the button did before: xlwings' SampleCall imports a module named after the workbook."""
    copy = tmp_path / "demand (1).xlsm"
    shutil.copy(built / "demand.xlsm", copy)
    original = vba.modules(vba.quickstart_project())["Module1"]
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in original
    command = "import demand (1);demand (1).main()"            # mymodule = the name before its last "."
    argv = runpython_argv(copy, command, copy.name, "C:\\Python311\\python.exe")
    done = run_as_excel_would(argv, tmp_path)
    assert done.returncode != 0 and "SyntaxError" in done.stderr


@pytest.mark.libreoffice
def test_libreoffice_reads_the_refresh_macro(built, tmp_path):
    """An independent reader of the VBA format (LibreOffice imports a workbook's VBA as Basic) finds the
    macro and xlwings' module in the project suanli wrote."""
    book = tmp_path / "demand.xlsm"
    shutil.copy(built / "demand.xlsm", book)
    [ods] = libreoffice._convert([book], tmp_path / "ods", "ods", ".ods", timeout=300)
    with zipfile.ZipFile(ods) as z:
        module1 = z.read("Basic/VBAProject/Module1.xml").decode()
        xlwings_module = z.read("Basic/VBAProject/xlwings.xml").decode()
    assert f"Sub {refresh_button.MACRO}()" in module1
    assert f"RunPython &quot;{refresh_button.RUNPYTHON_COMMAND}&quot;" in module1
    assert "Public Function RunPython(PythonCommand As String)" in xlwings_module
