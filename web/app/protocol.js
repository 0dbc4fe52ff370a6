// The one message protocol between the page and the Python worker.
//
// Page -> worker (request):   {id, type, payload}
//   type "call"  payload {fn, args}   calls genlab.api.<fn>(**args)
//   type "crash" payload {}           kills the worker on purpose (tests of the restart path)
// Worker -> page (reply):     {id, ok: true, result, ms} | {id, ok: false, error}
//   ms: how long the worker spent on the call (Python and copying the arrays out).
//   error = {type, message, traceback}: a Python exception, its message intact.
// Worker -> page (event, no id):
//   {type: "progress", stage, step, steps, label}   loading stages, in order
//   {type: "download", bytes}                       bytes of the runtime received so far (while starting)
//   {type: "ready", info}                           Python, numpy and genlab are loaded
//   {type: "fatal", error}                          the runtime cannot start or has died
//
// Arrays cross as typed arrays: in a result, {"__array__": TypedArray, shape} is
// rebuilt by the worker from a numpy buffer (one copy) and transferred, never shared.

export const REQUEST = Object.freeze({ CALL: "call", CRASH: "crash" });
export const EVENT = Object.freeze({ PROGRESS: "progress", DOWNLOAD: "download", READY: "ready", FATAL: "fatal" });

// Loading stages, shown by the progress bar in this order.
export const STAGES = Object.freeze([
  { stage: "runtime", label: "Starting Python (WebAssembly) and fetching numpy" },
  { stage: "wheel", label: "Installing GenLab's models" },
  { stage: "warmup", label: "Waking up the language model" },
]);

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
