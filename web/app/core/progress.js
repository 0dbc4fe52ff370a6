// The table of contents marks the sections the learner has tried, and counts them: the same
// count the course platform gets (scorm.js). A section counts once its widget has been used:
// a trusted change or input on a control, a click on a button, pointer or key use of a drawing
// canvas. Scrolling past is not using; the Embed tools and a notice's Dismiss are not the lesson.
// Named by path: two copies of GenLab on one origin (two packages in one LMS) keep their own.
const KEY = `genlab:tried:${location.pathname}`;
const EVENTS = ["change", "input", "click", "pointerdown", "keydown"];

function load(known) {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) || "[]");
    return new Set(known.filter((id) => Array.isArray(saved) && saved.includes(id)));
  } catch {
    return new Set(); // storage refused (private mode, sandbox): progress lasts for this page only
  }
}

// Is this event a learner using the lesson (not a script, not the page's own tools)?
function isUse(event) {
  const target = event.target;
  if (!event.isTrusted || !(target instanceof Element)) return false;
  if (!target.closest(".widget") || target.closest(".embed-tools, .notice")) return false;
  if (event.type === "click") return Boolean(target.closest("button"));
  if (event.type === "change" || event.type === "input") return Boolean(target.closest("input, select, textarea"));
  const canvas = target.closest("canvas");
  return Boolean(canvas) && canvas.tabIndex >= 0; // a drawing canvas takes keys, a picture does not
}

export function progressPanel(nav, { sections }) {
  const ids = sections.map((s) => s.id);
  const tried = load(ids);
  const summary = nav.querySelector('[data-role="progress"]');
  const events = new EventTarget();

  function show() {
    for (const link of nav.querySelectorAll("a[href^='#']")) {
      const done = tried.has(link.getAttribute("href").slice(1));
      link.parentElement.classList.toggle("visited", done); // styles.css: the ✓ after the link
      link.querySelector(".visited-note").textContent = done ? " (tried)" : "";
    }
    summary.textContent = `Tried ${tried.size} of ${ids.length} sections`;
    summary.parentElement.querySelector("progress").value = tried.size;
    nav.dataset.tried = String(tried.size);
  }

  function keep() {
    try {
      sessionStorage.setItem(KEY, JSON.stringify([...tried]));
    } catch {
      // not kept across reloads; still shown
    }
  }

  function mark(id) {
    if (!ids.includes(id) || tried.has(id)) return;
    tried.add(id);
    keep();
    show();
    events.dispatchEvent(new CustomEvent("use", { detail: { id, tried: [...tried] } }));
  }

  // The sections the course platform holds for this attempt: they replace what the tab kept
  // (which may come from another attempt), shown, not news.
  function replace(earlier) {
    tried.clear();
    for (const id of ids) if (earlier.includes(id)) tried.add(id);
    keep();
    show();
  }

  for (const link of nav.querySelectorAll("a[href^='#']")) {
    const note = document.createElement("span");
    note.className = "visited-note visually-hidden";
    link.append(note);
  }
  nav.querySelector("progress").max = ids.length;
  for (const section of sections) {
    const listener = (event) => isUse(event) && mark(section.id);
    // Capture: a widget that stops an event's propagation still counts as used.
    for (const type of EVENTS) section.addEventListener(type, listener, { capture: true, passive: true });
  }
  show();
  return { events, ids, get tried() { return [...tried]; }, mark, replace };
}
