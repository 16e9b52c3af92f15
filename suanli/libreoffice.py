"""LibreOffice Calc, headless, as the real spreadsheet engine that proves suanli's workbooks.

A template workbook carries live formulas *and* cached values (what Excel shows before it
recalculates).  To prove the formulas, :func:`recalculate` opens each workbook in headless
LibreOffice with recalculation on load **forced**, saves it again as xlsx, and
:func:`read_values` reads the values LibreOffice computed.  The saved copies are for reading
only: LibreOffice rewrites every part of the file, so never ship them.

Forcing recalculation
    By default LibreOffice *keeps* the cached values it finds in an xlsx file and computes only
    cells that have none, so a formula written with a wrong cached value would come back
    unchanged and prove nothing.  Each run therefore gets a fresh profile directory whose
    ``user/registrymodifications.xcu`` sets, under ``/org.openoffice.Office.Calc/Formula/Load``,
    ``OOXMLRecalcMode`` (xlsx) and ``ODFRecalcMode`` (ods) to ``0``: 0 = always recalculate,
    1 = never recalculate (LibreOffice's default), 2 = ask.  The file's own
    ``<calcPr fullCalcOnLoad="1"/>`` is ignored by LibreOffice 7.4.

Running soffice
    * ``soffice`` exits with status 0 even when a file could not be loaded, so every expected
      output is checked; a missing one raises :class:`LibreOfficeError` naming the files and
      carrying soffice's output.
    * Each call gets its own ``-env:UserInstallation`` (a temporary directory), so concurrent
      runs (pytest-xdist workers, parallel builds) never share a profile.
    * Starting LibreOffice costs about 1.2 s; each further small file in the same call about
      0.1 s, so all files go to one call (in batches of :data:`BATCH_SIZE`).
    * Outputs are written to a temporary directory first and then moved into ``out_dir``, so a
      stale file from an earlier run can never pass for a fresh result.

What LibreOffice 7.4 computes differently from Excel (checked in tests/test_libreoffice.py)
    * Cached values are written with 15 significant digits (``=1/3`` is stored as
      0.333333333333333), so compare with a relative tolerance of about 1e-14.
    * ``CEILING(2.1,-1)`` gives ``#VALUE!`` (Excel: ``#NUM!``).
    * ``MAX("3",1)`` gives ``#VALUE!`` (Excel counts text typed as an argument: 3).
    * Subtractions and ``INT``/``CEILING`` snap results within a few ulps of a whole number
      (``INT((1-0.9)*10)`` is 1, not 0): suanli's formulas round before ``INT``/``CEILING``.
    * XLOOKUP, XMATCH, LET, SEQUENCE, FILTER, UNIQUE and SORT are ``#NAME?`` before
      LibreOffice 24.8: keep them out of cells LibreOffice must check.
    ``ROUND`` agrees with Excel: it rounds the shortest decimal form half away from zero
    (``ROUND(2.675,2)`` is 2.68, although the double is 2.67499999...).

Needs the Debian/Ubuntu packages ``libreoffice-calc-nogui`` (``soffice``) and, for pictures,
``poppler-utils`` (``pdftoppm``); ``./dev test`` installs both.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = [
    "BATCH_SIZE",
    "INSTALL_HINT",
    "PDFTOPPM_HINT",
    "RECALC_SETTINGS",
    "LibreOfficeError",
    "LibreOfficeMissingError",
    "find_soffice",
    "ensure_installed",
    "write_profile",
    "recalculate",
    "read_values",
    "to_pdf",
    "to_pdfs",
    "pdf_to_png",
]

INSTALL_HINT = ("LibreOffice is needed: run ./dev test (it installs libreoffice-calc-nogui) "
                "or apt-get install libreoffice-calc-nogui")
PDFTOPPM_HINT = ("pdftoppm is needed: run ./dev test (it installs poppler-utils) "
                 "or apt-get install poppler-utils")

#: Where soffice is looked for after ``PATH`` (Debian/Ubuntu, then macOS).
SOFFICE_CANDIDATES = ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice")

#: Files per soffice call; keeps command lines short and a timeout meaningful.
BATCH_SIZE = 200

#: The Calc options written into every fresh profile: recalculate xlsx (OOXML) and ods (ODF)
#: files on load, always (0 = always, 1 = never (default), 2 = ask).
RECALC_SETTINGS = {
    "/org.openoffice.Office.Calc/Formula/Load": {"OOXMLRecalcMode": 0, "ODFRecalcMode": 0},
}

XLSX_FILTER = "xlsx:Calc MS Excel 2007 XML"
PDF_FILTER = "pdf:calc_pdf_Export"


class LibreOfficeError(RuntimeError):
    """soffice did not produce every output it was asked for (or timed out)."""


class LibreOfficeMissingError(LibreOfficeError):
    """soffice (or pdftoppm) is not installed."""


# ----------------------------------------------------------------------------- discovery

def find_soffice() -> str | None:
    """The path of the ``soffice`` program: ``PATH`` first, then the Debian locations; else None."""
    found = shutil.which("soffice")
    if found:
        return found
    for candidate in SOFFICE_CANDIDATES:
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def ensure_installed() -> str:
    """Return the ``soffice`` path, or raise :class:`LibreOfficeMissingError` saying how to get it.

    Nothing is installed from Python: ``./dev test`` installs the system packages.
    """
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissingError(INSTALL_HINT)
    return soffice


# ----------------------------------------------------------------------------- the profile

def _profile_xml(settings: dict[str, dict[str, int]]) -> str:
    items = []
    for path, props in settings.items():
        for name, value in props.items():
            items.append(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
                         f'<value>{value}</value></prop></item>')
    # Nothing may come before the XML declaration, or LibreOffice ignores the file.
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            + "\n".join(items) + "\n</oor:items>\n")


def write_profile(directory: str | os.PathLike, settings: dict | None = None) -> str:
    """Write a LibreOffice user profile into ``directory`` that forces recalculation on load.

    Returns the ``-env:UserInstallation=...`` argument for soffice.  ``settings`` (default
    :data:`RECALC_SETTINGS`) maps configuration paths to ``{property: integer}``.
    """
    root = Path(directory).resolve()
    (root / "user").mkdir(parents=True, exist_ok=True)
    xcu = root / "user" / "registrymodifications.xcu"
    xcu.write_text(_profile_xml(RECALC_SETTINGS if settings is None else settings), encoding="utf-8")
    return f"-env:UserInstallation={root.as_uri()}"


# ----------------------------------------------------------------------------- running soffice

def _run(command: list[str], timeout: float) -> tuple[str, str]:
    """Run soffice in its own process group; on timeout end that group (soffice.bin included)."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        raise LibreOfficeError(f"soffice did not finish within {timeout:g} s: {' '.join(command[:6])} ...\n"
                               f"{_tail(out, err)}") from None
    if proc.returncode != 0:
        # Rare (soffice exits 0 even when a file fails); the missing outputs are reported below.
        err = f"(soffice exit status {proc.returncode})\n{err}"
    return out, err


def _tail(out: str, err: str, limit: int = 4000) -> str:
    text = ("stdout:\n" + out.strip() + "\nstderr:\n" + err.strip()).strip()
    return text if len(text) <= limit else "...\n" + text[-limit:]


def _chunks(items: Sequence[Path], size: int) -> Iterable[Sequence[Path]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _convert(paths: Iterable[str | os.PathLike], out_dir: str | os.PathLike, target: str,
             suffix: str, timeout: float) -> list[Path]:
    """Convert ``paths`` with soffice ``--convert-to target`` into ``out_dir``; outputs in input order.

    The arguments are checked before soffice is looked for, so a bad call fails the same with or without it.
    """
    sources = [Path(p).resolve() for p in paths]
    missing_inputs = [str(p) for p in sources if not p.is_file()]
    if missing_inputs:
        raise FileNotFoundError(f"no such workbook: {', '.join(missing_inputs)}")
    names = [p.stem + suffix for p in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"paths must have distinct file names (the outputs are named after them); "
                         f"repeated: {', '.join(duplicates)}")
    if not sources:
        return []
    out = Path(out_dir).resolve()
    clobbered = [str(p) for p, name in zip(sources, names, strict=True) if out / name == p]
    if clobbered:
        raise ValueError(f"out_dir must not be the folder of the inputs (they would be overwritten): "
                         f"{', '.join(clobbered)}")
    soffice = ensure_installed()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="suanli-soffice-") as profile, \
            tempfile.TemporaryDirectory(prefix=".soffice-", dir=out) as staging:
        env_arg = write_profile(profile)
        for batch in _chunks(sources, BATCH_SIZE):
            command = [soffice, env_arg, "--headless", "--norestore", "--nolockcheck", "--nologo",
                       "--convert-to", target, "--outdir", staging, *map(str, batch)]
            stdout, stderr = _run(command, timeout)
            lost = [p.name for p in batch if not (Path(staging) / (p.stem + suffix)).is_file()]
            if lost:
                raise LibreOfficeError(
                    f"LibreOffice produced no output for {len(lost)} of {len(batch)} file(s): "
                    f"{', '.join(lost)}\n{_tail(stdout, stderr)}")
        results = []
        for name in names:
            final = out / name
            os.replace(Path(staging) / name, final)
            results.append(final)
    return results


# ----------------------------------------------------------------------------- public API

def recalculate(paths: Sequence[str | os.PathLike], out_dir: str | os.PathLike, *,
                timeout: float = 300) -> list[Path]:
    """Recalculate each workbook in headless LibreOffice and save it as xlsx into ``out_dir``.

    Every formula is computed afresh (the cached values in the inputs are ignored); the output
    for ``dir/name.xlsx`` is ``out_dir/name.xlsx`` (an existing file there is replaced), and the
    outputs come back in input order.  All files go to one soffice process (batches of
    :data:`BATCH_SIZE`); ``timeout`` is in seconds per process.  Inputs are never modified,
    and they must have distinct file names.

    Raises :class:`LibreOfficeMissingError` when soffice is not installed,
    ``FileNotFoundError`` for a missing input, and :class:`LibreOfficeError` (with soffice's
    output) when a file could not be converted.
    """
    return _convert(paths, out_dir, XLSX_FILTER, ".xlsx", timeout)


def read_values(path: str | os.PathLike) -> dict[str, dict[str, object]]:
    """The cached values of a workbook: ``{sheet name: {"A1": value}}``, non-empty cells only.

    Formulas come back as the value they last computed (numbers, text, booleans, error text
    such as ``"#DIV/0!"``); read a workbook from :func:`recalculate` to get LibreOffice's values.
    A formula whose result is the empty text ``""`` reads as empty and is left out.
    """
    from openpyxl import load_workbook  # openpyxl uses defusedxml for the XML when installed

    book = load_workbook(Path(path), data_only=True)
    try:
        values: dict[str, dict[str, object]] = {}
        for sheet in book.worksheets:
            cells: dict[str, object] = {}
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        cells[cell.coordinate] = cell.value
            values[sheet.title] = cells
        return values
    finally:
        book.close()


def to_pdf(path: str | os.PathLike, out_dir: str | os.PathLike, *, timeout: float = 300) -> Path:
    """Print the workbook at ``path`` to ``out_dir/<name>.pdf`` with LibreOffice (formulas recalculated)."""
    return _convert([path], out_dir, PDF_FILTER, ".pdf", timeout)[0]


def to_pdfs(paths: Sequence[str | os.PathLike], out_dir: str | os.PathLike, *, timeout: float = 300) -> list[Path]:
    """Print each workbook of ``paths`` to ``out_dir/<name>.pdf`` in one LibreOffice process; the PDFs come back
    in input order (distinct file names, as :func:`recalculate`)."""
    return _convert(paths, out_dir, PDF_FILTER, ".pdf", timeout)


def pdf_to_png(pdf: str | os.PathLike, out_png: str | os.PathLike, page: int = 1, dpi: int = 110,
               *, timeout: float = 120, crop: tuple[int, int, int, int] | None = None) -> Path:
    """Render one page (1-based) of ``pdf`` as the PNG image ``out_png`` with poppler's ``pdftoppm``;
    ``crop`` = (x, y, width, height) in pixels at ``dpi`` keeps only that part of the page."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise LibreOfficeMissingError(PDFTOPPM_HINT)
    source = Path(pdf).resolve()
    if not source.is_file():
        raise FileNotFoundError(f"no such PDF: {source}")
    target = Path(out_png).resolve()
    if target.suffix.lower() != ".png":
        raise ValueError(f"out_png must end in .png, got {str(out_png)!r}")
    if isinstance(page, bool) or not isinstance(page, int) or page < 1:
        raise ValueError(f"page must be a whole number from 1, got {page!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 10 <= dpi <= 1200:
        raise ValueError(f"dpi must be a whole number from 10 to 1200, got {dpi!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pdftoppm-", dir=target.parent) as tmp:
        prefix = Path(tmp) / "page"
        command = [pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
        if crop is not None:
            command += [flag for name, v in zip(("-x", "-y", "-W", "-H"), crop, strict=True) for flag in (name, str(v))]
        command += [str(source), str(prefix)]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise LibreOfficeError(f"pdftoppm did not finish within {timeout:g} s on {source}") from None
        produced = prefix.with_suffix(".png")
        if done.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            raise LibreOfficeError(f"pdftoppm made no image of page {page} of {source.name} "
                                   f"(exit status {done.returncode}): {done.stderr.strip()}")
        os.replace(produced, target)
    return target
