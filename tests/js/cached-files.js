// True once this build's offline cache (named after the build's hash) holds every named file with
// the SHA-256 it should have: `sums[name]` for a file of the build, or, with `sums` null, the sum in
// the facts the worker saved with the file, which must name this build (a damaged file a test
// left behind does not count).
async ([names, hash, sums]) => {
    const name = (await caches.keys()).find((k) => k.startsWith('genlab:') && k.endsWith(hash));
    if (!name) return false;
    const cache = await caches.open(name);
    const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
    for (const n of names) {
        const hit = await cache.match(new URL(n, location.href).href);
        if (!hit) return false;
        let want = sums && sums[n];
        if (!sums) {
            const facts = JSON.parse(decodeURIComponent(hit.headers.get('x-genlab-snapshot') || 'null'));
            if (!facts || facts.build !== hash) return false;
            want = facts.sha256;
        }
        if (hex(await crypto.subtle.digest('SHA-256', await hit.arrayBuffer())) !== want) return false;
    }
    return true;
}
