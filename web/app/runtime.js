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

const RECENT_CALLS = 200; // calls remembered in `recent`, for tests and benchmarks

export class Runtime extends EventTarget {
  #settle = null; // resolve/reject of the current `ready` promise
  recent = []; // the last calls answered: {fn, owner, ms} (ms: time the worker spent on it)

  constructor(workerUrl = new URL("../worker.js", import.meta.url)) {
    super();
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
  }

  start() {
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
    if (msg.type === EVENT.PROGRESS) return this.#emit("progress", msg);
    if (msg.type === EVENT.READY) {
      this.info = msg.info;
      this.#settle.resolve(msg.info);
      return this.#setState("ready", { info: msg.info });
    }
    if (msg.type === EVENT.FATAL) return this.#die(`Python could not start: ${msg.error.message}`);
    const waiter = this.pending.get(msg.id);
    if (!waiter) return;
    this.pending.delete(msg.id);
    this.recent.push({ fn: waiter.fn, owner: waiter.owner, ms: msg.ms });
    if (this.recent.length > RECENT_CALLS) this.recent.shift();
    if (msg.ok) waiter.resolve(msg.result);
    else waiter.reject(new PythonError(msg.error));
  }

  #die(message) {
    if (this.state === "error") return;
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
