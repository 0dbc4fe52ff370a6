// Pure view functions of section 2: data from genlab.api in, DOM nodes or pixels out.
// No state, no calls: the panel controllers (llm-*.js) decide when to draw.
import { el, percent } from "../../core/ui.js";
import { predictedBar, tokenChip, tokenFace, tokenSaid } from "../../core/tokens.js";

const TAIL_HEIGHT = 130; // css pixels of the whole-distribution chart
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

// Why the first word came out in pieces (result.first_word from llm_distribution), or "".
export function firstWordNote(first) {
  if (!first) return "";
  const pieces = first.pieces.map((t) => tokenFace(t).body).join("|");
  const spaced = first.with_space.length === 1 ? "one token" : `${first.with_space.length} pieces`;
  return `Why is “${first.word}” split into ${pieces}? At the very start of a text a word has no space before it. `
    + `Inside a sentence the model met it as “␣${first.word}”, with its space, and learned that as ${spaced}; `
    + `without the space it is a rarer piece of text, so it is spelled from smaller pieces.`;
}

// One row of the four-step table: token | 1. logit | 2. logit / T | 3. softmax probability (bar and
// number) | with top-k or top-p on, 4. the probability after the filter, rescaled | drawable | share drawn.
export function stepRow(row, { observed = null, drawn = false, filtered = false }) {
  const { token, logit, scaled, prob, prob_unfiltered: before, drawable } = row;
  const seen = observed ? observed.get(row.id) ?? 0 : null;
  const li = el("li", { "data-token": token, "data-id": String(row.id), "data-prob": String(prob), "data-softmax": String(before),
    "data-logit": String(logit), "data-drawable": String(drawable) },
  el("span", { class: "word" }, tokenChip(token)),
  el("span", { class: "lnum" }, el("span", { class: "visually-hidden" }, "logit "), number(logit)),
  el("span", { class: "lnum" }, el("span", { class: "visually-hidden" }, "logit divided by T "), number(scaled)),
  el("span", { class: "track" },
    filtered ? el("span", { class: "bar before", style: { width: `${100 * before}%` } }) : null,
    predictedBar(prob),
    seen === null ? null : el("span", { class: "bar observed", style: { width: `${100 * seen}%` } })),
  filtered
    ? el("span", { class: "val" }, el("span", { class: "visually-hidden" }, "softmax probability "), percent(before))
    : el("span", { class: "val" }, el("span", { class: "visually-hidden" }, "probability "), percent(prob)),
  filtered ? el("span", { class: "val after" }, el("span", { class: "visually-hidden" }, "after the filter "), percent(prob)) : null,
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

// The whole distribution as a cumulative curve: how much probability the best n tokens hold,
// n on a log scale from 1 to every token. A spike at low T climbs at once; a flat one late.
export function cumulative(sorted) {
  const out = new Float64Array(sorted.length);
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) out[i] = (sum += sorted[i]);
  return out;
}

export function drawTail(canvas, sorted) {
  const width = canvas.clientWidth || 600;
  const scale = devicePixelRatio || 1;
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(TAIL_HEIGHT * scale);
  const g = canvas.getContext("2d");
  g.scale(scale, scale);
  const css = getComputedStyle(canvas);
  const ink = css.color || "#333";
  const [left, right, top, bottom] = [36, 10, 8, 22]; // margins for the axes' labels
  const w = width - left - right, h = TAIL_HEIGHT - top - bottom;
  const n = sorted.length;
  const x = (rank) => left + (w * Math.log(rank)) / Math.log(Math.max(n, 2)); // rank 1..n, log scale
  const y = (share) => top + h * (1 - share);
  g.font = "11px system-ui, sans-serif";
  g.fillStyle = ink;
  g.strokeStyle = ink;
  g.globalAlpha = 0.35;
  g.lineWidth = 1;
  for (const share of [0, 0.5, 1]) g.strokeRect(left, y(share), w, 0.01); // grid lines
  g.globalAlpha = 1;
  g.textAlign = "right";
  g.textBaseline = "middle";
  for (const share of [0, 0.5, 1]) g.fillText(`${100 * share}%`, left - 4, y(share));
  g.textAlign = "center";
  g.textBaseline = "top";
  const ticks = [1, 10, 100, 1000].filter((r) => r < n && x(n) - x(r) > 40).concat([n]); // labels apart
  for (const r of ticks) g.fillText(r.toLocaleString("en"), Math.min(x(r), width - right - 12), TAIL_HEIGHT - bottom + 5);
  const sums = cumulative(sorted);
  g.strokeStyle = css.getPropertyValue("--bar").trim() || "#3a4fd1";
  g.lineWidth = 2;
  g.beginPath();
  g.moveTo(x(1), y(0));
  for (let i = 0; i < n; i++) g.lineTo(x(i + 1), y(Math.min(1, sums[i])));
  g.stroke();
}

// How many of the best tokens it takes to hold `share` of the probability.
export function tokensToReach(sorted, share) {
  const sums = cumulative(sorted);
  const i = sums.findIndex((s) => s >= share - 1e-9);
  return i < 0 ? sorted.length : i + 1;
}

// The words under the curve (and its label for screen readers).
export function tailCaption(sorted, top) {
  const topShare = top.reduce((sum, r) => sum + r.prob, 0);
  const n90 = tokensToReach(sorted, 0.9);
  return `All ${sorted.length.toLocaleString("en")} tokens, most likely first (across, on a log scale), and how much `
    + `probability the best of them hold together (up): the top ${top.length} hold ${percent(topShare)}; `
    + `${n90 === 1 ? "the favourite alone holds" : `it takes the best ${n90.toLocaleString("en")} to hold`} 90%.`;
}

// One step of Generate: its candidates, the one drawn with its chance and rank (also when it is
// not among the candidates shown), and, with top-k or top-p on, each chance before and after the filter.
export function generationStep(i, step, filtered = false) {
  const chance = (p, before) => (filtered ? `${percent(before)} → ${percent(p)}` : percent(p));
  const options = step.top.map((c) => el("span", { class: `cand${c.id === step.id ? " chosen" : ""}${c.drawable === false ? " cut" : ""}` },
    tokenChip(c.token), ` ${chance(c.prob, c.prob_unfiltered)}`));
  const shown = step.top.some((c) => c.id === step.id);
  const odds = filtered
    ? `softmax ${percent(step.prob_unfiltered)}, after the filter ${percent(step.prob)}`
    : `${percent(step.prob)} chance`;
  const where = shown ? `rank ${step.rank}` : `rank ${step.rank}, not among the ${step.top.length} shown`;
  const li = el("li", { "data-id": String(step.id), "data-rank": String(step.rank), "data-prob": String(step.prob) },
    el("span", { class: "step-n" }, `Step ${i + 1}`),
    el("span", { class: "step-flow" }, filtered
      ? "score → ÷T → softmax → filter, rescaled (chances before → after) → sample: "
      : "score → ÷T → softmax → sample: "),
    ...options,
    el("span", { class: "step-pick" }, " → drew ", tokenChip(step.token), el("span", { class: "step-odds" }, ` (${odds}; ${where})`)));
  return li;
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
