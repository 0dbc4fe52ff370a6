// A classic script, run before the modules: it explains, instead of leaving a frame that
// never comes alive, when the browser gives this page no origin of its own (a sandboxed
// iframe without allow-same-origin). Then module scripts, the Python worker, storage and
// the offline cache are all refused, and nothing of the lesson could run.
// The lesson's modules failing to start: said on the page.
(function () {
  "use strict";
  // The lesson's modules failing to load or run (a damaged file, a host that blocks them)
  // would leave "Loading Python…" for ever: say what failed instead. main.js sets
  // data-app="started" once it runs.
  var MODULES_MS = 30000;
  function modulesFailed(what, blame) {
    var html = document.documentElement;
    if (html.dataset.app === "started" || html.dataset.runtime === "error") return;
    html.dataset.runtime = "error";
    var status = document.getElementById("runtime-label");
    var bar = document.getElementById("runtime-progress");
    if (bar) bar.hidden = true;
    if (status && blame) status.textContent = "The lesson's scripts could not start. " + blame + " The text of the lesson below still works.";
    else if (status) {
      status.textContent = "The lesson's scripts could not start (" + what + "). Reload the page; if it keeps "
        + "failing, clear this site's stored data in the browser's settings, or open the lesson again later. "
        + "The text of the lesson below still works.";
    }
  }
  // A module that did not arrive while the host is up and sends scripts as it should (a request
  // the browser gave up on, a network that dropped for a moment) fails the lesson until the page
  // loads again: done once, by itself; a second failure within RELOAD_WITHIN_MS is said on the page.
  var RELOADED = "genlab:reloaded-after-modules-failed", RELOAD_WITHIN_MS = 60000;
  function reloadOnce() {
    try {
      if (Date.now() - Number(sessionStorage.getItem(RELOADED) || 0) < RELOAD_WITHIN_MS) return false;
      sessionStorage.setItem(RELOADED, String(Date.now()));
    } catch (err) {
      return false;
    }
    location.reload();
    return true;
  }
  // A script that did not load: when the host sent it with a type that is not JavaScript (its
  // type map does not know the file, or a page came in its place), say so, for the site's admin.
  function scriptFailed(script) {
    var name = script.getAttribute("src") || "a script";
    var what = name + " did not load";
    if (!script.src || typeof fetch !== "function") return modulesFailed(what);
    fetch(script.src, { cache: "no-store" }).then(function (response) {
      var type = (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
      if (!response.ok) return modulesFailed(what);
      if (/^(text|application)\/(x-)?(javascript|ecmascript)$/.test(type)) return reloadOnce() || modulesFailed(what);
      modulesFailed(what, "Your site served " + name + " as " + (type || "a file without a type") + "; browsers run "
        + "scripts only when they come as JavaScript. Ask the site's admin to serve .js files as text/javascript.");
    }, function () { modulesFailed(what); });
  }
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target.tagName === "SCRIPT") scriptFailed(target);
    else if (event.filename && /\/app\/(?:[\w-]+\/)*[\w-]+\.js/.test(event.filename) && document.documentElement.dataset.app !== "started") {
      modulesFailed(event.filename.replace(/^.*\/app\//, "app/") + ": " + event.message);
    }
  }, true);
  window.addEventListener("load", function () {
    setTimeout(function () { modulesFailed("they did not run within " + MODULES_MS / 1000 + " s"); }, MODULES_MS);
  });
})();

// No origin of its own (a sandboxed frame): say why nothing will run, and where it can.
(function () {
  "use strict";
  if (self.origin !== "null" || location.protocol === "file:") return;
  document.documentElement.dataset.runtime = "blocked";
  function explain() {
    var box = document.createElement("div");
    box.className = "notice warn blocked";
    box.setAttribute("role", "alert");
    var title = document.createElement("strong");
    title.textContent = "GenLab cannot run inside this frame. ";
    var text = document.createElement("span");
    text.textContent = "The frame's sandbox attribute lacks allow-same-origin, so the browser gives the page no "
      + "origin: its scripts, the Python worker and the offline copy are all blocked. The page that embeds "
      + "GenLab should use sandbox=\"allow-scripts allow-same-origin\" (or no sandbox). Meanwhile the lesson "
      + "can be opened on its own at ";
    var link = document.createElement("a");
    link.href = location.href.split("#")[0].replace(/([?&])embed=[^&]*&?/, "$1").replace(/[?&]$/, "");
    link.textContent = link.href;
    link.target = "_blank";
    link.rel = "noopener";
    box.append(title, text, link, ".");
    document.body.prepend(box);
    var status = document.getElementById("runtime-label");
    if (status) status.textContent = "Python cannot start in this sandboxed frame (see the message above).";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", explain);
  else explain();
})();
