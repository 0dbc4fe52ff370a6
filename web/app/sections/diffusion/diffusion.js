// Section 4: diffusion. Three panels, each its own controller: forward noising of a photo
// (diffusion-forward.js), reverse sampling in the plane (diffusion-reverse.js) with live
// training beside a GAN (diffusion-train.js), and guided digits (diffusion-guidance.js).
// This file binds the settings of DIFFUSION_SETTINGS to the controls with bindSetting (their
// options and bounds come from the table through ui.js applySettingsTable) and starts the panels.
import { bindSetting, setSetting } from "../../core/controls.js";
import { WidgetState, whenNear } from "../../core/ui.js";
import { DIFFUSION_SETTINGS } from "./diffusion-settings.js";
import { forwardPanel } from "./diffusion-forward.js";
import { reversePanel } from "./diffusion-reverse.js";
import { trainPanel } from "./diffusion-train.js";
import { guidancePanel } from "./diffusion-guidance.js";

// The controls from the store; the noise step's slider stops at T.
function showSettings(root, store) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
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

// Once Python is up: the presets, then each panel's first picture when the learner comes near
// it, so that the sections above get the worker to themselves while the page starts.
async function start(ui, panels, show) {
  const { forward, reverse, guidance } = panels;
  try {
    panels.presets = await ui.forward.call("diffusion_presets", {});
  } catch (err) {
    for (const state of Object.values(ui)) state.fail(err);
    return;
  }
  show();
  for (const state of Object.values(ui)) state.set("ready", "");
  whenNear(ui.forward.root, forward.start);
  whenNear(ui.reverse.root, reverse.sample);
  whenNear(ui.guidance.root, guidance.sample);
}

export function diffusionSection(root, { runtime, store }) {
  const panel = (name) => root.querySelector(`[data-panel="${name}"]`);
  const ui = Object.fromEntries(["forward", "reverse", "guidance"].map((name) => [name, new WidgetState(panel(name), runtime)]));
  const panels = { presets: null };
  const show = () => showSettings(root, store);
  const setting = (name) => ({ ui: ui[name], store, source: "diffusion", show, redraw: () => refreshOf[name]() });
  const ctx = (name) => ({ ui: ui[name], store, presets: () => panels.presets });

  const forward = forwardPanel(panel("forward"), ctx("forward"));
  let train = null;
  const reverse = reversePanel(panel("reverse"), { ...ctx("reverse"), live: () => train.live });
  train = trainPanel(panel("reverse"), { ...ctx("reverse"), resample: () => reverse.sample() });
  const guidance = guidancePanel(panel("guidance"), { ...ctx("guidance"), choose: (d) => setSetting("digit", d, setting("guidance")) });
  Object.assign(panels, { forward, reverse, guidance });
  for (const state of Object.values(ui)) state.controls = [...state.root.querySelectorAll("input, button, select, textarea")];
  const refreshOf = { forward: forward.refresh, reverse: reverse.sample, guidance: guidance.sample };

  for (const input of root.querySelectorAll("[data-param]")) {
    const also = input.dataset.param === "diff_T" ? (T) => ({ diff_t: Math.min(store.get("diff_t"), T) }) : undefined;
    bindSetting(input, { ...setting(input.closest("[data-panel]").dataset.panel), also });
  }
  store.addEventListener("change", ({ detail }) => {
    if (!Object.keys(detail.changes).some((k) => k in DIFFUSION_SETTINGS)) return;
    show(); // ours, a lock putting a value back, or another section's
    // Another section (6) may turn the same steering wheel: follow it.
    if (detail.source !== "diffusion" && ["digit", "digit_scale"].some((k) => k in detail.changes)) guidance.followIfStarted();
  });
  runtime.addEventListener("state", ({ detail }) => {
    if (detail.state === "ready") return start(ui, panels, show);
    train.clear(); // its runs died with the worker
    forward.forget();
  });
  show();

  // For tests, benchmarks and hosts.
  return {
    usePicture: forward.usePicture, refreshForward: forward.refresh, samplePlane: reverse.sample, showPlaneFrame: reverse.showFrame,
    sampleDigits: guidance.sample, toggleTraining: train.toggle, resetTraining: train.reset, stopTraining: train.stop,
    get plane() { return reverse.plane; }, get digits() { return guidance.digits; }, get live() { return train.live; },
    get picture() { return forward.picture; },
  };
}
