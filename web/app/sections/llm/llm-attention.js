// Section 2's "What the model looked at": for the token being predicted, the attention weights of
// one layer and one head over the tokens the model read, as the shade of each chip. The weights
// come from llm_distribution (the same forward pass as the table's logits); nothing is computed here.
import { el, percent } from "../../core/ui.js";
import { tokenChip, tokenSaid } from "../../core/tokens.js";

const START = "start"; // how the <bos> marker is shown
const said = (t) => (t.start ? "the start of the text" : tokenSaid(t.token));

// One chip of the window, shaded by its weight, its percentage below it.
function attentionChip(tokens, i, weight) {
  const t = tokens[i];
  const prev = tokens[i - 1];
  const joined = i > 0 && !prev.start && !t.token.startsWith(" ") && !/\s$/.test(prev.token);
  const chip = t.start ? el("span", { class: "tok start" }, START) : tokenChip(t.token, { joined });
  const cell = el("span", { class: `att-cell${joined ? " joined" : ""}`, "data-weight": String(weight), "data-token": t.token },
    chip, el("small", { class: "att-pct" }, percent(weight)));
  cell.style.setProperty("--share", `${(100 * weight).toFixed(1)}%`);
  cell.title = `${said(t)}: ${percent(weight)} of this head's attention`;
  return cell;
}

// The sentence under the chips: where this head looked most.
function summary(tokens, weights, { layer, head }) {
  const order = weights.map((w, i) => [w, i]).sort((a, b) => b[0] - a[0]).slice(0, 3);
  const parts = order.map(([w, i]) => `${said(tokens[i])} (${percent(w)})`);
  return `Layer ${layer + 1}, head ${head + 1}: to score the next token it looked most at ${parts.join(", ")}.`;
}

// Fills a select with n choices "Word 1..n" (once) and returns the kept choice.
function choices(select, n, word, current) {
  if (select.options.length !== n) {
    select.replaceChildren(...Array.from({ length: n }, (_, i) => el("option", { value: String(i) }, `${word} ${i + 1}`)));
  }
  select.value = String(Math.min(current, n - 1));
  return Number(select.value);
}

export function attentionPanel(root) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const pick = { layer: 0, head: 0 };
  let shown = null; // {tokens, weights [layer][head][position]} or null (a model without attention)

  function draw() {
    root.hidden = !shown;
    if (!shown) return;
    pick.layer = choices($("att-layer"), shown.weights.length, "Layer", pick.layer);
    pick.head = choices($("att-head"), shown.weights[0].length, "Head", pick.head);
    const weights = shown.weights[pick.layer][pick.head];
    $("att-chips").replaceChildren(...shown.tokens.map((_, i) => attentionChip(shown.tokens, i, weights[i])));
    $("att-note").textContent = summary(shown.tokens, weights, pick);
  }

  $("att-layer").addEventListener("change", () => { pick.layer = Number($("att-layer").value); draw(); });
  $("att-head").addEventListener("change", () => { pick.head = Number($("att-head").value); draw(); });
  return { show(attention) { shown = attention ?? null; draw(); }, pick };
}
