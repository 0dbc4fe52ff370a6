// Embedding: one section alone (?embed=<section id>), its height reported to the host page,
// teachers' presets (?hide=<keys>, ?lock=<keys>), and the Embed panel under each title that
// builds the code: tick what to hide and what to lock, see the link and a live preview, copy.
import { PARAMS, decodePoints, firstValue, isPrivate, shownValue } from "../core/state.js";
import { el } from "../core/ui.js";

const HEIGHT_MESSAGE = "genlab:height"; // read by embed.js on the host page
export const PREVIEW_NAME = "genlab-preview"; // the window name of the panel's preview frame
const PREVIEW_DELAY_MS = 500; // ticks that come fast load the preview once
const FRAME_EXTRA_PX = 90; // the embed's compact header and banner, above the section itself

const sections = () => [...document.querySelectorAll("main > section.lesson")];
// A control shows or edits its key (data-param, data-setting, data-controls), or changes it
// as a side effect (data-affects: a preset, a Shuffle button). Both stop when the key is locked;
// hiding a key hides the first kind only.
const SHOWN_BY = (key) => `[data-param="${key}"], [data-setting="${key}"], [data-controls~="${key}"]`;
const CHANGED_BY = (key) => `${SHOWN_BY(key)}, [data-affects~="${key}"]`;
const within = (scope, selector) => [...scope.querySelectorAll(selector)];

// The settings a part of the page can hide and lock, in the order of PARAMS.
export function settingsOf(scope = document) {
  const keys = Object.keys(PARAMS);
  return {
    hide: keys.filter((key) => within(scope, SHOWN_BY(key)).length),
    lock: keys.filter((key) => within(scope, CHANGED_BY(key)).length),
  };
}

// Two settings have no labelled control of their own (a button changes them): their words.
const OWN_WORDS = { cls_seed: "Which new points are drawn", gan_points: "The shape drawn for “Real data”" };
// A setting that only counts with another's value: the drawing, when the real data is the drawing.
const ONLY_WITH = { gan_points: ["gan_target", "custom"] };
const NOT_LABEL = "output, select, input, textarea, option, .muted, span:has(output)";

// A setting's name as the section shows it beside its control ("Real data", not "GAN target"):
// the control's <label> or legend without the values in it; the settings table's label otherwise.
export function shownLabel(key, scope = document) {
  if (OWN_WORDS[key]) return OWN_WORDS[key];
  for (const control of within(scope, SHOWN_BY(key))) {
    const label = (control.id && scope.querySelector?.(`label[for="${control.id}"]`)) || control.closest("label")
      || control.closest("fieldset")?.querySelector("legend");
    const words = label ? label.cloneNode(true) : null;
    words?.querySelectorAll(NOT_LABEL).forEach((node) => node.remove());
    const text = words?.textContent.replace(/\s+/g, " ").trim() || control.getAttribute("aria-label");
    if (text) return text;
  }
  return PARAMS[key].label;
}

const named = (keys, scope) => keys.map((key) => `${key} (${shownLabel(key, scope)})`).join(", ");

function keysFrom(params, name, valid, where, problems, scope) {
  const keys = params.getAll(name).join(",").split(",").map((k) => k.trim()).filter(Boolean);
  const unknown = keys.filter((k) => !valid.includes(k));
  if (unknown.length) {
    problems.push(`“${name}” names settings ${where} does not have (${shownValue(unknown.join(", "))}); they are ignored. `
      + `Valid names for “${name}”: ${named(valid, scope)}.`);
  }
  return [...new Set(keys.filter((k) => valid.includes(k)))];
}

// The full lesson from an embed: the same settings and locks, every section, no hidden controls.
function lessonUrl(hash = "") {
  const url = new URL(location.href);
  for (const key of ["embed", "hide"]) url.searchParams.delete(key);
  url.hash = hash;
  return url.href;
}

// Reads ?embed, ?hide and ?lock; locks the store's keys; returns problems to show (sentences).
export function applyEmbedding(store, search = location.search) {
  const params = new URLSearchParams(search);
  const problems = [];
  const id = firstValue(params, "embed", problems);
  let scope = document;
  let where = "this page";
  if (id !== null) {
    const target = sections().find((s) => s.id === id);
    if (!target) {
      problems.push(`“embed=${shownValue(id)}” is not a section of this lesson (sections: ${sections().map((s) => s.id).join(", ")}); showing the whole lesson.`);
    } else {
      document.documentElement.dataset.embed = id;
      target.classList.add("embed-target");
      const full = el("a", { href: lessonUrl(`#${id}`), target: "_blank", rel: "noopener" }, "Open the full lesson");
      const follow = () => { full.href = lessonUrl(`#${id}`); }; // with the settings as they are now
      for (const type of ["pointerdown", "focus"]) full.addEventListener(type, follow);
      document.querySelector("main").prepend(el("p", { class: "embed-banner" }, "Part of GenLab, an interactive lesson on generative AI. ", full));
      scope = target;
      where = `the section “${titleOf(target)}”`;
    }
  }
  const valid = settingsOf(scope);
  for (const key of keysFrom(params, "hide", valid.hide, where, problems, scope)) {
    for (const control of document.querySelectorAll(SHOWN_BY(key))) (control.closest(".field, label, fieldset") || control).hidden = true;
  }
  const locked = keysFrom(params, "lock", valid.lock, where, problems, scope);
  store.lock(locked);
  for (const key of locked) {
    for (const control of document.querySelectorAll(CHANGED_BY(key))) {
      // Widgets keep anything inside a locked element disabled (ui.js WidgetState), buttons made later too.
      control.dataset.locked = "1";
      control.title = "Fixed by the link that opened this page";
    }
  }
  explainLocks(locked);
  if (window.parent !== window) reportHeight();
  return problems;
}

// A visible line above each activity with locked settings, which its locked controls point to
// (a title alone reaches neither the keyboard nor a screen reader).
function explainLocks(locked) {
  for (const section of sections()) {
    const here = locked.filter((key) => section.querySelector(CHANGED_BY(key)));
    if (!here.length) continue;
    const id = `${section.id}-locks`;
    section.querySelector(".widget").before(el("p", { class: "lock-note", id },
      `Fixed by your teacher's link: ${here.map((key) => shownLabel(key, section)).join(", ")}.`));
    for (const key of here) {
      for (const control of section.querySelectorAll(CHANGED_BY(key))) {
        const inputs = control.matches("input, select, button, textarea") ? [control] : control.querySelectorAll("input, select, button, textarea");
        for (const input of inputs) input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${id}`.trim());
      }
    }
  }
}

// Tells the host page (any origin: a height is no secret) how tall the content is.
function reportHeight() {
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height, section: document.documentElement.dataset.embed || null }, "*");
  };
  new ResizeObserver(send).observe(document.documentElement);
  addEventListener("load", send);
  send();
}

const titleOf = (section) => section.querySelector("h2").textContent.replace(/^\s*\d+\s*/, "").trim();
// A value as the panel quotes it: a drawing by its size, a text cut short.
function shown(key, value) {
  if (value === "") return "empty";
  if (PARAMS[key].kind === "points") return `${decodePoints(value).length} points`;
  return PARAMS[key].kind === "text" ? `“${shownValue(value)}”` : String(value);
}

// Whether a setting goes into an embed link: one that differs from its default, or a locked
// one (the lock keeps its value); what was typed or drawn only when asked for (carry) or
// locked; a setting that only counts with another's value (the drawing) only then.
function carried(key, store, { lock, carry }) {
  const [other, needed] = ONLY_WITH[key] ?? [];
  if (other && store.get(other) !== needed) return false;
  if (lock.includes(key)) return true;
  return store.get(key) !== PARAMS[key].fallback && (!isPrivate(key) || carry.includes(key));
}

// The link of one embedded section: its settings as carried() says, then what to hide and lock.
export function embedUrl(id, store, { hide = [], lock = [], carry = [] } = {}) {
  const url = new URL(location.href);
  url.search = "";
  url.hash = "";
  url.searchParams.set("embed", id);
  const section = document.getElementById(id);
  for (const key of settingsOf(section).lock) {
    if (carried(key, store, { lock, carry })) url.searchParams.set(key, String(store.get(key)));
  }
  if (hide.length) url.searchParams.set("hide", hide.join(","));
  if (lock.length) url.searchParams.set("lock", lock.join(","));
  return url.href;
}

export function embedCode(src, title, height = 720) {
  const host = new URL("embed.js", src).href;
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${escape(src)}" title="GenLab: ${escape(title)}" data-genlab\n`
    + `  style="width: 100%; height: ${Math.round(height)}px; border: 0" loading="lazy"></iframe>\n`
    + `<script src="${escape(host)}" async></script>`;
}

function tickList(legend, keys, describe, name) {
  const boxes = keys.map((key) => el("input", { type: "checkbox", value: key, name }));
  const fieldset = el("fieldset", { class: "embed-ticks" }, el("legend", {}, legend),
    ...keys.map((key, i) => el("label", {}, boxes[i], ` ${describe(key)} `, el("code", {}, key))));
  return { fieldset, ticked: () => boxes.filter((b) => b.checked).map((b) => b.value), boxes };
}

// The code selected, then copied if the browser lets the page; done says which.
async function copyCode(code, done) {
  code.select();
  try {
    await navigator.clipboard.writeText(code.value);
    done.textContent = "Copied.";
  } catch {
    done.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy.";
  }
}

function panelLayout({ hide, lock, carry, link, code, actions, preview }) {
  return el("div", { class: "embed-panel" },
    el("p", {}, "Paste this code into a course page (Moodle, Canvas, Blackboard, Brightspace: use the editor's HTML source view). ",
      "The frame shows this section alone, with its current settings, and sizes itself to fit where the page allows scripts. ",
      el("a", { href: "teacher.html#embed", target: "_blank", rel: "noopener" }, "Step-by-step help for each platform"), "."),
    el("div", { class: "embed-choices" }, hide.fieldset, lock.fieldset, ...(carry.boxes.length ? [carry.fieldset] : [])),
    el("label", { class: "field" }, "Link", link),
    el("label", { class: "field" }, "Code", code),
    el("div", { class: "actions" }, ...actions),
    preview);
}

// The Embed panel of one section: built when first opened.
function embedPanel(section, { store }) {
  const id = section.id;
  const title = titleOf(section);
  const settings = settingsOf(section);
  const label = (key) => shownLabel(key, section);
  const now = (key) => `${label(key)} (now ${shown(key, store.get(key))})`;
  const hide = tickList("Hide these controls", settings.hide, label, `${id}-hide`);
  const lock = tickList("Lock these settings at their current value", settings.lock, now, `${id}-lock`);
  // What was typed or drawn stays out of the link unless ticked here (or locked).
  const carry = tickList("Put what was typed or drawn into the link", settings.lock.filter(isPrivate), now, `${id}-carry`);
  const link = el("input", { type: "text", readOnly: true, class: "embed-url", "aria-label": `Link to “${title}” embedded` });
  const code = el("textarea", { readOnly: true, rows: 4, class: "embed-code", "aria-label": `Embed code for “${title}”` });
  const copy = el("button", { type: "button" }, "Copy code");
  const done = el("span", { class: "hint", role: "status" });
  const previewButton = el("button", { type: "button", "aria-expanded": "false" }, "Show a live preview");
  const preview = el("iframe", { name: PREVIEW_NAME, title: `Preview: “${title}” as it will look embedded`, class: "embed-preview", hidden: true });
  let height = section.getBoundingClientRect().height + FRAME_EXTRA_PX;
  let previewTimer = null;

  function update() {
    const src = embedUrl(id, store, { hide: hide.ticked(), lock: lock.ticked(), carry: carry.ticked() });
    link.value = src;
    code.value = embedCode(src, title, height);
    if (!preview.hidden && preview.dataset.src !== src) {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(() => { preview.dataset.src = src; preview.src = src; }, PREVIEW_DELAY_MS);
    }
  }

  addEventListener("message", (event) => {
    if (event.source !== preview.contentWindow || event.data?.type !== HEIGHT_MESSAGE) return;
    if (!Number.isFinite(event.data.height)) return;
    height = event.data.height;
    preview.style.height = `${height}px`;
    update();
  });
  for (const box of [...hide.boxes, ...lock.boxes, ...carry.boxes]) box.addEventListener("change", update);
  store.addEventListener("change", () => {
    [...lock.boxes, ...carry.boxes].forEach((box) => { box.nextSibling.textContent = ` ${now(box.value)} `; });
    update();
  });
  function showPreview(on) {
    preview.hidden = !on;
    previewButton.setAttribute("aria-expanded", String(on));
    previewButton.textContent = on ? "Hide the preview" : "Show a live preview";
    if (!on) {
      preview.removeAttribute("src"); // stops the preview's own Python
      delete preview.dataset.src;
    }
    update();
  }
  previewButton.addEventListener("click", () => showPreview(preview.hidden));
  copy.addEventListener("click", () => copyCode(code, done));
  const panel = panelLayout({ hide, lock, carry, link, code, actions: [copy, previewButton, done], preview });
  update();
  return { panel, close: () => !preview.hidden && showPreview(false) };
}

// An "Embed" button under each section's title, opening the panel.
export function addEmbedButtons(store) {
  for (const section of sections()) {
    const button = el("button", { type: "button", class: "embed-button", "aria-expanded": "false" }, "Embed");
    const tools = el("div", { class: "embed-tools" }, button);
    let kit = null;
    button.addEventListener("click", () => {
      kit ??= embedPanel(section, { store });
      if (!kit.panel.isConnected) tools.append(kit.panel);
      const open = button.getAttribute("aria-expanded") !== "true";
      kit.panel.hidden = !open;
      if (!open) kit.close();
      button.setAttribute("aria-expanded", String(open));
    });
    section.querySelector("h2").after(tools);
  }
}
