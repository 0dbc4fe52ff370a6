// Section 2's draws: one sample, 100 samples beside the predicted bars, and Generate (the loop
// run several times). Every draw obeys temperature, top-k and top-p; a change of context or
// settings marks the text already drawn as belonging to the old settings.
import { LLM_SETTINGS, filters } from "./llm-settings.js";
import { el, percent, prefersReducedMotion } from "../../core/ui.js";
import { generationStep } from "./llm-view.js";
import { tokenChip, tokenSaid } from "../../core/tokens.js";
import { ROWS } from "./llm-table.js";

export const GENERATE_TOKENS = 12; // tokens added by "Generate"
const STEP_ROWS = 5; // candidates shown for each generation step
const STEP_DELAY_MS = 300; // pause between animated generation steps
const SAMPLES = 100;

const filterWords = (s) => [s.top_k ? `top-k ${s.top_k}` : "", s.top_p < 1 ? `top-p ${s.top_p}` : ""].filter(Boolean).join(", ");
const describe = (s) => `with seed ${s.seed} at T = ${s.temperature}${filterWords(s) ? `, ${filterWords(s)}` : ""}`;

// The draws panel's own state: how many single samples and "Sample 100" batches were drawn with
// these settings, the last sample, and a run id (a new generation or new settings stop an older one).
const freshCounts = () => ({ draw: 0, batch: 0, lastSample: null, generation: 0 });

// Generate: the loop run GENERATE_TOKENS times, shown step by step unless motion is reduced.
async function showGeneration(p, s, result, run) {
  const $ = p.$;
  $("steps").replaceChildren();
  $("result").replaceChildren();
  let text = "";
  for (const [i, step] of result.steps.entries()) {
    if (run !== p.counts.generation) return; // settings changed: the rest belongs to the old ones
    text += step.token;
    $("steps").append(generationStep(i, step, s.top_k > 0 || s.top_p < 1));
    $("result").replaceChildren(`${s.context}`, el("strong", {}, text), el("span", { class: "muted" }, ` (${describe(s)})`));
    if (!prefersReducedMotion()) await new Promise((r) => setTimeout(r, STEP_DELAY_MS));
  }
  $("result").replaceChildren(`${s.context}`, el("strong", {}, result.text), el("span", { class: "muted" }, ` (${describe(s)})`));
  p.root.dataset.generated = result.text;
}

// Adds the last drawn token to the context; a full context lets its first words go.
function append({ ui, store, knobs, counts: { lastSample } }) {
  if (!lastSample) return;
  if (typeof lastSample.text !== "string") { // (Python's None arrives as undefined)
    // Its bytes are only part of a character (a letter of some scripts, an emoji): the
    // context is text, and no text ends in half a character.
    ui.set("ready", `The token ${tokenSaid(lastSample.token)} is only part of a character, so it cannot be added as text. Draw again, or press Generate, which keeps the pieces of a character together.`);
    return;
  }
  const max = LLM_SETTINGS.context.maxLength;
  let text = `${store.get("context")}${lastSample.text}`;
  let dropped = 0;
  while (text.length > max && text.includes(" ")) {
    text = text.slice(text.indexOf(" ") + 1);
    dropped++;
  }
  knobs.setContext(text, dropped
    ? `The context holds at most ${max} characters: its first ${dropped === 1 ? "word was" : `${dropped} words were`} dropped to make room.`
    : `Added ${tokenSaid(lastSample.token)} to the context.`);
}

// What is on screen belongs to the settings now.
function fresh($) {
  $("result").classList.remove("stale");
  $("steps").classList.remove("stale");
  $("stale-note").hidden = true;
}

// New context or settings: counters restart, marks go, and the text on screen is marked old.
function settingsChanged({ root, $, table, counts }) {
  Object.assign(counts, freshCounts(), { generation: counts.generation + 1 });
  table.marks.observed = null;
  table.marks.drawnId = null;
  $("append").hidden = true;
  delete root.dataset.generated;
  const old = $("result").textContent.trim() !== "";
  $("result").classList.toggle("stale", old);
  $("steps").classList.toggle("stale", old);
  $("stale-note").hidden = !old;
}

export function drawsPanel(root, { ui, store, table, knobs }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const p = { root, $, ui, store, table, knobs, counts: freshCounts() };
  const { counts } = p;
  const settings = () => ({ context: store.get("context"), temperature: store.get("t"), seed: store.get("seed"), ...filters(store) });
  async function act(label, fn) {
    ui.set("busy", label);
    try {
      await fn(settings());
      ui.set("ready", knobs.note);
    } catch (err) {
      ui.fail(err);
    }
  }
  const sampleOne = () => act("Drawing a token…", async (s) => {
    const mine = counts.draw++; // counted before the call: a double click draws twice
    const result = await ui.call("llm_sample", { ...s, draw: mine });
    counts.lastSample = result;
    table.marks.drawnId = result.id;
    fresh($);
    $("result").replaceChildren(`Draw ${mine + 1} ${describe(s)}: `, tokenChip(result.token), `, which had a ${percent(result.prob)} chance.`);
    $("result").dataset.token = result.token;
    $("append").hidden = false;
    table.redraw();
  });
  const sampleMany = () => act(`Drawing ${SAMPLES} tokens…`, async (s) => {
    const mine = counts.batch++;
    const result = await ui.call("llm_sample_many", { ...s, n: SAMPLES, batch: mine, rows: ROWS });
    table.marks.observed = new Map(result.counts.map(({ id, count }) => [id, count / result.n]));
    root.dataset.observed = JSON.stringify(result.counts);
    fresh($);
    $("result").textContent = `${result.n} draws (batch ${mine + 1}, ${describe(s)}): ${result.distinct} different tokens; `
      + `${result.other} fell outside the top ${ROWS}. Blue: what the model predicts; orange: what came out.`;
    table.redraw();
  });
  const generate = () => {
    const run = ++counts.generation;
    return act("Generating…", async (s) => {
      const result = await ui.call("llm_generate", { ...s, n_tokens: GENERATE_TOKENS, rows: STEP_ROWS });
      if (run !== counts.generation) return;
      fresh($);
      await showGeneration(p, s, result, run);
    });
  };
  $("sample").addEventListener("click", sampleOne);
  $("sample100").addEventListener("click", sampleMany);
  $("generate").addEventListener("click", generate);
  $("append").addEventListener("click", () => append(p));
  return { sampleOne, sampleMany, generate, settingsChanged: () => settingsChanged(p) };
}
