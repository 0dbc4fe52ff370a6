// The one message protocol between a page and the Python worker.
//
// The worker is shared when it can be: every GenLab page, embed and tab of one site and build
// connects a port to the same SharedWorker, so Python starts once per browser. Where a
// SharedWorker is missing or refused, a page starts a dedicated worker of its own; the
// messages are the same. Each page's replies go to that page only, and its runs (GAN,
// diffusion training, an uploaded picture) live in a copy of genlab.api of its own.
//
// Page -> worker (request):   {id, type, payload}
//   type "call"    payload {fn, args}   calls genlab.api.<fn>(**args) in this page's copy
//   type "status"  payload {}           the worker as this page sees it (a reply, see below)
//   type "restart" payload {}           start Python again after it died (for every page)
//   type "ping"    payload {every}      the page is alive and pings every `every` ms; silent for
//                                       GONE_AFTER_BEATS pings, it is taken as gone
//   type "bye"     payload {}           the page is going away: its runs are freed now
//   type "crash"   payload {}           kills the worker on purpose (tests of the restart path)
// Worker -> page (reply):     {id, ok: true, result, ms, turn} | {id, ok: false, error}
//   ms: how long the worker spent on the call (Python and copying the arrays out);
//   turn: the worker's count of calls answered, over every page (shows the order of turns).
//   error = {type, message, traceback}: a Python exception, its message intact.
//   A status reply's result: {shared, worker, page, pages, generation, state, live: {gan, diffusion}}
//   (worker: an id of the worker; page: this page's number in it; pages: pages connected;
//   live: GAN and diffusion runs held in memory, over every page).
// Worker -> page (event, no id):
//   {type: "hello", build}                                first, on connecting: the build this worker
//                                                         belongs to (a page of another build leaves it)
//   {type: "progress", stage, step, steps, label, done}   loading stages, in order
//   {type: "download", bytes, total, done}                bytes of the runtime received so far (while
//                                                         starting) out of the total expected
//   done: the share of the whole start finished (0 to 1, never going back; see PROGRESS_SHARE)
//   {type: "ready", info}                           Python, numpy and genlab are loaded; info.worker =
//                                                   {shared, id, page, generation}
//   {type: "fatal", error, during}                  the runtime cannot start (during "start") or has died
//                                                   ("run"); every connected page is told
//   {type: "restarting"}                            a page asked for a restart: Python starts again
//   {type: "saved", kept, full, reason}             after ready: whether the snapshot for the next
//                                                   visit was kept (full: the browser had no room)
//
// Arrays cross as typed arrays: in a result, {"__array__": TypedArray, shape} is
// rebuilt by the worker from a numpy buffer (one copy) and transferred, never shared.

export const REQUEST = Object.freeze({
  CALL: "call", STATUS: "status", RESTART: "restart", PING: "ping", BYE: "bye", CRASH: "crash",
});
export const EVENT = Object.freeze({
  HELLO: "hello", PROGRESS: "progress", DOWNLOAD: "download", READY: "ready", FATAL: "fatal", RESTARTING: "restarting",
  SAVED: "saved",
});
// While another page uses Python, a training call of one page is given at most SHARED_SLICE_MS
// of its budget_ms, so the other page's next call (a slider) waits little; the trainer just makes
// more, shorter calls. A page that called within ACTIVE_WITHIN_MS counts as using Python.
export const SHARED_SLICE_MS = 10;
export const ACTIVE_WITHIN_MS = 1500;
export const GONE_AFTER_BEATS = 12; // pings missed before a shared worker frees a silent page's runs

// Loading stages. A start takes "runtime" (the interpreter in full) or "restore" (from the
// snapshot this browser saved on an earlier visit), then "packages" and "warmup".
export const STAGES = Object.freeze([
  { stage: "runtime", label: "Starting Python (WebAssembly)" },
  { stage: "restore", label: "Restoring Python saved by this browser" },
  { stage: "packages", label: "Loading numpy and GenLab's models" },
  { stage: "warmup", label: "Waking up the language model" },
]);

// The progress bar's parts, adding up to 1: the runtime's bytes received out of those expected,
// and each stage once finished (restore stands in for runtime). Nothing is counted before it is done.
export const PROGRESS_SHARE = Object.freeze({ download: 0.5, runtime: 0.25, restore: 0.25, packages: 0.15, warmup: 0.1 });

export function describeError(err) {
  // A PythonError's message is the whole traceback; its last line is the sentence to show.
  const text = String(err && err.message ? err.message : err);
  const lines = text.trim().split("\n");
  const last = lines[lines.length - 1] || text;
  const match = /^(\w+(?:\.\w+)*): ([\s\S]*)$/.exec(last);
  return {
    type: match ? match[1] : (err && err.name) || "Error",
    message: match ? match[2] : last,
    traceback: lines.length > 1 ? text : "",
  };
}
