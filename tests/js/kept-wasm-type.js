// The Content-Type the offline cache (genlab:*) keeps for pyodide/pyodide.asm.wasm.
async () => {
    const cache = await caches.open((await caches.keys()).find((k) => k.startsWith('genlab:')));
    return (await cache.match(new URL('pyodide/pyodide.asm.wasm', location.href).href)).headers.get('content-type');
}
