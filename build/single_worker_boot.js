// The worker inside the single file (build/single.py): it receives every file from the page, answers
// the runtime's fetch and importScripts calls for BASE from memory (blob URLs made here, in the
// worker, are allowed from a file:// page; the page's own are not), then runs the usual worker code.
// The build puts the made-up address in place of the placeholder.
self.addEventListener("message", function boot(event) {
  self.removeEventListener("message", boot);
  const files = event.data.files;
  const BASE = "__GENLAB_SINGLE_BASE__";
  const TYPES = {wasm: "application/wasm", js: "text/javascript", mjs: "text/javascript", json: "application/json"};
  const local = (input) => {
    const url = String(input instanceof Request ? input.url : input);
    return url.startsWith(BASE) ? url.slice(BASE.length).split(/[?#]/)[0] : null;
  };
  const networkFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const path = local(input);
    if (path === null) return networkFetch(input, init);
    if (!(path in files)) return new Response(`${path} is not inside this file`, {status: 404});
    const type = TYPES[path.split(".").pop()] || "application/octet-stream";
    return new Response(files[path], {headers: {"Content-Type": type}});
  };
  const blobs = {};
  const importFrom = self.importScripts.bind(self);
  self.importScripts = (...urls) => importFrom(...urls.map((url) => {
    const path = local(url);
    if (path === null) return url;
    blobs[path] = blobs[path] || URL.createObjectURL(new Blob([files[path]], {type: "text/javascript"}));
    return blobs[path];
  }));
  self.GENLAB_BASE = BASE;
  self.importScripts(BASE + "pyodide/pyodide.js", BASE + "worker-main.js");
});
