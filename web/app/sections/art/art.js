// Section 7: seeded abstract art. numpy paints each picture in the worker from a seed and five
// knobs; the page puts its bytes on the canvas as they come and keeps every knob in the URL.
// A second panel asks the real diffusion model twice with one seed, to show the same rule there.
import { SEED_MAX, nextSeed, partLink } from "../../core/state.js";
import { bindSetting, setSetting } from "../../core/controls.js";
import { WidgetState, coalesce, el, whenNear } from "../../core/ui.js";
import { drawArt, drawDigitRow, drawThumb, finalDigits } from "./art-view.js";

const KEYS = ["art_seed", "art_style", "art_palette", "art_complexity", "art_symmetry", "art_size"];
const STRIP = 8; // neighbouring seeds shown
const STRIP_BEFORE = 3; // of them, below the current seed
const THUMB = 64; // a thumbnail's side in pixels
const SEED_TAG_DIGITS = 4; // a long seed's digits shown under its thumbnail
const TWINS = { prompt: 3, scale: 3, steps: 25, sampler: "ddpm", n: 8 }; // the real model, asked twice
const REVOKE_MS = 60_000; // a downloaded picture's blob URL is released after this

export const fileName = (r) => `genlab-art-seed${r.seed}-${r.style}-${r.palette}-c${r.complexity}-${r.symmetry}-${r.size}.png`;

// The eight seeds around seed, kept inside 0 .. SEED_MAX.
export function neighbours(seed) {
  const first = Math.min(Math.max(seed - STRIP_BEFORE, 0), SEED_MAX - STRIP + 1);
  return Array.from({ length: STRIP }, (_, i) => first + i);
}

// A link that opens this picture: every art knob, defaults included, and the section; no
// other section's settings (state.js partLink), so nothing a learner typed or drew elsewhere.
export const shareUrl = (store) => partLink(KEYS, store, "art");

const $in = (root) => (role) => root.querySelector(`[data-role="${role}"]`);

export function artSection(root, { runtime, store }) {
  const twinsRoot = root.querySelector('[data-panel="twins"]');
  const picture = picturePanel(root, { runtime, store }); // first: its WidgetState enables the thumbnails it makes
  filesPanel(root, { store, picture });
  const twins = twinsPanel(twinsRoot, { runtime, store });
  runtime.addEventListener("state", async ({ detail }) => {
    if (detail.state === "ready") await picture.start(() => twins.ui.set("ready", ""));
  });
  // For tests, benchmarks and hosts.
  return {
    refresh: picture.refresh, askTwice: twins.askTwice, shareUrl: () => shareUrl(store),
    get shown() { return picture.shown; }, get strip() { return picture.strip; }, get twins() { return twins.last; },
  };
}

// The knobs as art_render takes them.
const knobsOf = (store) => ({
  seed: store.get("art_seed"), style: store.get("art_style"), palette: store.get("art_palette"),
  complexity: store.get("art_complexity"), symmetry: store.get("art_symmetry"), size: Number(store.get("art_size")),
});

// The controls from the store (and the link to share, when it is shown).
function showKnobsOf(root, store) {
  const $ = $in(root);
  for (const input of root.querySelectorAll("[data-param]")) input.value = String(store.get(input.dataset.param));
  $("complexity-out").textContent = String(store.get("art_complexity"));
  if (!$("share-box").hidden) $("share-url").value = shareUrl(store);
}

// The strip's buttons, each a thumbnail and its seed.
function makeThumbs(strip) {
  const thumbs = Array.from({ length: STRIP }, () => {
    const picture = el("canvas", { width: THUMB, height: THUMB, "aria-hidden": "true" });
    const number = el("span", { class: "thumb-seed" });
    return { button: el("button", { type: "button", class: "thumb" }, picture, number), picture, number };
  });
  strip.replaceChildren(...thumbs.map((t) => t.button));
  return thumbs;
}

// A seed short enough to read under a 64 px thumbnail: a long one keeps its last digits, which
// differ between neighbours ("…7891"); the button's name and tooltip say it in full.
export function seedTag(seed) {
  const text = String(seed);
  return text.length > SEED_TAG_DIGITS + 2 ? `…${text.slice(-SEED_TAG_DIGITS)}` : text;
}

// Each button named and labelled by its seed, the current one marked: at once from the store
// (before Python can draw the thumbnails), then again with every strip drawn.
function nameThumbs(thumbs, seeds, current) {
  seeds.forEach((seed, k) => {
    const { button, number } = thumbs[k];
    number.textContent = seedTag(seed);
    button.dataset.seed = String(seed);
    button.title = `Seed ${seed}`;
    button.setAttribute("aria-label", `Seed ${seed}`);
    if (seed === current) button.setAttribute("aria-current", "true");
    else button.removeAttribute("aria-current");
  });
}

const label = (list, name) => list.find((x) => x.name === name)?.label ?? name;

// The picture in words: its text alternative, its caption, and facts for tests.
function describeArt(root, presets, store, r) {
  const style = label(presets.styles, r.style);
  const symmetry = label(presets.symmetries, r.symmetry);
  root.querySelector('[data-role="canvas"]').setAttribute("aria-label", `Abstract art: ${style} style, ${r.palette} palette, complexity ${r.complexity}, `
    + `${symmetry}, seed ${r.seed}, ${r.size} × ${r.size} pixels`);
  const picked = (knob) => (store.get(knob) === "auto" ? " (picked by the seed)" : "");
  root.querySelector('[data-role="caption"]').textContent = `Seed ${r.seed}: ${style}${picked("art_style")}, ${r.palette} palette${picked("art_palette")}. `
    + `Fingerprint of the pixels: ${r.sha256.slice(0, 16)}.`;
  Object.assign(root.dataset, { seed: r.seed, style: r.style, palette: r.palette, sha256: r.sha256 });
}

// The neighbouring seeds' thumbnails, the current one marked; returns what they show.
function showStrip(root, thumbs, result, current) {
  const strip = root.querySelector('[data-role="strip"]');
  const keepFocus = strip.contains(document.activeElement);
  nameThumbs(thumbs, result.seeds, current);
  result.seeds.forEach((seed, k) => {
    drawThumb(thumbs[k].picture, result.images, k);
    if (keepFocus && seed === current) thumbs[k].button.focus(); // the strip moved: follow the chosen seed
  });
  strip.dataset.seeds = result.seeds.join(",");
  return { seeds: result.seeds, styles: result.styles, palettes: result.palettes };
}

// The picture, its knobs and the strip of neighbouring seeds.
function picturePanel(root, { runtime, store }) {
  const $ = $in(root);
  const thumbs = makeThumbs($("strip"));
  const ui = new WidgetState(root, runtime); // made after the thumbnails, so it enables them too
  let presets = null;
  let shown = null; // the last picture drawn: art_render's reply
  let strip = null; // {seeds, styles, palettes} of the thumbnails drawn

  const knobs = () => knobsOf(store);
  const nameAtOnce = () => strip || nameThumbs(thumbs, neighbours(store.get("art_seed")), store.get("art_seed")); // before they are drawn
  const showKnobs = () => { showKnobsOf(root, store); nameAtOnce(); };

  const setting = { ui, store, source: "art", show: showKnobs, redraw: () => refresh() };

  const refresh = coalesce(async () => {
    if (!presets || !ui.pythonUp) return;
    const args = knobs();
    const stale = () => JSON.stringify(knobs()) !== JSON.stringify(args); // a newer run is queued
    try {
      ui.set("busy", "Rendering…");
      const started = performance.now();
      const r = await ui.call("art_render", args);
      if (stale()) return;
      r.ms = performance.now() - started;
      drawArt($("canvas"), r.image);
      shown = r;
      describeArt(root, presets, store, r);
      ui.set("busy", "Rendering the neighbouring seeds…");
      const { seed, ...same } = args;
      const thumbnails = await ui.call("art_strip", { ...same, seeds: neighbours(seed), size: THUMB });
      if (stale()) return;
      strip = showStrip(root, thumbs, thumbnails, args.seed);
      ui.set("ready", `Rendered in ${Math.round(r.ms)} ms (${r.size} × ${r.size} pixels).`);
    } catch (err) {
      ui.fail(err);
    }
  });

  for (const input of root.querySelectorAll("[data-param]")) bindSetting(input, setting);
  const changeSeed = (raw) => setSetting("art_seed", raw, setting);
  $("shuffle").addEventListener("click", () => changeSeed(String(crypto.getRandomValues(new Uint32Array(1))[0])));
  for (const { button } of thumbs) button.addEventListener("click", () => button.dataset.seed && changeSeed(button.dataset.seed));
  store.addEventListener("change", ({ detail }) => {
    if (detail.source === "art" || !Object.keys(detail.changes).some((k) => KEYS.includes(k))) return;
    showKnobs();
    refresh();
  });
  showKnobs();

  // Once Python is up: the presets, then the picture when the section comes near the screen.
  async function start(alsoReady) {
    presets = await ui.call("art_presets", {}).catch((err) => ui.fail(err)); // undefined if it failed
    if (!presets) return;
    ui.set("ready", "");
    alsoReady();
    whenNear(root, refresh); // the sections above get the worker first while the page starts
  }

  return { ui, refresh, start, get shown() { return shown; }, get strip() { return strip; } };
}

// Download the picture as a PNG, or copy a link that opens it.
function filesPanel(root, { store, picture }) {
  const $ = $in(root);
  const { ui } = picture;
  $("download").addEventListener("click", () => {
    const { shown } = picture;
    if (!shown) return ui.set("error", "There is no picture to download yet.");
    const name = fileName(shown);
    $("canvas").toBlob((blob) => {
      if (!blob) return ui.set("error", "This browser could not turn the picture into a PNG file.");
      const url = URL.createObjectURL(blob);
      const link = el("a", { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), REVOKE_MS);
      $("share-note").textContent = `Downloaded ${name}.`;
    }, "image/png");
  });

  $("share").addEventListener("click", async () => {
    const field = $("share-url");
    field.value = shareUrl(store);
    $("share-box").hidden = false;
    try {
      if (!navigator.clipboard) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(field.value);
      $("share-note").textContent = "Link copied. Whoever opens it sees this exact picture, with every knob as it is now.";
    } catch {
      field.focus();
      field.select();
      $("share-note").textContent = "The browser did not let GenLab copy. The link is selected in the field above: "
        + "press Ctrl+C (⌘C on a Mac) to copy it.";
    }
  });
}

// Same seed, same output, shown with a real model: the diffusion sampler asked twice.
function twinsPanel(panel, { runtime, store }) {
  const $ = $in(panel);
  const ui = new WidgetState(panel, runtime);
  let last = null; // {seeds, identical, differ, values} of the last same-seed demo

  function show(runs, seeds) {
    const [a, b] = runs.map(finalDigits);
    const bitsA = new Uint32Array(a.buffer, a.byteOffset, a.length); // float32 bit patterns
    const bitsB = new Uint32Array(b.buffer, b.byteOffset, b.length);
    let differ = 0;
    for (let i = 0; i < bitsA.length; i++) if (bitsA[i] !== bitsB[i]) differ++;
    last = { seeds, identical: differ === 0, differ, values: bitsA.length };
    [["twin-a", a, "First run"], ["twin-b", b, "Second run"]].forEach(([role, ink, name], i) => {
      drawDigitRow($(role), ink, TWINS.n);
      $(`${role}-label`).textContent = `${name}, seed ${seeds[i]}`;
      $(role).setAttribute("aria-label", `${name}: ${TWINS.n} generated digits 3 from seed ${seeds[i]}`);
    });
    $("twins-verdict").textContent = last.identical
      ? `Identical: yes. All ${last.values} pixel values match bit for bit, although the sampler drew fresh random `
        + `noise at each of its ${TWINS.steps} steps: seed ${seeds[0]} fixed every one of those draws.`
      : `Identical: no. ${differ} of ${last.values} pixel values differ: seeds ${seeds[0]} and ${seeds[1]} give `
        + "different noise at every step, and so different digits.";
    panel.dataset.identical = last.identical ? "yes" : "no";
  }

  async function askTwice(otherSeed = false) {
    const seed = store.get("art_seed");
    const seeds = [seed, otherSeed ? nextSeed(seed) : seed];
    try {
      ui.set("busy", "Asking the diffusion model twice…");
      const runs = [];
      for (const s of seeds) runs.push(await ui.call("diffusion_sample_digits", { ...TWINS, seed: s }));
      show(runs, seeds);
      ui.set("ready", "");
    } catch (err) {
      ui.fail(err);
    }
  }

  $("twins-same").addEventListener("click", () => askTwice(false));
  $("twins-other").addEventListener("click", () => askTwice(true));
  return { ui, askTwice, get last() { return last; } };
}
