"""Shared test set-up: deterministic, deadline-free hypothesis runs (CI machines are shared), the
``libreoffice`` marker kept honest, and ``classic``: the Excel functions under xlwings' classic
(Windows) decorators.

A test that needs LibreOffice (soffice) or poppler (pdftoppm, pdftotext) installed must carry
``@pytest.mark.libreoffice``, so that ``-m "not libreoffice"`` is a quick loop that needs neither;
an unmarked test that starts one of them fails, naming itself.
"""

from __future__ import annotations

import importlib
import os
import sys
import types

import pytest
from hypothesis import settings

settings.register_profile("suanli", deadline=None, max_examples=150, derandomize=True)
settings.load_profile("suanli")

#: Programs only a test marked ``libreoffice`` may start.
SPREADSHEET_PROGRAMS = {"soffice", "soffice.bin", "libreoffice", "pdftoppm", "pdftotext"}

_running: list[pytest.Item] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Set-up and tear-down included: a module fixture starting soffice runs for the test that needs it.
    _running.append(item)
    yield
    _running.pop()


def _program(args) -> str:
    """The program's name: the first word of a command line, or the first item of an argument list."""
    first = args if isinstance(args, (str, bytes, os.PathLike)) else next(iter(args), "")
    return os.path.basename((os.fsdecode(first).split() or [""])[0])


def _refuse_unmarked(event: str, args: tuple) -> None:
    if event != "subprocess.Popen" or not _running:
        return
    executable, argv = args[0], args[1]
    program = _program(executable if executable is not None else argv)
    item = _running[-1]
    if program in SPREADSHEET_PROGRAMS and item.get_closest_marker("libreoffice") is None:
        raise RuntimeError(f"{item.nodeid} starts {program}: mark it @pytest.mark.libreoffice "
                           '(-m "not libreoffice" must run without LibreOffice and poppler)')


sys.addaudithook(_refuse_unmarked)


@pytest.fixture()
def classic(monkeypatch):
    """addin.udfs decorated by xlwings' real classic (Windows) implementation, pywin32 stubbed."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None
    pythoncom.IID_IDispatch = None
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = type("com_error", (Exception,), {})
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *a, **k: None
    win32com.client = client
    for name, mod in {"pythoncom": pythoncom, "pywintypes": pywintypes, "win32com": win32com,
                      "win32com.client": client}.items():
        monkeypatch.setitem(sys.modules, name, mod)
    xludfs = importlib.import_module("xlwings.udfs")
    import xlwings

    monkeypatch.setattr(xlwings, "func", xludfs.xlfunc, raising=False)
    monkeypatch.setattr(xlwings, "arg", xludfs.xlarg, raising=False)
    saved = sys.modules.pop("addin.udfs")
    try:
        module = importlib.import_module("addin.udfs")
        yield xludfs, module
    finally:
        sys.modules["addin.udfs"] = saved
        import addin
        addin.udfs = saved
