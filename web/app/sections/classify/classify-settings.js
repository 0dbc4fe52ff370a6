// Settings of creating vs classifying (section 1).
// main.js registers this table with core/state.js (PARAMS): the URL parser, locks and embeds read it.
import { seedSetting } from "../../core/state.js";
export const CLASSIFY_SETTINGS = Object.freeze({
  cls_k: { kind: "choice", fallback: "2", options: ["1", "2", "3", "4", "5"], label: "Gaussians per kind" },
  cls_seed: seedSetting(0, "Classify seed"),
});
