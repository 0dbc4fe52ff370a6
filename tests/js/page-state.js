// What a page or frame is doing, for a test's failure message: its document's state, whether
// main.js ran, the status line, the calls waiting and the page faults (genlab.errors), each
// widget's state, its service worker, and the files it has finished loading (the last ones).
() => ({
  url: location.href,
  readyState: document.readyState,
  mainRan: document.documentElement.dataset.app === "started",
  runtime: document.documentElement.dataset.runtime,
  status: document.getElementById("runtime-label")?.textContent,
  runtimeState: window.genlab?.runtime?.state ?? null,
  pending: window.genlab ? [...genlab.runtime.pending.values()].map((w) => w.fn ?? w.message?.type) : null,
  pageFaults: window.genlab?.errors ?? null,
  widgets: [...document.querySelectorAll("[data-widget]")].map((w) => `${w.dataset.widget} ${w.dataset.state}`).join(", "),
  serviceWorker: navigator.serviceWorker?.controller?.state ?? "none",
  loaded: performance.getEntriesByType("resource").slice(-12).map((e) => `${e.name.split("/").pop()} ${Math.round(e.duration)} ms`),
})
