"""The xlwings Lite bundle in Pyodide, the Python that xlwings Lite runs in the browser, under Node.

Pyodide comes from the npm registry (tests/pyodide/package.json, installed by ``./dev test``).  Its
numpy wheel is fetched from Pyodide's CDN, not shipped in the npm package, and neither the npm
registry nor PyPI carries a numpy build for Pyodide, so the bundle runs until its first
``import numpy``; tests/pyodide/smoke.mjs says what is checked up to there.  Outside CI the test is
skipped when Node or the Pyodide package is not installed; in CI (``CI`` set) that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from suanli.cli import main as cli

HERE = Path(__file__).with_name("pyodide")
PYODIDE = HERE / "node_modules" / "pyodide" / "pyodide.mjs"

pytestmark = pytest.mark.pyodide


def _node() -> str:
    node = shutil.which("node")
    if node is None or not PYODIDE.exists():
        missing = "node" if node is None else f"Pyodide ({PYODIDE.relative_to(HERE.parents[1])})"
        if os.environ.get("CI"):
            pytest.fail(f"{missing} is not installed: ./dev test installs it")
        pytest.skip(f"{missing} is not installed: ./dev test installs it")
    return node


def test_the_bundle_loads_in_pyodide_up_to_numpy(tmp_path):
    node = _node()
    bundle = tmp_path / "main.py"
    assert cli(["addin", "lite", str(bundle)]) == 0
    done = subprocess.run([node, str(HERE / "smoke.mjs"), str(bundle)], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    want_version = json.loads((HERE / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    assert got["pyodide"] == want_version and got["platform"] == "emscripten"
    assert got["python"].startswith("3.")
    # the importer serves suanli's modules in Pyodide, up to the engine's first import of numpy
    assert got["importer"] and "addin" in got["imported"] and got["stopped_at"] == "numpy"
    # every module the bundle carries compiles under Pyodide's Python; every data file parses
    assert got["compiled"] == got["modules"] > 30
    assert got["toml_parsed"] == got["data_files"] > 20
    # numpy is one of Pyodide's own packages (a wheel it fetches from its CDN at run time)
    assert got["numpy_in_lock"].startswith("numpy-")
