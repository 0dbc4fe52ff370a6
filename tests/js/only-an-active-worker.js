// True once the service worker registered for scope is active, with no other waiting or installing.
async (scope) => {
    const r = await navigator.serviceWorker.getRegistration(scope);
    return Boolean(r && r.active && !r.waiting && !r.installing);
}
