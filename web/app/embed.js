// Embedding: one section alone (?embed=<section id>), its height reported to the host page,
// teachers' presets (?hide=<keys>, ?lock=<keys>), and the "Embed" button that writes the code.
import { PARAMS } from "./state.js";
import { el } from "./ui.js";

const HEIGHT_MESSAGE = "genlab:height"; // read by embed.js on the host page

const sections = () => [...document.querySelectorAll("main > section.lesson")];
const controlsOf = (key) => [...document.querySelectorAll(
  `[data-param="${key}"], [data-setting="${key}"], [data-controls~="${key}"]`)];

// The page's URL without the embedding parameters: the full lesson.
function lessonUrl(hash = "") {
  const url = new URL(location.href);
  for (const key of ["embed", "hide", "lock"]) url.searchParams.delete(key);
  url.hash = hash;
  return url.href;
}

function keysFrom(params, name, problems) {
  const keys = (params.get(name) || "").split(",").map((k) => k.trim()).filter(Boolean);
  const unknown = keys.filter((k) => !(k in PARAMS) || !controlsOf(k).length);
  if (unknown.length) problems.push(`“${name}” names settings this page does not have (${unknown.join(", ")}); they are ignored.`);
  return keys.filter((k) => !unknown.includes(k));
}

// Reads ?embed, ?hide and ?lock; returns problems to show (sentences).
export function applyEmbedding(search = location.search) {
  const params = new URLSearchParams(search);
  const problems = [];
  const id = params.get("embed");
  if (id !== null) {
    const target = sections().find((s) => s.id === id);
    if (!target) {
      problems.push(`“embed=${id}” is not a section of this lesson (sections: ${sections().map((s) => s.id).join(", ")}); showing the whole lesson.`);
    } else {
      document.documentElement.dataset.embed = id;
      target.classList.add("embed-target");
      const banner = el("p", { class: "embed-banner" }, "Part of GenLab, an interactive lesson on generative AI. ",
        el("a", { href: lessonUrl(`#${id}`), target: "_blank", rel: "noopener" }, "Open the full lesson"));
      document.querySelector("main").prepend(banner);
    }
  }
  for (const key of keysFrom(params, "hide", problems)) {
    for (const control of controlsOf(key)) (control.closest("label, fieldset") || control).hidden = true;
  }
  for (const key of keysFrom(params, "lock", problems)) {
    for (const control of controlsOf(key)) {
      const inputs = control.matches("input, select, button, textarea") ? [control] : [...control.querySelectorAll("input, select, button, textarea")];
      for (const input of inputs) {
        input.dataset.locked = "1";
        input.disabled = true;
        input.title = "Fixed by the link that opened this page";
      }
    }
  }
  if (window.parent !== window) reportHeight();
  return problems;
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

// An "Embed" button under each section's title, opening the code to copy.
export function addEmbedButtons() {
  for (const section of sections()) {
    const title = section.querySelector("h2").textContent.replace(/^\s*\d+\s*/, "").trim();
    const code = el("textarea", { readOnly: true, rows: 4, class: "embed-code", "aria-label": `Embed code for “${title}”` });
    const copy = el("button", { type: "button" }, "Copy");
    const done = el("span", { class: "hint", role: "status" });
    const panel = el("div", { class: "embed-panel", hidden: true },
      el("p", {}, "Paste this into a course page (Moodle, Canvas, Blackboard: use its HTML source view). ",
        "The frame shows this section alone, with the current settings, and sizes itself to fit."),
      code, el("div", { class: "actions" }, copy, done));
    const button = el("button", { type: "button", class: "embed-button", "aria-expanded": "false" }, "Embed");
    button.addEventListener("click", () => {
      const open = panel.hidden;
      panel.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
      if (open) code.value = embedCode(section.id, title);
    });
    copy.addEventListener("click", async () => {
      code.select();
      try {
        await navigator.clipboard.writeText(code.value);
        done.textContent = "Copied.";
      } catch {
        done.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy.";
      }
    });
    section.querySelector("h2").after(el("div", { class: "embed-tools" }, button, panel));
  }
}

export function embedCode(id, title) {
  const src = new URL(lessonUrl());
  src.searchParams.set("embed", id);
  const host = new URL("embed.js", src).href;
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  return `<iframe src="${escape(src.href)}" title="GenLab: ${escape(title)}" data-genlab\n`
    + `  style="width: 100%; height: 720px; border: 0" loading="lazy"></iframe>\n`
    + `<script src="${escape(host)}" async></script>`;
}
