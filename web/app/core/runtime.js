// The page's side of the worker bridge: one worker, requests with ids, and a
// visible account of its state. The page never runs Python itself.
//
// Python starts once per browser: the page joins the SharedWorker that every GenLab page,
// embed and tab of this site and build shares (named by the site's path and the build's hash,
// so a page of another build never meets it). Where there is no SharedWorker (the single-file
// build, a sandboxed frame without an origin, a browser without one) the page starts a worker
// of its own. `info.worker` says which: {shared, reason (why not shared), id, page, generation}.
import { REQUEST, EVENT } from "./protocol.js";
import { checkServed } from "./host.js";

// Written by build.py: the build's hash.
const BUILD_HASH = "__GENLAB_BUILD_HASH__";
const HEARTBEAT_MS = 10_000; // a page pings its shared worker this often (it frees the runs of a silent page)

export class PythonError extends Error {
  constructor({ type, message, traceback }) {
    super(message);
    this.name = type || "Error";
    this.traceback = traceback || "";
  }
}

// A call about a run that Python no longer holds (genlab.api.RunExpiredError): most often the
// page was frozen in a background tab long enough for the shared worker to free its runs.
export const isExpiredRun = (err) => /RunExpiredError$/.test(err?.name ?? "");

// Python must show a sign of life (a loading stage, a reply) this often while it starts or
// while calls wait; otherwise it is taken as stuck, and the page says so and offers a restart.
export const STALL_MS = 75_000;

// The status line once Python is ready: a few words for the learner, and the details (how long
// the start took and which way it went, for a teacher or a developer) for the Details element.
export const READY_WORDS = "Ready: the models run here, in your browser.";

export function readyDetails({ bootMs, start, worker } = {}) {
  const joined = worker?.shared && worker.page > 1; // this page joined a start made for another
  const how = !start ? "" : start.path === "snapshot" ? ", restored from a snapshot this browser saved"
    : `, full start: ${start.reason}`;
  const took = joined ? "Python was already running for another GenLab page of this site."
    : `Python started in ${(bootMs / 1000).toFixed(1)} s${how}.`;
  const where = !worker ? "" : worker.shared ? " Worker: shared by every GenLab page of this site and build."
    : ` Worker: this page's own (${worker.reason}).`;
  return `${took}${start ? ` Bytecode: ${start.bytecode}.` : ""}${where}`;
}

// What a failure to start means for the learner, and what to try.
export function explainStartFailure(message) {
  if (/unsafe-eval|Content Security Policy/i.test(message)) {
    return "This site's security policy forbids WebAssembly, which Python needs. The site's host must add "
      + "'wasm-unsafe-eval' to script-src (see the README's Hosting notes). The lesson's text still works.";
  }
  if (/pyodide\.asm\.wasm|magic word|CompileError|LinkError|MIME type|invalid (?:wasm|module)/i.test(message)) {
    return "The Python runtime file (pyodide/pyodide.asm.wasm) is damaged, or the host sent something else "
      + "in its place. Reload the page; if it keeps failing, the host must serve .wasm files unchanged.";
  }
  if (/Failed to fetch|NetworkError|Load failed|404|not found/i.test(message)) {
    return "A file of the Python runtime could not be downloaded. Check the connection and restart Python.";
  }
  return "Restart Python; if it fails again, reload the page.";
}

const RECENT_CALLS = 200; // calls remembered in `recent`, for tests and benchmarks

// A link to a worker: postMessage(message), terminate() (a shared worker's: this page's port
// closes); messages go to onMessage, a failure to start
// or an uncaught error of a dedicated worker to onError(event).
function dedicatedLink(url, reason, onMessage, onError) {
  // The single-file build brings its own worker, made from the files inside the page.
  const worker = globalThis.GENLAB_SINGLE ? globalThis.GENLAB_SINGLE.startWorker() : new Worker(url, { type: "module" });
  worker.onmessage = ({ data }) => onMessage(data);
  worker.onerror = (event) => {
    event.preventDefault();
    onError(event);
  };
  return { shared: false, reason, postMessage: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
}

// True in a frame whose parent page is of another origin (it may not read that page's address).
function framedByAnotherOrigin() {
  try {
    return window.top !== window && !window.top.location.href;
  } catch {
    return true;
  }
}

// The shared worker, or null with the reason it cannot be had here.
function sharedLink(url, onMessage, onError) {
  if (globalThis.GENLAB_SINGLE) return [null, "the single-file build runs a worker of its own"];
  if (typeof SharedWorker !== "function") return [null, "this browser has no SharedWorker"];
  let worker;
  try {
    const name = `genlab:${new URL("./", url).pathname}:${BUILD_HASH}`;
    worker = new SharedWorker(url, { type: "module", name });
  } catch (err) {
    return [null, `a SharedWorker is not allowed here (${err.message})`];
  }
  const port = worker.port;
  port.onmessage = ({ data }) => onMessage(data);
  worker.onerror = (event) => onError(event); // only when its script cannot start
  return [{ shared: true, reason: null, postMessage: (message) => port.postMessage(message), terminate: () => port.close() }, null];
}

export class Runtime extends EventTarget {
  #settle = null; // resolve/reject of the current `ready` promise
  recent = []; // the last calls answered: {fn, owner, ms, turn, budget} (ms: time the worker spent on it; budget: the
  // training time it was given, which the worker may shorten while another page uses Python)
  #watchdog = null;
  #beat = null;
  #heartbeatMs = HEARTBEAT_MS;
  #heard = false; // the current link has answered at least once
  #stalled = false; // the last failure was silence, not a reported error
  stallMs = STALL_MS; // tests may shorten it
  nextId = 1; // request ids are never reused, so a late reply cannot answer a newer call

  // Any sign of life restarts the count; with nothing to wait for, it stops.
  #alive() {
    clearTimeout(this.#watchdog);
    this.#watchdog = null;
    const waiting = this.state === "loading" ? `while ${this.stage || "starting"}` : this.pending.size ? "to a call" : null;
    if (!waiting || this.state === "error") return;
    this.#watchdog = setTimeout(() => (document.hidden ? this.#alive() : this.#stall(`Python stopped answering (nothing for ${Math.round(this.stallMs / 1000)} s ${waiting}). `
      + "Restart Python; if it happens again, reload the page.")), this.stallMs); // a hidden tab is frozen, not stuck
  }

  // The worker's address names this page's build, so that an offline copy of another build
  // never answers for it (sw.js).
  constructor(workerUrl = new URL(`../../worker.js?build=${BUILD_HASH}`, import.meta.url)) {
    super();
    document.addEventListener("visibilitychange", () => !document.hidden && this.#alive()); // a fresh count on return
    // Going away: a shared worker frees this page's runs at once (a page kept for the back
    // button is frozen instead, and freed only if it stays away).
    addEventListener("pagehide", (event) => !event.persisted && this.worker.shared && this.worker.postMessage({ type: REQUEST.BYE }));
    this.workerUrl = workerUrl;
    this.#reset();
    this.#link(true);
  }

  // How often this page pings a shared worker (tests shorten it; 0 stops the pings, as a page
  // that vanished without a word).
  get heartbeatMs() {
    return this.#heartbeatMs;
  }

  set heartbeatMs(ms) {
    this.#heartbeatMs = ms;
    this.#heartbeat();
  }

  #heartbeat() {
    clearInterval(this.#beat);
    if (!this.worker?.shared || !(this.#heartbeatMs > 0)) return;
    const ping = () => this.worker.postMessage({ type: REQUEST.PING, payload: { every: this.#heartbeatMs } });
    ping();
    this.#beat = setInterval(ping, this.#heartbeatMs);
  }

  // state: "loading" | "ready" | "error"; detail carries the message or progress.
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #setState(state, detail = {}) {
    this.state = state;
    this.#emit("state", { state, ...detail });
    this.#alive();
  }

  // A fresh start as this page sees it: nothing pending, loading.
  #reset(why = "The worker was restarted.") {
    for (const waiter of this.pending?.values() ?? []) waiter.reject(new Error(why));
    this.stage = null;
    this.pending = new Map();
    this.info = null;
    this.ready = new Promise((resolve, reject) => { this.#settle = { resolve, reject }; });
    this.ready.catch(() => {}); // callers see the failure through call(); no unhandled rejection
    this.#setState("loading");
  }

  // Connects to the shared worker if `shared` and one can be had here, else to a worker of its own.
  #link(shared, reason = null) {
    this.#heard = false;
    const receive = (link) => (msg) => link === this.worker && this.#receive(msg);
    if (shared) {
      const link = {};
      const [made, why] = sharedLink(this.workerUrl, (msg) => receive(link)(msg), () => this.#sharedFailed(link));
      if (made) {
        this.worker = Object.assign(link, made);
        this.#heartbeat();
        return;
      }
      reason = why;
    }
    clearInterval(this.#beat);
    const link = {};
    try {
      Object.assign(link, dedicatedLink(this.workerUrl, reason, (msg) => receive(link)(msg), (event) => link === this.worker
        && this.#workerFailed(event)));
    } catch (err) {
      this.worker = { shared: false, reason, postMessage() {}, terminate() {} };
      queueMicrotask(() => this.#die(err.message)); // listeners are attached by then
      return;
    }
    this.worker = link;
  }

  // A dedicated worker's uncaught error, or its script that could not start: then, if the host
  // sent worker.js with a type browsers refuse, the message says so, for the site's admin.
  async #workerFailed(event) {
    const blame = this.#heard || globalThis.GENLAB_SINGLE ? null : await checkServed(this.workerUrl.href, "worker.js");
    this.#die(blame ? `Python could not start. ${blame}`
      : `The Python worker stopped unexpectedly${event.message ? `: ${event.message}` : "."}`);
  }

  // A shared worker whose script cannot start: this page starts a worker of its own, which
  // says what fails if it fails too.
  #sharedFailed(link) {
    if (link !== this.worker) return;
    if (this.#heard) return this.#die("The shared Python worker stopped unexpectedly.");
    link.terminate();
    this.#link(false, `the shared worker could not be started${framedByAnotherOrigin() ? " (some browsers allow none in a page embedded from another site)" : ""}`);
  }

  // A worker of another build (a hard reload during an upgrade: the page came from the network,
  // its shared worker from the old build's offline copy) must not answer this page: a shared one
  // is left for a worker of this page's own, asked again for what was sent; a page's own worker
  // that is still another build's cannot be fixed here, and the page says to reload.
  #sameBuild(build) {
    if (build === BUILD_HASH || !build || BUILD_HASH.startsWith("__")) return true;
    const link = this.worker;
    if (link.shared) {
      link.terminate();
      this.#link(false, `a shared worker of another GenLab build was running (build ${build}, an update arrived meanwhile)`);
      for (const waiter of this.pending.values()) this.worker.postMessage(waiter.message);
    } else {
      this.#die(`This page and its Python worker come from two versions of GenLab (${BUILD_HASH} and ${build}): `
        + "an update arrived while the page loaded. Reload the page.");
    }
    return false;
  }

  #receive(msg) {
    if (msg.type === EVENT.HELLO) return this.#sameBuild(msg.build);
    if (msg.type === EVENT.READY && !this.#sameBuild(msg.info.build)) return;
    this.#heard = true;
    this.#alive();
    if (msg.type === EVENT.SAVED) {
      if (this.info?.start) this.info.start.saved = { kept: msg.kept, full: msg.full, reason: msg.reason };
      return this.#emit("saved", msg);
    }
    if (msg.type === EVENT.DOWNLOAD) return this.state === "loading" && this.#emit("download", msg);
    if (msg.type === EVENT.RESTARTING) return this.state !== "loading" && this.#reset("Python was restarted from another GenLab page.");
    if (msg.type === EVENT.PROGRESS) {
      if (this.state !== "loading") return;
      this.stage = msg.label.toLowerCase();
      this.#alive();
      return this.#emit("progress", msg);
    }
    if (msg.type === EVENT.READY) {
      if (this.state === "error") return;
      this.info = { ...msg.info, worker: { ...msg.info.worker, shared: this.worker.shared, reason: this.worker.reason } };
      this.#settle.resolve(this.info);
      return this.#setState("ready", { info: this.info });
    }
    if (msg.type === EVENT.FATAL) {
      const started = msg.during ? msg.during === "run" : this.state === "ready";
      if (!started && msg.error.type === "HostError") return this.#die(`Python could not start. ${msg.error.message}`);
      return this.#die(started ? `Python stopped: ${msg.error.message}. Restart Python.`
        : `Python could not start: ${msg.error.message}. ${explainStartFailure(msg.error.message)}`);
    }
    const waiter = this.pending.get(msg.id);
    if (!waiter) return;
    this.pending.delete(msg.id);
    this.#alive();
    if (waiter.fn) this.recent.push({ fn: waiter.fn, owner: waiter.owner, ms: msg.ms, turn: msg.turn, budget: msg.budget });
    if (this.recent.length > RECENT_CALLS) this.recent.shift();
    if (msg.ok) waiter.resolve(msg.result);
    else waiter.reject(new PythonError(msg.error));
  }

  // No answer for too long: this page gives up on its worker. A dedicated one is ended; a
  // shared one cannot be (other pages may be using it), so a restart starts a worker of its own.
  #stall(message) {
    this.#stalled = true;
    this.#die(message);
  }

  #die(message) {
    if (this.state === "error") return;
    clearTimeout(this.#watchdog);
    // A shared worker that reported the failure stays connected: a restart from any page is heard.
    if (!this.worker.shared || this.#stalled) {
      clearInterval(this.#beat);
      this.worker.terminate();
    }
    const error = new Error(message);
    this.#settle.reject(error);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.#setState("error", { message });
  }

  #request(type, payload, fn = null, owner = null) {
    if (this.state === "error") return Promise.reject(new Error("The Python worker is not running."));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const message = { id, type, payload };
      this.pending.set(id, { resolve, reject, fn, owner, message });
      if (this.#watchdog === null) this.#alive(); // a new call is no sign of life: an armed count goes on
      try {
        this.worker.postMessage(message);
      } catch (err) {
        // Not sent (an argument that cannot be copied to the worker): nothing is waiting for it.
        this.pending.delete(id);
        if (!this.pending.size) this.#alive();
        reject(err);
      }
    });
  }

  // Calls genlab.api.<fn>(**args) in the worker; resolves with plain data.
  // owner names the section asking (see busyElsewhere).
  call(fn, args = {}, owner = null) {
    return this.#request(REQUEST.CALL, { fn, args }, fn, owner);
  }

  // The worker as this page sees it (see protocol.js): shared or not, pages, runs alive.
  status() {
    return this.#request(REQUEST.STATUS, {});
  }

  // True when a call of another owner of this page is in flight: the worker answers one call
  // at a time, so a call made now waits for it.
  busyElsewhere(owner) {
    return [...this.pending.values()].some((waiter) => waiter.owner !== owner);
  }

  // For tests of the failure path: the worker throws outside any request.
  crash() {
    this.worker.postMessage({ id: 0, type: REQUEST.CRASH, payload: {} });
  }

  // Python again. A shared worker starts it again for every page connected (each sees
  // "loading", then "ready"); a dedicated one is replaced.
  restart() {
    const stalled = this.#stalled;
    this.#stalled = false;
    this.state = "restarting";
    this.#reset();
    if (this.worker.shared && !stalled) return this.worker.postMessage({ type: REQUEST.RESTART, payload: {} });
    this.worker.terminate();
    this.#link(false, stalled && this.worker.shared ? "the shared worker stopped answering" : this.worker.reason);
  }
}
