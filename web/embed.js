// GenLab's host script: include it on a page that embeds GenLab in an <iframe>, and each
// such frame takes the height its content reports, so it never shows a scroll bar.
//
//   <iframe src="GENLAB/?embed=gan" title="GenLab: GANs"
//           style="width: 100%; border: 0" data-genlab></iframe>
//   <script src="GENLAB/embed.js" async></script>
//
// where GENLAB is the address GenLab is hosted at (the Embed buttons write it out).
//
// Messages are accepted only from a frame marked data-genlab, only from that frame's own
// window, and only from the origin its src names; anything else is ignored.
(function () {
  "use strict";
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 20000;
  function frameOf(source) {
    var frames = document.querySelectorAll("iframe[data-genlab]");
    for (var i = 0; i < frames.length; i++) if (frames[i].contentWindow === source) return frames[i];
    return null;
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "genlab:height") return;
    var frame = frameOf(event.source);
    if (!frame) return;
    var expected = new URL(frame.src, location.href).origin;
    if (event.origin !== expected) {
      // Most often the src redirects (http to https, another host name): say so, once a frame.
      if (!frame.dataset.genlabWarned) {
        frame.dataset.genlabWarned = "1";
        console.warn("GenLab: a frame's height was ignored: it came from " + event.origin + ", but the frame's src names "
          + expected + ". The address probably redirects; put the final address (as the browser shows it) in the src.");
      }
      return;
    }
    // Only a real number counts: null, "", a list or a string such as "1e9" is ignored.
    if (typeof data.height !== "number" || !isFinite(data.height)) return;
    var height = Math.round(data.height);
    frame.style.height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, height)) + "px";
    frame.dataset.genlabHeight = String(height);
  });
})();
