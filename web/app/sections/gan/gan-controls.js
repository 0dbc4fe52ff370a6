// The GAN's settings (their <option> lists and bounds come from gan-settings.js through ui.js
// applySettingsTable), the presets from
// Python, and the chosen preset's sentence beside the plane.
import { GAN_SETTINGS, RUN_SETTINGS, pythonName } from "./gan-settings.js";
import { parseValue } from "../../core/state.js";
import { el } from "../../core/ui.js";

// A preset's settings as store values (the target stays the learner's choice).
export function presetValues(preset) {
  return Object.fromEntries(Object.entries(preset.settings)
    .filter(([k]) => k !== "target" && `gan_${k}` in GAN_SETTINGS).map(([k, v]) => [`gan_${k}`, v]));
}

// The preset whose every value the store holds, or undefined.
export function presetOf(presets, get) {
  return presets.find((p) => Object.entries(presetValues(p)).every(([k, v]) => get(k) === v));
}

// hooks: {ui, store, onChange()}: onChange after a setting or preset changed the store.
export class SettingsPanel {
  constructor(root, hooks) {
    const $ = (role) => root.querySelector(`[data-role="${role}"]`);
    this.root = root;
    this.hooks = hooks;
    this.presets = [];
    this.select = $("preset");
    this.note = $("preset-note");
    for (const input of root.querySelectorAll("[data-setting]")) {
      input.addEventListener("change", () => this.change(input.dataset.setting, input.value));
    }
    this.select.addEventListener("change", () => this.choosePreset(this.select.value));
  }

  get isCustom() { return this.hooks.store.get("gan_target") === "custom"; }

  // The settings of a run, as genlab.gan names them.
  settings() {
    return Object.fromEntries(RUN_SETTINGS.map((key) => [pythonName(key), this.hooks.store.get(key)]));
  }

  setPresets(presets) {
    this.presets = presets;
    this.select.replaceChildren(el("option", { value: "" }, "(your own settings)"),
      ...presets.map((p) => el("option", { value: p.name }, p.name)));
    this.show();
  }

  show() {
    const { store } = this.hooks;
    for (const input of this.root.querySelectorAll("[data-setting]")) input.value = store.get(input.dataset.setting);
    const preset = presetOf(this.presets, (k) => store.get(k));
    this.select.value = preset ? preset.name : "";
    this.note.textContent = preset && preset.name !== "default" ? preset.sentence : "";
    this.note.hidden = !this.note.textContent;
    this.root.dataset.preset = preset ? preset.name : "";
  }

  // Each change is checked like a URL value, stored, and restarts the run.
  change(key, raw) {
    const { ui, store } = this.hooks;
    const { value, problem } = parseValue(key, raw);
    if (problem) {
      ui.set("error", `${problem}. Keeping ${store.get(key)}.`);
      this.show();
      return;
    }
    store.set({ [key]: value }, "gan");
    this.show();
    this.hooks.onChange();
  }

  choosePreset(name) {
    const preset = this.presets.find((p) => p.name === name);
    if (!preset) return;
    this.hooks.store.set(presetValues(preset), "gan");
    this.show();
    this.hooks.onChange();
  }
}
