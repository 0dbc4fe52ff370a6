// SCORM 1.2: when GenLab runs inside an LMS, report to it. The LMS's API object is found
// the standard way (this window, then its parents, then the opener and its parents);
// without one, nothing happens and the lesson works as anywhere else.
//
// On start: LMSInitialize, and lesson_status "incomplete" unless the learner already
// finished. As sections are visited: the list goes to suspend_data (so a later session
// resumes it) and the section to lesson_location; once every section has been visited,
// lesson_status becomes "completed". On leaving: LMSCommit and LMSFinish.
const MAX_HOPS = 500; // the reference algorithm's guard against odd frame trees

function searchUp(start) {
  let win = start;
  for (let hops = 0; win && hops < MAX_HOPS; hops++) {
    try {
      if (win.API && typeof win.API.LMSInitialize === "function") return win.API;
    } catch {
      return null; // another origin: an LMS API is never there
    }
    if (win.parent === win) break;
    win = win.parent;
  }
  return null;
}

export function findLmsApi() {
  return searchUp(window) || (window.opener ? searchUp(window.opener) : null);
}

const DONE = new Set(["completed", "passed"]);

export function connectLms(progress, total, warn) {
  const api = findLmsApi();
  if (!api) return null;
  const ok = (result) => String(result) === "true";
  const complain = (what) => {
    const code = api.LMSGetLastError();
    warn(`The course platform did not accept ${what} (SCORM error ${code}: ${api.LMSGetErrorString(code)}). `
      + "The lesson works, but your progress may not be recorded.");
  };
  if (!ok(api.LMSInitialize(""))) {
    complain("the start of the lesson");
    return null;
  }
  const set = (key, value) => ok(api.LMSSetValue(key, value)) || (complain(key), false);
  let status = api.LMSGetValue("cmi.core.lesson_status");
  if (!DONE.has(status)) {
    set("cmi.core.lesson_status", "incomplete");
    status = "incomplete";
  }
  try {
    for (const id of JSON.parse(api.LMSGetValue("cmi.suspend_data") || "[]")) progress.mark(id);
  } catch {
    // no earlier session, or data this version does not read: start afresh
  }
  const save = () => {
    const visited = progress.visited;
    set("cmi.suspend_data", JSON.stringify(visited));
    if (visited.length >= total && !DONE.has(status)) {
      set("cmi.core.lesson_status", "completed");
      status = "completed";
    }
    api.LMSCommit("");
  };
  progress.events.addEventListener("visit", ({ detail }) => {
    set("cmi.core.lesson_location", detail.id);
    save();
  });
  save();
  let finished = false;
  addEventListener("pagehide", () => {
    if (finished) return;
    finished = true;
    set("cmi.core.exit", DONE.has(status) ? "" : "suspend");
    api.LMSCommit("");
    api.LMSFinish("");
  });
  return { api, get status() { return status; } };
}
