// The one place Python runs: Pyodide, numpy and the genlab wheel live here.
// Started as a SharedWorker it serves every GenLab page, embed and tab of this site and build
// (each connects a port); started as a dedicated worker it serves the page that made it.
// It never touches the DOM; it answers requests of app/core/protocol.js.
import { REQUEST, EVENT, describeError, SHARED_SLICE_MS, ACTIVE_WITHIN_MS } from "./app/core/protocol.js";
import { startPython, hostFailure } from "./python-start.js";
import { Pages, pageHelpers } from "./pages.js";

// Filled in by build.py: {hash, wheel, pyodide, files}.
const BUILD = "__GENLAB_BUILD__";
// GENLAB_BASE: set by the single-file build, whose worker has no address of its own.
const BASE = new URL("./", self.GENLAB_BASE || self.location.href);
// The service worker's cache for this build (sw.js names it the same way).
const CACHE = `genlab:${BASE.pathname}:${BUILD.hash}`;
const SHARED = typeof SharedWorkerGlobalScope === "function" && self instanceof SharedWorkerGlobalScope;
const WORKER_ID = `w${performance.timeOrigin.toFixed(1)}`; // tells apart two workers of one browser
const SWEEP_MS = 1000; // how often a shared worker looks for pages gone silent

const pages = new Pages();
let turn = 0; // calls answered, over every page and interpreter
let life = null; // the interpreter: {generation, state: "loading" | "ready" | "dead", rt, helpers, progress, fatal}
let generation = 0;

const broadcast = (message) => {
  for (const page of pages) page.post(message);
};

// Turn Session.call's (tree, arrays) reply into plain JS, copying each array once.
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

// A failure outside any promise the boot awaits is still a failure to start: tell the pages,
// which would otherwise wait for ever. Emscripten reports a WebAssembly module it cannot
// compile only on the console, and loadPyodide then never settles: watch for that too.
self.addEventListener("unhandledrejection", (event) => life?.state === "loading" && fail(life, event.reason));
const WASM_FAILURE = /wasm instantiation failed|CompileError|Incorrect response MIME type|magic word|wasm-unsafe-eval/i;
const WASM_REPORT_MS = 200; // the lines that follow the first one often say why
let wasmLines = [];
for (const level of ["warn", "error"]) {
  const write = console[level].bind(console);
  console[level] = (...args) => {
    const text = args.map(String).join(" ");
    if (life?.state === "loading" && (wasmLines.length || WASM_FAILURE.test(text)) && wasmLines.push(text) === 1) {
      const failing = life;
      setTimeout(() => fail(failing, new Error(`pyodide.asm.wasm could not be started: ${wasmLines.join(" ")}`)), WASM_REPORT_MS);
    }
    write(...args);
  };
}
// A dedicated worker's uncaught error reaches its page, which ends the worker. A shared
// worker's reaches no page: it is told to every page as a fatal error.
if (SHARED) self.addEventListener("error", (event) => life && die(life, new Error(`the worker stopped unexpectedly (${event.message})`)));

// Starts an interpreter (again, after a restart); pages hear its progress and "ready".
function boot() {
  const current = { generation: ++generation, state: "loading", rt: null, helpers: null, progress: null, fatal: null };
  life = current;
  wasmLines = [];
  const post = (message) => {
    if (life !== current || current.state !== "loading") return; // a dead start's late news
    if (message.type === EVENT.PROGRESS) current.progress = message; // for pages that join meanwhile
    broadcast(message);
  };
  const saved = (outcome) => life === current && broadcast({ type: EVENT.SAVED, ...outcome });
  startPython({ build: BUILD, base: BASE, cache: CACHE, post, saved }, convert).then((rt) => {
    if (current.state !== "loading") return; // a failure was reported first
    Object.assign(current, { state: "ready", rt, helpers: pageHelpers(rt.pyodide) });
    for (const page of pages) greet(page);
    serve();
  }, (err) => fail(current, err));
}

// A start that failed: when the host is to blame (a file missing, or sent with a type the
// browser refuses), the pages are told that, in words for the site's admin.
function fail(current, err) {
  hostFailure().catch(() => null).then((blame) => die(current, blame || err));
}

// Python cannot go on: every page is told, and its waiting calls end.
function die(current, err, during = current.state === "loading" ? "start" : "run") {
  if (current.state === "dead" || life !== current) return;
  current.state = "dead";
  current.fatal = { type: EVENT.FATAL, error: describeError(err), during };
  for (const [page, { id }] of pages.drain()) page.post({ id, ok: false, error: current.fatal.error });
  for (const page of pages) pages.release(page, null); // its session belonged to the dead interpreter
  broadcast(current.fatal);
}

// What a page that connects (or asks again) is told: where the interpreter stands.
function greet(page) {
  if (life.state === "ready") {
    const worker = { shared: SHARED, id: WORKER_ID, page: page.id, generation: life.generation };
    page.post({ type: EVENT.READY, info: { ...life.rt.info, worker } });
  } else if (life.state === "dead") {
    page.post(life.fatal);
  } else if (life.progress) {
    page.post(life.progress);
  }
}

function restart(page) {
  if (life.state !== "dead") return greet(page); // alive: this page had only lost touch
  broadcast({ type: EVENT.RESTARTING });
  boot();
}

// A page that said goodbye, or went silent (a frozen tab may come back: it then joins again,
// with a fresh Session, and its old runs are reported as expired).
function leave(page, bye) {
  pages.remove(page, life.state === "ready" ? life.helpers.close : null);
  if (bye && SHARED) page.port.close();
}

function status(page) {
  return {
    shared: SHARED, worker: WORKER_ID, page: page.id, pages: pages.size, generation: life.generation,
    state: life.state, live: life.state === "ready" ? life.helpers.liveRuns() : null,
  };
}

// One call at a time, pages in turn; between two calls the worker takes in the messages that
// arrived meanwhile, so a page that asks now is served after at most one call of each other page.
const tick = new MessageChannel();
let serving = false;
tick.port1.onmessage = () => {
  serving = false;
  serve();
};
function serve() {
  if (serving || life.state !== "ready") return;
  const next = pages.next();
  if (!next) return;
  answer(...next);
  serving = true;
  tick.port2.postMessage(null);
}

function answer(page, { id, payload }) {
  const { pyodide } = life.rt;
  let given = payload.args || {};
  try {
    const started = performance.now();
    page.session ??= life.helpers.newSession();
    if (given.budget_ms > SHARED_SLICE_MS && pages.othersActive(page, ACTIVE_WITHIN_MS)) given = { ...given, budget_ms: SHARED_SLICE_MS };
    const args = pyodide.toPy(given);
    let reply;
    try {
      reply = page.session.call(payload.fn, args);
    } finally {
      args.destroy();
    }
    const { tree, transfer } = convert(reply);
    page.post({ id, ok: true, result: tree, ms: performance.now() - started, turn: ++turn, budget: given.budget_ms }, transfer);
  } catch (err) {
    page.post({ id, ok: false, error: describeError(err), turn: ++turn });
    // After a fatal error (a WebAssembly trap, out of memory) Python cannot go on.
    if (err && err.pyodide_fatal_error) die(life, err);
  }
}

function receive(page, { id, type, payload = {} }) {
  page.heard();
  if (!pages.has(page)) pages.rejoin(page);
  if (type === REQUEST.CALL) {
    pages.enqueue(page, { id, payload });
    return serve();
  }
  if (type === REQUEST.PING) page.beatMs = payload.every;
  else if (type === REQUEST.BYE) leave(page, true);
  else if (type === REQUEST.STATUS) page.post({ id, ok: true, result: status(page) });
  else if (type === REQUEST.RESTART) restart(page);
  else if (type === REQUEST.CRASH) setTimeout(() => { throw new Error("worker crashed on request"); });
  else page.post({ id, ok: false, error: describeError(new Error(`unknown request type ${type}`)) });
}

function connect(port) {
  const page = pages.add(port);
  port.onmessage = ({ data }) => receive(page, data);
  page.post({ type: EVENT.HELLO, build: BUILD.hash });
  greet(page);
}

boot();
if (SHARED) {
  self.onconnect = ({ ports: [port] }) => connect(port);
  // A page that vanished without saying goodbye (a crash, a frozen tab) stops pinging.
  setInterval(() => {
    const now = performance.now();
    for (const page of [...pages]) if (page.silent(now)) leave(page, false);
  }, SWEEP_MS);
} else {
  connect(self);
}
