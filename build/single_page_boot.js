// The page's side of the single file (build/single.py): decode the files, make the worker from the
// text of #genlab-worker-boot, and serve the page's own fetches of those files.
(() => {
  const decode = (text) => {
    const bin = atob(text);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes.buffer;
  };
  const files = {};
  for (const node of document.querySelectorAll('script[type="application/x-genlab-file"]')) {
    files[node.dataset.path] = decode(node.textContent);
    node.remove(); // the text is no longer needed: free it
  }
  const boot = document.getElementById("genlab-worker-boot").textContent;
  const pageFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input), document.baseURI);
    const path = Object.keys(files).find((name) => url.pathname.endsWith("/" + name));
    return path ? new Response(files[path].slice(0)) : pageFetch(input, init);
  };
  window.GENLAB_SINGLE = {
    startWorker() {
      let worker;
      try {
        worker = new Worker(URL.createObjectURL(new Blob([boot], {type: "text/javascript"})));
      } catch (err) {
        throw new Error("This browser does not start a worker inside a file opened from disk, so the live "
          + "models cannot run here; the lesson's text still works. Open GenLab from a web address to use them. ("
          + err.message + ")");
      }
      const copies = Object.fromEntries(Object.entries(files).map(([name, data]) => [name, data.slice(0)]));
      worker.postMessage({files: copies}, Object.values(copies));
      return worker;
    },
  };
})();
