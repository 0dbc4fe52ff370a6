// Settings of creating vs classifying (section 1).
// state.js joins every section's table into PARAMS: the URL parser, locks and embeds read it.
export const CLASSIFY_SETTINGS = Object.freeze({
  cls_k: { kind: "choice", fallback: "2", options: ["1", "2", "3", "4", "5"], label: "Gaussians per kind" },
  cls_seed: { kind: "integer", fallback: 0, min: 0, max: 4294967295, label: "Classify seed" },
});
