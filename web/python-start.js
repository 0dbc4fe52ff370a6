// How Python starts in the worker: the runtime's downloads kept in the offline cache as they
// arrive and counted for the page's progress bar; then the interpreter, either restored from a
// memory snapshot this browser saved on an earlier visit or started in full; then numpy and our
// wheel, and the language model woken up.
//
// The snapshot holds the bare interpreter only (Pyodide's public snapshot API cannot hold numpy:
// its compiled libraries live outside WebAssembly memory). It is made on a full start, right
// after the interpreter is up and before any package is loaded, kept in Cache Storage once
// Python is ready, and used on a later visit only if it was made for this very build in this
// very browser, its SHA-256 matches, and the restored interpreter passes a self-check. Any doubt
// or failure means a full start; `info.start` says which path was taken and why.
import { EVENT, STAGES, PROGRESS_SHARE } from "./app/core/protocol.js";
import { essence, hostProblem, checkServed } from "./app/core/host.js";

let BUILD, BASE, CACHE, post, saved; // set by startPython
let booting = false; // bytes are counted only while Python starts
let receivedFiles = []; // functions that keep a file received while Python started (run once it is ready)

// Keep what the runtime downloads (interpreter, standard library, wheels) in the offline cache,
// so the service worker's precache, which starts once Python is ready, need not download the
// 10 MB interpreter a second time. Files received while Python starts are hashed and stored just
// after it is ready: meanwhile that work took the cores Python's start needs (a first visit was
// ready about 0.3 s later, measured side by side).
const networkFetch = self.fetch.bind(self);
const canCache = () => {
  try {
    return Boolean(self.caches); // a page without an origin (a file, a sandbox) may not even ask
  } catch {
    return false;
  }
};

// ----------------------------------------------------------------------------- progress
// The bar is the sum of work finished: the share of the expected bytes received so far (each
// file counted up to its size in build.json), plus a fixed share for each stage done. Every
// part only grows and none exceeds its share, so the bar never goes back nor runs ahead.
const DOWNLOAD_REPORT_MS = 250;
// What a start downloads: the lock file, the interpreter, the standard library, numpy's wheel and
// ours, and the build's compiled bytecode.
const isStartupFile = (rel, build) => rel === build.wheel || rel === build.bytecode || /^pyodide\/(pyodide-lock\.json|pyodide\.asm\.wasm|python_stdlib\.zip|numpy-.*\.whl)$/.test(rel);
let expected = {}; // relative path -> bytes the build says it has
let expectedTotal = 0;
let got = {}; // relative path -> bytes received (at most expected)
let received = 0; // all bytes received, for the label
let reportedAt = 0;
let stagesDone = 0; // share of the bar earned by finished stages

function done() {
  const bytes = Object.values(got).reduce((a, b) => a + b, 0);
  const download = expectedTotal ? Math.min(1, bytes / expectedTotal) : 1;
  return Math.min(1, PROGRESS_SHARE.download * download + stagesDone);
}

function credit(rel, bytes) {
  received += bytes;
  if (rel in expected) got[rel] = Math.min(expected[rel], (got[rel] || 0) + bytes);
  if (performance.now() - reportedAt > DOWNLOAD_REPORT_MS || got[rel] === expected[rel]) {
    reportedAt = performance.now();
    post({ type: EVENT.DOWNLOAD, bytes: received, total: expectedTotal, done: done() });
  }
}

function counted(response, rel) {
  if (!response.body || !booting) return response;
  const count = new TransformStream({
    transform(chunk, controller) {
      credit(rel, chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(count), response);
}

// A write refused for lack of room means no offline copy here: what this build's cache holds is
// dropped (a part of a copy is no offline copy; sw.js does the same), and the page is told.
function dropCopyIfFull(err) {
  if (err?.name === "QuotaExceededError") caches.delete(CACHE).catch(() => {});
  throw err;
}

// ----------------------------------------------------------------------------- hosts
// Hosts type files by their extension, and many do not know .wasm: Moodle sends it as
// application/octet-stream, as do older nginx and Apache maps. Pyodide compiles its WebAssembly
// as it streams in, which browsers allow only for application/wasm, and has no fallback. So a
// WebAssembly file that came with another type is handed on as application/wasm: its bytes
// decide (a page sent in its place fails to compile, and the message says what came instead).
const WASM = "application/wasm";
const SCRIPTS = ["pyodide/pyodide.module.js", "pyodide/pyodide.asm.js"]; // imported, not fetched: checked only if the start fails
let served = {}; // relative path -> {status, type} as the host sent it (for the message if the start fails)

const retype = (response, rel) => rel.endsWith(".wasm") && response.ok && essence(response.headers.get("content-type")) !== WASM;

// The response's headers, with the type a WebAssembly file needs.
function headersFor(response, rel) {
  const headers = new Headers(response.headers);
  if (rel.endsWith(".wasm")) headers.set("content-type", WASM);
  return headers;
}

const typed = (response, rel) => (retype(response, rel)
  ? new Response(response.body, { status: response.status, statusText: response.statusText, headers: headersFor(response, rel) })
  : response);

// What the host did wrong, in words for its admin, if the start failed because of it: an HTTP
// error or a page in place of a file Python fetched, or a script not sent as JavaScript.
// Returns an Error named HostError, or null when the host is not to blame.
export async function hostFailure() {
  const fetched = Object.entries(served).filter(([rel]) => rel !== BUILD?.bytecode); // the bytecode may fail: Python compiles instead
  let problem = fetched.map(([rel, { status, type }]) => hostProblem(rel, status, type)).find(Boolean);
  for (const rel of SCRIPTS) problem ??= await checkServed(new URL(rel, BASE).href, rel, networkFetch);
  if (!problem) return null;
  const err = new Error(problem);
  err.name = "HostError";
  return err;
}

// Pyodide's module: imported as Python starts, not at the top, so that a host that serves it
// wrongly is named in the start's message (a failed top-level import stops the worker before it
// can say anything). The single-file build has loaded it already, as a classic script.
let pyodideModule = null;
const importPyodide = () => (pyodideModule ??= self.loadPyodide ? Promise.resolve(self)
  : import("./pyodide/pyodide.module.js"));
const loadPyodide = async (options) => (await importPyodide()).loadPyodide(options);

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const sha256 = async (bytes) => hex(await crypto.subtle.digest("SHA-256", bytes));
const cachingFetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input, BASE);
  const rel = url.href.slice(BASE.href.length);
  const want = BUILD.sha256?.[rel];
  const cache = want && canCache() ? await caches.open(CACHE).catch(() => null) : null;
  const kept = Boolean(cache && await cache.match(url).catch(() => null));
  const response = await networkFetch(input, init);
  if (booting) served[rel] = { status: response.status, type: response.headers.get("content-type") };
  if (kept) {
    // Already on this machine (the service worker serves it from the offline cache, with the
    // type it needs): handed on as it is, which lets the browser reuse the code it compiled for
    // the interpreter on an earlier visit (a response rebuilt around a counting stream, or to
    // change its type, is compiled afresh).
    if (booting && response.ok && rel in expected) credit(rel, expected[rel]);
    return typed(response, rel);
  }
  if (response.ok && cache) {
    const copy = response.clone();
    const bytes = copy.arrayBuffer();
    bytes.catch(() => {}); // a copy that fails is simply not kept (keep() below sees the failure)
    const keep = async () => {
      if (await sha256(await bytes) !== want) return; // only this build's very file
      await cache.put(url, new Response(await bytes, { status: copy.status, statusText: copy.statusText, headers: headersFor(copy, rel) })).catch(dropCopyIfFull);
    };
    if (booting) receivedFiles.push(keep);
    else keep().catch(() => {}); // storage refused (private mode): offline use is simply unavailable
  }
  return counted(typed(response, rel), rel);
};

let stageMs = {}; // how long each loading stage took, reported with "ready"
let current = null;
let path = []; // the stages of the path taken, in order

// Marks the start of a loading stage (null: loading is over) and tells the page.
function progress(stage) {
  const now = performance.now();
  if (current) {
    // A restore is timed as "runtime" too: the same keys on both paths (info.start tells them apart).
    stageMs[current.stage === "restore" ? "runtime" : current.stage] = Math.round(now - current.start);
    stagesDone += PROGRESS_SHARE[current.stage] || 0;
  }
  current = stage && { stage, start: now };
  if (!stage) return;
  const step = path.indexOf(stage);
  const { label } = STAGES.find((s) => s.stage === stage);
  post({ type: EVENT.PROGRESS, stage, step, steps: path.length, label, done: done() });
}

// ----------------------------------------------------------------------------- saved starts
// This browser keeps python-snapshot.bin, the bare interpreter's memory made on a full start, for
// later visits, in this build's offline cache (so a new build starts without it, and the service
// worker deletes it with the old build's files). Its facts travel in a header: the build, the
// browser, the Python it was made by, the SHA-256 of the bytes. It is not used unless all match.
const SAVE_DELAY_MS = 3000; // after ready: the page's first calls come first
const SNAPSHOT = "python-snapshot.bin";
const snapshotKey = () => new URL(SNAPSHOT, BASE).href; // BASE is known once Python starts
const FACTS_HEADER = "x-genlab-snapshot";

// {bytes, facts} of the saved snapshot if it fits this build and browser, or {reason} why there is none.
async function readSnapshot() {
  if (!canCache()) return { reason: "this page has no storage to keep a snapshot in" };
  let hit;
  try {
    hit = await caches.match(snapshotKey(), { cacheName: CACHE }); // (opening the cache would make one)
  } catch (err) {
    // A browser that keeps storage from frames of other sites refuses with a SecurityError.
    return { reason: err?.name === "SecurityError" ? "this browser gives this page no storage"
      : `storage refused: ${err.message || err}` };
  }
  if (!hit) return { reason: "no snapshot saved yet" };
  let facts;
  try {
    facts = JSON.parse(decodeURIComponent(hit.headers.get(FACTS_HEADER) || ""));
  } catch {
    return { reason: "its facts are unreadable" };
  }
  if (facts.build !== BUILD.hash) return { reason: "made for another build" };
  if (facts.userAgent !== navigator.userAgent) return { reason: "made for another browser" };
  const bytes = new Uint8Array(await hit.arrayBuffer());
  if (await sha256(bytes) !== facts.sha256) return { reason: "checksum mismatch" };
  return { bytes, facts };
}

async function saveSnapshot(bytes, python) {
  if (!canCache()) throw new Error("this page has no storage to keep it in");
  const facts = { build: BUILD.hash, userAgent: navigator.userAgent, python, sha256: await sha256(bytes), bytes: bytes.length };
  const headers = { "content-type": "application/octet-stream", [FACTS_HEADER]: encodeURIComponent(JSON.stringify(facts)) };
  await (await caches.open(CACHE)).put(snapshotKey(), new Response(bytes, { headers })).catch(dropCopyIfFull);
}

const PYODIDE_OPTIONS = () => ({
  indexURL: new URL("pyodide/", BASE).href,
  stdout: () => {},
  stderr: (line) => console.warn("[python]", line),
});

// A restored interpreter must compute and know what it was made as, or it is not used.
function selfCheck(pyodide, facts) {
  const python = pyodide.runPython("import sys; sys.version");
  if (python !== facts.python) throw new Error(`it holds Python ${python}, not ${facts.python}`);
  const sum = pyodide.runPython("sum(i * i for i in range(100))");
  if (sum !== 328350) throw new Error(`it computed ${sum} for a sum of squares`);
}

// Interpreters this worker has begun to start. Only the first may be kept as a snapshot: one made
// after another start in the same worker (a failed restore, a restart after a fatal error) holds
// that start's leftovers, and its restore fails later ("function signature mismatch", measured).
let begun = 0;

// The interpreter: from a snapshot when one fits, else in full (making a snapshot when it can).
// Returns {pyodide, start: {path, reason}, snapshot: bytes to keep or null}.
async function interpreter() {
  const stored = await readSnapshot();
  if (stored.bytes) {
    path = ["restore", "packages", "warmup"];
    progress("restore");
    try {
      begun += 1;
      const pyodide = await loadPyodide({ ...PYODIDE_OPTIONS(), _loadSnapshot: stored.bytes });
      selfCheck(pyodide, stored.facts);
      return { pyodide, start: { path: "snapshot", reason: "made for this build and browser, checksum and self-check passed" }, snapshot: null };
    } catch (err) {
      current = null; // a failed restore earns no share of the bar
      stored.reason = `restore failed: ${String(err.message || err).split("\n")[0]}`;
      // It will not fit next time either: forget it, so that the next full start in a fresh
      // worker saves a good one (this worker's own start may not: see `begun`).
      caches.open(CACHE).then((cache) => cache.delete(snapshotKey())).catch(() => {});
      // (Not a warning: the worker reads warnings while Python starts for a failing WebAssembly file.)
      console.info(`GenLab: the saved snapshot could not be used (${stored.reason}); starting Python in full.`);
    }
  }
  path = ["runtime", "packages", "warmup"];
  progress("runtime");
  const makeSnapshot = canCache() && begun === 0;
  begun += 1;
  const pyodide = await loadPyodide({ ...PYODIDE_OPTIONS(), _makeSnapshot: makeSnapshot });
  let snapshot = null;
  if (makeSnapshot) {
    try {
      // The bare interpreter: before any package, and before any call made from JavaScript
      // leaves a reference behind.
      snapshot = pyodide.makeMemorySnapshot();
    } catch (err) {
      console.warn("GenLab: no snapshot could be made of this start.", err);
    }
  }
  return { pyodide, start: { path: "normal", reason: stored.reason }, snapshot };
}

// ----------------------------------------------------------------------------- start

// Starts Pyodide, numpy and the genlab wheel, reporting stages and bytes through `post`;
// resolves to {pyodide, api, info}. `convert` turns an api.call reply into plain JS. `saved(outcome)`
// hears, after ready, whether the snapshot for the next visit was kept ({kept, full, reason}).
export async function startPython(facts, convert) {
  ({ build: BUILD, base: BASE, cache: CACHE, post, saved = () => {} } = facts);
  expected = Object.fromEntries(Object.entries(BUILD.sizes || {}).filter(([rel]) => isStartupFile(rel, BUILD)));
  expectedTotal = Object.values(expected).reduce((a, b) => a + b, 0);
  // A shared worker starts Python again after a fatal error: the bar starts from nothing again.
  [got, received, reportedAt, stagesDone, stageMs, current, served] = [{}, 0, 0, 0, {}, null, {}];
  importPyodide().catch(() => {}); // fetched while the snapshot is looked for (a failure is met in interpreter())
  self.fetch = cachingFetch;
  booting = true;
  try {
    return await boot(convert);
  } finally {
    booting = false;
    const files = receivedFiles.splice(0);
    setTimeout(() => files.forEach((keep) => keep().catch(() => {})));
  }
}

// ----------------------------------------------------------------------------- bytecode
// The build ships the compiled bytecode of the modules a start imports (Pyodide's numpy wheel has
// none, and compiling its 2 MB of source cost a start most of a second): "checked-hash" .pyc
// files, made by this very Pyodide's Python (build.py, `build_bytecode`), gzipped. Python itself
// compares each with the hash of its source file on import and compiles the source instead when
// they differ, so a stale or foreign file can cost time but never change what runs.

// {bytes} of the build's bytecode, unpacked and checked, or {reason} why there are none.
async function shippedBytecode() {
  if (!BUILD.bytecode) return { reason: "this build has none (built without Node.js)" };
  if (typeof DecompressionStream !== "function") return { reason: "this browser cannot unpack it" };
  try {
    const response = await self.fetch(new URL(BUILD.bytecode, BASE).href);
    if (!response.ok) return { reason: `it could not be fetched (HTTP ${response.status})` };
    const packed = await response.arrayBuffer();
    const want = BUILD.sha256?.[BUILD.bytecode];
    if (want && await sha256(packed) !== want) return { reason: "checksum mismatch" };
    const unpacked = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
    return { bytes: new Uint8Array(await new Response(unpacked).arrayBuffer()) };
  } catch (err) {
    return { reason: `it could not be read: ${err.message || err}` };
  }
}

// Counts the placed files whose recorded source hash is that of the source beside them: the
// ones Python will use (for info, and so a build whose bytecode stopped matching is noticed).
const PYC_MATCHING = `
import importlib.util
def _matching(site, paths):
    found = 0
    for path in paths:
        with open(f"{site}/{path}", "rb") as f:
            head = f.read(16)
        with open(importlib.util.source_from_cache(f"{site}/{path}"), "rb") as f:
            source = f.read()
        found += head[4:8] == b"\\x03\\0\\0\\0" and head[8:16] == importlib.util.source_hash(source)
    return found
_matching
`;

// Writes the bytecode beside the sources it was compiled from; returns a sentence for info.
function placeBytecode(pyodide, bytes, python) {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const index = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length)));
  if (index.python !== python) throw new Error(`made by Python ${index.python}`);
  const site = pyodide._api.sitepackages;
  let at = 4 + length;
  for (const { path, length: n } of index.files) {
    if (!/^[\w.\-/]+\/__pycache__\/[\w.\-]+\.pyc$/.test(path) || path.split("/").includes("..")) {
      throw new Error(`an unexpected path ${path}`);
    }
    const dir = `${site}/${path.slice(0, path.lastIndexOf("/"))}`;
    pyodide.FS.mkdirTree(dir);
    pyodide.FS.writeFile(`${site}/${path}`, bytes.subarray(at, at + n));
    at += n;
  }
  if (at !== bytes.length) throw new Error("its index does not match its length");
  const matching = pyodide.runPython(PYC_MATCHING);
  const paths = pyodide.toPy(index.files.map((f) => f.path));
  try {
    const found = matching(site, paths);
    const all = index.files.length;
    return found === all ? `${all} compiled files from the build, all matching their sources`
      : `${all} compiled files from the build, ${found} matching their sources (Python compiles the others)`;
  } finally {
    paths.destroy();
    matching.destroy();
  }
}

async function boot(convert) {
  const started = performance.now();
  const { pyodide, start, snapshot } = await interpreter();
  const shipped = shippedBytecode(); // fetched while numpy loads (not while the interpreter compiles)
  const python = pyodide.runPython("import sys; sys.version");
  progress("packages");
  // numpy and our wheel (a pure-Python wheel, unpacked by Pyodide's own package loader).
  const failures = [];
  await pyodide.loadPackage(["numpy", new URL(BUILD.wheel, BASE).href], {
    messageCallback: () => {},
    errorCallback: (line) => failures.push(line),
  });
  if (failures.length) throw new Error(`numpy or GenLab's wheel could not be loaded: ${failures.join(" ")}`);
  const bytecode = await shipped;
  if (bytecode.bytes) {
    try {
      start.bytecode = placeBytecode(pyodide, bytecode.bytes, python);
    } catch (err) {
      bytecode.reason = `unusable: ${err.message || err}`;
    }
  }
  start.bytecode ??= `compiled from source (${bytecode.reason})`;
  progress("warmup");
  const api = pyodide.pyimport("genlab.api");
  const info = convert(api.call("info", pyodide.toPy({}))).tree;
  progress(null);
  info.build = BUILD.hash;
  info.bootMs = Math.round(performance.now() - started);
  info.stageMs = stageMs;
  info.start = start;
  if (snapshot) setTimeout(() => keep(snapshot, python, info.start), SAVE_DELAY_MS);
  return { pyodide, api, info };
}

// Keeps the snapshot for the next visit (hashing and storing 20 MB takes a moment: so it waits
// until the page's first calls are answered). What became of it is told to the pages (`saved`)
// and kept in info.start.saved for pages that connect later.
async function keep(snapshot, python, start) {
  let outcome;
  try {
    await saveSnapshot(snapshot, python);
    outcome = { kept: true };
  } catch (err) {
    const full = err?.name === "QuotaExceededError";
    outcome = { kept: false, full, reason: full ? "not enough storage" : String(err?.message || err) };
  }
  start.saved = outcome;
  saved(outcome);
}
