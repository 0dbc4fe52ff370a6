// The one place Python runs: Pyodide, numpy and the genlab wheel live here.
// This worker never touches the DOM; it answers requests of app/protocol.js.
import { REQUEST, EVENT, describeError } from "./app/protocol.js";
import { startPython } from "./python-start.js";

// Filled in by build.py: {hash, wheel, pyodide, files}.
const BUILD = "__GENLAB_BUILD__";
// GENLAB_BASE: set by the single-file build, whose worker has no address of its own.
const BASE = new URL("./", self.GENLAB_BASE || self.location.href);
// The service worker's cache for this build (sw.js names it the same way).
const CACHE = `genlab:${BASE.pathname}:${BUILD.hash}`;

// Python starts in python-start.js; this file carries requests to it and replies back.
const runtimeFacts = { build: BUILD, base: BASE, cache: CACHE, post: (message) => postMessage(message) };

// Turn api.call's (tree, arrays) reply into plain JS, copying each array once.
function convert(reply) {
  const [treeProxy, arraysProxy] = [reply.get(0), reply.get(1)];
  const arrays = [];
  for (let i = 0; i < arraysProxy.length; i++) {
    const array = arraysProxy.get(i);
    const buffer = array.getBuffer();
    arrays.push(buffer.data.slice());
    buffer.release();
    array.destroy();
  }
  const tree = treeProxy.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  [treeProxy, arraysProxy, reply].forEach((p) => p.destroy());
  return { tree: restore(tree, arrays), transfer: arrays.map((a) => a.buffer) };
}

function restore(node, arrays) {
  if (Array.isArray(node)) return node.map((x) => restore(x, arrays));
  if (node && typeof node === "object") {
    if ("__array__" in node) return { data: arrays[node.__array__], shape: node.shape };
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, restore(v, arrays)]));
  }
  return node;
}

// A failure outside any promise the boot awaits is still a failure to start: tell the page,
// which would otherwise wait for ever. Emscripten reports a WebAssembly module it cannot
// compile only on the console, and loadPyodide then never settles: watch for that too.
let started = false;
const failStart = (error) => {
  if (started) return;
  started = true; // one report
  postMessage({ type: EVENT.FATAL, error: describeError(error) });
};
self.addEventListener("unhandledrejection", (event) => failStart(event.reason));
const WASM_FAILURE = /wasm instantiation failed|CompileError|Incorrect response MIME type|magic word|wasm-unsafe-eval/i;
const WASM_REPORT_MS = 200; // the lines that follow the first one often say why
const wasmLines = [];
for (const level of ["warn", "error"]) {
  const write = console[level].bind(console);
  console[level] = (...args) => {
    const text = args.map(String).join(" ");
    if (!started && (wasmLines.length || WASM_FAILURE.test(text)) && wasmLines.push(text) === 1) {
      setTimeout(() => failStart(new Error(`pyodide.asm.wasm could not be started: ${wasmLines.join(" ")}`)), WASM_REPORT_MS);
    }
    write(...args);
  };
}

const runtime = startPython(runtimeFacts, convert).then(
  (rt) => {
    if (started) throw new Error("Python started after a failure was reported");
    started = true;
    postMessage({ type: EVENT.READY, info: rt.info });
    return rt;
  },
  (err) => {
    failStart(err);
    throw err;
  },
);
runtime.catch(() => {}); // reported above as a fatal event; requests see it too

self.onmessage = async ({ data: { id, type, payload } }) => {
  if (type === REQUEST.CRASH) {
    setTimeout(() => { throw new Error("worker crashed on request"); });
    return;
  }
  try {
    const { pyodide, api } = await runtime;
    if (type !== REQUEST.CALL) throw new Error(`unknown request type ${type}`);
    const started = performance.now();
    const args = pyodide.toPy(payload.args || {});
    let reply;
    try {
      reply = api.call(payload.fn, args);
    } finally {
      args.destroy();
    }
    const { tree, transfer } = convert(reply);
    postMessage({ id, ok: true, result: tree, ms: performance.now() - started }, transfer);
  } catch (err) {
    postMessage({ id, ok: false, error: describeError(err) });
    // After a fatal error (a WebAssembly trap, out of memory) Python cannot go on.
    if (err && err.pyodide_fatal_error) postMessage({ type: EVENT.FATAL, error: describeError(err) });
  }
};
