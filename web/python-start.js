// How Python starts in the worker: the runtime's downloads kept in the offline cache as they
// arrive, their bytes counted for the page's progress bar, then Pyodide, numpy and our wheel.
import { loadPyodide } from "./pyodide/pyodide.mjs";
import { EVENT, STAGES } from "./app/protocol.js";

let BUILD, BASE, CACHE, post; // set by startPython
let booting = false; // bytes are counted only while Python starts

// Keep what the runtime downloads (interpreter, standard library, wheels) in the
// offline cache as it arrives, so the service worker's precache, which starts once
// Python is ready, need not download the 10 MB interpreter a second time.
const networkFetch = self.fetch.bind(self);
const canCache = () => {
  try {
    return Boolean(self.caches); // a page without an origin (a file, a sandbox) may not even ask
  } catch {
    return false;
  }
};
// While Python starts, the bytes received so far: real progress for the page, and a sign of
// life for its watchdog on a slow network (the interpreter alone is 10 MB).
const DOWNLOAD_REPORT_MS = 250;
let received = 0;
let reportedAt = 0;
function counted(response) {
  if (!response.body || !booting) return response;
  const count = new TransformStream({
    transform(chunk, controller) {
      received += chunk.byteLength;
      if (performance.now() - reportedAt > DOWNLOAD_REPORT_MS) {
        reportedAt = performance.now();
        post({ type: EVENT.DOWNLOAD, bytes: received });
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body.pipeThrough(count), response);
}

const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
const cachingFetch = async (input, init) => {
  const response = await networkFetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input, BASE);
  const want = BUILD.sha256?.[url.href.slice(BASE.href.length)];
  if (response.ok && want && canCache()) {
    const copy = response.clone();
    caches.open(CACHE)
      .then(async (cache) => {
        if (await cache.match(url)) return;
        const bytes = await copy.arrayBuffer(); // only this build's very file is kept
        if (hex(await crypto.subtle.digest("SHA-256", bytes)) === want) await cache.put(url, new Response(bytes, copy));
      })
      .catch(() => {}); // storage refused (private mode): offline use is simply unavailable
  }
  return counted(response);
};

const stageMs = {}; // how long each loading stage took, reported with "ready"
let current = null;

// Marks the start of a loading stage (null: loading is over) and tells the page.
function progress(stage) {
  const now = performance.now();
  if (current) stageMs[current.stage] = Math.round(now - current.start);
  current = stage && { stage, start: now };
  if (!stage) return;
  const step = STAGES.findIndex((s) => s.stage === stage);
  post({ type: EVENT.PROGRESS, stage, step, steps: STAGES.length, label: STAGES[step].label });
}

// Starts Pyodide, numpy and the genlab wheel, reporting stages and bytes through `post`;
// resolves to {pyodide, api, info}. `convert` turns an api.call reply into plain JS.
export async function startPython(facts, convert) {
  ({ build: BUILD, base: BASE, cache: CACHE, post } = facts);
  self.fetch = cachingFetch;
  booting = true;
  try {
    return await boot(convert);
  } finally {
    booting = false;
  }
}

async function boot(convert) {
  const started = performance.now();
  progress("runtime");
  // numpy and micropip are fetched while the interpreter initialises.
  const pyodide = await loadPyodide({
    indexURL: new URL("pyodide/", BASE).href,
    packages: ["numpy", "micropip"],
    stdout: () => {},
    stderr: (line) => console.warn("[python]", line),
  });
  progress("wheel");
  const micropip = pyodide.pyimport("micropip");
  await micropip.install.callKwargs(new URL(BUILD.wheel, BASE).href, { deps: false });
  micropip.destroy();
  progress("warmup");
  const api = pyodide.pyimport("genlab.api");
  const info = convert(api.call("info", pyodide.toPy({}))).tree;
  progress(null);
  info.build = BUILD.hash;
  info.bootMs = Math.round(performance.now() - started);
  info.stageMs = stageMs;
  return { pyodide, api, info };
}

