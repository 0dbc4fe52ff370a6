// Settings of the language model and the temperature knob (sections 2 and 5).
// main.js registers this table with core/state.js (PARAMS): the URL parser, locks and embeds read it.
// genlab.api checks the same bounds again (top_k 0..vocabulary size, top_p in (0, 1]).
import { seedSetting } from "../../core/state.js";
export const LLM_SETTINGS = Object.freeze({
  context: { kind: "text", fallback: "the weather today is", maxLength: 200, label: "Context" },
  t: { kind: "number", fallback: 0.8, min: 0, max: 2, label: "Temperature" },
  top_k: { kind: "integer", fallback: 0, min: 0, max: 100, label: "Top-k" },
  top_p: { kind: "number", fallback: 1, min: 0.05, max: 1, label: "Top-p" },
  seed: seedSetting(42, "Seed"),
});

// The settings every sampling call of section 2 sends, read from the store.
export function filters(store) {
  return { top_k: store.get("top_k"), top_p: store.get("top_p") };
}
