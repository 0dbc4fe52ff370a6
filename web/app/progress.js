// The table of contents marks the sections the learner has visited, and counts them.
// A section counts once it has filled half the screen, or half of it has been on screen.
const KEY = "genlab:visited";
const ENOUGH = 0.5;

function load() {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(KEY) || "[]"));
  } catch {
    return new Set(); // storage refused (private mode, sandbox): progress lasts for this page only
  }
}

export function mountProgress(nav, sections) {
  const visited = load();
  const summary = nav.querySelector('[data-role="progress"]');
  const events = new EventTarget();

  function show() {
    for (const link of nav.querySelectorAll("a[href^='#']")) {
      const seen = visited.has(link.getAttribute("href").slice(1));
      link.parentElement.classList.toggle("visited", seen);
      link.querySelector(".visited-note").textContent = seen ? " (visited)" : "";
    }
    summary.textContent = `Visited ${visited.size} of ${sections.length} sections`;
    summary.parentElement.querySelector("progress").value = visited.size;
    nav.dataset.visited = String(visited.size);
  }

  function mark(id) {
    if (visited.has(id)) return;
    visited.add(id);
    try {
      sessionStorage.setItem(KEY, JSON.stringify([...visited]));
    } catch {
      // not kept across reloads; still shown
    }
    show();
    events.dispatchEvent(new CustomEvent("visit", { detail: { id, visited: [...visited] } }));
  }

  for (const link of nav.querySelectorAll("a[href^='#']")) {
    const note = document.createElement("span");
    note.className = "visited-note visually-hidden";
    link.append(note);
  }
  nav.querySelector("progress").max = sections.length;
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const screen = e.rootBounds ? e.rootBounds.height : innerHeight;
      if (e.intersectionRatio >= ENOUGH || e.intersectionRect.height >= ENOUGH * screen) mark(e.target.id);
    }
  }, { threshold: [0, 0.1, 0.25, 0.5, 0.75, 1] });
  for (const section of sections) observer.observe(section);
  show();
  return { events, get visited() { return [...visited]; }, mark };
}
