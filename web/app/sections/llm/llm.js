// Section 2: the tiny language model, one token at a time.
// Draws what genlab.api returns; computes nothing of the model itself. One small controller per
// panel (llm-knobs, llm-table, llm-draws, llm-surprise), pure views in llm-view.js.
import { WidgetState } from "../../core/ui.js";
import { knobsPanel } from "./llm-knobs.js";
import { tablePanel } from "./llm-table.js";
import { drawsPanel } from "./llm-draws.js";
import { surprisePanel } from "./llm-surprise.js";

const KEYS = ["context", "t", "top_k", "top_p", "seed"]; // the settings this section follows
const DRAWN_BY = ["context", "t", "top_k", "top_p"]; // the ones that change the distribution

export function llmSection(root, { runtime, store }) {
  const ui = new WidgetState(root, runtime); // its status line is the first in the section
  const knobs = knobsPanel(root, { ui, store });
  const table = tablePanel(root, { ui, store, knobs });
  const draws = drawsPanel(root, { ui, store, table, knobs });
  const surprise = surprisePanel(root.querySelector('[data-panel="surprise"]'), { ui });

  // Whoever moved them (these controls, section 5, a lock putting a value back): follow.
  store.addEventListener("change", ({ detail }) => {
    const keys = Object.keys(detail.changes);
    if (!keys.some((k) => KEYS.includes(k))) return;
    knobs.show();
    draws.settingsChanged();
    if (keys.some((k) => DRAWN_BY.includes(k))) table.refresh();
    else table.redraw(); // a new seed: the draws' marks go
  });

  runtime.addEventListener("state", ({ detail }) => {
    if (detail.state !== "ready") return;
    for (const fact of document.querySelectorAll("[data-llm-fact]")) {
      const value = detail.info.llm[fact.dataset.llmFact];
      fact.textContent = typeof value === "number" ? value.toLocaleString("en") : String(value);
    }
    table.vocab = detail.info.llm.vocab_size;
    table.refresh();
    surprise.refresh();
  });

  const setT = (t) => store.set({ t }, "llm");
  // For tests and hosts: the same path the controls take, values unchecked.
  return { refresh: table.refresh, setT, sampleOne: draws.sampleOne, sampleMany: draws.sampleMany,
    generate: draws.generate, surprise, table,
    distribution: (args) => ui.call("llm_distribution", args).then(table.render, (err) => ui.fail(err)) };
}
