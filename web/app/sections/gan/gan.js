// Section 3: a GAN trained live in the worker. This file wires the panels together:
// settings (gan-controls.js), the player (gan-trainer.js), the plane (gan-plane.js) and the
// charts (gan-charts.js); the drawing itself is in gan-view.js.
import { decodePoints, encodePoints } from "../../core/state.js";
import { WidgetState } from "../../core/ui.js";
import { settingsPanel } from "./gan-controls.js";
import { Trainer } from "./gan-trainer.js";
import { MIN_DRAWN_POINTS, planePanel } from "./gan-plane.js";
import { chartsPanel } from "./gan-charts.js";

export const HANDOUT_STEPS = 3000; // a handout's GAN is trained this far (see trainTo below)

// The plane's text alternative for one frame.
function describeFrame(view, history, modeCount, mapWords) {
  const losses = history.d.values.length
    ? ` Detective's loss ${history.d.last.toFixed(3)}, forger's loss ${history.g.last.toFixed(3)}.` : "";
  const modes = view.modes === null || view.modes === undefined ? "" : ` Modes covered: ${view.modes} of ${modeCount}.`;
  const piles = (view.piles ?? []).map((p) => ` The forger piles ${p.count.toLocaleString("en")} of its `
    + `${view.n_fixed.toLocaleString("en")} points on one spot near (${p.x.toFixed(1)}, ${p.y.toFixed(1)}).`).join("");
  return `Step ${view.step.toLocaleString("en")}. Grid divergence ${view.jsd.toFixed(3)}.${modes}${piles}${losses}${mapWords}`;
}

// What the trainer tells the page: a run started, a frame, playing or not, no run for the screen.
function trainerHooks(root, { plane, charts, settings, drawing, showFrame }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  return {
    mode: () => root.querySelector('input[name="gan-mode"]:checked').value,
    budget: () => Number($("speed").value),
    onStart: (result) => {
      plane.showRun(result.real, result.view);
      showFrame(result.view);
      $("play-note").textContent = "";
    },
    onFrame: (result, playing) => {
      if (playing) plane.easeTo(result.view); // drawn at the display's rate, eased in
      else plane.showView(result.view);
      showFrame(result.view);
    },
    onPlaying: (on) => {
      $("play").textContent = on ? "Pause" : "Play";
      if (on) root.dataset.playing = "1";
      else delete root.dataset.playing;
    },
    onStale: () => {
      const drawn = settings.isCustom;
      const n = drawing().length;
      plane.showStale(drawn);
      charts.clear(drawn ? "No run yet for this drawing." : "No run yet.");
      $("play-note").textContent = drawn && n >= MIN_DRAWN_POINTS
        ? `Play starts a new run on your ${n} drawn points; the divergence is measured against them.` : "";
      plane.canvas.setAttribute("aria-label", drawn ? `The plane with your ${n} drawn points.` : "The plane, with no run yet.");
    },
  };
}

// The player's buttons, its speed, and clearing a drawing.
function wireButtons(root, trainer, plane) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  $("play").addEventListener("click", () => (trainer.playing ? trainer.pause() : trainer.play()));
  $("step").addEventListener("click", () => trainer.oneStep());
  $("reset").addEventListener("click", () => trainer.start());
  $("speed").addEventListener("input", () => { $("speed-out").textContent = $("speed").value; });
  $("clear-drawing").addEventListener("click", () => plane.setDrawing([]));
}

// Python stopped: the run is gone. Python is up: the presets, then a fresh run.
async function follow(ready, { ui, trainer, charts, settings, showSettings }) {
  if (!ready) {
    trainer.pause();
    trainer.run = null;
    return;
  }
  try {
    const presets = await ui.call("gan_presets", {});
    trainer.maxSteps = presets.max_steps;
    charts.setRule(presets.modes);
    settings.setPresets(presets.presets);
  } catch (err) {
    ui.fail(err);
  }
  showSettings();
  trainer.start();
}

export function ganSection(root, { runtime, store }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const ui = new WidgetState(root, runtime);
  let drawing = decodePoints(store.get("gan_points"));
  const charts = chartsPanel(root);
  const settings = settingsPanel(root, { ui, store, onChange: () => { showSettings(); trainer.start(); } });
  const plane = planePanel(root, { drawing, canDraw: () => settings.isCustom && ui.pythonUp, onDraw, onDrawn: () => trainer.frameDrawn() });
  const showFrame = (view) => {
    charts.show(trainer.history, view, trainer.playing || trainer.stepping ? trainer.rate : null);
    plane.canvas.setAttribute("aria-label", describeFrame(view, trainer.history, charts.modeCount, plane.describeMap()));
  };
  const trainer = new Trainer({ ui, request, ...trainerHooks(root, { plane, charts, settings, drawing: () => drawing, showFrame }) });

  function onDraw(points) {
    store.set({ gan_points: encodePoints(points) }, "gan");
    if (store.get("gan_points") !== encodePoints(points)) return false; // the drawing is locked
    drawing = points;
    trainer.invalidate();
    ui.set("ready", `${points.length} points drawn${points.length < MIN_DRAWN_POINTS ? `; draw at least ${MIN_DRAWN_POINTS}` : ""}.`);
    return true;
  }
  // What a new run is built from, or why there is none.
  function request() {
    if (settings.isCustom && drawing.length < MIN_DRAWN_POINTS) return { problem: `Draw at least ${MIN_DRAWN_POINTS} points on the plane, then press Play.` };
    return { settings: settings.settings(), points: settings.isCustom ? drawing : null };
  }
  function showSettings() {
    settings.show();
    $("draw-hint").hidden = !settings.isCustom;
    $("clear-drawing").hidden = !settings.isCustom;
    plane.setDrawable(settings.isCustom);
  }

  wireButtons(root, trainer, plane);
  runtime.addEventListener("state", ({ detail }) => follow(detail.state === "ready", { ui, trainer, charts, settings, showSettings }));
  showSettings();
  plane.redraw();

  // For tests, benchmarks and hosts.
  return {
    play: () => trainer.play(), pause: () => trainer.pause(), oneStep: () => trainer.oneStep(),
    // For the handout: train to `steps` (HANDOUT_STEPS: the default run covers the ring by then)
    // within `withinMs`, then pause; onProgress(step, steps) as it goes. Resolves to the step reached.
    trainTo: ({ steps = HANDOUT_STEPS, withinMs = Infinity, onProgress } = {}) => (
      trainer.trainTo(steps, withinMs, (step) => onProgress?.(step, steps))),
    reset: () => trainer.start(), start: () => trainer.start(), setDrawing: (points) => plane.setDrawing(points),
    scene: () => plane.scene, get run() { return trainer.run; },
  };
}
