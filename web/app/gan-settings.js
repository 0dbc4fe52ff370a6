// Settings of the GAN (section 3); genlab.gan.GanConfig checks the same bounds again in Python.
// state.js joins every section's table into PARAMS: the URL parser, locks and embeds read it.
export const GAN_SETTINGS = Object.freeze({
  gan_target: { kind: "choice", fallback: "ring", options: ["ring", "spiral", "moons", "gaussian", "custom"], label: "GAN target" },
  gan_points: { kind: "points", fallback: "", maxPoints: 200, label: "GAN drawing" },
  gan_lr_g: { kind: "number", fallback: 0.0015, min: 0.00001, max: 1, label: "Forger learning rate" },
  gan_lr_d: { kind: "number", fallback: 0.0015, min: 0.00001, max: 1, label: "Detective learning rate" },
  gan_d_steps: { kind: "integer", fallback: 1, min: 1, max: 10, label: "Detective steps per forger step" },
  gan_width: { kind: "integer", fallback: 32, min: 4, max: 128, label: "Hidden width" },
  gan_depth: { kind: "integer", fallback: 2, min: 1, max: 4, label: "Hidden layers" },
  gan_activation: { kind: "choice", fallback: "relu", options: ["relu", "leaky_relu", "tanh"], label: "Activation" },
  gan_latent: { kind: "integer", fallback: 4, min: 1, max: 16, label: "Latent size" },
  gan_batch: { kind: "integer", fallback: 128, min: 16, max: 512, label: "Batch size" },
  gan_loss: { kind: "choice", fallback: "nonsat", options: ["nonsat", "lsgan"], label: "GAN loss" },
  gan_seed: { kind: "integer", fallback: 0, min: 0, max: 4294967295, label: "GAN seed" },
});
