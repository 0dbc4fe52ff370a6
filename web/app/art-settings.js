// Settings of seeded art (section 7); genlab.api checks the same choices and bounds again in Python.
// state.js joins every section's table into PARAMS: the URL parser, locks and embeds read it.
export const ART_SETTINGS = Object.freeze({
  art_seed: { kind: "integer", fallback: 42, min: 0, max: 4294967295, label: "Art seed" },
  art_style: { kind: "choice", fallback: "auto", options: ["auto", "flow", "shapes", "terrain", "waves", "ridges"], label: "Art style" },
  art_palette: { kind: "choice", fallback: "auto", options: ["auto", "ember", "ocean", "forest", "candy", "dusk", "ink"], label: "Art palette" },
  art_complexity: { kind: "integer", fallback: 5, min: 1, max: 10, label: "Art complexity" },
  art_symmetry: { kind: "choice", fallback: "none", options: ["none", "mirror", "4fold", "radial"], label: "Art symmetry" },
  art_size: { kind: "choice", fallback: "512", options: ["256", "512", "768", "1024"], label: "Art size" },
});
