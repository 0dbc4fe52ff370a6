// The one message protocol between the page and the Python worker.
//
// Page -> worker (request):   {id, type, payload}
//   type "call"  payload {fn, args}   calls genlab.api.<fn>(**args)
//   type "crash" payload {}           kills the worker on purpose (tests of the restart path)
// Worker -> page (reply):     {id, ok: true, result, ms} | {id, ok: false, error}
//   ms: how long the worker spent on the call (Python and copying the arrays out).
//   error = {type, message, traceback}: a Python exception, its message intact.
// Worker -> page (event, no id):
//   {type: "progress", stage, step, steps, label, done}   loading stages, in order
//   {type: "download", bytes, total, done}                bytes of the runtime received so far (while
//                                                         starting) out of the total expected
//   done: the share of the whole start finished (0 to 1, never going back; see PROGRESS_SHARE)
//   {type: "ready", info}                           Python, numpy and genlab are loaded
//   {type: "fatal", error}                          the runtime cannot start or has died
//
// Arrays cross as typed arrays: in a result, {"__array__": TypedArray, shape} is
// rebuilt by the worker from a numpy buffer (one copy) and transferred, never shared.

export const REQUEST = Object.freeze({ CALL: "call", CRASH: "crash" });
export const EVENT = Object.freeze({ PROGRESS: "progress", DOWNLOAD: "download", READY: "ready", FATAL: "fatal" });

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
