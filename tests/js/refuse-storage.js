// Init script: the page as in a private mode that refuses it service workers, caches and storage.
(() => {
  const refuse = () => { throw new DOMException('The operation is insecure.', 'SecurityError'); };
  Object.defineProperty(navigator, 'serviceWorker', {get: () => ({
    register: () => Promise.reject(new DOMException('Service workers are disabled in private browsing.', 'SecurityError')),
    addEventListener() {}, controller: null, ready: new Promise(() => {}),
  })});
  Object.defineProperty(window, 'caches', {get: refuse});
  Object.defineProperty(window, 'sessionStorage', {get: refuse});
  Object.defineProperty(window, 'localStorage', {get: refuse});
})();
