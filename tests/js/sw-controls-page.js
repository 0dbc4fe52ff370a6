// True once an activated service worker controls the page.
async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return Boolean(reg && reg.active && reg.active.state === 'activated' && navigator.serviceWorker.controller);
}
