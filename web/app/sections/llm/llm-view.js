// Pure view functions of section 2: data from genlab.api in, DOM nodes or pixels out.
// No state, no calls: the panel controllers (llm-*.js) decide when to draw.
import { el, percent } from "../../core/ui.js";
import { predictedBar, tokenChip, tokenSaid } from "../../core/tokens.js";

const TAIL_HEIGHT = 64; // css pixels of the whole-distribution chart
export const MAX_BITS_SHADE = 12; // bits at which a surprise chip is fully coloured

const number = (x, digits = 2) => (x === null || x === undefined ? "—" : x.toFixed(digits));

// The context as the model reads it: chips, the last `window` of them highlighted.
export function contextChips(tokens, window) {
  return tokens.map(({ token }, i) => {
    const joined = i > 0 && !token.startsWith(" ") && !/\s$/.test(tokens[i - 1].token);
    const chip = tokenChip(token, { joined, extra: i >= tokens.length - window ? "seen" : "" });
    chip.title = `Token ${i + 1}: ${tokenSaid(token)} (number ${tokens[i].id} of the vocabulary)`;
    return chip;
  });
}

// One row of the four-step table: token | 1. logit | 2. logit / T | 3. probability (bar) | share drawn.
export function stepRow(row, { observed = null, drawn = false, filtered = false }) {
  const { token, logit, scaled, prob, prob_unfiltered: before, drawable } = row;
  const seen = observed ? observed.get(row.id) ?? 0 : null;
  const li = el("li", { "data-token": token, "data-id": String(row.id), "data-prob": String(prob),
    "data-logit": String(logit), "data-drawable": String(drawable) },
  el("span", { class: "word" }, tokenChip(token)),
  el("span", { class: "lnum" }, el("span", { class: "visually-hidden" }, "logit "), number(logit)),
  el("span", { class: "lnum" }, el("span", { class: "visually-hidden" }, "logit divided by T "), number(scaled)),
  el("span", { class: "track" },
    filtered ? el("span", { class: "bar before", style: { width: `${100 * before}%` } }) : null,
    predictedBar(prob),
    seen === null ? null : el("span", { class: "bar observed", style: { width: `${100 * seen}%` } })),
  el("span", { class: "val" }, el("span", { class: "visually-hidden" }, "probability "), percent(prob)),
  el("span", { class: "mark" }, drawable ? "✓" : "✗",
    el("span", { class: "visually-hidden" }, drawable ? " can be drawn" : " cut by the filter")),
  seen === null ? null : el("span", { class: "obs", title: "share of the last 100 draws" },
    el("span", { class: "visually-hidden" }, "share of 100 draws "), percent(seen)));
  li.classList.toggle("cut", !drawable);
  li.classList.toggle("drawn", drawn);
  li.title = `${tokenSaid(token)}: logit ${number(logit)}, ÷T ${number(scaled)}, probability ${percent(prob)}`
    + (filtered ? ` (${percent(before)} before top-k/top-p)` : "") + (drawable ? "" : "; cannot be drawn");
  return li;
}

// The sentence under the table: what the filter kept.
export function filterSummary(result, vocab, filtered) {
  const { drawable_count: n, kept_mass: kept } = result;
  if (result.temperature === 0) {
    return "T = 0 (greedy): dividing by zero is left out; the favourite logit wins every time, so it gets 100% and "
      + "every other token 0%. The ranking by logit stays.";
  }
  if (!filtered) return "Top-k and top-p are off: every token can be drawn (✓ on every row).";
  return `${n.toLocaleString("en")} of ${vocab.toLocaleString("en")} tokens can be drawn (✓); together they had `
    + `${percent(kept)} of the probability, scaled up to 100%. The faint bar is the probability before the filter.`;
}

// The whole distribution, sorted: a spike at low T, a long flat tail at high T.
export function drawTail(canvas, sorted) {
  const width = canvas.clientWidth || 600;
  const scale = devicePixelRatio || 1;
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(TAIL_HEIGHT * scale);
  const g = canvas.getContext("2d");
  g.scale(scale, scale);
  g.fillStyle = getComputedStyle(canvas).getPropertyValue("--bar").trim() || "#3a4fd1";
  const barWidth = width / sorted.length;
  const top = sorted[0] || 1; // heights relative to the favourite token
  for (let i = 0; i < sorted.length; i++) {
    const h = (sorted[i] / top) * TAIL_HEIGHT;
    g.fillRect(i * barWidth, TAIL_HEIGHT - h, Math.max(barWidth, 0.5), h);
  }
}

// One step of Generate: its candidates, the one drawn, and whether filters cut the rest.
export function generationStep(i, step) {
  const options = step.top.map((c) => el("span", { class: `cand${c.id === step.id ? " chosen" : ""}${c.drawable === false ? " cut" : ""}` },
    tokenChip(c.token), ` ${percent(c.prob)}`));
  return el("li", {},
    el("span", { class: "step-n" }, `Step ${i + 1}`),
    el("span", { class: "step-flow" }, "score → ÷T → softmax → sample: "),
    ...options,
    el("span", { class: "step-pick" }, " → add ", tokenChip(step.token)));
}

// Surprise: a colour from calm to alarmed by bits (log2 of 1/p), as a CSS color-mix share.
export function bitsShare(bits) {
  return Math.max(0, Math.min(1, bits / MAX_BITS_SHADE));
}

export function surpriseChips(tokens) {
  return tokens.map(({ token, bits, prob }, i) => {
    const joined = i > 0 && !token.startsWith(" ");
    const chip = tokenChip(token, { joined, extra: "surprise" });
    chip.style.setProperty("--share", `${Math.round(100 * bitsShare(bits))}%`);
    chip.dataset.bits = String(bits);
    chip.title = `${tokenSaid(token)}: ${bits.toFixed(1)} bits (the model gave it ${percent(prob)})`;
    return chip;
  });
}

export function surpriseTable(tokens, caption) {
  return el("table", { class: "surprise-table" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...["Token", "Probability", "Surprise (bits)"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...tokens.map(({ token, prob, bits }) => el("tr", {},
      el("td", {}, tokenChip(token)), el("td", {}, percent(prob)), el("td", {}, bits.toFixed(2))))));
}
