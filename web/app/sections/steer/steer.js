// Section 6: the prompt as a steering wheel. The same two settings as the digits of
// section 4 (the store keeps them in step), with a strip of eight digits of its own.
import { bindSetting } from "../../core/controls.js";
import { WidgetState, coalesce, whenNear } from "../../core/ui.js";
import { drawDigits } from "../../core/digits.js";

const N = 8;

function grip(scale) {
  if (scale === 0) return "the wheel is let go: the prompt is ignored";
  if (scale < 1) return "a light touch on the wheel";
  if (scale === 1) return "the prompt followed as the model learned it";
  return scale <= 4 ? "a firm grip" : "yanked hard: strong, but less varied";
}

export function steerSection(root, { runtime, store }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const ui = new WidgetState(root, runtime);
  let shown = null;
  let started = false; // the strip has asked for its first sample

  function showSettings() {
    $("digit").value = store.get("digit");
    $("scale").value = String(store.get("digit_scale"));
    $("scale-out").textContent = Number(store.get("digit_scale")).toFixed(1);
  }

  const sample = coalesce(async () => {
    if (!ui.pythonUp) return;
    const digit = store.get("digit");
    const scale = store.get("digit_scale");
    try {
      ui.set("busy", "Sampling…");
      shown = await ui.call("diffusion_sample_digits", {
        prompt: digit === "none" ? "none" : Number(digit), scale, steps: Number(store.get("digit_steps")),
        sampler: store.get("digit_sampler"), seed: store.get("digit_seed"), n: N,
      });
      const last = shown.steps;
      const marks = shown.prompt === "none" ? null : shown.read_as.map((d) => d === shown.prompt);
      drawDigits($("strip"), { path: shown.path, frame: last, marks, cols: N });
      const text = shown.prompt === "none"
        ? `No prompt: the model draws whatever it likes (read as ${shown.read_as.join(" ")}).`
        : `Scale ${scale.toFixed(1)}, ${grip(scale)}: ${shown.hits} of ${N} read as a ${shown.prompt}.`;
      $("strip-text").textContent = text;
      $("strip").setAttribute("aria-label", `Eight digits generated for the prompt ${shown.prompt}. ${text}`);
      root.dataset.hits = String(shown.hits);
      ui.set("ready", "");
    } catch (err) {
      ui.fail(err);
    }
  });

  const setting = { ui, store, source: "steer", show: showSettings, redraw: sample };
  bindSetting($("digit"), setting, "digit");
  bindSetting($("scale"), setting, "digit_scale");
  store.addEventListener("change", ({ detail }) => {
    if (detail.source === "steer" || !["digit", "digit_scale", "digit_seed", "digit_steps", "digit_sampler"].some((k) => k in detail.changes)) return;
    showSettings();
    if (started) sample(); // (a sample in flight is followed by one more)
  });
  runtime.addEventListener("state", ({ detail }) => {
    if (detail.state === "ready") {
      ui.set("ready", ""); // Python is up; the strip is drawn once it comes near the screen
      whenNear(root, () => {
        started = true;
        sample();
      });
    }
  });
  showSettings();
  return { sample, get shown() { return shown; } };
}
