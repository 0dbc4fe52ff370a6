// A damaged copy of the wasm in the cache: the service worker fetches it again from the host and
// keeps that (see test_a_damaged_cached_file_is_fetched_again).
async () => {
    const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('genlab:')));
    const url = new URL('pyodide/pyodide.asm.wasm', location.href).href;
    await cache.put(url, new Response('damaged', {headers: {'content-type': 'application/octet-stream'}}));
    await (await fetch(url)).arrayBuffer();
}
