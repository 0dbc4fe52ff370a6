// Section 4: diffusion. Three panels (forward noising of a photo, reverse sampling in the
// plane with live training beside a GAN, and guided digits), all computed in the worker.
import { PythonError } from "./runtime.js";
import { parseValue } from "./state.js";
import { WidgetState, coalesce, el, prefersReducedMotion, whenNear } from "./ui.js";
import { drawDigits, drawLoss, drawPicture, drawPlane, drawSchedule } from "./diffusion-view.js";
import { drawLosses } from "./gan-view.js";
import { pictureSize } from "./picture-size.js";

const DEFAULT_PICTURE = "assets/chelsea.png";
const DEFAULT_CAPTION = "Chelsea the cat (photo: Stefan van der Walt, CC0).";
const MAX_SIDE = 256; // pictures are scaled down to this many pixels a side before noising
const MAX_FILE_BYTES = 50 * 1024 * 1024; // larger files are refused before decoding
const MAX_MEGAPIXELS = 40; // so are pictures whose header claims more (decoded, 40 MP take 160 MB)
const KINDS = "PNG, JPEG, GIF, WebP or BMP"; // the kinds whose size pictureSize reads
const ANIMATION_MS = 1600; // one pass from static to sample
const N_POINTS = 1000;
const N_DIGITS = 16;
const TRAIN_BUDGET_MS = 40; // training time per call, so that other sections wait one short call at most
const HISTORY_MAX = 1500; // loss entries kept per curve; past that, every other one is dropped
const LIVE_RESAMPLE_EVERY = 250; // training steps between fresh samples when the fresh model is shown

const shapeName = (s) => ({ moons: "two moons", gaussian: "cluster", none: "no prompt" }[s] ?? s);
const thin = (values) => (values.length > HISTORY_MAX ? values.filter((_, i) => i % 2 === 0) : values);

// Steps through frames 0..last over ANIMATION_MS (or jumps to the end with reduced motion).
function animator(show) {
  let token = 0;
  return {
    play(last) {
      const mine = ++token;
      if (prefersReducedMotion()) return show(last);
      const start = performance.now();
      const tick = (now) => {
        if (mine !== token) return;
        const frame = Math.min(last, Math.round(((now - start) / ANIMATION_MS) * last));
        show(frame);
        if (frame < last) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    stop() { token++; },
  };
}

export function mountDiffusion(root, runtime, store) {
  const panel = (name) => root.querySelector(`[data-panel="${name}"]`);
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const ui = {
    forward: new WidgetState(panel("forward"), runtime),
    reverse: new WidgetState(panel("reverse"), runtime),
    guidance: new WidgetState(panel("guidance"), runtime),
  };
  let presets = null;
  let schedules = null; // for the current T
  let picture = null; // {width, height, caption} once Python holds one
  let plane = null; // last 2D sample
  let digits = null; // last digits sample
  let digitsStarted = false; // the guidance panel has asked for its first sample
  const live = { diffRun: null, ganRun: null, training: false, step: 0, ganStep: 0, loss: [], ganD: [], ganG: [], sampledAt: 0 };

  // ------------------------------------------------------------ settings bound to the URL

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

  const refreshOf = { forward: () => refreshForward(), reverse: () => samplePlane(), guidance: () => sampleDigits() };

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
    showParams();
    refreshOf[name]();
  }

  // Another section (6) may turn the same steering wheel: follow it.
  store.addEventListener("change", ({ detail }) => {
    if (detail.source === "diffusion" || !["digit", "digit_scale"].some((k) => k in detail.changes)) return;
    showParams();
    if (digitsStarted) sampleDigits(); // (a sample in flight is followed by one more)
  });

  for (const input of root.querySelectorAll("[data-param]")) {
    const name = input.closest("[data-panel]").dataset.panel;
    const event = input.type === "range" ? "input" : "change";
    input.addEventListener(event, () => changeParam(input.dataset.param, input.value, name));
  }

  // ------------------------------------------------------------ forward: a photo sinks into static

  async function decodePicture(blob, name) {
    if (blob.size > MAX_FILE_BYTES) {
      throw new Error(`“${name}” is ${(blob.size / 2 ** 20).toFixed(0)} MB; pictures up to ${MAX_FILE_BYTES / 2 ** 20} MB are accepted.`);
    }
    const claimed = await pictureSize(blob); // read before decoding: a small file may claim a huge picture
    if (claimed.kind === "unknown") throw new Error(`“${name}” is not a ${KINDS} picture, the kinds this page opens.`);
    const megapixels = (claimed.width * claimed.height) / 1e6;
    if (megapixels > MAX_MEGAPIXELS) {
      throw new Error(`“${name}” is ${claimed.width.toLocaleString("en")} × ${claimed.height.toLocaleString("en")} pixels `
        + `(${Math.round(megapixels).toLocaleString("en")} megapixels); pictures up to ${MAX_MEGAPIXELS} megapixels are accepted.`);
    }
    let bitmap;
    try {
      if (claimed.width === null) throw new Error("no size in the header"); // unchecked: do not decode
      bitmap = await createImageBitmap(blob);
    } catch {
      throw new Error(`“${name}” is not a picture this browser can read (a damaged ${claimed.kind} file?). Try a ${KINDS} file.`);
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = el("canvas", { width, height });
    const g = canvas.getContext("2d");
    g.drawImage(bitmap, 0, 0, width, height);
    const note = scale < 1 ? `Scaled down from ${bitmap.width} × ${bitmap.height} to ${width} × ${height} pixels.` : "";
    bitmap.close();
    return { pixels: g.getImageData(0, 0, width, height).data, width, height, note };
  }

  async function usePicture(blob, name, caption) {
    const ui_ = ui.forward;
    try {
      ui_.set("busy", `Reading “${name}”…`);
      const { pixels, width, height, note } = await decodePicture(blob, name);
      await ui_.call("diffusion_image", { pixels, width, height });
      picture = { width, height, note, fresh: true, pixels, inPython: true }; // pixels: for a restart
      $("picture-caption").textContent = `${caption} ${note}`.trim();
      $("cat").hidden = name === "chelsea.png";
      await refreshForward();
    } catch (err) {
      if (err instanceof PythonError) ui_.fail(err);
      else ui_.set("error", `${err.message} ${picture ? "The previous picture is kept." : ""}`.trim());
    }
  }

  async function loadDefaultPicture() {
    try {
      const response = await fetch(DEFAULT_PICTURE);
      if (!response.ok) throw new Error(`the photo could not be loaded (HTTP ${response.status})`);
      await usePicture(await response.blob(), "chelsea.png", DEFAULT_CAPTION);
    } catch (err) {
      ui.forward.set("error", `The demo photo is missing: ${err.message}. You can still pick a picture of your own.`);
    }
  }

  // After a restart, Python gets the learner's picture again (it was decoded here, and kept).
  async function resendPicture() {
    try {
      if (!picture.inPython) await ui.forward.call("diffusion_image", { pixels: picture.pixels, width: picture.width, height: picture.height });
      picture.inPython = true;
      await refreshForward();
    } catch (err) {
      ui.forward.fail(err);
    }
  }

  const refreshForward = coalesce(async () => {
    if (!picture?.inPython || !ui.forward.pythonUp) return;
    const T = store.get("diff_T");
    const t = Math.min(store.get("diff_t"), T);
    const schedule = store.get("diff_schedule");
    try {
      if (!schedules || schedules.T !== T) schedules = await ui.forward.call("diffusion_schedule", { T });
      const r = await ui.forward.call("diffusion_forward", { t, T, schedule, seed: store.get("diff_seed") });
      drawPicture($("picture"), r.image);
      drawSchedule($("schedule"), schedules, schedule, t);
      $("schedule").setAttribute("aria-label", `Noise schedules over ${T} steps: with the ${schedule} schedule, `
        + `ᾱ falls from 1 to ${schedules[schedule].alpha_bar.data[T].toFixed(4)}; at step ${t} it is ${r.alpha_bar.toFixed(3)}.`);
      const kept = Math.round(100 * r.alpha_bar);
      $("numbers").textContent = `√ᾱ = ${r.signal.toFixed(3)} of the picture and ${r.noise.toFixed(3)} of static `
        + `(ᾱ = ${r.alpha_bar.toFixed(4)}, β at this step = ${r.beta_t.toFixed(5)}).`;
      $("picture").setAttribute("aria-label", `The picture at noise step ${t} of ${T} (${schedule} schedule): `
        + `${kept}% of its signal power is left, the rest is static.`);
      ui.forward.set("ready", picture.fresh ? picture.note : ""); // a new picture's note, once
      picture.fresh = false;
    } catch (err) {
      ui.forward.fail(err);
    }
  });

  $("file").addEventListener("change", (e) => {
    const file = e.target.files[0];
    if (file) usePicture(file, file.name, `Your picture: ${file.name}.`);
    e.target.value = ""; // the same file can be chosen again
  });
  $("cat").addEventListener("click", loadDefaultPicture);

  // ------------------------------------------------------------ reverse: static to a shape

  const planeAnimation = animator(showPlaneFrame);

  function showPlaneFrame(frame) {
    if (!plane) return;
    drawPlane($("plane"), { extent: presets.extent, path: plane.path, frame, real: plane.real });
    $("frame").value = String(frame);
    $("frame-out").textContent = String(frame);
    const t = plane.times[frame];
    const where = frame === plane.steps ? "the samples" : `noise level t = ${t}`;
    $("plane").setAttribute("aria-label", `${N_POINTS} points at step ${frame} of ${plane.steps} (${where}), `
      + `prompt: ${shapeName(plane.prompt)}.${plane.near == null ? "" : ` Mean distance of the samples to the ${shapeName(plane.prompt)}: ${plane.near.toFixed(3)}.`}`);
  }

  const samplePlane = coalesce(async () => {
    if (!presets || !ui.reverse.pythonUp) return;
    const useLive = $("model").value === "live" && live.diffRun;
    const args = {
      prompt: store.get("diff_prompt"), scale: store.get("diff_scale"), steps: Number(store.get("diff_steps")),
      sampler: store.get("diff_sampler"), seed: store.get("diff_seed"), n: N_POINTS, run: useLive ? live.diffRun : null,
    };
    try {
      ui.reverse.set("busy", "Sampling…");
      const started = performance.now();
      plane = await ui.reverse.call("diffusion_sample_2d", args);
      plane.ms = performance.now() - started;
      $("frame").max = String(plane.steps);
      $("frames-out").textContent = String(plane.steps);
      $("frame").disabled = false;
      const who = useLive ? `your fresh model (trained ${live.step} steps, learns the ${shapeName(plane.prompt)})` : "GenLab's model";
      $("reverse-summary").textContent = plane.near == null
        ? `${N_POINTS} points from ${who} with no prompt: it mixes every shape it learned.`
        : `${N_POINTS} points from ${who}, ${plane.steps} ${plane.sampler.toUpperCase()} steps. `
          + `Mean distance from a sample to the nearest real point: ${plane.near.toFixed(3)} (real points sit about 0.01 apart).`;
      // While the fresh model trains, the panel stays busy: the sample is a glimpse of it.
      if (live.training) ui.reverse.set("busy", `Training a fresh model and a GAN… (sample computed in ${Math.round(plane.ms)} ms)`);
      else ui.reverse.set("ready", `Computed in ${Math.round(plane.ms)} ms.`);
      planeAnimation.play(plane.steps);
    } catch (err) {
      ui.reverse.fail(err);
    }
  });

  $("sample").addEventListener("click", () => {
    store.set({ diff_seed: (store.get("diff_seed") + 1) % 4294967296 }, "diffusion");
    showParams();
    samplePlane();
  });
  $("replay").addEventListener("click", () => plane && planeAnimation.play(plane.steps));
  $("frame").addEventListener("input", () => {
    planeAnimation.stop();
    showPlaneFrame(Number($("frame").value));
  });
  $("model").addEventListener("change", samplePlane);

  // ------------------------------------------------------------ live training beside a GAN

  function showTraining() {
    drawLoss($("diff-loss"), live.loss);
    drawLosses($("gan-loss"), live.ganD, live.ganG);
    const last = (a) => (a.length ? a[a.length - 1].toFixed(3) : "–");
    const behind = live.ganStep < live.step ? ` (at step ${live.ganStep}: its steps are slower)` : "";
    $("train-stats").textContent = live.step
      ? `Step ${live.step}: diffusion loss ${last(live.loss)}; GAN${behind} detective ${last(live.ganD)}, forger ${last(live.ganG)}.`
      : `Not started: Train teaches a fresh model the ${$("train-shape").selectedOptions[0].textContent} `
        + `from random weights, at learning rate ${$("train-lr").value}.`;
    $("diff-loss").setAttribute("aria-label", `Diffusion training loss over ${live.step} steps, last ${last(live.loss)}`);
    $("gan-loss").setAttribute("aria-label", `GAN losses over ${live.ganStep} steps: detective ${last(live.ganD)}, forger ${last(live.ganG)}`);
  }

  async function startRuns() {
    const lr = parseValue("gan_lr_g", $("train-lr").value); // same bounds as a GAN learning rate
    if (lr.problem) throw new Error(`Learning rate: ${lr.problem.replace(/^Forger learning rate /, "")}.`);
    const shape = $("train-shape").value;
    const d = await ui.reverse.call("diffusion_train_start", { shape, lr: lr.value, seed: store.get("diff_seed") });
    const g = await ui.reverse.call("gan_start", { settings: { target: shape, seed: store.get("diff_seed") }, owner: "diffusion-live" });
    Object.assign(live, { diffRun: d.run, ganRun: g.run, step: 0, ganStep: 0, loss: [], ganD: [], ganG: [], sampledAt: 0 });
    $("model").querySelector('[value="live"]').disabled = false;
  }

  // Short calls by time, not by steps: the diffusion model trains for TRAIN_BUDGET_MS, then
  // the GAN catches up to its step count for as long (or falls behind, when its steps are slower).
  async function trainLoop() {
    while (live.training) {
      const budget_ms = TRAIN_BUDGET_MS;
      const d = await ui.reverse.call("diffusion_train", { run: live.diffRun, steps: presets.max_steps, budget_ms });
      if (d.run !== live.diffRun) return;
      live.loss = thin(live.loss.concat(Array.from(d.losses.data)));
      live.step = d.step;
      if (d.diverged) {
        stopTraining();
        panel("reverse").dataset.diverged = "1";
        ui.reverse.set("error", `${d.message} Press Reset to start again.`);
        showTraining();
        return;
      }
      const steps = Math.min(presets.max_steps, live.step - live.ganStep); // (gan_train takes as many per call)
      const g = steps > 0 ? await ui.reverse.call("gan_train", { run: live.ganRun, steps, view: false, budget_ms }) : null;
      if (g && g.run !== live.ganRun) return;
      live.ganStep = g ? g.step : live.ganStep;
      live.ganD = thin(live.ganD.concat(Array.from(g ? g.losses_d.data : [])));
      live.ganG = thin(live.ganG.concat(Array.from(g ? g.losses_g.data : [])));
      showTraining();
      if ($("model").value === "live" && live.step - live.sampledAt >= LIVE_RESAMPLE_EVERY) {
        live.sampledAt = live.step;
        samplePlane();
      }
    }
  }

  function stopTraining() {
    live.training = false;
    $("train").textContent = live.step ? "Continue" : "Train";
    if (panel("reverse").dataset.state === "busy") ui.reverse.set("ready", "Training paused.");
  }

  async function toggleTraining() {
    if (live.training) return stopTraining();
    if (panel("reverse").dataset.diverged) return;
    try {
      if (!live.diffRun) await startRuns();
      live.training = true;
      $("train").textContent = "Pause";
      ui.reverse.set("busy", "Training a fresh model and a GAN…");
      await trainLoop();
    } catch (err) {
      stopTraining();
      if (err instanceof PythonError) ui.reverse.fail(err);
      else ui.reverse.set("error", err.message);
    }
  }

  // Forgets the fresh model (a reset, or a Python that restarted without it).
  function clearTraining() {
    stopTraining();
    delete panel("reverse").dataset.diverged;
    Object.assign(live, { diffRun: null, ganRun: null, step: 0, ganStep: 0, loss: [], ganD: [], ganG: [] });
    $("train").textContent = "Train";
    if ($("model").value === "live") $("model").value = "shipped";
    $("model").querySelector('[value="live"]').disabled = true;
    showTraining();
  }

  function resetTraining() {
    clearTraining();
    ui.reverse.set("ready", "");
  }

  $("train").addEventListener("click", toggleTraining);
  $("train-reset").addEventListener("click", resetTraining);
  $("train-shape").addEventListener("change", resetTraining);
  $("train-lr").addEventListener("change", resetTraining);

  // ------------------------------------------------------------ guidance: prompts steer digits

  const digitAnimation = animator(showDigitFrame);

  function showDigitFrame(frame) {
    if (!digits) return;
    const final = frame === digits.steps;
    const marks = final && digits.prompt !== "none" ? digits.read_as.map((d) => d === digits.prompt) : null;
    drawDigits($("digits"), { path: digits.path, frame, marks });
    $("digits").setAttribute("aria-label", final
      ? `${N_DIGITS} generated digits for the prompt ${digits.prompt}; a classifier reads them as ${digits.read_as.join(", ")}.`
      : `${N_DIGITS} digits emerging from static: step ${frame} of ${digits.steps}.`);
  }

  const sampleDigits = coalesce(async () => {
    if (!presets || !ui.guidance.pythonUp) return;
    const digit = store.get("digit");
    const args = {
      prompt: digit === "none" ? "none" : Number(digit), scale: store.get("digit_scale"),
      steps: Number(store.get("digit_steps")), sampler: store.get("digit_sampler"), seed: store.get("digit_seed"), n: N_DIGITS,
    };
    try {
      ui.guidance.set("busy", "Sampling…");
      const started = performance.now();
      digits = await ui.guidance.call("diffusion_sample_digits", args);
      digits.ms = performance.now() - started;
      $("digits-summary").textContent = digits.prompt === "none"
        ? `No prompt: a simple classifier reads these ${N_DIGITS} as ${digits.read_as.join(" ")}.`
        : `At guidance scale ${digits.scale}, a simple classifier reads ${digits.hits} of the ${N_DIGITS} as a ${digits.prompt}.`;
      $("digits-caption").textContent = `Read as: ${digits.read_as.join(" ")} (green frame: matches the prompt).`;
      ui.guidance.set("ready", `Computed in ${Math.round(digits.ms)} ms.`);
      digitAnimation.play(digits.steps);
    } catch (err) {
      ui.guidance.fail(err);
    }
  });

  $("digit-buttons").replaceChildren(...["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "none"].map((d) => {
    const button = el("button", { type: "button", "data-digit": d, "aria-pressed": "false" }, d === "none" ? "no prompt" : d);
    button.addEventListener("click", () => changeParam("digit", d, "guidance"));
    return button;
  }));
  for (const state of Object.values(ui)) state.controls = [...state.root.querySelectorAll("input, button, select, textarea")];
  $("digits-replay").addEventListener("click", () => digits && digitAnimation.play(digits.steps));

  // ------------------------------------------------------------ start-up

  runtime.addEventListener("state", async ({ detail }) => {
    if (detail.state !== "ready") {
      clearTraining(); // its runs died with the worker
      if (picture) picture.inPython = false;
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
    whenNear(panel("forward"), () => (picture ? resendPicture() : loadDefaultPicture()));
    whenNear(panel("reverse"), samplePlane);
    whenNear(panel("guidance"), () => {
      digitsStarted = true;
      sampleDigits();
    });
  });
  showParams();

  // For tests, benchmarks and hosts.
  return {
    usePicture, refreshForward, samplePlane, sampleDigits, toggleTraining, resetTraining, stopTraining,
    get plane() { return plane; }, get digits() { return digits; }, get live() { return live; },
    get picture() { return picture; },
  };
}
