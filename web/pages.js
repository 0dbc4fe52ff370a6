// The pages a worker serves: each page's own copy of genlab.api (its runs, its picture), and
// a fair turn for its calls. Worker-side only; worker.js carries the messages.
import { GONE_AFTER_BEATS } from "./app/core/protocol.js";

// Run once per interpreter. A page's copy of genlab.api runs the module's code again in a
// fresh namespace, so its runs, run ids, limits and uploaded picture are its own; the caches of
// pure functions (the language model, its logits, the shipped diffusion models) are shared.
const PAGE_PY = `
import gc
import importlib.util

import genlab.api as _first
from genlab import diffusion as _diffusion, gan as _gan

_SPEC = importlib.util.find_spec("genlab.api")
_CODE = _SPEC.loader.get_code("genlab.api")


def page_api():
    """A new copy of genlab.api for one page."""
    module = importlib.util.module_from_spec(_SPEC)
    exec(_CODE, vars(module))
    for name, value in vars(_first).items():
        if hasattr(value, "cache_info"):  # functools caches: one copy serves every page
            setattr(module, name, value)
    return module


def drop_page(module):
    """Frees a page's runs now (the module's functions and namespace refer to each other)."""
    vars(module).clear()


def live_runs():
    """GAN and diffusion runs alive in this interpreter, over every page."""
    objects = gc.get_objects()
    return {"gan": sum(isinstance(o, _gan.Gan) for o in objects),
            "diffusion": sum(isinstance(o, _diffusion.Diffusion) for o in objects)}
`;

// The Python helpers above, for one interpreter: {pageApi(), dropPage(module), liveRuns()}.
export function pageHelpers(pyodide) {
  const namespace = pyodide.toPy({});
  pyodide.runPython(PAGE_PY, { globals: namespace });
  const [pageApi, dropPage, liveRuns] = ["page_api", "drop_page", "live_runs"].map((name) => namespace.get(name));
  namespace.destroy();
  return {
    pageApi: () => pageApi(),
    dropPage(module) {
      dropPage(module);
      module.destroy();
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

// One connected page: where its replies go, its waiting calls, its genlab.api copy.
class Page {
  api = null; // a PyProxy of its genlab.api copy, made at its first call
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

  // Forgets a page and its waiting calls; frees its runs through `drop` (the caller's helpers).
  remove(page, drop) {
    this.#pages.delete(page);
    this.#turns = this.#turns.filter((p) => p !== page);
    page.queue = [];
    this.release(page, drop);
  }

  release(page, drop) {
    const api = page.api;
    page.api = null;
    if (api && drop) drop(api);
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
