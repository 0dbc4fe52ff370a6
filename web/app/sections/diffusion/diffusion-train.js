// Diffusion, training panel: a fresh denoiser and a GAN learn the same shape, taking turns
// of equal time; two charts side by side show their losses and the quality of their samples
// over that time. The worker trains turn after turn; the page draws the latest state at the
// display's rate (requestAnimationFrame), apart from the training loop.
import { PythonError, isExpiredRun } from "../../core/runtime.js";
import { drawQuality, drawStability } from "./diffusion-view.js";
import { DIFFUSION_LIMITS } from "./diffusion-settings.js";
import { LossHistory } from "./diffusion-panel.js";
import { shapeName } from "../../core/plane.js";
import { formatValue } from "../../core/chart.js";

const TURN_MS = 40; // training time per call and per model, so that other sections wait one short call at most
const MAX_TURN_MS = 500; // a GAN turn matches a slow diffusion turn up to this
const LIVE_RESAMPLE_EVERY = 250; // training steps between fresh samples when the fresh model is shown
const QUALITY_EVERY_S = 2; // training seconds (of each model) between two measurements of sample quality
const RATE_WINDOW_MS = 1000; // frames drawn and steps trained are counted over windows this long

// A learning rate typed by the learner: {value} or {problem}.
export function readLearningRate(raw) {
  const { min, max } = DIFFUSION_LIMITS.trainLr;
  const value = Number(String(raw).trim());
  if (String(raw).trim() === "" || !Number.isFinite(value)) return { problem: `Learning rate “${raw}” is not a number (allowed: ${min} to ${max}).` };
  if (value < min || value > max) return { problem: `Learning rate ${raw} is outside ${min} to ${max}.` };
  return { value };
}

const freshRuns = () => ({
  diffRun: null, ganRun: null, training: false, step: 0, ganStep: 0, sampledAt: 0, clock: { diffusion: 0, gan: 0 },
  loss: new LossHistory(), ganD: new LossHistory(), ganG: new LossHistory(),
  quality: { diffusion: { x: [], values: [] }, gan: { x: [], values: [] }, floor: null }, nextQuality: 0,
  turnStarted: null, fresh: true, // when the worker's current turn began; whether data came since the tables were filled
  rate: { since: 0, frames: 0, step: 0, fps: 0, stepsPerS: 0 },
});

// The x axis's end: the training time so far, moving on smoothly during a turn (now: a frame's time).
function clockNow(live, now) {
  const done = Math.max(live.clock.diffusion, live.clock.gan);
  if (!live.training || live.turnStarted === null || now === undefined) return done || undefined;
  return done + Math.min(MAX_TURN_MS, Math.max(0, now - live.turnStarted)) / 1000;
}

// The two charts and the line under them; their hidden tables only when new data came.
function showTraining(root, live, now) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const until = clockNow(live, now);
  const tables = live.fresh ? [$("stability-table"), $("quality-table")] : [null, null];
  drawStability($("stability"), tables[0], { diffusion: live.loss, detective: live.ganD, forger: live.ganG }, until);
  drawQuality($("quality"), tables[1], live.quality, until);
  if (!live.fresh) return; // the words change with new data only: no layout work at every frame
  live.fresh = false;
  $("train-stats").textContent = live.step ? trainingWords(live) : `Not started: Train teaches a fresh model the `
    + `${$("train-shape").selectedOptions[0].textContent} from random weights, at learning rate ${$("train-lr").value}.`;
}

function trainingWords(live) {
  const f = (v) => formatValue(v);
  const q = live.quality;
  const quality = q.diffusion.values.length
    ? ` Divergence of the samples from the real shape: diffusion ${f(q.diffusion.values.at(-1))}, GAN ${f(q.gan.values.at(-1))} `
      + `(two sets of real points: ${f(q.floor)}).`
    : "";
  return `After ${live.clock.diffusion.toFixed(1)} s each: diffusion at step ${live.step}, loss ${f(live.loss.last)}; `
    + `GAN at step ${live.ganStep}, detective ${f(live.ganD.last)}, forger ${f(live.ganG.last)}.${quality}`;
}

// Frames drawn and diffusion steps trained per second, over windows of RATE_WINDOW_MS (on the panel's data-).
function countFrame(root, live, now) {
  const rate = live.rate;
  if (!rate.since) Object.assign(rate, { since: now, frames: 0, step: live.step });
  rate.frames++;
  if (now - rate.since < RATE_WINDOW_MS) return;
  rate.fps = (1000 * rate.frames) / (now - rate.since);
  rate.stepsPerS = (1000 * (live.step - rate.step)) / (now - rate.since);
  Object.assign(rate, { since: now, frames: 0, step: live.step });
  root.dataset.trainFps = rate.fps.toFixed(1);
  root.dataset.trainStepsPerS = rate.stepsPerS.toFixed(1);
}

// While training: the latest state at every display frame, whatever the worker is doing.
function painter(root, getLive) {
  let frame = 0;
  const paint = (now) => {
    const live = getLive();
    frame = 0;
    if (!live.training) return;
    showTraining(root, live, now);
    countFrame(root, live, now);
    frame = requestAnimationFrame(paint);
  };
  return { start() { if (!frame) frame = requestAnimationFrame(paint); } };
}

// Every QUALITY_EVERY_S of training: both models' samples measured alike, off the training clock.
async function measureQuality(ui, live) {
  if (live.clock.diffusion < live.nextQuality) return;
  live.nextQuality = live.clock.diffusion + QUALITY_EVERY_S;
  const q = await ui.call("diffusion_quality", { run: live.diffRun, gan_run: live.ganRun });
  live.quality.diffusion.x.push(live.clock.diffusion);
  live.quality.diffusion.values.push(q.diffusion);
  live.quality.gan.x.push(live.clock.gan);
  live.quality.gan.values.push(q.gan);
  live.quality.floor = q.floor;
  live.fresh = true;
}

// A fresh denoiser and a GAN on the chosen shape, from one seed.
async function startRuns(root, ui, seed) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const lr = readLearningRate($("train-lr").value);
  if (lr.problem) throw new Error(lr.problem);
  const shape = $("train-shape").value;
  const d = await ui.call("diffusion_train_start", { shape, lr: lr.value, seed });
  const g = await ui.call("gan_start", { settings: { target: shape, seed }, owner: "diffusion-live" });
  $("model").querySelector('[value="live"]').disabled = false;
  return { ...freshRuns(), diffRun: d.run, ganRun: g.run };
}

// One turn each, of TURN_MS: the x of each loss is its model's own training time, so both
// curves cover the same seconds whichever takes more steps in them. Returns
// "on", "stale" (a newer run) or the message of a diffusion run that diverged.
async function turn(ui, live, maxSteps) {
  let started = performance.now();
  live.turnStarted = started;
  const d = await ui.call("diffusion_train", { run: live.diffRun, steps: maxSteps, budget_ms: TURN_MS });
  if (d.run !== live.diffRun) return "stale";
  const dt = (performance.now() - started) / 1000;
  live.loss.add(Array.from(d.losses.data), live.clock.diffusion, (live.clock.diffusion += dt));
  live.step = d.step;
  if (d.diverged) return d.message;
  started = performance.now();
  const budget_ms = Math.min(MAX_TURN_MS, Math.max(TURN_MS, 1000 * dt)); // the time the diffusion turn took
  const g = await ui.call("gan_train", { run: live.ganRun, steps: maxSteps, view: false, budget_ms });
  if (g.run !== live.ganRun) return "stale";
  const gt = (performance.now() - started) / 1000;
  live.ganD.add(Array.from(g.losses_d.data), live.clock.gan, live.clock.gan + gt);
  live.ganG.add(Array.from(g.losses_g.data), live.clock.gan, (live.clock.gan += gt));
  live.ganStep = g.step;
  live.turnStarted = null;
  live.fresh = true;
  return "on";
}

// The shapes to train on and the learning rate's field, from DIFFUSION_LIMITS.
function fillControls(root) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const { trainShapes, trainShape, trainLr } = DIFFUSION_LIMITS;
  $("train-shape").replaceChildren(...trainShapes.map((s) => {
    const option = new Option(shapeName(s), s);
    option.selected = s === trainShape;
    return option;
  }));
  Object.assign($("train-lr"), { value: String(trainLr.fallback), min: String(trainLr.min), max: String(trainLr.max) });
}

// Turns until paused; every LIVE_RESAMPLE_EVERY steps a fresh sample when the fresh model is shown.
async function trainLoop(root, live, { ui, presets, resample, stop }) {
  while (live.training) {
    const state = await turn(ui, live, presets().max_steps);
    if (state === "stale") return;
    if (state === "on") await measureQuality(ui, live);
    if (state !== "on") {
      stop();
      root.dataset.diverged = "1";
      ui.set("error", `${state} Press Reset to start again.`);
      return;
    }
    if (root.querySelector('[data-role="model"]').value === "live" && live.step - live.sampledAt >= LIVE_RESAMPLE_EVERY) {
      live.sampledAt = live.step;
      resample();
    }
  }
}

// root: the reverse panel (the training box sits inside it); ui: its WidgetState;
// presets: () => diffusion_presets(); resample: the reverse panel's sample().
export function trainPanel(root, { ui, store, presets, resample }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  let live = freshRuns();
  const show = () => showTraining(root, live);
  const paint = painter(root, () => live);

  function stop() {
    live.training = false;
    live.fresh = true;
    show(); // the state it stopped in
    $("train").textContent = live.step ? "Continue" : "Train";
    if (root.dataset.state === "busy") ui.set("ready", "Training paused.");
  }

  async function toggle() {
    if (live.training) return stop();
    if (root.dataset.diverged) return;
    try {
      if (!live.diffRun) live = await startRuns(root, ui, store.get("diff_seed"));
      live.training = true;
      $("train").textContent = "Pause";
      ui.set("busy", "Training a fresh model and a GAN…");
      paint.start();
      await trainLoop(root, live, { ui, presets, resample, stop });
    } catch (err) {
      stop();
      if (isExpiredRun(err)) {
        clear();
        ui.set("ready", "Python let go of this training run while the page was away (a browser may freeze a tab "
          + "hidden for a few minutes). Press Train to start a new one.");
      } else if (err instanceof PythonError) ui.fail(err);
      else ui.set("error", err.message);
    }
  }

  // Forgets the fresh model (a reset, or a Python that restarted without it).
  function clear() {
    stop();
    delete root.dataset.diverged;
    live = freshRuns();
    $("train").textContent = "Train";
    if ($("model").value === "live") $("model").value = "shipped";
    $("model").querySelector('[value="live"]').disabled = true;
    show();
  }

  function reset() {
    clear();
    ui.set("ready", "");
  }

  $("train").addEventListener("click", toggle);
  for (const role of ["train-reset", "train-shape", "train-lr"]) $(role).addEventListener(role === "train-reset" ? "click" : "change", reset);
  $("train-box").addEventListener("toggle", show); // a chart drawn while closed had no size
  fillControls(root);
  show();

  return { toggle, reset, stop, clear, get live() { return live; } };
}
