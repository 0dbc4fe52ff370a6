// Page start-up: the runtime bridge, the status bar, URL state, the widgets,
// and the service worker. Everything here is readable before Python is ready.
import { READY_WORDS, Runtime, readyDetails } from "./core/runtime.js";
import { PARAMS, Store, optionList, readUrl, registerSettings } from "./core/state.js";
import { applySettingsTable, notify, runAllNear } from "./core/ui.js";
import { llmSection } from "./sections/llm/llm.js";
import { temperatureSection } from "./sections/temperature/temperature.js";
import { ganSection } from "./sections/gan/gan.js";
import { diffusionSection } from "./sections/diffusion/diffusion.js";
import { classifySection } from "./sections/classify/classify.js";
import { steerSection } from "./sections/steer/steer.js";
import { quizPanel } from "./lesson/quiz.js";
import { progressPanel } from "./core/progress.js";
import { PREVIEW_NAME, addEmbedButtons, applyEmbedding } from "./lesson/embed-panel.js";
import { connectLms } from "./lesson/scorm.js";
import { artSection } from "./sections/art/art.js";
import { LLM_SETTINGS } from "./sections/llm/llm-settings.js";
import { CLASSIFY_SETTINGS } from "./sections/classify/classify-settings.js";
import { GAN_SETTINGS } from "./sections/gan/gan-settings.js";
import { DIFFUSION_SETTINGS } from "./sections/diffusion/diffusion-settings.js";
import { ART_SETTINGS } from "./sections/art/art-settings.js";

const html = document.documentElement;
html.dataset.app = "started"; // boot.js reports the modules as failed unless this is set
registerSettings(LLM_SETTINGS, CLASSIFY_SETTINGS, GAN_SETTINGS, DIFFUSION_SETTINGS, ART_SETTINGS); // before the link is read
const runtime = new Runtime();
const { values, problems } = readUrl();
const store = new Store(values);

// The status bar follows the worker's count of work done (bytes received, then stages
// finished); it never goes back within a start, and reaches the end only when Python is ready.
const MB = 1e6;
function showRuntime() {
  const label = document.getElementById("runtime-label");
  const bar = document.getElementById("runtime-progress");
  const restart = document.getElementById("runtime-restart");
  const details = document.getElementById("runtime-details");
  let stage = null;
  let bytes = null;
  const advance = (done) => {
    if (Number.isFinite(done)) bar.value = Math.max(bar.value, Math.floor(100 * Math.min(1, done)));
  };
  const show = () => {
    const got = bytes && bytes.bytes ? `, ${(bytes.bytes / MB).toFixed(1)}${bytes.total ? ` of ${(bytes.total / MB).toFixed(1)}` : ""} MB received` : "";
    label.textContent = `${stage.label}… (step ${stage.step + 1} of ${stage.steps}${got})`;
  };
  runtime.addEventListener("progress", ({ detail }) => {
    stage = detail;
    advance(detail.done);
    show();
  });
  runtime.addEventListener("download", ({ detail }) => {
    if (runtime.state !== "loading") return;
    bytes = detail;
    advance(detail.done);
    if (stage) show();
  });
  runtime.addEventListener("state", ({ detail }) => {
    html.dataset.runtime = detail.state === "ready" ? "ready" : detail.state === "error" ? "error" : "loading";
    restart.hidden = detail.state !== "error";
    bar.hidden = detail.state !== "loading";
    if (detail.state === "loading") {
      bar.value = 0;
      stage = bytes = null;
      label.textContent = "Loading Python in your browser…";
      label.title = "";
      details.hidden = true;
    } else if (detail.state === "ready") {
      bar.value = 100;
      window.genlab.readyAt ??= performance.now();
      const { start, worker } = detail.info;
      label.textContent = READY_WORDS;
      details.hidden = false;
      details.querySelector("span").textContent = readyDetails(detail.info);
      const where = !worker ? "" : worker.shared ? " Worker: shared by every GenLab page of this site and build."
        : ` Worker: this page's own (${worker.reason}).`;
      label.title = `${start ? `Start path: ${start.path} (${start.reason}). Bytecode: ${start.bytecode}.` : ""}${where}`;
      document.getElementById("build-info").textContent = `Build ${detail.info.build}.`;
    } else if (detail.state === "error") {
      label.textContent = `${detail.message} Your settings are kept; restarting reloads Python.`;
    }
  });
  runtime.addEventListener("saved", ({ detail }) => {
    const saved = ` Saved start for the next visit: ${detail.kept ? "kept" : `refused (${detail.reason})`}.`;
    label.title += saved;
    details.querySelector("span").textContent += saved;
  });
  restart.addEventListener("click", () => runtime.restart());
}

// The offline copy (sw.js) or the saved start (the worker) could not be kept: said once a page.
let offlineCopyTold = false;
function noOfflineCopy({ full, reason }) {
  // (A failed update of a copy already kept is not news: the kept one still works.)
  if (offlineCopyTold || (!full && navigator.serviceWorker?.controller)) return;
  offlineCopyTold = true;
  console.info("GenLab: no offline copy:", reason);
  notify(full ? "Not enough storage for an offline copy: GenLab works while online. (The browser gives this site too little "
    + "room; freeing space or leaving a private window lets it keep one on a later visit.)"
    : "GenLab could not keep an offline copy this time; it works while online and tries again on the next visit.",
  "info", full ? [] : [reason]);
}
runtime.addEventListener("saved", ({ detail }) => detail.full && noOfflineCopy(detail));

function registerServiceWorker() {
  if (globalThis.GENLAB_SINGLE) return; // one file from disk: everything is already here
  if (!("serviceWorker" in navigator)) {
    notify("This browser cannot keep GenLab for offline use; it works while online.", "info");
    return;
  }
  let told = false;
  const tell = () => {
    if (told || !navigator.serviceWorker.controller) return; // a first install is no news
    told = true;
    notify("A new version of GenLab has been downloaded. It starts once every GenLab tab is closed.", "info");
  };
  // The browser may have found the new build before this page asked: look at the
  // registration as it is, then follow what comes.
  const follow = (incoming) => incoming?.addEventListener("statechange", () => incoming.state === "installed" && tell());
  navigator.serviceWorker.addEventListener("message", ({ data }) => data?.type === "genlab:no-offline-copy" && noOfflineCopy(data));
  navigator.serviceWorker.startMessages?.(); // (messages sent before the page listens wait until now)
  navigator.serviceWorker.register("sw.js").then((registration) => {
    if (!registration) return; // a stand-in that registers nothing (Playwright's service_workers="block")
    if (registration.waiting) tell();
    follow(registration.installing);
    registration.addEventListener("updatefound", () => follow(registration.installing));
  }, (err) => {
    console.info("GenLab: no offline copy:", err);
    notify(window.parent !== window
      ? "GenLab keeps no offline copy inside this frame: this browser does not allow it for a page embedded from another site. It works while online."
      : "This browser refused to keep an offline copy of GenLab. It works while online.", "info");
  });
}

showRuntime();
problems.push(...applyEmbedding(store));
if (!globalThis.GENLAB_SINGLE) addEmbedButtons(store); // a file from disk has no address to embed
if (problems.length) {
  notify(problems.length === 1 ? `A setting in the link was not understood: ${problems[0]}`
    : `${problems.length} settings in the link were not understood; the lesson uses its own values for them.`,
  "warn", problems.length === 1 ? [] : problems);
}
applySettingsTable(document, PARAMS, optionList); // before the widgets read their controls
// Every section is a panel: sectionPanel(its root, {runtime, store}) -> what tests and hosts may call.
const section = (name, panel) => panel(document.querySelector(`[data-widget="${name}"]`), { runtime, store });
const widgets = { classify: section("classify", classifySection) };
widgets.llm = section("llm", llmSection);
widgets.temperature = section("temperature", temperatureSection);
widgets.gan = section("gan", ganSection);
widgets.diffusion = section("diffusion", diffusionSection);
widgets.steer = section("steer", steerSection);
widgets.quiz = quizPanel(document.querySelector('[data-widget="quiz"]'));
const lessons = [...document.querySelectorAll("section.lesson")];
const progress = progressPanel(document.querySelector("nav.toc"), { sections: lessons });
// A session that resumes a record says so, and opens where the learner was.
function welcome({ tried, sections, answered, questions, location: at }) {
  const quiz = answered ? `, ${answered} of ${questions} quiz questions answered` : "";
  notify(`Welcome back: ${tried} of ${sections} sections tried${quiz}.`, "info");
  const section = at && document.getElementById(at);
  // A link to a section of its own (#…) wins; a hidden section (an embed of another) is not opened.
  if (!section || window.location.hash || section.checkVisibility?.() === false) return;
  holdPlace(section);
}
// The sections above the saved place grow as Python answers (their pictures and tables appear)
// and would push it out of view: until the learner scrolls (a wheel, a finger), clicks or types,
// or HOLD_PLACE_MS pass, the place is put back just below the sticky header after every change
// of size. (A scroll event cannot say who scrolled: the browser's scroll anchoring scrolls too.)
const HOLD_PLACE_MS = 30_000;
const INTENTS = ["wheel", "touchstart", "pointerdown", "keydown"];
function holdPlace(section) {
  const masthead = document.querySelector(".masthead");
  // Just below the sticky header, which the welcome line has made taller than the usual margin.
  const offset = () => section.getBoundingClientRect().top - masthead.getBoundingClientRect().bottom - 8;
  const place = () => Math.abs(offset()) > 1 && scrollTo(0, scrollY + offset());
  const resized = new ResizeObserver(place);
  const stop = () => {
    resized.disconnect();
    clearTimeout(timer);
    for (const type of INTENTS) removeEventListener(type, stop, true);
  };
  const timer = setTimeout(stop, HOLD_PLACE_MS);
  place();
  resized.observe(document.querySelector("main"));
  resized.observe(masthead);
  for (const type of INTENTS) addEventListener(type, stop, { capture: true, passive: true });
}
// The Embed panel's preview is the lesson inside the lesson: it reports to no LMS.
const lms = window.name === PREVIEW_NAME ? null
  : connectLms(progress, widgets.quiz, { tell: (message) => notify(message, "info"), welcome });
widgets.art = section("art", artSection);
// Registered once Python is up: its precache then revalidates files the page has
// just fetched instead of downloading everything a second time.
runtime.ready.then(registerServiceWorker, registerServiceWorker);

// A handout: every picture drawn first (the lower ones wait to be scrolled near), then print.
// What could not be drawn in time is said beside the button (on screen only: hints do not print).
const PRINT_WAIT_MS = 30_000; // genlab.printWaitMs: tests may shorten it
document.getElementById("print-handout").addEventListener("click", async () => {
  const note = document.getElementById("print-note");
  let unfinished = "Python is not ready, so the handout has the lesson's text without its live pictures. "
    + "Print again once Python is ready.";
  if (runtime.state === "ready") {
    const wait = window.genlab.printWaitMs;
    // The GAN trained (from step 0 after a reload) to a state worth printing, then paused.
    await widgets.gan.trainTo({ withinMs: wait, onProgress: (step, steps) => {
      note.textContent = `Training the GAN for the handout: step ${step.toLocaleString("en")} of ${steps.toLocaleString("en")}…`;
    } });
    note.textContent = "Drawing every picture for the handout…";
    widgets.diffusion.stopTraining();
    const endAllNear = runAllNear();
    const busy = () => document.querySelector('main [data-state="busy"], main [data-state="loading"]');
    // Quiet twice in a row: a picture may start its work only after a download.
    try {
      for (let quiet = 0, started = performance.now(); quiet < 2 && performance.now() - started < wait;) {
        await new Promise((r) => setTimeout(r, 200));
        quiet = busy() ? 0 : quiet + 1;
      }
    } finally {
      endAllNear();
    }
    unfinished = busy() ? `Some pictures were still being drawn after ${Math.round(wait / 1000)} s, so the handout shows `
      + "them as they were. Print again once they are done." : "";
  }
  note.textContent = unfinished;
  window.print();
});

// Documented hooks for tests and embedding hosts (see docs/state.md).
// A mistake in the page's own code (a handler that throws) must not pass unseen: it is said on
// the page, once per message, and kept in genlab.errors for tests and hosts.
const errors = [];
function pageFault(message) {
  errors.push(message);
  notify("Something in this page went wrong. Your settings are kept; if a section stops responding, reload the page.",
    "warn", [message]);
}
addEventListener("error", (event) => event.error && pageFault(`${event.message} (${event.filename?.replace(/^.*\//, "")}:${event.lineno})`));
addEventListener("unhandledrejection", (event) => pageFault(String(event.reason?.message ?? event.reason)));

window.genlab = { runtime, store, widgets, progress, lms, errors, printWaitMs: PRINT_WAIT_MS };
