// Section 2's surprise panel: two sentences, each token coloured by how surprised the model was
// (bits = log2 of 1 / probability, from llm_score), with totals side by side.
import { coalesce, el, typedField } from "../../core/ui.js";
import { surpriseChips, surpriseTable } from "./llm-view.js";
import { cutText } from "../../core/state.js";

const MAX_CHARS = 200;

// ui: the section's WidgetState (its calls, and whether Python is up); this panel has its own status line.
export function surprisePanel(root, { ui }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const say = (state, message) => {
    root.dataset.state = state;
    $("surprise-status").textContent = message;
    $("surprise-status").className = `widget-status ${state}`;
  };
  const sides = ["a", "b"];
  const scores = {}; // side -> the last llm_score reply

  async function scoreSide(side) {
    const typed = $(`text-${side}`).value.replace(/\s+/g, " ").trim();
    const text = cutText(typed, MAX_CHARS);
    if (!text) {
      delete scores[side];
      $(`chips-${side}`).replaceChildren(el("span", { class: "muted" }, "Type a sentence to see its surprise."));
      $(`table-${side}`).replaceChildren();
      $(`total-${side}`).textContent = "";
      return;
    }
    const result = await ui.call("llm_score", { text });
    scores[side] = result;
    $(`chips-${side}`).replaceChildren(...surpriseChips(result.tokens));
    $(`total-${side}`).textContent = `${result.total_bits.toFixed(1)} bits in all, ${result.bits_per_byte.toFixed(2)} bits per byte`;
    $(`table-${side}`).replaceChildren(surpriseTable(result.tokens, `Sentence ${side.toUpperCase()}, token by token`));
  }

  function compare() {
    const [a, b] = [scores.a, scores.b];
    if (!a || !b) return "";
    const [x, y] = [a.bits_per_byte, b.bits_per_byte];
    if (Math.abs(x - y) < 0.05 * Math.max(x, y)) return "The model finds both sentences about equally surprising.";
    const [more, less, ratio] = x > y ? ["A", "B", x / y] : ["B", "A", y / x];
    return `Per byte of text, sentence ${more} surprised the model ${ratio.toFixed(1)} times as much as sentence ${less}: `
      + `the model expects ${less} more. A model that predicts well is one that is rarely surprised.`;
  }

  const refresh = coalesce(async () => {
    if (!ui.canCompute) return;
    say("busy", "Scoring…");
    try {
      for (const side of sides) await scoreSide(side);
      $("compare").textContent = compare();
      say("ready", "");
    } catch (err) {
      say("error", `Something went wrong: ${err.name && err.name !== "Error" ? `${err.name}: ` : ""}${err.message}`);
    }
  });

  // Scored after a pause in typing, or at once when the learner leaves the box (refresh reads both).
  for (const side of sides) typedField($(`text-${side}`), refresh);
  return { refresh, scores };
}
