// Runs suanli's xlwings Lite bundle in Pyodide (the Python that xlwings Lite runs in the browser),
// under Node: used by tests/test_pyodide.py.
//
//   node tests/pyodide/smoke.mjs BUNDLE.py      prints one JSON object
//
// Pyodide's own numpy comes from its CDN, which a machine that reaches only the package registries
// cannot fetch (the npm package carries the interpreter and the standard library, no numpy), so
// the bundle runs until its first `import numpy`.  What is checked up to there: the bundle loads,
// its importer installs and serves suanli's modules, every module it carries compiles under
// Pyodide's Python, and every data file it carries parses.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const pyodideDir = join(here, "node_modules", "pyodide");
const { loadPyodide } = await import(join(pyodideDir, "pyodide.mjs"));
const lock = JSON.parse(readFileSync(join(pyodideDir, "pyodide-lock.json"), "utf8"));

const py = await loadPyodide({ indexURL: pyodideDir + "/" });
py.globals.set("bundle_text", readFileSync(process.argv[2], "utf8"));
const report = py.runPython(`
import json, sys, tomllib
g = {"__name__": "main"}
try:
    exec(compile(bundle_text, "main.py", "exec"), g)
    stopped = None
except ModuleNotFoundError as exc:
    stopped = exc.name
compiled = 0
for name, (is_package, source) in g["_SOURCES"].items():
    compile(source, "<suanli " + name + ">", "exec")
    compiled += 1
parsed = 0
for path, text in g["_DATA"].items():
    if path.endswith(".toml"):
        tomllib.loads(text)
        parsed += 1
json.dumps({
    "python": sys.version.split()[0],
    "platform": sys.platform,
    "importer": any(type(f).__name__ == "_SuanliImporter" for f in sys.meta_path),
    "imported": sorted(n for n in sys.modules if n == "engine" or n.startswith(("engine.", "addin"))),
    "stopped_at": stopped,
    "modules": len(g["_SOURCES"]),
    "compiled": compiled,
    "data_files": len(g["_DATA"]),
    "toml_parsed": parsed,
})
`);
const out = JSON.parse(report);
out.pyodide = py.version;
out.numpy_in_lock = lock.packages.numpy ? lock.packages.numpy.file_name : null;
console.log(JSON.stringify(out));
