"""What `suanli addin` writes: the Windows workbook and the xlwings Lite bundle."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from addin import udfs
from suanli.cli import main


def test_steps_name_the_installed_versions(capsys):
    import xlwings

    assert main(["addin"]) == 0
    out = capsys.readouterr().out
    assert f"xlwings64-{xlwings.__version__}.dll" in out and "ImportPythonUDFs" in out and "addin.udfs" in out
    assert f"{len(udfs.functions())} Excel functions" in out


def test_lite_bundle_loads_without_reading_a_file(tmp_path, capsys):
    path = tmp_path / "suanli_lite.py"
    assert main(["addin", "lite", str(path)]) == 0
    script = textwrap.dedent(f"""
        import builtins, io, importlib.resources, os, sys
        import numpy, xlwings  # provided by xlwings Lite itself; only suanli's loading is checked
        code = open({str(path)!r}, encoding="utf-8").read()
        def refuse(*a, **k):
            raise AssertionError(f"file access while loading: {{a[:1]}}")
        builtins.open = io.open = os.open = refuse
        importlib.resources.files = refuse
        g = {{"__name__": "main"}}
        exec(compile(code, "main.py", "exec"), g)
        import engine, addin.udfs
        assert type(engine.__spec__.loader).__name__ == "_SuanliImporter"
        assert g["AI_CARDS_PER_INSTANCE"](175e9, 80) == 9
        assert g["AI_TABLE"]("fig49")[24][3] == 276.6330891330892
        assert g["AI_GPU"]("H100", "fp16_tensor_dense_tflops") == 990
        assert g["AI_INPUT"]("mm_vendors") == [[5.0, 8.0, 10.0, 13.0, 15.0]]
        print(sum(1 for k in g if k.startswith("AI_")))
    """)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) == len(udfs.functions())


def test_reference_write_needs_the_markers(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("no markers here", encoding="utf-8")
    assert main(["addin", "reference", "--write", str(readme)]) == 2
    assert "needs the markers" in capsys.readouterr().err
    assert readme.read_text(encoding="utf-8") == "no markers here"
