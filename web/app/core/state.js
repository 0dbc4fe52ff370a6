// Settings shared by the widgets, described once, kept in the URL so a shared
// link reproduces the view (TensorFlow Playground's idea).

// Seeds are unsigned 32-bit integers (numpy's SeedSequence takes any); "new seed" buttons wrap.
export const SEED_MAX = 4294967295;
export const nextSeed = (seed) => (seed + 1) % (SEED_MAX + 1);
export const seedSetting = (fallback, label) => ({ kind: "integer", fallback, min: 0, max: SEED_MAX, label });

// Every section's settings in one table. Each section states its own in
// sections/<name>/<name>-settings.js, and main.js registers them here before the page starts.
export const PARAMS = {};

export function registerSettings(...tables) {
  for (const table of tables) {
    for (const [key, spec] of Object.entries(table)) {
      if (key in PARAMS) throw new Error(`The setting ${key} is stated twice.`);
      PARAMS[key] = spec;
    }
  }
}

// Settings a learner fills with their own words or pictures (a typed context, a drawn shape):
// kept out of the page's address and out of links, unless a link is asked to carry them.
export const isPrivate = (key) => ["text", "points"].includes(PARAMS[key].kind);

// The page-shaping keys a link of the page keeps (embedding.md: embed, hide, lock).
const PAGE_KEYS = ["embed", "hide", "lock"];

// A link to one part of the page: these keys' values (defaults included), the page's embed,
// and its hide and lock lists cut to these keys; no other setting, so nothing typed elsewhere.
export function partLink(keys, store, hash) {
  const here = new URLSearchParams(location.search);
  const url = new URL(location.href);
  url.search = "";
  for (const name of PAGE_KEYS) {
    const kept = here.getAll(name).join(",").split(",").map((k) => k.trim())
      .filter((k) => k && (name === "embed" || keys.includes(k)));
    if (kept.length) url.searchParams.set(name, name === "embed" ? kept[0] : kept.join(","));
  }
  for (const key of keys) url.searchParams.set(key, String(store.get(key)));
  url.hash = hash;
  return url.href;
}

// A choice setting's options as [value, what the page shows].
export const optionList = (key) => PARAMS[key].options.map((value) => [value, PARAMS[key].optionLabels?.[value] ?? value]);

// Points as "x,y;x,y;…", two decimals; each coordinate within ±spec.range (the plane).
export function encodePoints(points) {
  return points.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(";");
}

export function decodePoints(text) {
  if (!text) return [];
  return text.split(";").map((pair) => pair.split(",").map(Number));
}

function parsePoints(spec, raw) {
  const points = decodePoints(String(raw).trim());
  const bad = points.some((p) => p.length !== 2 || p.some((v) => !Number.isFinite(v) || Math.abs(v) > spec.range));
  if (bad) return { problem: `${spec.label} is not a list of x,y points between -${spec.range} and ${spec.range}` };
  if (points.length > spec.maxPoints) return { problem: `${spec.label} has more than ${spec.maxPoints} points` };
  return { value: encodePoints(points) };
}

const SHOWN_CHARS = 60; // of a value quoted back to the learner

// The first `max` UTF-16 units of text, one fewer when the cut would split a character made
// of two units (an emoji, say): half of one is not text, and Python refuses it.
export function cutText(text, max) {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// Text from a link as it may be quoted in a message: direction controls shown as their code
// points (so they cannot reverse the sentence around them), and long values cut short.
export function shownValue(raw) {
  const text = String(raw).replace(BIDI_CONTROLS, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
  return text.length > SHOWN_CHARS ? `${cutText(text, SHOWN_CHARS)}…` : text;
}

// A plain decimal number: "0x10", "0b11", "1_000" or "Infinity" are not numbers here.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

// Returns {value} or {problem}; problem is a sentence for the learner.
export function parseValue(key, raw) {
  const spec = PARAMS[key];
  if (spec.kind === "text") {
    const text = String(raw).replace(/\s+/g, " ").trim();
    if (text.length > spec.maxLength) {
      return { problem: `${spec.label} is longer than ${spec.maxLength} characters`, value: cutText(text, spec.maxLength) };
    }
    return { value: text };
  }
  if (spec.kind === "points") return parsePoints(spec, raw);
  if (spec.kind === "choice") {
    const choice = String(raw).trim().toLowerCase();
    if (!spec.options.includes(choice)) return { problem: `${spec.label} “${shownValue(raw)}” is not one of ${spec.options.join(", ")}` };
    return { value: choice };
  }
  const text = String(raw).trim();
  const number = DECIMAL.test(text) ? Number(text) : NaN;
  const range = `${spec.min} to ${spec.max}`;
  const shown = shownValue(raw);
  // A number field holding what it cannot read (1e309, "NaN") reports an empty value.
  if (text === "") return { problem: `${spec.label} needs a number (allowed: ${range})` };
  if (!Number.isFinite(number)) return { problem: `${spec.label} “${shown}” is not a number (allowed: ${range})` };
  if (spec.kind === "integer" && !Number.isInteger(number)) {
    return { problem: `${spec.label} “${shown}” is not a whole number (allowed: ${range})` };
  }
  if (number < spec.min || number > spec.max) return { problem: `${spec.label} ${shown} is outside ${range}` };
  return { value: number };
}

// A link parameter that takes one value: the first, with a sentence in problems when the link
// repeats it (?embed=llm&embed=gan), since the others are left out.
export function firstValue(params, key, problems) {
  const all = params.getAll(key);
  if (all.length > 1) {
    problems.push(`The link gives “${key}” ${all.length} times; using the first (${shownValue(all[0]) || "empty"}) and ignoring `
      + `${all.slice(1).map((v) => shownValue(v) || "empty").join(", ")}.`);
  }
  return all.length ? all[0] : null;
}

// Reads every known parameter; unknown keys are left alone (a host may use them).
export function readUrl(search = location.search) {
  const params = new URLSearchParams(search);
  const values = {};
  const problems = [];
  for (const [key, spec] of Object.entries(PARAMS)) {
    values[key] = spec.fallback;
    if (!params.has(key)) continue;
    const { value, problem } = parseValue(key, firstValue(params, key, problems));
    const instead = value ?? spec.fallback;
    if (problem) problems.push(`${problem}; ${instead === "" ? "ignoring it" : `using ${shownValue(instead)}`}.`);
    if (value !== undefined) values[key] = value;
  }
  return { values, problems };
}

const URL_WRITE_DELAY_MS = 200;

// A small store: widgets subscribe, and every change is written back to the URL.
// Locked keys (a teacher's ?lock=…) keep the value the page opened with, whatever asks.
export class Store extends EventTarget {
  constructor(values) {
    super();
    this.values = { ...values };
    this.locked = new Set();
  }

  get(key) {
    return this.values[key];
  }

  lock(keys) {
    for (const key of keys) this.locked.add(key);
  }

  #urlTimer = null;

  // Applies changes to unlocked keys. A change to a locked key is refused, and a "change"
  // event with source "lock" carries its kept value, so every view that moved puts it back.
  set(changes, source = null) {
    const refused = Object.keys(changes).filter((key) => this.locked.has(key));
    const allowed = Object.fromEntries(Object.entries(changes).filter(([key]) => !this.locked.has(key)));
    if (refused.length) {
      const kept = Object.fromEntries(refused.map((key) => [key, this.values[key]]));
      this.dispatchEvent(new CustomEvent("change", { detail: { changes: kept, source: "lock" } }));
    }
    if (!Object.keys(allowed).length) return;
    Object.assign(this.values, allowed);
    this.dispatchEvent(new CustomEvent("change", { detail: { changes: allowed, source } }));
    // Browsers limit how often history may change; a dragged slider writes once it rests.
    clearTimeout(this.#urlTimer);
    this.#urlTimer = setTimeout(() => this.#writeUrl(), URL_WRITE_DELAY_MS);
  }

  #writeUrl() {
    const params = new URLSearchParams(location.search);
    for (const [key, spec] of Object.entries(PARAMS)) {
      if (isPrivate(key)) {
        // What the learner typed or drew never enters the address (so neither the history):
        // only the link's own value stays there while it holds (a teacher's context), or a locked one.
        const linked = params.has(key) && parseValue(key, params.get(key)).value === this.values[key];
        if (!linked && !this.locked.has(key)) params.delete(key);
        continue;
      }
      // A locked value stays in the link even at its default, so a shared link keeps it.
      if (this.values[key] === spec.fallback && !this.locked.has(key)) params.delete(key);
      else params.set(key, String(this.values[key]));
    }
    const query = params.toString();
    try {
      history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
    } catch {
      // Too many updates in a short time: the next change writes the URL again.
    }
  }
}
