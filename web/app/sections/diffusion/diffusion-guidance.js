// Diffusion, guidance panel: a prompt steers which digits emerge from the same static, and
// a measured variety figure shows what a strong push costs.
import { coalesce, el } from "../../core/ui.js";
import { drawDigits } from "../../core/digits.js";
import { pct } from "./diffusion-view.js";
import { DIFFUSION_LIMITS, DIFFUSION_SETTINGS } from "./diffusion-settings.js";
import { animator } from "./diffusion-panel.js";

const N_DIGITS = DIFFUSION_LIMITS.nDigits;

// One button per digit prompt (and none); choose(digit) when pressed.
function digitButtons(choose) {
  return DIFFUSION_SETTINGS.digit.options.map((d) => {
    const button = el("button", { type: "button", "data-digit": d, "aria-pressed": "false" }, d === "none" ? "no prompt" : d);
    button.addEventListener("click", () => choose(d));
    return button;
  });
}

// The price of guidance in one figure, with the real digits' own variety beside it.
function showVariety(root, d) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const real = d.prompt === "none" ? "real digits of all kinds" : `real ${d.prompt}s`;
  $("variety").dataset.value = String(d.variety);
  $("variety").textContent = pct(d.variety);
  $("variety-note").textContent = `Two of these ${N_DIGITS} digits differ, on average, in ${pct(d.variety)} of their ink `
    + `per pixel; two ${real} differ in ${pct(d.real_variety)}.`;
  $("variety-meter").value = d.variety;
}

// root: the panel; ui: its WidgetState; presets: () => diffusion_presets() or null;
// choose(digit): the section's way to change the digit setting.
export function guidancePanel(root, { ui, store, presets, choose }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  let digits = null; // the last sample
  let started = false; // the panel has asked for its first sample
  const animation = animator(showFrame);

  function showFrame(frame) {
    if (!digits) return;
    const final = frame === digits.steps;
    const marks = final && digits.prompt !== "none" ? digits.read_as.map((d) => d === digits.prompt) : null;
    drawDigits($("digits"), { path: digits.path, frame, marks });
    $("digits").setAttribute("aria-label", final
      ? `${N_DIGITS} generated digits for the prompt ${digits.prompt}; a classifier reads them as ${digits.read_as.join(", ")}. `
        + `Variety: ${pct(digits.variety)}.`
      : `${N_DIGITS} digits emerging from static: step ${frame} of ${digits.steps}.`);
  }

  const sample = coalesce(async () => {
    if (!presets() || !ui.pythonUp) return;
    started = true;
    const digit = store.get("digit");
    const args = {
      prompt: digit === "none" ? "none" : Number(digit), scale: store.get("digit_scale"),
      steps: Number(store.get("digit_steps")), sampler: store.get("digit_sampler"), seed: store.get("digit_seed"), n: N_DIGITS,
    };
    try {
      ui.set("busy", "Sampling…");
      const t0 = performance.now();
      digits = await ui.call("diffusion_sample_digits", args);
      digits.ms = performance.now() - t0;
      $("digits-summary").textContent = digits.prompt === "none"
        ? `No prompt: a simple classifier reads these ${N_DIGITS} as ${digits.read_as.join(" ")}.`
        : `At guidance scale ${digits.scale}, a simple classifier reads ${digits.hits} of the ${N_DIGITS} as a ${digits.prompt}.`;
      showVariety(root, digits);
      $("digits-caption").textContent = `Read as: ${digits.read_as.join(" ")} (green frame: matches the prompt).`;
      ui.set("ready", `Computed in ${Math.round(digits.ms)} ms.`);
      animation.play(digits.steps);
    } catch (err) {
      ui.fail(err);
    }
  });

  $("digit-buttons").replaceChildren(...digitButtons(choose));
  $("digits-replay").addEventListener("click", () => digits && animation.play(digits.steps));

  return {
    sample, showFrame,
    followIfStarted() { if (started) sample(); }, // (a sample in flight is followed by one more)
    get digits() { return digits; },
  };
}
