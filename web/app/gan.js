// Section 3: a GAN trained live in the worker, drawn here a chunk of steps at a time.
import { PARAMS, decodePoints, encodePoints, parseValue } from "./state.js";
import { WidgetState, coalesce, el, planeKeys } from "./ui.js";
import { drawField, drawLosses, drawQuality, projection } from "./gan-view.js";

const SETTINGS = Object.keys(PARAMS).filter((k) => k.startsWith("gan_") && k !== "gan_points");
const HISTORY_MAX = 1200; // loss entries kept; older ones are averaged in pairs
const MIN_DRAWN_POINTS = 8;
const DRAW_SPACING = 0.06; // plane units between painted points
const CURSOR_STEP = 0.1; // plane units per arrow key press

// A series that stays short: when full, neighbouring entries are averaged.
class History {
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
}

export function mountGan(root, runtime, store) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const ui = new WidgetState(root, runtime);
  const field = $("field");
  const layers = Object.fromEntries([...root.querySelectorAll("[data-layer]")].map((box) => [box.dataset.layer, box.checked]));
  let run = null; // the worker's run id; replies for older runs are dropped
  let scene = { extent: [-1.5, 1.5, -1.5, 1.5], layers };
  let playing = false;
  let presets = [];
  let maxSteps = 1; // the most steps one gan_train call takes (from gan_presets)
  let stepping = false; // "Step" is completing one step, a call at a time
  let cursor = null; // keyboard drawing position
  let drawing = decodePoints(store.get("gan_points"));
  let history;
  let rate = { steps: 0, frames: 0, since: performance.now(), stepsPerS: 0, fps: 0 };

  const settings = () => Object.fromEntries(SETTINGS.map((k) => [k.slice(4), store.get(k)]));
  const mode = () => root.querySelector('input[name="gan-mode"]:checked').value;
  const isCustom = () => store.get("gan_target") === "custom";

  function showSettings() {
    for (const input of root.querySelectorAll("[data-setting]")) input.value = store.get(input.dataset.setting);
    $("draw-hint").hidden = !isCustom();
    // While drawing, the plane takes keys (arrows move, Space adds); otherwise it is a picture.
    field.tabIndex = isCustom() ? 0 : -1;
    field.setAttribute("role", isCustom() ? "application" : "img");
    $("clear-drawing").hidden = !isCustom();
    const preset = presets.find((p) => Object.entries(presetValues(p)).every(([k, v]) => store.get(k) === v));
    $("preset").value = preset ? preset.name : "";
    $("preset-note").textContent = preset ? preset.sentence : "";
  }

  // A preset's settings as store values (the target stays the learner's choice).
  function presetValues(preset) {
    return Object.fromEntries(Object.entries(preset.settings)
      .filter(([k]) => k !== "target" && `gan_${k}` in PARAMS).map(([k, v]) => [`gan_${k}`, v]));
  }

  function redraw() {
    drawField(field, { ...scene, real: isCustom() && !run ? pointsArray(drawing) : scene.real, cursor });
  }

  function pointsArray(points) {
    return { data: Float32Array.from(points.flat()), shape: [points.length, 2] };
  }

  function describe(result) {
    const jsd = result.jsd.toFixed(3);
    return `Step ${result.step.toLocaleString("en")}. Grid divergence ${jsd}. `
      + `Detective's loss ${last(history.d).toFixed(3)}, forger's loss ${last(history.g).toFixed(3)}.`;
  }
  const last = (h) => h.values.at(-1) ?? NaN;

  // Starts a fresh run with the current settings (paused).
  const start = coalesce(async () => {
    if (!ui.pythonUp) return;
    pause();
    if (isCustom() && drawing.length < MIN_DRAWN_POINTS) {
      run = null;
      scene = { ...scene, real: null, fake: null, heatmap: null, arrows: null };
      redraw();
      ui.set("ready", `Draw at least ${MIN_DRAWN_POINTS} points on the plane, then press Play.`);
      return;
    }
    try {
      const drew = drawing;
      run = null; // nothing trains until the new run exists
      const result = await ui.call("gan_start", { settings: settings(), points: isCustom() ? drawing : null, owner: "gan" });
      if (drew !== drawing) return; // the learner drew meanwhile; setDrawing asked for a new start
      run = result.run;
      history = { d: new History(), g: new History(), jsd: new History() };
      history.jsd.push([result.view.jsd]);
      scene = { ...scene, real: result.real, ...result.view };
      show({ step: 0, jsd: result.view.jsd });
      ui.set("ready", "");
    } catch (err) {
      run = null;
      ui.fail(err);
    }
  });

  function show(result) {
    redraw();
    drawLosses($("losses"), history.d.values, history.g.values);
    drawQuality($("quality"), history.jsd.values);
    const speed = playing && rate.stepsPerS ? ` · ${Math.round(rate.stepsPerS)} steps/s · ${Math.round(rate.fps)} fps` : "";
    $("stats").textContent = `Step ${result.step.toLocaleString("en")} · divergence ${result.jsd.toFixed(3)}${speed}`;
    field.setAttribute("aria-label", history.d.values.length ? describe(result) : "The plane with the real points.");
    const last = (values) => (values.length ? values[values.length - 1].toFixed(2) : "not measured yet");
    $("losses").setAttribute("aria-label", `Loss curves over ${result.step} steps: detective ${last(history.d.values)}, forger ${last(history.g.values)}`);
    $("quality").setAttribute("aria-label", `Grid divergence over time: ${result.jsd.toFixed(3)} now, from ${(history.jsd.values[0] ?? result.jsd).toFixed(3)} at the start`);
    root.dataset.step = String(result.step);
    root.dataset.jsd = String(result.jsd);
  }

  // Up to steps steps, for as long as the speed control's budget, then the picture: two
  // short calls (a slow step is finished by later calls), so other sections wait little.
  // The picture has its own call because at the slowest settings it costs as much as an update.
  function train(steps) {
    const forRun = run; // the run this request trains; a reset meanwhile makes the reply stale
    const budget = Number($("speed").value);
    const trained = ui.call("gan_train", { run, steps, mode: mode(), budget_ms: budget, view: false });
    const frame = ui.call("gan_view", { run });
    return Promise.all([trained, frame]).then(([result, view]) => ({ ...result, view, jsd: view.jsd, forRun }));
  }

  function apply(result) {
    if (run === null || result.forRun !== run) return false; // a reply for a run that was reset
    history.d.push(result.losses_d.data);
    history.g.push(result.losses_g.data);
    history.jsd.push([result.jsd]);
    scene = { ...scene, ...result.view };
    countRate(result.losses_d.data.length);
    show(result);
    if (result.diverged) {
      pause();
      root.dataset.diverged = "1";
      ui.set("error", `${result.message} Press Reset to start again.`);
      return false;
    }
    return true;
  }

  function countRate(steps) {
    rate.steps += steps;
    rate.frames += 1;
    const now = performance.now();
    if (now - rate.since > 1000) {
      rate.stepsPerS = (1000 * rate.steps) / (now - rate.since);
      rate.fps = (1000 * rate.frames) / (now - rate.since);
      Object.assign(rate, { steps: 0, frames: 0, since: now });
      root.dataset.stepsPerS = rate.stepsPerS.toFixed(1);
      root.dataset.fps = rate.fps.toFixed(1);
    }
  }

  // While playing, the worker trains the next chunk while this one is drawn.
  // Each loop has an id: a quick Pause then Play retires the older loop.
  let loopId = 0;
  async function loop() {
    const me = ++loopId;
    const current = () => playing && me === loopId;
    let pending = train(maxSteps);
    try {
      while (current()) {
        const result = await pending;
        if (!current()) {
          apply(result);
          break;
        }
        pending = train(maxSteps);
        if (!apply(result)) {
          pending.catch(() => {}); // the look-ahead chunk is not wanted any more
          break;
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
    } catch (err) {
      if (me !== loopId) return;
      pause();
      ui.fail(err);
    }
  }

  function play() {
    if (!run || playing || stepping || root.dataset.diverged) return;
    playing = true;
    rate = { steps: 0, frames: 0, since: performance.now(), stepsPerS: 0, fps: 0 };
    $("play").textContent = "Pause";
    root.dataset.playing = "1";
    ui.set("busy", "Training…");
    loop();
  }

  function pause() {
    if (!playing) return;
    playing = false;
    $("play").textContent = "Play";
    delete root.dataset.playing;
    if (root.dataset.state === "busy") ui.set("ready", "Paused.");
  }

  // One whole step, in as many short calls as it takes (a slow step spans several).
  async function oneStep() {
    if (!run || playing || stepping || root.dataset.diverged) return;
    stepping = true;
    try {
      let result;
      do result = await train(1);
      while (apply(result) && result.losses_d.data.length === 0 && !playing);
    } catch (err) {
      ui.fail(err);
    } finally {
      stepping = false;
    }
  }

  function reset() {
    delete root.dataset.diverged;
    start();
  }

  // Settings: each change is checked like a URL value, stored, and restarts the run.
  function changeSetting(key, raw) {
    const { value, problem } = parseValue(key, raw);
    if (problem) {
      ui.set("error", `${problem}. Keeping ${store.get(key)}.`);
      showSettings();
      return;
    }
    store.set({ [key]: value }, "gan");
    showSettings();
    reset();
  }

  for (const input of root.querySelectorAll("[data-setting]")) {
    input.addEventListener("change", () => changeSetting(input.dataset.setting, input.value));
  }
  $("preset").addEventListener("change", () => {
    const preset = presets.find((p) => p.name === $("preset").value);
    if (!preset) return;
    store.set(presetValues(preset), "gan");
    showSettings();
    reset();
  });
  for (const box of root.querySelectorAll("[data-layer]")) {
    box.addEventListener("change", () => { layers[box.dataset.layer] = box.checked; redraw(); });
  }
  $("play").addEventListener("click", () => (playing ? pause() : play()));
  $("step").addEventListener("click", oneStep);
  $("reset").addEventListener("click", reset);
  $("speed").addEventListener("input", () => { $("speed-out").textContent = $("speed").value; });
  $("clear-drawing").addEventListener("click", () => setDrawing([]));

  // Drawing your own target: drag with a pointer, or arrow keys and Space.
  function setDrawing(points) {
    store.set({ gan_points: encodePoints(points) }, "gan");
    if (store.get("gan_points") !== encodePoints(points)) return; // the drawing is locked
    drawing = points;
    run = null; // the old run trained on another target
    pause();
    scene = { ...scene, fake: null, heatmap: null, arrows: null };
    redraw();
    ui.set("ready", drawing.length < MIN_DRAWN_POINTS
      ? `${drawing.length} points drawn; draw at least ${MIN_DRAWN_POINTS}.`
      : `${drawing.length} points drawn. Press Reset to train on them.`);
  }

  function addPoint([x, y]) {
    const limit = 1.45;
    const point = [Math.max(-limit, Math.min(limit, x)), Math.max(-limit, Math.min(limit, y))];
    const near = drawing.some(([a, b]) => Math.hypot(a - point[0], b - point[1]) < DRAW_SPACING);
    if (!near && drawing.length < PARAMS.gan_points.maxPoints) setDrawing([...drawing, point.map((v) => Math.round(v * 100) / 100)]);
  }

  function planeAt(event) {
    const box = field.getBoundingClientRect();
    return projection(scene.extent, box.width, box.height).toPlane(event.clientX - box.left, event.clientY - box.top);
  }

  let dragging = false;
  field.addEventListener("pointerdown", (e) => {
    if (!isCustom() || !ui.pythonUp) return;
    dragging = true;
    field.setPointerCapture(e.pointerId);
    addPoint(planeAt(e));
  });
  field.addEventListener("pointermove", (e) => dragging && addPoint(planeAt(e)));
  field.addEventListener("pointerup", () => { dragging = false; });
  field.addEventListener("keydown", (e) => {
    if (!isCustom() || !ui.pythonUp) return;
    cursor = planeKeys(e, cursor, CURSOR_STEP, 1.45, { moved: (c) => { cursor = c; redraw(); }, add: addPoint }) ?? cursor;
  });

  runtime.addEventListener("state", async ({ detail }) => {
    if (detail.state !== "ready") {
      pause();
      run = null;
      return;
    }
    try {
      ({ presets, max_steps: maxSteps } = await ui.call("gan_presets", {}));
      $("preset").replaceChildren(el("option", { value: "" }, "(custom)"),
        ...presets.map((p) => el("option", { value: p.name }, p.name)));
    } catch (err) {
      ui.fail(err);
    }
    showSettings();
    start();
  });
  showSettings();
  redraw();

  // For tests, benchmarks and hosts.
  return { play, pause, oneStep, reset, start, setDrawing, scene: () => scene, get run() { return run; } };
}
