// The GAN's settings (their <option> lists and bounds come from gan-settings.js through ui.js
// applySettingsTable), the presets from
// Python, and the chosen preset's sentence beside the plane.
import { GAN_SETTINGS, RUN_SETTINGS, pythonName } from "./gan-settings.js";
import { bindSetting } from "../../core/controls.js";
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

// The settings' controls, the preset menu and its sentence. onChange() after a setting or a
// preset changed the store (the run restarts).
export function settingsPanel(root, { ui, store, onChange }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const select = $("preset");
  const note = $("preset-note");
  let presets = [];

  function show() {
    for (const input of root.querySelectorAll("[data-setting]")) input.value = store.get(input.dataset.setting);
    const preset = presetOf(presets, (k) => store.get(k));
    select.value = preset ? preset.name : "";
    note.textContent = preset && preset.name !== "default" ? preset.sentence : "";
    note.hidden = !note.textContent;
    root.dataset.preset = preset ? preset.name : "";
  }

  function choosePreset(name) {
    const preset = presets.find((p) => p.name === name);
    if (!preset) return;
    store.set(presetValues(preset), "gan");
    show();
    onChange();
  }

  // Each change is checked like a URL value, stored, and restarts the run.
  for (const input of root.querySelectorAll("[data-setting]")) bindSetting(input, { ui, store, source: "gan", show, redraw: onChange });
  select.addEventListener("change", () => choosePreset(select.value));

  return {
    show,
    get isCustom() { return store.get("gan_target") === "custom"; },
    // The settings of a run, as genlab.gan names them.
    settings: () => Object.fromEntries(RUN_SETTINGS.map((key) => [pythonName(key), store.get(key)])),
    setPresets(list) {
      presets = list;
      select.replaceChildren(el("option", { value: "" }, "(your own settings)"), ...list.map((p) => el("option", { value: p.name }, p.name)));
      show();
    },
  };
}
