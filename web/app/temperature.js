// Section 5: one context's next-word distribution at several temperatures side by side.
import { WidgetState, coalesce, el, percent } from "./ui.js";

const PRESETS = [
  { t: 0.2, name: "code" },
  { t: 0.8, name: "default" },
  { t: 1.5, name: "creative" },
];
const TOP_K = 6;
const DEBOUNCE_MS = 60; // the slider's own bars go first; this view follows

export function mountTemperature(root, runtime, store) {
  const ui = new WidgetState(root, runtime);
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);

  const refresh = coalesce(async () => {
    if (!ui.pythonUp) return;
    const t = store.get("t");
    const columns = [...PRESETS, { t, name: "your slider" }];
    try {
      const result = await runtime.call("llm_compare", {
        context: store.get("context"), temperatures: columns.map((c) => c.t), top_k: TOP_K,
      });
      $("context").textContent = store.get("context") || "(empty)";
      $("compare").replaceChildren(...result.columns.map((col, i) => column(columns[i].name, col)));
      ui.set("ready", "");
    } catch (err) {
      ui.fail(err);
    }
  });

  function column(name, col) {
    return el("figure", { class: "column", "data-t": String(col.temperature) },
      el("figcaption", {}, el("strong", {}, `T = ${col.temperature.toFixed(2)}`), ` ${name}`,
        el("span", { class: "muted" }, ` · ${col.entropy_bits.toFixed(2)} bits`)),
      el("ol", { class: "bars small" }, ...col.top.map(({ word, prob }) =>
        el("li", { "data-word": word },
          el("span", { class: "word" }, word),
          el("span", { class: "track" }, el("span", { class: "bar predicted", style: { width: `${100 * prob}%` } })),
          el("span", { class: "val" }, percent(prob))))));
  }

  let timer = null;
  store.addEventListener("change", ({ detail }) => {
    if (!("t" in detail.changes || "context" in detail.changes)) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  });
  runtime.addEventListener("state", ({ detail }) => {
    if (detail.state === "ready") refresh();
  });
  return { refresh };
}
