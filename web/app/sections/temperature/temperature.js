// Section 5: one context's next-word distribution at several temperatures side by side.
// Its context field and slider are the same settings as section 2's (shared store keys).
import { setSetting } from "../../core/controls.js";
import { WidgetState, coalesce, el, percent, typedField } from "../../core/ui.js";
import { predictedBar, tokenChip } from "../../core/tokens.js";

const PRESETS = [
  { t: 0.2, name: "code" },
  { t: 0.8, name: "default" },
  { t: 1.5, name: "creative" },
];
const ROWS = 6;
const DEBOUNCE_MS = 60; // the slider's own bars go first; this view follows

export function temperatureSection(root, { runtime, store }) {
  const ui = new WidgetState(root, runtime);
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);

  const refresh = coalesce(async () => {
    if (!ui.canCompute) return; // e.g. section 2 embedded alone: this section is not on screen
    const t = store.get("t");
    const columns = [...PRESETS, { t, name: "your slider" }];
    try {
      const result = await ui.call("llm_compare", {
        context: store.get("context"), temperatures: columns.map((c) => c.t), rows: ROWS, top_k: 0, top_p: 1,
      });
      $("context-echo").textContent = store.get("context") || "(an empty context)";
      $("compare").replaceChildren(...result.columns.map((col, i) => column(columns[i].name, col)));
      ui.set("ready", "");
    } catch (err) {
      ui.fail(err);
    }
  });

  function column(name, col) {
    return el("figure", { class: "column", "data-t": String(col.temperature) },
      // Three pieces that each stay on one line: a narrow column wraps between them only.
      el("figcaption", {}, el("span", {}, el("strong", {}, `T = ${col.temperature.toFixed(2)}`), ` ${name}`), " ",
        el("span", { class: "muted" }, `· ${col.entropy_bits.toFixed(2)} bits`)),
      el("ol", { class: "bars small" }, ...col.top.map(({ token, prob }) =>
        el("li", { "data-token": token, "data-prob": String(prob) },
          el("span", { class: "word" }, tokenChip(token)),
          el("span", { class: "track" }, predictedBar(prob)),
          el("span", { class: "val" }, percent(prob))))));
  }

  // The controls: each value checked like a URL value, then stored (section 2 follows).
  const inputs = { context: $("context"), t: $("t") };
  function showInputs() {
    if (document.activeElement !== inputs.context && !typing.pending()) inputs.context.value = store.get("context");
    inputs.t.value = String(store.get("t"));
    $("t-out").textContent = Number(store.get("t")).toFixed(2);
  }
  const change = (key, raw) => setSetting(key, raw, { ui, store, source: "temperature", show: showInputs });
  const typing = typedField(inputs.context, (text) => change("context", text));
  inputs.t.addEventListener("input", () => change("t", inputs.t.value));
  root.querySelectorAll("[data-preset]").forEach((button) =>
    button.addEventListener("click", () => change("t", button.dataset.preset)));

  let timer = null;
  store.addEventListener("change", ({ detail }) => {
    if (!("t" in detail.changes || "context" in detail.changes)) return;
    if (detail.source !== "temperature") showInputs();
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  });
  showInputs();
  runtime.addEventListener("state", ({ detail }) => {
    if (detail.state === "ready") refresh();
  });
  return { refresh };
}
