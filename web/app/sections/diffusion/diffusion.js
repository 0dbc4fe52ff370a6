// Section 4: diffusion. Three panels, each its own controller: forward noising of a photo
// (diffusion-forward.js), reverse sampling in the plane (diffusion-reverse.js) with live
// training beside a GAN (diffusion-train.js), and guided digits (diffusion-guidance.js).
// This file binds the settings of DIFFUSION_SETTINGS to the controls (their options and bounds
// come from the table through ui.js applySettingsTable) and starts the panels.
import { parseValue } from "../../core/state.js";
import { WidgetState, whenNear } from "../../core/ui.js";
import { DIFFUSION_SETTINGS } from "./diffusion-settings.js";
import { forwardPanel } from "./diffusion-forward.js";
import { reversePanel } from "./diffusion-reverse.js";
import { trainPanel } from "./diffusion-train.js";
import { guidancePanel } from "./diffusion-guidance.js";

export function mountDiffusion(root, runtime, store) {
  const panel = (name) => root.querySelector(`[data-panel="${name}"]`);
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const ui = Object.fromEntries(["forward", "reverse", "guidance"].map((name) => [name, new WidgetState(panel(name), runtime)]));
  let presets = null;
  const ctx = (name) => ({ ui: ui[name], store, presets: () => presets });

  const forward = forwardPanel(panel("forward"), ctx("forward"));
  let train = null;
  const reverse = reversePanel(panel("reverse"), { ...ctx("reverse"), live: () => train.live });
  train = trainPanel(panel("reverse"), { ...ctx("reverse"), resample: () => reverse.sample() });
  const guidance = guidancePanel(panel("guidance"), { ...ctx("guidance"), choose: (d) => changeParam("digit", d, "guidance") });
  for (const state of Object.values(ui)) state.controls = [...state.root.querySelectorAll("input, button, select, textarea")];
  const refreshOf = { forward: forward.refresh, reverse: reverse.sample, guidance: guidance.sample };

  function showParams() {
    for (const input of root.querySelectorAll("[data-param]")) input.value = String(store.get(input.dataset.param));
    const T = store.get("diff_T");
    const slider = root.querySelector('[data-param="diff_t"]');
    slider.max = String(T);
    slider.value = String(Math.min(store.get("diff_t"), T));
    $("T-out").textContent = String(T);
    $("t-out").textContent = slider.value;
    $("scale-out").textContent = Number(store.get("diff_scale")).toFixed(1);
    $("digit-scale-out").textContent = Number(store.get("digit_scale")).toFixed(1);
    for (const b of $("digit-buttons").children) b.setAttribute("aria-pressed", String(b.dataset.digit === store.get("digit")));
  }

  function changeParam(key, raw, name) {
    const { value, problem } = parseValue(key, raw);
    if (problem) {
      ui[name].set("error", `${problem}. Keeping ${store.get(key)}.`);
      showParams();
      return;
    }
    const changes = { [key]: value };
    if (key === "diff_T") changes.diff_t = Math.min(store.get("diff_t"), value);
    store.set(changes, "diffusion");
    refreshOf[name]();
  }

  for (const input of root.querySelectorAll("[data-param]")) {
    const name = input.closest("[data-panel]").dataset.panel;
    const event = input.type === "range" ? "input" : "change";
    input.addEventListener(event, () => changeParam(input.dataset.param, input.value, name));
  }

  store.addEventListener("change", ({ detail }) => {
    if (!Object.keys(detail.changes).some((k) => k in DIFFUSION_SETTINGS)) return;
    showParams(); // ours, a lock putting a value back, or another section's
    // Another section (6) may turn the same steering wheel: follow it.
    if (detail.source !== "diffusion" && ["digit", "digit_scale"].some((k) => k in detail.changes)) guidance.followIfStarted();
  });

  runtime.addEventListener("state", async ({ detail }) => {
    if (detail.state !== "ready") {
      train.clear(); // its runs died with the worker
      forward.forget();
      return;
    }
    try {
      presets = await ui.forward.call("diffusion_presets", {});
    } catch (err) {
      for (const state of Object.values(ui)) state.fail(err);
      return;
    }
    showParams();
    for (const state of Object.values(ui)) state.set("ready", "");
    // Each panel computes its first picture once the learner comes near it, so that the
    // sections above get the worker to themselves while the page starts.
    whenNear(panel("forward"), forward.start);
    whenNear(panel("reverse"), reverse.sample);
    whenNear(panel("guidance"), guidance.sample);
  });
  showParams();

  // For tests, benchmarks and hosts.
  return {
    usePicture: forward.usePicture, refreshForward: forward.refresh, samplePlane: reverse.sample, showPlaneFrame: reverse.showFrame,
    sampleDigits: guidance.sample, toggleTraining: train.toggle, resetTraining: train.reset, stopTraining: train.stop,
    get plane() { return reverse.plane; }, get digits() { return guidance.digits; }, get live() { return train.live; },
    get picture() { return forward.picture; },
  };
}
