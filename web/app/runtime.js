// The page's side of the worker bridge: one worker, requests with ids, and a
// visible account of its state. The page never runs Python itself.
import { REQUEST, EVENT } from "./protocol.js";

export class PythonError extends Error {
  constructor({ type, message, traceback }) {
    super(message);
    this.name = type || "Error";
    this.traceback = traceback || "";
  }
}

// Python must show a sign of life (a loading stage, a reply) this often while it starts or
// while calls wait; otherwise it is taken as stuck, and the page says so and offers a restart.
export const STALL_MS = 75_000;

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

export class Runtime extends EventTarget {
  #settle = null; // resolve/reject of the current `ready` promise
  recent = []; // the last calls answered: {fn, owner, ms} (ms: time the worker spent on it)
  #watchdog = null;
  stallMs = STALL_MS; // tests may shorten it

  // Any sign of life restarts the count; with nothing to wait for, it stops.
  #alive() {
    clearTimeout(this.#watchdog);
    this.#watchdog = null;
    const waiting = this.state === "loading" ? `while ${this.stage || "starting"}` : this.pending.size ? "to a call" : null;
    if (!waiting || this.state === "error") return;
    this.#watchdog = setTimeout(() => (document.hidden ? this.#alive() : this.#die(`Python stopped answering (nothing for ${Math.round(this.stallMs / 1000)} s ${waiting}). `
      + "Restart Python; if it happens again, reload the page.")), this.stallMs); // a hidden tab is frozen, not stuck
  }

  constructor(workerUrl = new URL("../worker.js", import.meta.url)) {
    super();
    document.addEventListener("visibilitychange", () => !document.hidden && this.#alive()); // a fresh count on return
    this.workerUrl = workerUrl;
    this.start();
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

  start() {
    this.stage = null;
    this.pending = new Map();
    this.nextId = 1;
    this.info = null;
    this.ready = new Promise((resolve, reject) => { this.#settle = { resolve, reject }; });
    this.ready.catch(() => {}); // callers see the failure through call(); no unhandled rejection
    this.#setState("loading");
    // The single-file build brings its own worker, made from the files inside the page.
    let worker;
    try {
      worker = globalThis.GENLAB_SINGLE ? globalThis.GENLAB_SINGLE.startWorker() : new Worker(this.workerUrl, { type: "module" });
    } catch (err) {
      this.worker = { terminate() {}, postMessage() {} };
      queueMicrotask(() => this.#die(err.message)); // listeners are attached by then
      return;
    }
    worker.onmessage = ({ data }) => this.#receive(data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#die(`The Python worker stopped unexpectedly${event.message ? `: ${event.message}` : "."}`);
    };
    this.worker = worker;
  }

  #receive(msg) {
    this.#alive();
    if (msg.type === EVENT.DOWNLOAD) return this.#emit("download", msg);
    if (msg.type === EVENT.PROGRESS) {
      this.stage = msg.label.toLowerCase();
      this.#alive();
      return this.#emit("progress", msg);
    }
    if (msg.type === EVENT.READY) {
      this.info = msg.info;
      this.#settle.resolve(msg.info);
      return this.#setState("ready", { info: msg.info });
    }
    if (msg.type === EVENT.FATAL) {
      const started = this.state === "ready";
      return this.#die(started ? `Python stopped: ${msg.error.message}. Restart Python.`
        : `Python could not start: ${msg.error.message}. ${explainStartFailure(msg.error.message)}`);
    }
    const waiter = this.pending.get(msg.id);
    if (!waiter) return;
    this.pending.delete(msg.id);
    this.#alive();
    this.recent.push({ fn: waiter.fn, owner: waiter.owner, ms: msg.ms });
    if (this.recent.length > RECENT_CALLS) this.recent.shift();
    if (msg.ok) waiter.resolve(msg.result);
    else waiter.reject(new PythonError(msg.error));
  }

  #die(message) {
    if (this.state === "error") return;
    clearTimeout(this.#watchdog);
    this.worker.terminate();
    const error = new Error(message);
    this.#settle.reject(error);
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.#setState("error", { message });
  }

  // Calls genlab.api.<fn>(**args) in the worker; resolves with plain data.
  // owner names the section asking (see busyElsewhere).
  call(fn, args = {}, owner = null) {
    if (this.state === "error") return Promise.reject(new Error("The Python worker is not running."));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject, fn, owner });
      if (this.#watchdog === null) this.#alive(); // a new call is no sign of life: an armed count goes on
      this.worker.postMessage({ id, type: REQUEST.CALL, payload: { fn, args } });
    });
  }

  // True when a call of another owner is in flight: the worker answers one call at
  // a time, so a call made now waits for it.
  busyElsewhere(owner) {
    return [...this.pending.values()].some((waiter) => waiter.owner !== owner);
  }

  // For tests of the failure path: the worker throws outside any request.
  crash() {
    this.worker.postMessage({ id: 0, type: REQUEST.CRASH, payload: {} });
  }

  restart() {
    this.state = "restarting";
    this.worker.terminate();
    for (const waiter of this.pending.values()) waiter.reject(new Error("The worker was restarted."));
    this.start();
  }
}
