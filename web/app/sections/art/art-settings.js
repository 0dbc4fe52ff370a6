// Settings of seeded art (section 7); genlab.api checks the same choices and bounds again in Python.
// main.js registers this table with core/state.js (PARAMS): the URL parser, locks, embeds and the
// page's <option> lists and input bounds read it (`optionLabels`: what an option shows, if not its value).
import { seedSetting } from "../../core/state.js";
export const ART_SETTINGS = Object.freeze({
  art_seed: seedSetting(42, "Art seed"),
  art_style: {
    kind: "choice", fallback: "auto", label: "Art style",
    options: ["auto", "flow", "shapes", "terrain", "waves", "ridges"],
    optionLabels: {
      auto: "auto (the seed picks)", flow: "flow-field strokes", shapes: "layered translucent shapes",
      terrain: "warped noise terrain", waves: "paper-cut ripples", ridges: "noise mountain ridges",
    },
  },
  art_palette: {
    kind: "choice", fallback: "auto", label: "Art palette",
    options: ["auto", "ember", "ocean", "forest", "candy", "dusk", "ink"], optionLabels: { auto: "auto (the seed picks)" },
  },
  art_complexity: { kind: "integer", fallback: 5, min: 1, max: 10, label: "Art complexity" },
  art_symmetry: {
    kind: "choice", fallback: "none", label: "Art symmetry",
    options: ["none", "mirror", "4fold", "radial"],
    optionLabels: { mirror: "mirror (left and right)", "4fold": "4-fold (a square kaleidoscope)", radial: "radial (6-fold kaleidoscope)" },
  },
  art_size: {
    kind: "choice", fallback: "512", label: "Art size",
    options: ["256", "512", "768", "1024"], optionLabels: { 256: "256 × 256", 512: "512 × 512", 768: "768 × 768", 1024: "1024 × 1024" },
  },
});
