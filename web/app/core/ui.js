// Small DOM helpers shared by the widgets.

// A page-level message; warnings stay until dismissed. One line each: a list of details
// folds under "Details"; the same message again adds to its count instead of a new line.
export function notify(message, level = "info", details = []) {
  const notices = document.getElementById("notices");
  const same = [...notices.children].find((box) => box.dataset.message === message && box.classList.contains(level));
  if (same) {
    const count = Number(same.dataset.count) + 1;
    same.dataset.count = String(count);
    same.querySelector(".notice-count").textContent = ` (${count} times)`;
    return same;
  }
  const box = el("div", { class: `notice ${level}`, role: level === "warn" ? "alert" : "status", "data-message": message, "data-count": "1" });
  const close = el("button", { type: "button", "aria-label": "Dismiss this message" }, "Dismiss");
  close.addEventListener("click", () => box.remove());
  const more = details.length
    ? el("details", {}, el("summary", {}, `Details (${details.length})`), el("ul", {}, ...details.map((d) => el("li", {}, d))))
    : null;
  box.append(el("div", { class: "notice-text" }, el("span", {}, message), el("span", { class: "notice-count" }), more), close);
  notices.append(box);
  return box;
}

// Controls take their choices and bounds from the settings tables (state.js): an empty
// <select data-param> gets the setting's options, a number or range input the setting's min and max
// (a panel may narrow them later: the noise step's slider stops at T).
// (A control names its setting by data-param, data-setting where its section binds it, or
// data-controls where its section reads it itself.)
export function applySettingsTable(root, params, optionList) {
  const key = (control) => control.dataset.param ?? control.dataset.setting ?? control.dataset.controls;
  for (const select of root.querySelectorAll("select:is([data-param], [data-setting])")) {
    if (select.options.length) continue;
    select.append(...optionList(key(select)).map(([value, text]) => el("option", { value }, text)));
  }
  for (const input of root.querySelectorAll('input:is([data-param], [data-setting], [data-controls]):is([type="number"], [type="range"])')) {
    const spec = params[key(input)];
    if ("min" in spec) input.min = String(spec.min);
    if ("max" in spec) input.max = String(spec.max);
  }
}

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "style") Object.assign(node.style, value);
    else if (key.startsWith("data-") || key.startsWith("aria-") || key === "role") node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export const percent = (p) => (p >= 0.995 ? "100%" : p >= 0.001 ? `${(100 * p).toFixed(1)}%` : p > 0 ? "<0.1%" : "0%");

export const WAITING = "Waiting for Python (busy with another section)…";
const WAITING_AFTER_MS = 100; // a wait shorter than this is not worth a word

// A widget's visible state: loading | ready | busy | error, plus its status line.
// Controls stay visible throughout; they are disabled only while Python is not running.
export class WidgetState {
  constructor(root, runtime) {
    this.root = root;
    this.runtime = runtime;
    this.owner = root.closest("[data-widget]")?.dataset.widget ?? "page"; // the section, for the runtime
    this.status = root.querySelector('[data-role="status"]');
    this.controls = [...root.querySelectorAll("input, button, select, textarea")];
    this.pythonUp = false;
    this.set("loading", "Waiting for Python…");
    runtime.addEventListener("state", ({ detail }) => {
      this.pythonUp = detail.state === "ready";
      if (detail.state === "loading") this.set("loading", "Waiting for Python…");
      if (detail.state === "error") this.set("error", "Python stopped. Use “Restart Python” at the top of the page.");
    });
  }

  // True for a widget of a section that this embed does not show: it need not compute anything.
  get offstage() {
    return document.documentElement.dataset.embed !== undefined && this.root.closest(".embed-target") === null;
  }

  // Whether a widget that follows other controls should ask Python now: Python runs, and the
  // widget is on screen (a section embedded alone does not feed the hidden ones' calls).
  get canCompute() {
    return this.pythonUp && !this.offstage;
  }

  set(state, message = "") {
    this.shown = [state, message]; // what the widget says once no call waits behind another section's
    this.#show(state, message);
  }

  #show(state, message) {
    this.root.dataset.state = state;
    this.status.textContent = message;
    this.status.className = `widget-status ${state}`;
    if (!this.pythonUp && this.controls.includes(document.activeElement)) {
      // A control about to be disabled would drop keyboard focus to the page: keep it nearby.
      this.status.tabIndex = -1;
      this.status.focus();
    }
    // A control locked by a teacher's link (?lock=…), or inside a locked group, stays disabled.
    for (const control of this.controls) control.disabled = !this.pythonUp || control.closest("[data-locked]") !== null;
  }

  // runtime.call for this section. While the call waits behind another section's, the
  // status line says so; the widget's own message comes back when the wait is over.
  async call(fn, args = {}) {
    const queued = this.runtime.busyElsewhere(this.owner);
    const reply = this.runtime.call(fn, args, this.owner);
    if (!queued) return reply;
    // The widget's own message is read when the wait ends, not when it began: another call of
    // this widget may have changed it meanwhile (after a restart: "loading", then "ready").
    const timer = setTimeout(() => this.#show(this.shown[0], WAITING), WAITING_AFTER_MS);
    try {
      return await reply;
    } finally {
      clearTimeout(timer);
      if (this.status.textContent === WAITING) this.#show(...this.shown);
    }
  }

  // A Python exception: keep its message intact; the controls stay usable.
  fail(err) {
    const name = err.name && err.name !== "Error" ? `${err.name}: ` : "";
    this.set("error", `Something went wrong: ${name}${err.message}`);
  }
}

// Wraps an async refresh so that at most one runs at a time and the last request
// always runs: moves of a slider during a call collapse into one more call.
export function coalesce(fn) {
  let running = null;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await fn();
      } while (again);
    })();
    try {
      await running;
    } finally {
      running = null;
    }
  };
  return run;
}

const TYPING_PAUSE_MS = 150; // a text field is read once typing pauses this long

// A text field read when typing pauses, or at once when the learner leaves it with text unread.
// pending() says whether typed text still waits to be read (a view must not overwrite it);
// cancel() drops it, for code that sets the field's value itself.
export function typedField(input, read) {
  let timer = null;
  const now = () => {
    clearTimeout(timer);
    timer = null;
    read(input.value);
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(now, TYPING_PAUSE_MS);
  });
  input.addEventListener("change", () => timer !== null && now());
  return {
    pending: () => timer !== null,
    cancel() {
      clearTimeout(timer);
      timer = null;
    },
  };
}

export const prefersReducedMotion = () => matchMedia("(prefers-reduced-motion: reduce)").matches;

const NEAR_MARGIN = "150% 0px"; // "near" = within one and a half screens of the viewport

const waitingNear = new Set(); // the disconnect-and-run of each whenNear not yet run
let everythingNear = 0; // while above 0 (a handout being drawn), every node counts as near

// Runs fn once, when node first comes near the viewport (at once if it already is).
export function whenNear(node, fn) {
  if (everythingNear) {
    fn();
    return;
  }
  const run = () => {
    observer.disconnect();
    waitingNear.delete(run);
    fn();
  };
  const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && run(), { rootMargin: NEAR_MARGIN });
  waitingNear.add(run);
  observer.observe(node);
}

// Runs every whenNear now, wherever its node is, and every one asked for until the returned
// function is called: a handout needs every picture, including those of a section that
// registers its whenNear only once its presets arrive (Python may have just become ready).
export function runAllNear() {
  everythingNear += 1;
  for (const run of [...waitingNear]) run();
  let ended = false;
  return () => {
    if (!ended) everythingNear -= 1;
    ended = true;
  };
}

const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };

// Drawing on a plane with the keyboard: arrows move a cursor (plane units, y up, kept
// within ±limit), Space or Enter adds a point there. Returns the new cursor, or
// undefined when the key is not one of these (the event is then left alone).
export function planeKeys(event, cursor, step, limit, { moved, add }) {
  const move = ARROWS[event.key];
  if (move) {
    cursor = (cursor || [0, 0]).map((v, i) => Math.max(-limit, Math.min(limit, v + move[i] * step)));
    moved(cursor);
  } else if (event.key === " " || event.key === "Enter") {
    cursor = cursor || [0, 0];
    add(cursor);
  } else return undefined;
  event.preventDefault();
  return cursor;
}
