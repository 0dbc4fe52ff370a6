// Settings of diffusion (section 4); genlab.api checks the same bounds again in Python.
// state.js joins every section's table into PARAMS: the URL parser, locks and embeds read it.
export const DIFFUSION_SETTINGS = Object.freeze({
  diff_T: { kind: "integer", fallback: 1000, min: 10, max: 1000, label: "Diffusion steps T" },
  diff_schedule: { kind: "choice", fallback: "linear", options: ["linear", "cosine"], label: "Noise schedule" },
  diff_t: { kind: "integer", fallback: 250, min: 0, max: 1000, label: "Noise step t" },
  diff_prompt: { kind: "choice", fallback: "spiral", options: ["ring", "spiral", "moons", "gaussian", "none"], label: "Diffusion prompt" },
  diff_scale: { kind: "number", fallback: 1, min: 0, max: 10, label: "Guidance scale" },
  diff_steps: { kind: "choice", fallback: "20", options: ["5", "10", "20", "50", "100"], label: "Sampling steps" },
  diff_sampler: { kind: "choice", fallback: "ddpm", options: ["ddpm", "ddim"], label: "Sampler" },
  diff_seed: { kind: "integer", fallback: 0, min: 0, max: 4294967295, label: "Diffusion seed" },
  digit: { kind: "choice", fallback: "3", options: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "none"], label: "Digit prompt" },
  digit_scale: { kind: "number", fallback: 3, min: 0, max: 10, label: "Digit guidance scale" },
  digit_steps: { kind: "choice", fallback: "25", options: ["5", "10", "25", "50", "100"], label: "Digit sampling steps" },
  digit_sampler: { kind: "choice", fallback: "ddim", options: ["ddim", "ddpm"], label: "Digit sampler" },
  digit_seed: { kind: "integer", fallback: 0, min: 0, max: 4294967295, label: "Digit seed" },
});
