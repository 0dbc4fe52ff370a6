// The one place Python runs: Pyodide, numpy and the genlab wheel live here.
// This worker never touches the DOM; it answers requests of app/protocol.js.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { REQUEST, EVENT, STAGES, describeError } from "./app/protocol.js";

// Filled in by build.py: {hash, wheel, pyodide, files}.
const BUILD = "__GENLAB_BUILD__";
// GENLAB_BASE: set by the single-file build, whose worker has no address of its own.
const BASE = new URL("./", self.GENLAB_BASE || self.location.href);
// The service worker's cache for this build (sw.js names it the same way).
const CACHE = `genlab:${BASE.pathname}:${BUILD.hash}`;

// Keep what the runtime downloads (interpreter, standard library, wheels) in the
// offline cache as it arrives, so the service worker's precache, which starts once
// Python is ready, need not download the 10 MB interpreter a second time.
const networkFetch = self.fetch.bind(self);
const canCache = () => {
  try {
    return Boolean(self.caches); // a page without an origin (a file, a sandbox) may not even ask
  } catch {
    return false;
  }
};
// While Python starts, the bytes received so far: real progress for the page, and a sign of
// life for its watchdog on a slow network (the interpreter alone is 10 MB).
const DOWNLOAD_REPORT_MS = 250;
let received = 0;
let reportedAt = 0;
function counted(response) {
  if (!response.body || started) return response;
  const count = new TransformStream({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (performance.now() - reportedAt > DOWNLOAD_REPORT_MS) {
        reportedAt = performance.now();
        postMessage({ type: EVENT.DOWNLOAD, bytes: received });
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(count), response);
}

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
self.fetch = async (input, init) => {
  const response = await networkFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input, BASE);
  const want = BUILD.sha256?.[url.href.slice(BASE.href.length)];
  if (response.ok && want && canCache()) {
    const copy = response.clone();
    caches.open(CACHE)
      .then(async (cache) => {
        if (await cache.match(url)) return;
        const bytes = await copy.arrayBuffer(); // only this build's very file is kept
        if (hex(await crypto.subtle.digest("SHA-256", bytes)) === want) await cache.put(url, new Response(bytes, copy));
      })
      .catch(() => {}); // storage refused (private mode): offline use is simply unavailable
  }
  return counted(response);
};

const stageMs = {}; // how long each loading stage took, reported with "ready"
let current = null;

// Marks the start of a loading stage (null: loading is over) and tells the page.
function progress(stage) {
  const now = performance.now();
  if (current) stageMs[current.stage] = Math.round(now - current.start);
  current = stage && { stage, start: now };
  if (!stage) return;
  const step = STAGES.findIndex((s) => s.stage === stage);
  postMessage({ type: EVENT.PROGRESS, stage, step, steps: STAGES.length, label: STAGES[step].label });
}

async function boot() {
  const started = performance.now();
  progress("runtime");
  // numpy and micropip are fetched while the interpreter initialises.
  const pyodide = await loadPyodide({
    indexURL: new URL("pyodide/", BASE).href,
    packages: ["numpy", "micropip"],
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  });
  progress("wheel");
  const micropip = pyodide.pyimport("micropip");
  await micropip.install.callKwargs(new URL(BUILD.wheel, BASE).href, { deps: false });
  micropip.destroy();
  progress("warmup");
  const api = pyodide.pyimport("genlab.api");
  const info = convert(api.call("info", pyodide.toPy({}))).tree;
  progress(null);
  info.build = BUILD.hash;
  info.bootMs = Math.round(performance.now() - started);
  info.stageMs = stageMs;
  return { pyodide, api, info };
}

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

const runtime = boot().then(
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
