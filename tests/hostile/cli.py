"""Running ``suanli refresh`` in the test process and checking a refusal: exit status 2, one line naming
what is wrong, the file as it was and nothing left beside it."""

from __future__ import annotations

from pathlib import Path

from suanli.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    rc = main(["refresh", *map(str, argv)])
    out, err = capsys.readouterr()
    return rc, out, err


def refused(capsys, path: Path, expected: str | list[str], *args) -> str:
    """Refresh must exit 2 with one line holding ``expected``, leave ``path`` as it was and nothing beside it."""
    before = path.read_bytes() if path.is_file() else None
    listing = sorted(p.name for p in path.parent.iterdir())
    rc, out, err = run(capsys, path, *args)
    assert rc == 2, (out, err)
    assert out == ""
    assert err.startswith("suanli: ") and err.count("\n") == 1, err
    for text in [expected] if isinstance(expected, str) else expected:
        assert text in err, err
    if before is not None:
        assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == listing
    return err
