// SCORM: when GenLab runs inside an LMS, report to it. The LMS's API object is found the
// standard way (this window, then its parents, then the opener and its parents): SCORM 2004's
// API_1484_11 first, then SCORM 1.2's API. Without one, nothing happens.
//
// What the LMS gets: the sections the learner has tried (suspend_data, so a later session
// resumes them; the last one as location), completion once all of them were tried, the quiz
// score once its questions are all answered (the best of all sessions), the session time,
// and on leaving, exit and finish. An LMS that refuses or throws never stops the page: every
// call is isolated, a refusal is told once, quietly, and what was refused is sent again at
// the next save.
const MAX_HOPS = 500; // the reference algorithm's guard against odd frame trees
// Scores go out as percentages (raw 0–100): SCORM 1.2 defines score.raw as a number that
// LMSs read as a percentage when nothing else is said, and 2004 then reports the same raw
// beside scaled = raw / 100.
const SCALE = 100;
// Passed at 3 of 4 right, unless the LMS sets its own (2004: cmi.scaled_passing_score, from
// the manifest's imsss:minNormalizedMeasure, which build.py writes from SCORM_MASTERY).
const MASTERY = 0.75;

const pad = (n, width = 2) => String(n).padStart(width, "0");

const EDITIONS = [
  {
    name: "2004", object: "API_1484_11", suspendLimit: 64000,
    calls: { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate",
      error: "GetLastError", errorText: "GetErrorString" },
    start: (get) => ({
      completed: get("cmi.completion_status") === "completed",
      best: percent(get("cmi.score.raw")),
      passing: fraction(get("cmi.scaled_passing_score")),
      suspend: get("cmi.suspend_data"),
    }),
    values: (s) => [
      ["cmi.completion_status", s.completed ? "completed" : "incomplete"],
      ...(s.best === null ? [] : [
        ["cmi.score.scaled", String(s.best / SCALE)], ["cmi.score.raw", String(s.best)],
        ["cmi.score.min", "0"], ["cmi.score.max", String(SCALE)]]),
      ...(s.passed === null ? [] : [["cmi.success_status", s.passed ? "passed" : "failed"]]),
      ["cmi.suspend_data", s.suspend], ...(s.location ? [["cmi.location", s.location]] : []),
      ["cmi.session_time", isoDuration(s.seconds)],
    ],
    exit: (done) => ["cmi.exit", done ? "normal" : "suspend"],
  },
  {
    name: "1.2", object: "API", suspendLimit: 4096,
    calls: { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish",
      error: "LMSGetLastError", errorText: "LMSGetErrorString" },
    start: (get) => ({
      // "passed" (an LMS judging by a mastery score) is kept: this lesson never sends it.
      completed: ["completed", "passed"].includes(get("cmi.core.lesson_status")),
      best: percent(get("cmi.core.score.raw")),
      passing: null,
      suspend: get("cmi.suspend_data"),
    }),
    values: (s) => [
      ...(s.keepStatus ? [] : [["cmi.core.lesson_status", s.completed ? "completed" : "incomplete"]]),
      ...(s.best === null ? [] : [
        ["cmi.core.score.raw", String(s.best)], ["cmi.core.score.min", "0"], ["cmi.core.score.max", String(SCALE)]]),
      ["cmi.suspend_data", s.suspend], ...(s.location ? [["cmi.core.lesson_location", s.location]] : []),
      ["cmi.core.session_time", timespan(s.seconds)],
    ],
    exit: (done) => ["cmi.core.exit", done ? "" : "suspend"],
  },
];

// A number the LMS gave, or null for "", garbage or out of range.
function number(text, max) {
  const value = text === "" || text === null || text === undefined ? NaN : Number(text);
  return Number.isFinite(value) && value >= 0 && value <= max ? value : null;
}
const percent = (text) => number(text, SCALE);
const fraction = (text) => number(text, 1);

// SCORM 1.2 CMITimespan: HHHH:MM:SS.SS
function timespan(seconds) {
  const cs = Math.round(seconds * 100);
  const h = Math.min(9999, Math.floor(cs / 360000));
  return `${pad(h, 4)}:${pad(Math.floor(cs / 6000) % 60)}:${pad(Math.floor(cs / 100) % 60)}.${pad(cs % 100)}`;
}

// SCORM 2004 timeinterval: ISO 8601 duration, e.g. PT1H2M3.5S
function isoDuration(seconds) {
  const cs = Math.round(seconds * 100);
  const h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s}S`;
}

// The sections named in suspend_data that this lesson has, in its own order; nothing from
// garbage, from text longer than the standard allows, or from the old format (a bare list
// of sections scrolled past, which is not the same as tried).
export function readSuspendData(text, ids, limit) {
  if (typeof text !== "string" || text.length > limit) return [];
  try {
    const used = JSON.parse(text)?.used;
    return Array.isArray(used) ? ids.filter((id) => used.includes(id)) : [];
  } catch {
    return [];
  }
}

function searchUp(start, object, init) {
  let win = start;
  for (let hops = 0; win && hops < MAX_HOPS; hops++) {
    try {
      if (win[object] && typeof win[object][init] === "function") return win[object];
      if (win.parent === win) break;
      win = win.parent;
    } catch {
      return null; // another origin: an LMS API is never there
    }
  }
  return null;
}

export function findLmsApi() {
  for (const edition of EDITIONS) {
    const find = (start) => searchUp(start, edition.object, edition.calls.init);
    const api = find(window) || (window.opener ? find(window.opener) : null);
    if (api) return { api, edition };
  }
  return null;
}

// tell(message): shows one quiet line; called at most once per page.
export function connectLms(progress, quiz, tell) {
  const found = findLmsApi();
  if (!found) return null;
  const { api, edition } = found;
  const started = performance.now();
  let told = false;
  // One LMS call: its answer as a string, or null if it threw.
  const call = (name, ...args) => {
    try {
      return String(api[edition.calls[name]](...args));
    } catch {
      return null;
    }
  };
  const because = (what) => {
    const code = call("error");
    return code && code !== "0" ? `${what}, SCORM error ${code}: ${call("errorText", code)}` : what;
  };
  const refused = (what) => {
    if (told) return;
    told = true;
    tell(`The course platform did not save your progress (${because(what)}). The lesson works, and GenLab tries again as you go on.`);
  };

  if (call("init", "") !== "true") {
    tell(`The course platform did not start tracking this lesson (${because("start")}). The lesson works, but your progress is not recorded.`);
    return null;
  }
  const get = (key) => call("get", key) ?? "";
  const earlier = edition.start(get);
  // What this learner's attempt holds, not what the browser tab kept from another attempt or package.
  progress.replace(readSuspendData(earlier.suspend, progress.ids, edition.suspendLimit));
  let best = earlier.best;
  let location = "";
  const committed = new Map(); // key -> value the LMS has accepted and committed

  function state() {
    const tried = progress.tried;
    const passing = earlier.passing ?? MASTERY;
    const suspend = JSON.stringify({ used: tried }); // at most the 7 ids: ~90 characters
    const completed = earlier.completed || tried.length === progress.ids.length;
    // Passed as soon as the best score passes; failed only once every question was answered.
    let passed = null;
    if (best !== null && best / SCALE >= passing) passed = true;
    else if (quiz.answered === quiz.questions) passed = false;
    return { completed, keepStatus: earlier.completed, best, passed, location,
      suspend: suspend.length <= edition.suspendLimit ? suspend : "", seconds: (performance.now() - started) / 1000 };
  }

  // Sends what the LMS has not yet committed, then commits; what fails goes again next time.
  function save() {
    if (finished) return; // after Finish the LMS takes no more calls
    const sent = [];
    for (const [key, value] of edition.values(state())) {
      if (committed.get(key) === value) continue;
      if (call("set", key, value) === "true") sent.push([key, value]);
      else refused(key);
    }
    if (call("commit", "") !== "true") return refused("saving");
    for (const [key, value] of sent) committed.set(key, value);
  }

  progress.events.addEventListener("use", ({ detail }) => {
    location = detail.id;
    save();
  });
  quiz.events.addEventListener("score", () => {
    if (quiz.answered < quiz.questions) return; // a score once every question is answered
    const now = (SCALE * quiz.right) / quiz.questions;
    if (best === null || now > best) best = now; // the best of all sessions: trying again never lowers it
    save();
  });
  let finished = false;
  save();
  addEventListener("pagehide", () => {
    if (finished) return;
    const s = state();
    // Done for good (completed and passed) ends the attempt; anything else is resumed next time.
    const [key, value] = edition.exit(s.completed && s.passed);
    if (call("set", key, value) !== "true") refused(key);
    save();
    finished = true;
    call("finish", ""); // attempted even when the commit before it failed or threw
  });
  return { api, edition: edition.name, get report() { return state(); } };
}
