// The GAN's player: one run in the worker, started, trained a chunk at a time, paused, stepped.
// Every loop carries an id and every reply the run it trained, so stale replies are dropped.

import { isExpiredRun } from "../../core/runtime.js";

const HISTORY_MAX = 1200; // entries kept per series; when full, neighbours are averaged in pairs
const EXPIRED = "Python let go of this run while the page was away (a browser may freeze a tab hidden "
  + "for a few minutes). Press Play to start a new run.";

// A series that stays short: each entry averages `per` values, and per doubles when it is full.
export class AveragedSeries {
  constructor() { this.values = []; this.per = 1; this.pending = []; }

  push(values) {
    for (const v of values) {
      this.pending.push(v);
      if (this.pending.length === this.per) {
        this.values.push(this.pending.reduce((a, b) => a + b, 0) / this.per);
        this.pending = [];
      }
    }
    if (this.values.length > HISTORY_MAX) {
      this.values = this.values.flatMap((v, i, a) => (i % 2 ? [] : [(v + (a[i + 1] ?? v)) / 2]));
      this.per *= 2;
    }
  }

  // The step each entry ends at, for a series with one value per step from step 1.
  steps() { return this.values.map((_, i) => (i + 1) * this.per); }

  get last() { return this.values.at(-1) ?? NaN; }
}

// A series of one value per frame, with the step it was measured at.
export class Measures {
  constructor() { this.steps = []; this.values = []; }

  push(step, value) {
    if (this.steps.at(-1) === step) this.values[this.values.length - 1] = value;
    else { this.steps.push(step); this.values.push(value); }
    if (this.values.length > HISTORY_MAX) { // keep every other one (the latest stays)
      const keep = (_, i, a) => i % 2 === (a.length - 1) % 2;
      this.steps = this.steps.filter(keep);
      this.values = this.values.filter(keep);
    }
  }

  get last() { return this.values.at(-1) ?? NaN; }
}

const newRate = () => ({ steps: 0, states: 0, frames: 0, since: performance.now(), stepsPerS: 0, statesPerS: 0, fps: 0 });

// hooks: {ui, request() -> {settings, points} | {problem}, mode() -> "both" | ..., budget() -> ms,
//         onStart(start), onFrame(frame), onPlaying(bool), onStale()}
export class Trainer {
  constructor(hooks) {
    this.hooks = hooks;
    this.run = null; // the worker's run id; null: no run for what is on screen
    this.playing = false;
    this.stepping = false;
    this.diverged = false;
    this.maxSteps = 1; // the most steps one gan_train call takes (from gan_presets)
    this.loopId = 0;
    this.looping = null; // the play loop, done once it has shown its last chunk
    this.startId = 0;
    this.history = null;
    this.step = 0; // the run's step in the latest view
    this.rate = null;
  }

  // A fresh run with what request() gives (paused); false if there is none (a problem is shown).
  async start() {
    const { ui } = this.hooks;
    this.pause();
    const me = ++this.startId;
    this.run = null; // nothing trains until the new run exists
    this.diverged = false;
    const wanted = this.hooks.request();
    if (wanted.problem) {
      ui.set("ready", wanted.problem);
      this.hooks.onStale();
      return false;
    }
    try {
      const result = await ui.call("gan_start", { ...wanted, owner: "gan" });
      if (me !== this.startId) return false; // a later start (or a drawing) took over
      this.run = result.run;
      this.history = { d: new AveragedSeries(), g: new AveragedSeries(), jsd: new Measures(), modes: new Measures() };
      this.measure(result.view);
      this.hooks.onStart(result);
      ui.set("ready", "");
      return true;
    } catch (err) {
      if (me === this.startId) ui.fail(err);
      return false;
    }
  }

  // A call failed: a run Python no longer holds is forgotten (Play starts a new one); anything
  // else is shown as it is.
  failed(err) {
    if (!isExpiredRun(err)) return this.hooks.ui.fail(err);
    this.invalidate();
    this.hooks.ui.set("ready", EXPIRED);
  }

  // What is on screen changed (a drawing): the run no longer fits it; Play starts a new one.
  invalidate() {
    this.pause();
    this.startId++;
    this.run = null;
    this.hooks.onStale();
  }

  measure(view) {
    this.step = view.step;
    this.history.jsd.push(view.step, view.jsd);
    if (view.modes !== null && view.modes !== undefined) this.history.modes.push(view.step, view.modes);
  }

  // Up to steps steps for the speed control's budget, then the picture: two short calls
  // (a slow step is finished by later calls), so other sections wait little.
  train(steps) {
    const { ui } = this.hooks;
    const run = this.run;
    const trained = ui.call("gan_train", { run, steps, mode: this.hooks.mode(), budget_ms: this.hooks.budget(), view: false });
    const view = ui.call("gan_view", { run });
    return Promise.all([trained, view]).then(([result, frame]) => ({ ...result, view: frame, jsd: frame.jsd, forRun: run }));
  }

  // Takes a reply in; false when training should stop (stale reply or divergence).
  apply(result) {
    if (this.run === null || result.forRun !== this.run) return false;
    this.history.d.push(result.losses_d.data);
    this.history.g.push(result.losses_g.data);
    this.measure(result.view);
    this.countRate(result.losses_d.data.length);
    this.hooks.onFrame(result, this.playing);
    if (result.diverged) {
      this.pause();
      this.diverged = true;
      this.hooks.ui.set("error", `${result.message} Press Reset to start again.`);
      return false;
    }
    return true;
  }

  // Steps and frames from Python (states) per second, and frames the page drew (fps): the page
  // eases from one state to the next, so it draws more frames than Python sends.
  countRate(steps) {
    const rate = this.rate;
    rate.steps += steps;
    rate.states += 1;
    const now = performance.now();
    if (now - rate.since > 1000) {
      const per = (n) => (1000 * n) / (now - rate.since);
      Object.assign(rate, { stepsPerS: per(rate.steps), statesPerS: per(rate.states), fps: per(rate.frames) });
      Object.assign(rate, { steps: 0, states: 0, frames: 0, since: now });
    }
  }

  // The page drew a frame of this run (see gan-plane.js).
  frameDrawn() {
    if (this.rate) this.rate.frames += 1;
  }

  // While playing, the worker trains the next chunk while this one is drawn. Every chunk asked
  // for is shown, the last one after Pause too, so the page always shows the run as it is.
  async loop() {
    const me = ++this.loopId;
    const current = () => this.playing && me === this.loopId;
    // The chunk asked for ahead may fail while this loop waits for a frame that a hidden tab
    // does not draw: it is marked handled at once, and its failure is met at the next await.
    const ahead = () => {
      const chunk = this.train(this.maxSteps);
      chunk.catch(() => {});
      return chunk;
    };
    let pending = ahead();
    try {
      for (;;) {
        const result = await pending;
        const go = current();
        if (go) pending = ahead();
        const ok = this.apply(result);
        if (!go || !ok) break; // (a chunk asked for ahead is then simply not wanted)
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    } catch (err) {
      if (me !== this.loopId) return;
      this.pause();
      this.failed(err);
    }
  }

  // Plays the run; with no run for what is on screen (a new drawing), starts one first.
  async play() {
    if (this.playing || this.stepping || this.diverged) return;
    if (this.run === null && !(await this.start())) return;
    if (this.playing) return;
    this.playing = true;
    this.rate = newRate();
    this.hooks.onPlaying(true);
    this.hooks.ui.set("busy", "Training…");
    this.looping = this.loop();
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.hooks.onPlaying(false);
    if (this.hooks.ui.root.dataset.state === "busy") this.hooks.ui.set("ready", "Paused.");
  }

  // Trains on to `target` steps and pauses there (a handout shows a trained GAN, not step 0):
  // plays if need be, calls onProgress(step) as it goes, and gives up after withinMs.
  // Resolves to the step reached (fewer when training cannot go on: a problem, divergence).
  async trainTo(target, withinMs, onProgress) {
    const started = performance.now();
    if (this.run === null || this.step < target) await this.play();
    while (this.playing && this.step < target && performance.now() - started < withinMs) {
      onProgress?.(this.step);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.pause();
    await this.looping; // the chunk asked for ahead is shown too
    return this.run === null ? 0 : this.step;
  }

  // One whole step, in as many short calls as it takes (a slow step spans several).
  async oneStep() {
    if (this.playing || this.stepping || this.diverged) return;
    if (this.run === null && !(await this.start())) return;
    this.stepping = true;
    this.rate = newRate();
    try {
      let result;
      do result = await this.train(1);
      while (this.apply(result) && result.losses_d.data.length === 0 && !this.playing);
    } catch (err) {
      this.failed(err);
    } finally {
      this.stepping = false;
    }
  }
}
