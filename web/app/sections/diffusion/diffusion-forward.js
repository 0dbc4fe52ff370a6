// Diffusion, forward panel: a photo (the cat, or the learner's own) sinks into static.
import { PythonError } from "../../core/runtime.js";
import { coalesce, el } from "../../core/ui.js";
import { drawPicture, drawSchedule } from "./diffusion-view.js";
import { DIFFUSION_LIMITS } from "./diffusion-settings.js";
import { pictureSize } from "./picture-size.js";

const DEFAULT_PICTURE = "assets/chelsea.png";
const DEFAULT_CAPTION = "Chelsea the cat (photo: Stefan van der Walt, CC0).";
const KINDS = "PNG, JPEG, GIF, WebP or BMP"; // the kinds whose size pictureSize reads
const { maxSide: MAX_SIDE, maxFileBytes: MAX_FILE_BYTES, maxMegapixels: MAX_MEGAPIXELS } = DIFFUSION_LIMITS;

// Reads a picture file in the page, refusing what is too large before decoding it, and
// scales it to at most MAX_SIDE a side. Returns {pixels (RGBA), width, height, note}.
export async function decodePicture(blob, name) {
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

// T, the step t shown (at most T) and the schedule, from the store.
function noiseSettings(store) {
  const T = store.get("diff_T");
  return { T, t: Math.min(store.get("diff_t"), T), schedule: store.get("diff_schedule") };
}

// The demo photo, as a Blob.
async function defaultPicture() {
  const response = await fetch(DEFAULT_PICTURE);
  if (!response.ok) throw new Error(`the photo could not be loaded (HTTP ${response.status})`);
  return response.blob();
}

// A picture of the learner's own, or the cat again.
function wirePictureButtons(root, usePicture, loadDefault) {
  const field = root.querySelector('[data-role="file"]');
  // The field keeps showing the chosen file's name; it is emptied as the picker opens, so that
  // choosing the same file again is a change too, and when the cat comes back.
  field.addEventListener("click", () => { field.value = ""; });
  field.addEventListener("change", () => {
    const file = field.files[0];
    if (file) usePicture(file, file.name, `Your picture: ${file.name}.`).then((used) => used || (field.value = ""));
  });
  root.querySelector('[data-role="cat"]').addEventListener("click", () => {
    field.value = "";
    loadDefault();
  });
}

// A picture that could not be used: why, in the panel. Returns false (nothing new is shown).
function refused(ui, err, kept) {
  if (err instanceof PythonError) ui.fail(err);
  else ui.set("error", `${err.message} ${kept ? "The previous picture is kept." : ""}`.trim());
  return false;
}

// The noised picture, the schedules' chart and the numbers of step t.
function showNoised(root, r, { schedules, schedule, T, t }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  drawPicture($("picture"), r.image);
  drawSchedule($("schedule"), schedules, schedule, t);
  $("schedule").setAttribute("aria-label", `Noise schedules over ${T} steps: with the ${schedule} schedule, `
    + `ᾱ falls from 1 to ${schedules[schedule].alpha_bar.data[T].toFixed(4)}; at step ${t} it is ${r.alpha_bar.toFixed(3)}.`);
  $("numbers").textContent = `√ᾱ = ${r.signal.toFixed(3)} of the picture and ${r.noise.toFixed(3)} of static `
    + `(ᾱ = ${r.alpha_bar.toFixed(4)}, β at this step = ${r.beta_t.toFixed(5)}).`;
  $("picture").setAttribute("aria-label", `The picture at noise step ${t} of ${T} (${schedule} schedule): `
    + `${Math.round(100 * r.alpha_bar)}% of its signal power is left, the rest is static.`);
}

// root: the panel; ui: its WidgetState; store: the settings. usePicture resolves to whether the picture is shown.
export function forwardPanel(root, { ui, store }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  let schedules = null; // for the current T
  let picture = null; // {width, height, note, fresh, pixels, inPython} once Python holds one

  async function usePicture(blob, name, caption) {
    try {
      ui.set("busy", `Reading “${name}”…`);
      const { pixels, width, height, note } = await decodePicture(blob, name);
      await ui.call("diffusion_image", { pixels, width, height });
      picture = { width, height, note, fresh: true, pixels, inPython: true }; // pixels: for a restart
      $("picture-caption").textContent = `${caption} ${note}`.trim();
      $("cat").hidden = name === "chelsea.png";
      await refresh();
      return true;
    } catch (err) {
      return refused(ui, err, picture !== null);
    }
  }

  async function loadDefault() {
    const blob = await defaultPicture().catch((err) => {
      ui.set("error", `The demo photo is missing: ${err.message}. You can still pick a picture of your own.`);
    });
    if (blob) await usePicture(blob, "chelsea.png", DEFAULT_CAPTION);
  }

  // After a restart, Python gets the learner's picture again (it was decoded here, and kept).
  async function start() {
    if (!picture) return loadDefault();
    try {
      if (!picture.inPython) await ui.call("diffusion_image", { pixels: picture.pixels, width: picture.width, height: picture.height });
      picture.inPython = true;
      await refresh();
    } catch (err) {
      ui.fail(err);
    }
  }

  const refresh = coalesce(async () => {
    if (!picture?.inPython || !ui.pythonUp) return;
    const { T, t, schedule } = noiseSettings(store);
    try {
      if (!schedules || schedules.T !== T) schedules = await ui.call("diffusion_schedule", { T });
      const r = await ui.call("diffusion_forward", { t, T, schedule, seed: store.get("diff_seed") });
      showNoised(root, r, { schedules, schedule, T, t });
      ui.set("ready", picture.fresh ? picture.note : ""); // a new picture's note, once
      picture.fresh = false;
    } catch (err) {
      ui.fail(err);
    }
  });

  wirePictureButtons(root, usePicture, loadDefault);
  return {
    usePicture, refresh, start,
    forget() { if (picture) picture.inPython = false; }, // Python restarted without it
    get picture() { return picture; },
  };
}
