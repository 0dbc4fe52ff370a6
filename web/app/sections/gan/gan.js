// Section 3: a GAN trained live in the worker. This file wires the panels together:
// settings (gan-controls.js), the player (gan-trainer.js), the plane (gan-plane.js) and the
// charts (gan-charts.js); the drawing itself is in gan-view.js.
import { decodePoints, encodePoints } from "../../core/state.js";
import { WidgetState } from "../../core/ui.js";
import { SettingsPanel } from "./gan-controls.js";
import { Trainer } from "./gan-trainer.js";
import { MIN_DRAWN_POINTS, PlanePanel } from "./gan-plane.js";
import { ChartsPanel } from "./gan-charts.js";

export function mountGan(root, runtime, store) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const ui = new WidgetState(root, runtime);
  const playNote = $("play-note");
  let drawing = decodePoints(store.get("gan_points"));

  const charts = new ChartsPanel(root);
  const settings = new SettingsPanel(root, { ui, store, onChange: () => { showSettings(); trainer.start(); } });
  const plane = new PlanePanel(root, {
    drawing,
    canDraw: () => settings.isCustom && ui.pythonUp,
    onDraw: (points) => {
      store.set({ gan_points: encodePoints(points) }, "gan");
      if (store.get("gan_points") !== encodePoints(points)) return false; // the drawing is locked
      drawing = points;
      trainer.invalidate();
      ui.set("ready", points.length < MIN_DRAWN_POINTS
        ? `${points.length} points drawn; draw at least ${MIN_DRAWN_POINTS}.`
        : `${points.length} points drawn.`);
      return true;
    },
  });

  // What a new run is built from, or why there is none.
  function request() {
    if (settings.isCustom && drawing.length < MIN_DRAWN_POINTS) {
      return { problem: `Draw at least ${MIN_DRAWN_POINTS} points on the plane, then press Play.` };
    }
    return { settings: settings.settings(), points: settings.isCustom ? drawing : null };
  }

  const trainer = new Trainer({
    ui,
    request,
    mode: () => root.querySelector('input[name="gan-mode"]:checked').value,
    budget: () => Number($("speed").value),
    onStart: (result) => {
      plane.showRun(result.real, result.view);
      showFrame(result.view);
      playNote.textContent = "";
    },
    onFrame: (result) => {
      plane.showView(result.view);
      showFrame(result.view);
    },
    onPlaying: (on) => {
      $("play").textContent = on ? "Pause" : "Play";
      if (on) root.dataset.playing = "1";
      else delete root.dataset.playing;
    },
    onStale: () => {
      const drawn = settings.isCustom;
      plane.showStale(drawn);
      charts.clear(drawn ? "No run yet for this drawing." : "No run yet.");
      playNote.textContent = drawn && drawing.length >= MIN_DRAWN_POINTS
        ? `Play starts a new run on your ${drawing.length} drawn points; the divergence is measured against them.`
        : "";
      plane.canvas.setAttribute("aria-label", drawn
        ? `The plane with your ${drawing.length} drawn points.` : "The plane, with no run yet.");
    },
  });

  function showFrame(view) {
    const rate = trainer.playing || trainer.stepping ? trainer.rate : null;
    charts.show(trainer.history, view, rate);
    const h = trainer.history;
    const losses = h.d.values.length
      ? ` Detective's loss ${h.d.last.toFixed(3)}, forger's loss ${h.g.last.toFixed(3)}.` : "";
    const modes = view.modes === null || view.modes === undefined ? "" : ` Modes covered: ${view.modes} of ${charts.modeCount}.`;
    plane.canvas.setAttribute("aria-label", `Step ${view.step.toLocaleString("en")}. Grid divergence ${view.jsd.toFixed(3)}.`
      + `${modes}${losses}${plane.describeMap()}`);
  }

  function showSettings() {
    settings.show();
    $("draw-hint").hidden = !settings.isCustom;
    $("clear-drawing").hidden = !settings.isCustom;
    plane.setDrawable(settings.isCustom);
  }

  $("play").addEventListener("click", () => (trainer.playing ? trainer.pause() : trainer.play()));
  $("step").addEventListener("click", () => trainer.oneStep());
  $("reset").addEventListener("click", () => trainer.start());
  $("speed").addEventListener("input", () => { $("speed-out").textContent = $("speed").value; });
  $("clear-drawing").addEventListener("click", () => plane.setDrawing([]));

  runtime.addEventListener("state", async ({ detail }) => {
    if (detail.state !== "ready") {
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
  });
  showSettings();
  plane.redraw();

  // For tests, benchmarks and hosts.
  return {
    play: () => trainer.play(),
    pause: () => trainer.pause(),
    oneStep: () => trainer.oneStep(),
    reset: () => trainer.start(),
    start: () => trainer.start(),
    setDrawing: (points) => plane.setDrawing(points),
    scene: () => plane.scene,
    get run() { return trainer.run; },
  };
}
