"""The package's data files (inputs, scenarios, errata, catalogue): the one place that reads them.

Installed, they are read from the package.  In xlwings Lite, which cannot read package files,
the single-file bundle written by ``suanli addin lite`` sets :data:`BUNDLE` to their texts
before anything loads, and nothing touches a file.
"""

from __future__ import annotations

import sys
from importlib import resources

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["BUNDLE", "read_text", "read_toml", "listdir", "all_files"]

#: Relative path ("data/inputs/demand.toml") -> text, when running from a bundle; else None.
#: A bundle registers its files as the module ``suanli_bundle_data`` before importing the engine.
BUNDLE: dict[str, str] | None = getattr(sys.modules.get("suanli_bundle_data"), "FILES", None)


def read_text(path: str) -> str:
    """The text of a data file, by its path relative to the package ("data/errata/demand.toml")."""
    if BUNDLE is not None:
        return BUNDLE[path]
    return resources.files("engine").joinpath(*path.split("/")).read_text(encoding="utf-8")


def read_toml(path: str) -> dict:
    """A TOML data file, parsed."""
    return tomllib.loads(read_text(path))


def listdir(folder: str, suffix: str = ".toml") -> list[str]:
    """The paths of the data files in ``folder`` ending in ``suffix``, sorted by name."""
    if BUNDLE is not None:
        prefix = folder.rstrip("/") + "/"
        return sorted(p for p in BUNDLE if p.startswith(prefix) and "/" not in p[len(prefix):] and p.endswith(suffix))
    where = resources.files("engine").joinpath(*folder.split("/"))
    if not where.is_dir():  # a folder with no file yet (git keeps no empty folder)
        return []
    return sorted(f"{folder.rstrip('/')}/{e.name}" for e in where.iterdir() if e.name.endswith(suffix))


def all_files() -> dict[str, str]:
    """Every data file's text by path: what a bundle carries."""
    out = {path: read_text(path) for path in ("data/catalogue.toml", "data/reports.toml", "data/coverage.toml")}
    for folder in ("data/inputs", "data/errata", "data/scenarios", "data/printed", "data/catalogue_current",
                   "data/documents"):
        for path in listdir(folder):
            out[path] = read_text(path)
    return out
