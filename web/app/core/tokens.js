// Tokens of the language model as the page shows them (sections 2 and 5): chips with their
// leading space and newlines made visible, and the bar of a token's probability.
import { el } from "./ui.js";

const SPACE_MARK = "␣"; // a token's leading space, shown so that " cat" and "cat" look different
const NEWLINE_MARK = "↵";

// A token's text as shown on a chip: the leading space and newlines made visible.
export function tokenFace(text) {
  const lead = text.startsWith(" ");
  const body = (lead ? text.slice(1) : text).replace(/\n/g, NEWLINE_MARK);
  return { lead, body: body === "" && !lead ? "∅" : body };
}

// How a token is read aloud and in tooltips: quoted, its leading space named.
export function tokenSaid(text) {
  const { lead, body } = tokenFace(text);
  return `“${body}”${lead ? " with a leading space" : ""}`;
}

// One chip: a token piece. A piece without a leading space that follows another piece is the
// rest of the same word, so it sits flush against it.
export function tokenChip(text, { joined = false, extra = "" } = {}) {
  const { lead, body } = tokenFace(text);
  return el("span", { class: `tok${joined ? " joined" : ""}${extra ? ` ${extra}` : ""}`, "data-token": text },
    lead ? el("span", { class: "tok-space", "aria-hidden": "true" }, SPACE_MARK) : null,
    lead ? el("span", { class: "visually-hidden" }, "space, ") : null,
    body);
}

// The bar of a probability in [0, 1], as wide as the share of its track.
export const predictedBar = (prob) => el("span", { class: "bar predicted", style: { width: `${100 * prob}%` } });
