// Settings of the GAN (section 3): the one table that the URL parser, the locks, the
// <option> lists and the page's controls read. genlab.gan.SETTINGS states the same bounds in
// Python, and tests/test_gan_browser.py checks that the two agree.
// main.js registers this table with core/state.js (PARAMS): the URL parser, locks and embeds read it.
import { seedSetting } from "../../core/state.js";

import { PLANE_RANGE, shapeName } from "../../core/plane.js";

// choices: [value, words shown in the <option>], kept as options and optionLabels (state.js reads them).
const choice = (fallback, label, choices) => ({
  kind: "choice", fallback, label, options: choices.map(([value]) => value), optionLabels: Object.fromEntries(choices),
});

export const GAN_SETTINGS = Object.freeze({
  gan_target: choice("ring", "GAN target", [
    ["ring", "ring of 8 clusters"], ...["spiral", "moons", "gaussian"].map((s) => [s, shapeName(s)]),
    ["custom", "draw your own"]]),
  gan_points: { kind: "points", fallback: "", maxPoints: 1000, range: PLANE_RANGE, label: "GAN drawing" },
  gan_lr_g: { kind: "number", fallback: 0.0015, min: 0.00001, max: 1, label: "Forger learning rate" },
  gan_lr_d: { kind: "number", fallback: 0.0015, min: 0.00001, max: 1, label: "Detective learning rate" },
  gan_d_steps: { kind: "integer", fallback: 1, min: 1, max: 10, label: "Detective steps per forger step" },
  gan_width: { kind: "integer", fallback: 32, min: 4, max: 128, label: "Hidden width" },
  gan_depth: { kind: "integer", fallback: 2, min: 1, max: 4, label: "Hidden layers" },
  gan_activation: choice("relu", "Activation", [["relu", "ReLU"], ["leaky_relu", "leaky ReLU"], ["tanh", "tanh"]]),
  gan_latent: { kind: "integer", fallback: 3, min: 1, max: 16, label: "Latent size" },
  gan_batch: { kind: "integer", fallback: 128, min: 16, max: 512, label: "Batch size" },
  gan_loss: choice("nonsat", "GAN loss", [["nonsat", "non-saturating"], ["lsgan", "least squares"]]),
  gan_seed: seedSetting(0, "GAN seed"),
});

// The settings a run is built from, as genlab.gan names them (gan_lr_g -> lr_g).
export const RUN_SETTINGS = Object.freeze(Object.keys(GAN_SETTINGS).filter((key) => key !== "gan_points"));
export const pythonName = (key) => key.slice("gan_".length);
