// The pages a worker serves: each page's own genlab.api.Session (its runs, its picture), and
// a fair turn for its calls. Worker-side only; worker.js carries the messages.
import { GONE_AFTER_BEATS } from "./app/core/protocol.js";

// The Python side of pages, for one interpreter: {newSession(), close(session), liveRuns()}.
// A page's runs and uploaded picture live in a genlab.api.Session of its own, made at its first
// call and closed when it leaves; what every page only reads (the language model, the shipped
// diffusion models, caches of pure functions) is module-level in genlab.api and shared.
export function pageHelpers(pyodide) {
  const api = pyodide.pyimport("genlab.api");
  const [Session, liveRuns] = [api.Session.copy(), api.live_runs.copy()]; // borrowed ones die with api
  api.destroy();
  return {
    newSession: () => Session(),
    close(session) {
      session.close();
      session.destroy();
    },
    liveRuns() {
      const counts = liveRuns();
      try {
        return counts.toJs({ dict_converter: Object.fromEntries });
      } finally {
        counts.destroy();
      }
    },
  };
}

// One connected page: where its replies go, its waiting calls, its Python session.
class Page {
  session = null; // a PyProxy of its genlab.api.Session, made at its first call
  queue = []; // its calls not yet answered, oldest first
  beatMs = null; // how often it pings (null: it does not, as a dedicated worker's page)
  heardAt = performance.now();
  calledAt = -Infinity; // when it last asked for a call

  constructor(id, port) {
    this.id = id;
    this.port = port;
  }

  post(message, transfer = []) {
    this.port.postMessage(message, transfer);
  }

  heard() {
    this.heardAt = performance.now();
  }

  silent(now) {
    return this.beatMs !== null && now - this.heardAt > GONE_AFTER_BEATS * this.beatMs;
  }
}

export class Pages {
  #pages = new Set();
  #turns = []; // pages with calls waiting, the next to be served first
  #count = 0;

  get size() {
    return this.#pages.size;
  }

  [Symbol.iterator]() {
    return this.#pages.values();
  }

  add(port) {
    const page = new Page(++this.#count, port);
    this.#pages.add(page);
    return page;
  }

  has(page) {
    return this.#pages.has(page);
  }

  rejoin(page) {
    this.#pages.add(page);
  }

  // Forgets a page and its waiting calls; frees its runs through `close` (the caller's helpers).
  remove(page, close) {
    this.#pages.delete(page);
    this.#turns = this.#turns.filter((p) => p !== page);
    page.queue = [];
    this.release(page, close);
  }

  // Lets go of a page's session; `close` frees its runs now (null: its interpreter is dead).
  release(page, close) {
    const session = page.session;
    page.session = null;
    if (session && close) close(session);
  }

  enqueue(page, call) {
    page.calledAt = performance.now();
    page.queue.push(call);
    if (!this.#turns.includes(page)) this.#turns.push(page);
  }

  // The next call to answer, taking pages in turn: one call each, so a page that queues many
  // training calls never holds back another page's slider for more than one call.
  next() {
    const page = this.#turns.shift();
    if (!page) return null;
    const call = page.queue.shift();
    if (page.queue.length) this.#turns.push(page);
    return [page, call];
  }

  // True when a page other than this one has a call waiting, or made one within the last
  // `withinMs`: someone else is using Python now (a slider moved in another frame or tab).
  othersActive(page, withinMs) {
    const now = performance.now();
    for (const other of this.#pages) if (other !== page && (other.queue.length || now - other.calledAt < withinMs)) return true;
    return false;
  }

  // Every waiting call, taken out (they will not be answered by this interpreter).
  drain() {
    const waiting = [];
    for (const page of this.#turns) waiting.push(...page.queue.splice(0).map((call) => [page, call]));
    this.#turns = [];
    return waiting;
  }
}
