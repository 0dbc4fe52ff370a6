// Service worker: after one visit, the whole lesson loads with the network off.
// build.py writes the build's facts below; the cache is named after the build's
// content hash, so a new build fills a new cache and the old one is deleted.
const BUILD = "__GENLAB_BUILD__";
const SCOPE = new URL("./", self.location.href);
// Named by path too: two copies of GenLab on one origin keep separate caches.
const PREFIX = `genlab:${SCOPE.pathname}:`;
const CACHE = `${PREFIX}${BUILD.hash}`;

// A cached copy is used only if it is the file this build made: a damaged copy is dropped
// and fetched again, so a corrupted cache heals itself instead of breaking the build.
// (Every use is checked: hashing the whole build costs tens of milliseconds per load.)
const relative = (url) => new URL(url).pathname.slice(SCOPE.pathname.length) || "./";

async function isIntact(response, url) {
  const want = BUILD.sha256[relative(url)];
  if (!want) return true;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer()));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("") === want;
}

// Tells every page of this site what went wrong with the offline copy (main.js shows it once).
async function tellPages(message) {
  for (const client of await self.clients.matchAll({ includeUncontrolled: true, type: "window" })) client.postMessage(message);
}

// Hosts type files by their extension, and many do not know .wasm or .mjs (Moodle, older nginx
// and Apache maps send application/octet-stream or text/plain). A kept copy gets the type its
// kind of file needs, so a start from the offline copy never depends on the host's map, and the
// worker hands the WebAssembly file on untouched (which lets the browser reuse its compiled code).
const TYPES = { wasm: "application/wasm", js: "text/javascript", mjs: "text/javascript", json: "application/json",
  html: "text/html", css: "text/css", svg: "image/svg+xml", png: "image/png" };
const essence = (type) => (type || "").split(";")[0].trim().toLowerCase();
const isJavaScript = (type) => /^(?:text|application)\/(?:x-)?(?:javascript|ecmascript)$/.test(essence(type));

async function typed(response, url) {
  const want = TYPES[new URL(url).pathname.split("/").pop().split(".").pop()];
  const have = response.headers.get("content-type");
  if (!want || !response.ok || essence(have) === want || (want === TYPES.js && isJavaScript(have))) return response;
  const headers = new Headers(response.headers);
  headers.set("content-type", want);
  return new Response(await response.arrayBuffer(), { status: response.status, statusText: response.statusText, headers });
}

self.addEventListener("install", (event) => {
  event.waitUntil(precache().catch(async (err) => {
    await caches.delete(CACHE).catch(() => {}); // a part of a copy is no offline copy
    await tellPages({ type: "genlab:no-offline-copy", full: err?.name === "QuotaExceededError", reason: String(err?.message || err) });
    throw err;
  }));
});

// cache: "no-cache" revalidates with the server: a file the page has just
// fetched costs a 304, and no stale copy of an older build slips in.
function precache() {
  return (async () => {
    const cache = await caches.open(CACHE);
    for (const file of BUILD.files) {
      const url = new URL(file, SCOPE).href;
      const have = await cache.match(url);
      if (have && await isIntact(have, url)) continue;
      const response = await fetch(new Request(url, { cache: "no-cache" }));
      // A host without an index page for a folder (Moodle answers 404) has no "./" to keep.
      if (file === "./" && response.status === 404) continue;
      if (!response.ok || !(await isIntact(response, url))) {
        throw new Error(`${file} is not the file of build ${BUILD.hash}: no offline copy is made`);
      }
      await cache.put(url, await typed(response, url));
    }
    // No skipWaiting: a page of the previous build keeps its own files until every
    // tab of it is closed, so no page ever mixes two builds.
  })();
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// The build a request belongs to, when it names one: a worker is started as worker.js?build=HASH,
// and what it loads comes from that worker (its client). The worker's client id is learnt from the
// request for its script (resultingClientId): asking clients.get() about a worker still loading
// waits until it has loaded, which it cannot do while this waits (Firefox follows the standard
// there). Null when nothing says (a page and the files it loads; this service worker restarted).
const buildOfClient = new Map(); // client id -> build named by its worker's address
const BUILD_OF_CLIENT_MAX = 64;

function buildAsked(event, url) {
  const named = url.searchParams.get("build");
  if (named !== null && event.resultingClientId) {
    buildOfClient.set(event.resultingClientId, named);
    if (buildOfClient.size > BUILD_OF_CLIENT_MAX) buildOfClient.delete(buildOfClient.keys().next().value);
  }
  return named ?? buildOfClient.get(event.clientId) ?? null;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== SCOPE.origin) return;
  event.respondWith((async () => {
    // A worker of another build (its page loaded past this service worker, as Shift+Reload does
    // while an update waits) gets its own build's files from the network, never this build's.
    const asked = buildAsked(event, url);
    if (asked !== null && asked !== BUILD.hash) return fetch(event.request);
    const cache = await caches.open(CACHE);
    // Query strings are page state, not different files.
    const key = new URL(url.pathname, url).href;
    const hit = await cache.match(key);
    if (hit && await isIntact(hit, key)) return hit;
    if (hit) await cache.delete(key); // damaged: fetched again below, and kept only if intact
    const response = await fetch(event.request, hit ? { cache: "reload" } : undefined);
    if (hit && response.ok && await isIntact(response, key)) await cache.put(key, await typed(response.clone(), key));
    return response;
  })());
});
