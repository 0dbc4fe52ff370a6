// Settings of the language model and the temperature knob (sections 2 and 5).
// state.js joins every section's table into PARAMS: the URL parser, locks and embeds read it.
export const LLM_SETTINGS = Object.freeze({
  context: { kind: "text", fallback: "the weather today is", maxLength: 200, label: "Context" },
  t: { kind: "number", fallback: 0.8, min: 0, max: 2, label: "Temperature" },
  seed: { kind: "integer", fallback: 42, min: 0, max: 4294967295, label: "Seed" },
});
