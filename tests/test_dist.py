"""What `./dev dist` builds (python -m build: the source archive, then the wheel from it): the wheel
holds every package and data file, and suanli runs from it alone, as `py -m suanli` after
`py -m pip install suanli-VERSION-py3-none-any.whl` would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from engine import __version__

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("engine", "addin", "suanli", "workbook_templates")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The wheel and archive, built from a copy of the project (the same backend as ./dev dist, offline)."""
    base = tmp_path_factory.mktemp("dist")
    source = base / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "dist", "build", "out", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache",
        ".hypothesis"))
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(base / "dist"),
                           str(source)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wheel = base / "dist" / f"suanli-{__version__}-py3-none-any.whl"
    sdist = base / "dist" / f"suanli-{__version__}.tar.gz"
    assert wheel.is_file() and sdist.is_file()
    return wheel, sdist


def project_files(suffixes=(".py", ".toml")) -> set[str]:
    return {p.relative_to(ROOT).as_posix() for pkg in PACKAGES for p in (ROOT / pkg).rglob("*")
            if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts}


def test_wheel_holds_every_module_and_data_file(dist):
    wheel, sdist = dist
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        entry_points = z.read(f"suanli-{__version__}.dist-info/entry_points.txt").decode()
        metadata = z.read(f"suanli-{__version__}.dist-info/METADATA").decode()
    data = {n for n in project_files() if n.startswith("engine/data/")}
    assert len(data) > 20 and data <= names, sorted(data - names)
    assert project_files() <= names, sorted(project_files() - names)
    assert "suanli = suanli.cli:main" in entry_points
    assert "Requires-Dist: xlwings" in metadata and "Requires-Dist: numpy" in metadata
    with tarfile.open(sdist) as t:
        archived = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"README.md", "LICENSE", "pyproject.toml"} <= archived and project_files() <= archived


def test_suanli_runs_from_the_wheel_alone(dist, tmp_path):
    """The wheel unpacked (what pip does with a pure-Python wheel) is the only suanli Python sees:
    site-packages' own suanli and the working tree are out of reach (-S: no .pth files)."""
    wheel, _ = dist
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), sysconfig.get_paths()["purelib"]])

    def python(*argv):
        return subprocess.run([sys.executable, "-S", *argv], capture_output=True, text=True, env=env, cwd=tmp_path)

    where = python("-c", "import engine, addin, suanli; print(engine.__file__, addin.__file__)")
    assert where.returncode == 0, where.stderr
    assert all(p.startswith(str(site)) for p in where.stdout.split())
    home = tmp_path / "home"
    home.mkdir()
    done = python("-m", "suanli", "addin", "install", "--home", str(home), "--platform", "mac")
    assert done.returncode == 0, done.stderr
    done = python("-m", "suanli", "addin", "status", "--home", str(home), "--platform", "mac")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok       config: UDF MODULES includes addin.udfs" in done.stdout
    done = python("-m", "suanli", "table", "fig49", "--format", "csv")
    assert done.returncode == 0 and "a100_total" in done.stdout
