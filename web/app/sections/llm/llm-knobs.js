// Section 2's controls: context, temperature (slider and presets), top-k, top-p and seed.
// Each value is checked like a URL value, then stored; the store tells every panel.
import { bindSetting, setSetting } from "../../core/controls.js";
import { LLM_SETTINGS } from "./llm-settings.js";
import { typedField } from "../../core/ui.js";

export function knobsPanel(root, { ui, store }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const inputs = { context: $("context"), t: $("t"), top_k: $("top-k"), top_p: $("top-p"), seed: $("seed") };
  let note = ""; // why the context differs from what was typed, until the next change

  // Shows the stored values; the context box keeps what the learner is typing.
  function show() {
    const context = store.get("context");
    // Text typed but not yet read (the debounce is pending) is kept too, wherever the focus went.
    if ((document.activeElement !== inputs.context && !typing.pending()) || note) inputs.context.value = context;
    inputs.t.value = String(store.get("t"));
    $("t-out").textContent = Number(store.get("t")).toFixed(2);
    inputs.top_k.value = String(store.get("top_k"));
    inputs.top_p.value = String(store.get("top_p"));
    $("top-p-out").textContent = store.get("top_p") >= 1 ? "off" : Number(store.get("top_p")).toFixed(2);
    inputs.seed.value = String(store.get("seed"));
  }

  // A bad value is named and put back; a context too long is cut and said so.
  const setting = { ui, store, source: "llm", show };
  function change(key, raw, why = "") {
    if (key === "context") note = why;
    const cut = (problem) => { note = why || `${problem}: the model reads the first ${LLM_SETTINGS.context.maxLength}.`; };
    setSetting(key, raw, { ...setting, cut });
  }

  const typing = typedField(inputs.context, (text) => change("context", text));
  for (const key of ["t", "top_k", "top_p", "seed"]) bindSetting(inputs[key], setting, key);
  root.querySelectorAll("[data-preset]").forEach((button) =>
    button.addEventListener("click", () => change("t", button.dataset.preset)));
  show();

  return {
    show,
    get note() { return note; },
    setContext(text, why = "") {
      typing.cancel();
      change("context", text, why);
    },
  };
}
