// The text the offline cache holds for the file at path.
async (path) => {
    const cache = await caches.open((await caches.keys())[0]);
    return (await cache.match(new URL(path, location.href).href)).text();
}
