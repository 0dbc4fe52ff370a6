// Section 2's distribution panel: the context's tokens, the four-step table (logit, logit / T,
// probability after softmax and the filter), what the model looked at (attention) and the whole
// distribution as a cumulative curve.
import { filters } from "./llm-settings.js";
import { coalesce } from "../../core/ui.js";
import { contextChips, drawTail, filterSummary, firstWordNote, stepRow, tailCaption } from "./llm-view.js";
import { attentionPanel } from "./llm-attention.js";

export const ROWS = 10; // rows of the table

// The context's chips, how many the model reads, and why the first word split (if it did).
function showTokens($, { tokens, window, first_word: first }) {
  $("tokens").replaceChildren(...contextChips(tokens, window));
  $("tokens-note").textContent = tokens.length
    ? `${tokens.length} tokens; the model reads the last ${Math.min(window, tokens.length)} (outlined).`
    : "Empty context: the model guesses how a text starts.";
  $("first-word").textContent = firstWordNote(first);
  $("first-word").hidden = !first;
}

export function tablePanel(root, { ui, store, knobs }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const marks = { observed: null, drawnId: null }; // what the draws panel asks to show on the rows
  let shown = null; // the last result drawn, redrawn when the colour scheme changes
  let vocab = 0; // tokens the model knows (from info())
  const attention = attentionPanel(root.querySelector('[data-panel="attention"]'));

  const refresh = coalesce(async () => {
    if (!ui.canCompute) return; // e.g. section 5 embedded alone: this section is not on screen
    try {
      render(await ui.call("llm_distribution", {
        context: store.get("context"), temperature: store.get("t"), rows: ROWS, ...filters(store),
      }));
      ui.set("ready", knobs.note);
    } catch (err) {
      ui.fail(err);
    }
  });

  function render(result) {
    shown = result;
    const t = result.temperature;
    showTokens($, result);
    const entropy = `entropy ${result.entropy_bits.toFixed(2)} bits`;
    $("entropy").textContent = t === 0 ? `(T = 0: greedy, ${entropy})` : `(T = ${t.toFixed(2)}, ${entropy})`;
    const filtered = store.get("top_k") > 0 || store.get("top_p") < 1;
    $("bars").closest(".logits-wrap").classList.toggle("filtered", filtered);
    $("bars").replaceChildren(...result.top.map((row) =>
      stepRow(row, { observed: marks.observed, drawn: row.id === marks.drawnId, filtered })));
    $("divide-head").textContent = t === 0 ? "÷ 0" : `÷ ${t.toFixed(2)}`;
    $("filter-note").textContent = filterSummary(result, vocab || result.sorted_probs.data.length, filtered);
    root.dataset.top = result.top[0].token;
    attention.show(result.attention);
    draw(result);
  }

  function draw(result) {
    const sorted = result.sorted_probs.data;
    drawTail($("tail"), sorted);
    const text = tailCaption(sorted, result.top);
    $("tail-caption").textContent = text;
    $("tail").setAttribute("aria-label", text);
  }

  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => shown && draw(shown));

  return {
    refresh,
    render,
    marks,
    attention,
    get shown() { return shown; },
    set vocab(n) { vocab = n; },
    redraw() { if (shown) render(shown); },
  };
}
