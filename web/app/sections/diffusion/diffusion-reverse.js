// Diffusion, reverse panel: 1,000 points go from static to a shape; eight of them are drawn
// with their paths and the model's running guess of where each will end.
import { coalesce } from "../../core/ui.js";
import { nextSeed } from "../../core/state.js";
import { drawReversePlane, mostOffPlane, offPlane, planeLabel } from "./diffusion-view.js";
import { shapeName } from "../../core/plane.js";
import { DIFFUSION_LIMITS } from "./diffusion-settings.js";
import { animator } from "./diffusion-panel.js";

const N_POINTS = DIFFUSION_LIMITS.nPoints;

// root: the panel; ui: its WidgetState; presets: () => diffusion_presets() or null;
// live: () => the training panel's state ({diffRun, training, step}).
export function reversePanel(root, { ui, store, presets, live }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  let plane = null; // the last sample
  const animation = animator(showFrame);

  function showFrame(frame) {
    if (!plane) return;
    plane.marks = drawReversePlane($("plane"), { extent: presets().extent, path: plane.path, guesses: plane.guesses, frame, real: plane.real });
    plane.frame = frame;
    $("frame").value = String(frame);
    $("frame-out").textContent = String(frame);
    $("plane").setAttribute("aria-label", planeLabel(plane, frame, shapeName, plane.marks.offPlane));
    root.dataset.offPlane = String(plane.marks.offPlane);
  }

  const sample = coalesce(async () => {
    if (!presets() || !ui.pythonUp) return;
    const run = live();
    const useLive = $("model").value === "live" && run.diffRun;
    const args = {
      prompt: store.get("diff_prompt"), scale: store.get("diff_scale"), steps: Number(store.get("diff_steps")),
      sampler: store.get("diff_sampler"), seed: store.get("diff_seed"), n: N_POINTS, run: useLive ? run.diffRun : null,
    };
    try {
      ui.set("busy", "Sampling…");
      const started = performance.now();
      plane = await ui.call("diffusion_sample_2d", args);
      plane.ms = performance.now() - started;
      $("frame").max = String(plane.steps);
      $("frames-out").textContent = String(plane.steps);
      $("frame").disabled = false;
      $("reverse-summary").textContent = summary(plane, useLive ? run.step : null);
      $("off-summary").textContent = offSummary(plane, presets().extent);
      // While the fresh model trains, the panel stays busy: the sample is a glimpse of it.
      if (run.training) ui.set("busy", `Training a fresh model and a GAN… (sample computed in ${Math.round(plane.ms)} ms)`);
      else ui.set("ready", `Computed in ${Math.round(plane.ms)} ms.`);
      animation.play(plane.steps);
    } catch (err) {
      ui.fail(err);
    }
  });

  $("sample").addEventListener("click", () => {
    store.set({ diff_seed: nextSeed(store.get("diff_seed")) }, "diffusion");
    sample();
  });
  $("replay").addEventListener("click", () => plane && animation.play(plane.steps));
  $("frame").addEventListener("input", () => {
    animation.stop();
    showFrame(Number($("frame").value));
  });
  $("model").addEventListener("change", sample);

  return { sample, showFrame, get plane() { return plane; } };
}

// How far out of view the strongest push threw points, compared with the static they started as.
function offSummary(plane, extent) {
  const start = offPlane(plane.path, 0, extent).length;
  const most = mostOffPlane(plane.path, extent);
  const end = offPlane(plane.path, plane.steps, extent).length;
  const left = end ? `${end} are still out there at the end.` : "all are back by the end.";
  if (most.count <= start) return `${start} points of the static start beyond the edge (arrows on the border); the steps bring them in.`;
  return `At guidance scale ${plane.scale}, the push threw ${most.count} points beyond the edge at step ${most.step} `
    + `(more than the ${start} of the static at the start); ${left}`;
}

function summary(plane, liveStep) {
  const who = liveStep !== null ? `your fresh model (trained ${liveStep} steps, learns the ${shapeName(plane.prompt)})` : "GenLab's model";
  if (plane.near == null) return `${N_POINTS} points from ${who} with no prompt: it mixes every shape it learned.`;
  const how = plane.sampler === "ddim"
    ? "DDIM moves each point smoothly toward the model's guess"
    : "DDPM adds fresh random jitter at every step, so paths zigzag";
  return `${N_POINTS} points from ${who}, ${plane.steps} ${plane.sampler.toUpperCase()} steps (${how}). `
    + `Mean distance from a sample to the nearest real point: ${plane.near.toFixed(3)} (real points sit about 0.01 apart).`;
}
