// Service worker: after one visit, the whole lesson loads with the network off.
// build.py writes the build's facts below; the cache is named after the build's
// content hash, so a new build fills a new cache and the old one is deleted.
const BUILD = "__GENLAB_BUILD__";
const SCOPE = new URL("./", self.location.href);
// Named by path too: two copies of GenLab on one origin keep separate caches.
const PREFIX = `genlab:${SCOPE.pathname}:`;
const CACHE = `${PREFIX}${BUILD.hash}`;

self.addEventListener("install", (event) => {
  // cache: "no-cache" revalidates with the server: a file the page has just
  // fetched costs a 304, and no stale copy of an older build slips in.
  const requests = BUILD.files.map((file) => new Request(new URL(file, SCOPE), { cache: "no-cache" }));
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const have = new Set((await cache.keys()).map((request) => request.url));
    await cache.addAll(requests.filter((request) => !have.has(request.url)));
    // No skipWaiting: a page of the previous build keeps its own files until every
    // tab of it is closed, so no page ever mixes two builds.
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== SCOPE.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Query strings are page state, not different files.
    const hit = await cache.match(event.request, { ignoreSearch: true });
    return hit || fetch(event.request);
  })());
});
