"""Shared test set-up: deterministic, deadline-free hypothesis runs (CI machines are shared), and
the ``libreoffice`` marker kept honest.

A test that needs LibreOffice (soffice) or poppler (pdftoppm, pdftotext) installed must carry
``@pytest.mark.libreoffice``, so that ``-m "not libreoffice"`` is a quick loop that needs neither;
an unmarked test that starts one of them fails, naming itself.
"""

from __future__ import annotations

import os
import sys

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
