// True once the origin has one offline cache holding at least `expected` files.
async (expected) => {
    const keys = await caches.keys();
    if (keys.length !== 1) return false;
    return (await (await caches.open(keys[0])).keys()).length >= expected;
}
