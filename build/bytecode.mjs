// Node.js side of build/bytecode.py: loads the build's Pyodide with numpy and our wheel, then runs
// build/bytecode_compile.py, which leaves the packed bytecode in Pyodide's /tmp/bytecode.raw.
// argv: Pyodide's module (as a .mjs file), the pyodide folder, our wheel, the Python file, the output file.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [module, runtime, wheel, program, out] = process.argv.slice(-5);
const { loadPyodide } = await import(pathToFileURL(module).href);
// A fixed hash seed: sets in the compiled constants come out in the same order on every build.
const pyodide = await loadPyodide({
  indexURL: `${runtime}/`, env: { PYTHONHASHSEED: "0" },
  stdout: () => {}, stderr: (line) => console.error(line),
});
const failures = [];
await pyodide.loadPackage(["numpy", wheel], { messageCallback: () => {}, errorCallback: (line) => failures.push(line) });
if (failures.length) throw new Error(failures.join(" "));
pyodide.runPython(readFileSync(program, "utf8"));
writeFileSync(out, pyodide.FS.readFile("/tmp/bytecode.raw"));
