// Section 2: the tiny language model, one token at a time.
// Draws what genlab.api returns; computes nothing of the model itself.
import { PARAMS, parseValue } from "./state.js";
import { WidgetState, coalesce, el, percent, prefersReducedMotion } from "./ui.js";

const TOP_K = 10; // rows of bars
const GENERATE_TOKENS = 12; // words added by "Generate"
const STEP_TOP_K = 5; // candidates shown for each generation step
const STEP_DELAY_MS = 300; // pause between animated generation steps
const CONTEXT_DEBOUNCE_MS = 150;
const TAIL_HEIGHT = 64; // css pixels of the whole-distribution chart

export function mountLlm(root, runtime, store) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const ui = new WidgetState(root, runtime);
  const inputs = { context: $("context"), t: $("t"), seed: $("seed") };
  let draw = 0; // how many single samples were drawn with these settings
  let batch = 0; // how many "Sample 100" batches
  let lastSample = null;
  let observed = null; // {word: share} of the last Sample 100
  let generation = 0; // run id: a new generation stops an older animation

  inputs.context.value = store.get("context");
  inputs.t.value = store.get("t");
  inputs.seed.value = store.get("seed");
  showT(store.get("t"));

  function showT(t) {
    $("t-out").textContent = Number(t).toFixed(2);
  }

  function settings() {
    return { context: store.get("context"), temperature: store.get("t"), seed: store.get("seed") };
  }

  function resetDraws() {
    draw = 0;
    batch = 0;
    observed = null;
    lastSample = null;
    $("append").hidden = true;
  }

  const refresh = coalesce(async () => {
    if (!ui.pythonUp) return;
    try {
      const s = settings();
      const result = await ui.call("llm_distribution", { context: s.context, temperature: s.temperature, top_k: TOP_K });
      render(result);
      ui.set("ready", contextNote);
    } catch (err) {
      ui.fail(err);
    }
  });

  let shown = null; // the last result drawn, redrawn when the colour scheme changes
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => shown && render(shown));

  function render(result) {
    shown = result;
    renderTokens(result.tokens, result.window);
    const entropy = `entropy ${result.entropy_bits.toFixed(2)} bits`;
    $("entropy").textContent = result.temperature === 0 ? `(T = 0: greedy, ${entropy})` : `(${entropy})`;
    const bars = $("bars");
    bars.replaceChildren(...result.top.map(({ word, prob }) => barRow(word, prob)));
    root.dataset.top = result.top[0].word;
    drawTail(result.sorted_probs.data, result.top.reduce((sum, r) => sum + r.prob, 0));
  }

  // The whole distribution, sorted: a spike at low T, a long flat tail at high T.
  function drawTail(sorted, topShare) {
    const canvas = $("tail");
    const width = canvas.clientWidth || 600;
    const scale = devicePixelRatio || 1;
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(TAIL_HEIGHT * scale);
    const g = canvas.getContext("2d");
    g.scale(scale, scale);
    g.fillStyle = getComputedStyle(canvas).getPropertyValue("--bar").trim() || "#3a4fd1";
    const barWidth = width / sorted.length;
    const top = sorted[0] || 1; // heights relative to the favourite word
    for (let i = 0; i < sorted.length; i++) {
      const h = (sorted[i] / top) * TAIL_HEIGHT;
      g.fillRect(i * barWidth, TAIL_HEIGHT - h, Math.max(barWidth, 0.5), h);
    }
    const text = `All ${sorted.length.toLocaleString("en")} words, most likely first, as a share of the favourite: the top ${TOP_K} hold ${percent(topShare)} of the probability.`;
    $("tail-caption").textContent = text;
    canvas.setAttribute("aria-label", text);
  }

  function barRow(word, prob) {
    const seen = observed ? observed[word] ?? 0 : null;
    const row = el("li", { "data-word": word, "data-prob": String(prob) },
      el("span", { class: "word" }, word),
      el("span", { class: "track" },
        el("span", { class: "bar predicted", style: { width: `${100 * prob}%` } }),
        seen === null ? null : el("span", { class: "bar observed", style: { width: `${100 * seen}%` } })),
      el("span", { class: "val" }, percent(prob)),
      seen === null ? null : el("span", { class: "obs", title: "share of the last 100 draws" }, percent(seen)));
    if (lastSample && lastSample.word === word) row.classList.add("drawn");
    return row;
  }

  function renderTokens(tokens, window) {
    const chips = tokens.map(({ word, known }, i) => {
      const inWindow = i >= tokens.length - window;
      const chip = el("span", { class: `tok${known ? "" : " unknown"}${inWindow ? " seen" : ""}` }, word);
      if (!known) chip.title = "Not in the model's vocabulary: it reads this word as “unknown”.";
      return chip;
    });
    const unknown = tokens.filter((t) => !t.known).map((t) => t.word);
    const note = unknown.length
      ? el("span", { class: "tok-note warn" }, `Unknown to the model: ${unknown.join(", ")}.`)
      : el("span", { class: "tok-note" }, tokens.length ? `The model sees the last ${window} words (highlighted).` : "Empty context: the model guesses how a sentence starts.");
    $("tokens").replaceChildren(...chips, note);
  }

  async function act(label, fn) {
    ui.set("busy", label);
    try {
      await fn();
      ui.set("ready", "");
    } catch (err) {
      ui.fail(err);
    }
  }

  function sampleOne() {
    return act("Drawing a word…", async () => {
      const s = settings();
      const mine = draw++; // counted before the call: a double click draws twice
      const result = await ui.call("llm_sample", { ...s, draw: mine });
      lastSample = result;
      $("result").textContent = `Draw ${mine + 1} with seed ${s.seed}: “${result.word}”, which had a ${percent(result.prob)} chance.`;
      $("append").hidden = false;
      await refresh();
    });
  }

  function sampleMany() {
    return act("Drawing 100 words…", async () => {
      const s = settings();
      const mine = batch++;
      const result = await ui.call("llm_sample_many", { ...s, n: 100, batch: mine, top_k: TOP_K });
      observed = Object.fromEntries(result.counts.map(({ word, count }) => [word, count / result.n]));
      root.dataset.observed = JSON.stringify(result.counts);
      $("result").textContent = `${result.n} draws (batch ${mine + 1}, seed ${s.seed}): ${result.distinct} different words; `
        + `${result.other} fell outside the top ${TOP_K}. Blue: what the model predicts; orange: what came out.`;
      await refresh();
    });
  }

  function generate() {
    const run = ++generation;
    return act("Generating…", async () => {
      const s = settings();
      const result = await ui.call("llm_generate", { ...s, n_tokens: GENERATE_TOKENS, top_k: STEP_TOP_K });
      const steps = $("steps");
      steps.replaceChildren();
      const words = [];
      for (const [i, step] of result.steps.entries()) {
        if (run !== generation) return;
        words.push(step.word);
        steps.append(stepRow(i, step));
        $("result").replaceChildren(s.context ? `${s.context} ` : "", el("strong", {}, words.join(" ")));
        if (!prefersReducedMotion()) await new Promise((r) => setTimeout(r, STEP_DELAY_MS));
      }
      root.dataset.generated = words.join(" ");
    });
  }

  function stepRow(i, step) {
    const options = step.top.map(({ word, prob }) =>
      el("span", { class: word === step.word ? "cand chosen" : "cand" }, `${word} ${percent(prob)}`));
    return el("li", {},
      el("span", { class: "step-n" }, `Step ${i + 1}`),
      el("span", { class: "step-flow" }, "score → softmax → sample: "),
      ...options,
      el("span", { class: "step-pick" }, ` → add “${step.word}”`));
  }

  // Wiring. Typing in the context waits for a pause; the slider refreshes at once.
  let typing = null;
  let contextNote = ""; // why the context differs from what was typed, until the next change
  function setContext(text, note = "") {
    const { value, problem } = parseValue("context", text);
    contextNote = note || (problem ? `${problem}: the model reads the first ${PARAMS.context.maxLength}.` : "");
    store.set({ context: value }, "llm");
    // What the learner is typing stays as typed; a cut or a word added shows what the model reads.
    if (contextNote || text !== inputs.context.value) inputs.context.value = store.get("context");
    resetDraws();
    refresh();
  }
  inputs.context.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => setContext(inputs.context.value), CONTEXT_DEBOUNCE_MS);
  });
  inputs.t.addEventListener("input", () => setT(Number(inputs.t.value)));
  inputs.seed.addEventListener("change", () => {
    const { value, problem } = parseValue("seed", inputs.seed.value);
    if (problem) {
      ui.set("error", `${problem}. The seed stays ${store.get("seed")}.`);
      inputs.seed.value = store.get("seed");
      return;
    }
    store.set({ seed: value }, "llm");
    resetDraws();
    ui.set("ready", "");
  });
  root.querySelectorAll("[data-preset]").forEach((button) =>
    button.addEventListener("click", () => setT(Number(button.dataset.preset))));
  $("sample").addEventListener("click", sampleOne);
  $("sample100").addEventListener("click", sampleMany);
  $("generate").addEventListener("click", generate);
  $("append").addEventListener("click", () => {
    if (!lastSample) return;
    const words = `${store.get("context")} ${lastSample.word}`.trim().split(" ");
    let dropped = 0; // a full context lets its oldest words go, as a real model's window does
    while (words.join(" ").length > PARAMS.context.maxLength && words.length > 1) {
      words.shift();
      dropped++;
    }
    clearTimeout(typing);
    setContext(words.join(" "), dropped
      ? `The context holds at most ${PARAMS.context.maxLength} characters: its first ${dropped === 1 ? "word was" : `${dropped} words were`} dropped to make room.`
      : "");
  });

  function setT(t) {
    store.set({ t }, "llm");
    inputs.t.value = store.get("t"); // a locked temperature stays where it was
    showT(store.get("t"));
    resetDraws();
    refresh();
  }

  // The same settings moved elsewhere (section 5, or a lock putting a value back): follow.
  store.addEventListener("change", ({ detail }) => {
    if (detail.source === "llm" || !["context", "t", "seed"].some((k) => k in detail.changes)) return;
    if ("context" in detail.changes) inputs.context.value = store.get("context");
    inputs.t.value = store.get("t");
    showT(store.get("t"));
    inputs.seed.value = store.get("seed");
    resetDraws();
    refresh();
  });

  runtime.addEventListener("state", ({ detail }) => {
    if (detail.state === "ready") {
      for (const fact of document.querySelectorAll("[data-llm-fact]")) {
        fact.textContent = detail.info.llm[fact.dataset.llmFact].toLocaleString("en");
      }
      refresh();
    }
  });

  // For tests and hosts: the same path the controls take, values unchecked.
  return { refresh, setT, sampleOne, sampleMany, generate,
    distribution: (args) => ui.call("llm_distribution", args).then(render, (err) => ui.fail(err)) };
}
