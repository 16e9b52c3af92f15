"""Run the xlwings Lite bundle the way xlwings Lite runs it, in CPython: used by tests/test_lite.py.

    python -I tests/officejs_host.py BUNDLE.py  < calls.json  > results.json

Started with ``XLWINGS_ON_SERVER=true``, so ``import xlwings`` gives the Office.js decorators that
xlwings Lite uses, and with ``XLWINGS_LICENSE_KEY=noncommercial``: the Office.js machinery is
xlwings PRO code under the PolyForm Noncommercial licence, used here in tests only; suanli never
imports it at run time (in xlwings Lite, Lite itself provides it).

The bundle is loaded as the module ``main`` (what Lite makes of main.py).  Then, as Lite does,
``custom_functions_meta(main)`` lists the functions Excel registers and ``custom_functions_call``
calls them with arguments in Office.js's shapes.  Prints one JSON object: the metadata, each
function's module, and for each call the cells xlwings hands back to Excel.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import json
import os
import sys

assert os.environ.get("XLWINGS_ON_SERVER") == "true", "start this with XLWINGS_ON_SERVER=true"

import xlwings  # noqa: E402
from xlwings.server import custom_functions_call, custom_functions_meta  # noqa: E402


def load_main(path: str):
    spec = importlib.util.spec_from_file_location("main", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["main"] = module
    spec.loader.exec_module(module)
    return module


def call(main, name: str, args: list):
    data = {
        "func_name": name,
        "args": args,
        "version": xlwings.__version__,
        "client": "Office.js",
        "runtime": "1.5",            # CustomFunctionsRuntime: 1.4 and later take error objects back
        "culture_info_name": "en-US",
        "date_format": "m/d/yyyy",
        "caller_address": "Sheet1!A1",
    }
    try:
        return {"cells": asyncio.run(custom_functions_call(data, main))}
    except Exception as exc:  # noqa: BLE001  reported to the test, which fails naming the call
        return {"raised": f"{type(exc).__name__}: {exc}"}


def main() -> None:
    module = load_main(sys.argv[1])
    calls = json.load(sys.stdin)
    import engine

    out = {
        "loader": type(engine.__spec__.loader).__name__,
        "meta": custom_functions_meta(module),
        "modules": {name: [getattr(module, name).__module__, inspect.getmodule(getattr(module, name)).__name__]
                    for name in module.__all__},
        "results": [call(module, c["name"], c["args"]) for c in calls],
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
