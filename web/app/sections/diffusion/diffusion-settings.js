// Settings of diffusion (section 4): the one table the URL parser, the locks, the <option>
// lists and the panels read. genlab.api checks the same bounds again in Python, and
// tests/test_diffusion_browser.py compares this file with genlab.api and genlab.diffusion.
// main.js registers this table with core/state.js (PARAMS): the URL parser, locks and embeds read it.
// optionLabels (choices only): the text of each <option>, built from this table.
import { seedSetting } from "../../core/state.js";
import { shapeName } from "../../core/plane.js";
export const DIFFUSION_SETTINGS = Object.freeze({
  diff_T: { kind: "integer", fallback: 1000, min: 10, max: 1000, label: "Diffusion steps T" },
  diff_schedule: { kind: "choice", fallback: "linear", options: ["linear", "cosine"], label: "Noise schedule" },
  diff_t: { kind: "integer", fallback: 250, min: 0, max: 1000, label: "Noise step t" },
  diff_prompt: {
    kind: "choice", fallback: "spiral", options: ["ring", "spiral", "moons", "gaussian", "none"], label: "Diffusion prompt",
    optionLabels: { moons: shapeName("moons"), gaussian: shapeName("gaussian"), none: `(${shapeName("none")})` },
  },
  diff_scale: { kind: "number", fallback: 1, min: 0, max: 10, label: "Guidance scale" },
  diff_steps: { kind: "choice", fallback: "20", options: ["5", "10", "20", "50", "100"], label: "Sampling steps" },
  diff_sampler: {
    kind: "choice", fallback: "ddim", options: ["ddim", "ddpm"], label: "Sampler",
    optionLabels: { ddim: "DDIM (smooth)", ddpm: "DDPM (random jitter)" },
  },
  diff_seed: seedSetting(0, "Diffusion seed"),
  digit: { kind: "choice", fallback: "3", options: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "none"], label: "Digit prompt" },
  digit_scale: { kind: "number", fallback: 3, min: 0, max: 10, label: "Digit guidance scale" },
  digit_steps: { kind: "choice", fallback: "25", options: ["5", "10", "25", "50", "100"], label: "Digit sampling steps" },
  digit_sampler: {
    kind: "choice", fallback: "ddim", options: ["ddim", "ddpm"], label: "Digit sampler",
    optionLabels: { ddim: "DDIM (deterministic)", ddpm: "DDPM (random)" },
  },
  digit_seed: seedSetting(0, "Digit seed"),
});

// Limits of the section that are not settings in the link; the Python twins are named.
export const DIFFUSION_LIMITS = Object.freeze({
  maxSide: 256, // api.DIFF_MAX_SIDE: pictures are scaled down to this many pixels a side
  maxFileBytes: 50 * 1024 * 1024, // larger files are refused before decoding
  maxMegapixels: 40, // so are pictures whose header claims more (decoded, 40 MP take 160 MB)
  nPoints: 1000, // api.DEFAULTS["2d"]["n"]; at most api.DIFF_MAX_POINTS
  nDigits: 16, // api.DEFAULTS["digits"]["n"]; at most api.DIFF_MAX_DIGITS
  tracked: 8, // api.DIFF_TRACKED: points whose paths and guesses are drawn
  trainShapes: ["ring", "spiral", "moons", "gaussian"], // api.SHAPES_2D
  trainShape: "spiral", // api.DEFAULTS["train"]["shape"]
  trainLr: { fallback: 0.002, min: 0.00001, max: 1 }, // api.DEFAULTS["train"]["lr"], api.DIFF_LR
});
