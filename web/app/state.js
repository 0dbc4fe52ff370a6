// Settings shared by the widgets, described once, kept in the URL so a shared
// link reproduces the view (TensorFlow Playground's idea).
export const PARAMS = Object.freeze({
  context: { kind: "text", fallback: "the weather today is", maxLength: 200, label: "Context" },
  t: { kind: "number", fallback: 0.8, min: 0, max: 2, label: "Temperature" },
  seed: { kind: "integer", fallback: 42, min: 0, max: 4294967295, label: "Seed" },
});

// Returns {value} or {problem}; problem is a sentence for the learner.
export function parseValue(key, raw) {
  const spec = PARAMS[key];
  if (spec.kind === "text") {
    const text = String(raw).replace(/\s+/g, " ").trim();
    if (text.length > spec.maxLength) {
      return { problem: `${spec.label} is longer than ${spec.maxLength} characters`, value: text.slice(0, spec.maxLength) };
    }
    return { value: text };
  }
  const text = String(raw).trim();
  const number = text === "" ? NaN : Number(text);
  const range = `${spec.min} to ${spec.max}`;
  if (!Number.isFinite(number)) return { problem: `${spec.label} “${raw}” is not a number (allowed: ${range})` };
  if (spec.kind === "integer" && !Number.isInteger(number)) {
    return { problem: `${spec.label} “${raw}” is not a whole number (allowed: ${range})` };
  }
  if (number < spec.min || number > spec.max) return { problem: `${spec.label} ${raw} is outside ${range}` };
  return { value: number };
}

// Reads every known parameter; unknown keys are left alone (a host may use them).
export function readUrl(search = location.search) {
  const params = new URLSearchParams(search);
  const values = {};
  const problems = [];
  for (const [key, spec] of Object.entries(PARAMS)) {
    values[key] = spec.fallback;
    if (!params.has(key)) continue;
    const { value, problem } = parseValue(key, params.get(key));
    if (problem) problems.push(`${problem}; using ${value ?? spec.fallback}.`);
    if (value !== undefined) values[key] = value;
  }
  return { values, problems };
}

// A small store: widgets subscribe, and every change is written back to the URL.
export class Store extends EventTarget {
  constructor(values) {
    super();
    this.values = { ...values };
  }

  get(key) {
    return this.values[key];
  }

  set(changes, source = null) {
    Object.assign(this.values, changes);
    this.dispatchEvent(new CustomEvent("change", { detail: { changes, source } }));
    this.#writeUrl();
  }

  #writeUrl() {
    const params = new URLSearchParams(location.search);
    for (const [key, spec] of Object.entries(PARAMS)) {
      if (this.values[key] === spec.fallback) params.delete(key);
      else params.set(key, String(this.values[key]));
    }
    const query = params.toString();
    history.replaceState(history.state, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
  }
}
