// Replaces a saved file: its bytes changed by `change`, its facts by `facts` (merged in), and the
// SHA-256 in its facts made to match the new bytes when `rehash` is set.
async ([name, hash, change, facts, rehash]) => {
    const cacheName = (await caches.keys()).find((k) => k.startsWith('genlab:') && k.endsWith(hash));
    const cache = await caches.open(cacheName);
    const key = new URL(name, location.href).href;
    const hit = await cache.match(key);
    const bytes = new Uint8Array(await hit.arrayBuffer());
    const old = JSON.parse(decodeURIComponent(hit.headers.get('x-genlab-snapshot')));
    if (change === 'flip') bytes[bytes.length >> 1] ^= 0xff;
    if (change === 'garbage') for (let i = 0; i < bytes.length; i += 4096) bytes[i] = (i * 7919) & 0xff;
    const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join('');
    const sha256 = rehash ? hex(await crypto.subtle.digest('SHA-256', bytes)) : old.sha256;
    const header = encodeURIComponent(JSON.stringify({...old, ...facts, sha256}));
    await cache.put(key, new Response(bytes, {headers: {'x-genlab-snapshot': header}}));
    return old.sha256 !== hex(await crypto.subtle.digest('SHA-256', bytes));
}
