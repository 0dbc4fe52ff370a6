// The two SCORM data models GenLab talks to, as tables: which elements it reads and writes, and
// in which formats. Pure: no LMS calls, no page. scorm.js does the calling.
//
// Scores go out as percentages (raw 0–100): SCORM 1.2 defines score.raw as a number that LMSs
// read as a percentage when nothing else is said, and 2004 then reports the same raw beside
// scaled = raw / 100.
export const SCALE = 100;
// Passed at 3 of 4 right, unless the LMS sets its own (2004: cmi.scaled_passing_score, from
// the manifest's imsss:minNormalizedMeasure, which build.py writes from SCORM_MASTERY).
export const MASTERY = 0.75;

// cmi.exit: "suspend" on every exit, in both editions, so that the next launch resumes.
// SCORM 2004 (RTE 4.2.8) gives a relaunch the previous data only after "suspend"; after "normal"
// the attempt is over. Moodle 4.5 then reopens the same attempt with fresh data (cmi.entry
// ab-initio, no suspend_data), and whatever the lesson writes replaces the stored record: a
// completed, passed attempt became incomplete with its sections forgotten. After "suspend" the
// record comes back. Completion, success and score do not depend on cmi.exit: Moodle grades and
// marks completion from the status and score elements as they are committed, and offers a new
// attempt ("Start a new attempt", or the activity's "Force new attempt") by the attempt's status
// (completed, passed or failed), not by its exit. So a finished attempt stays finished, graded
// and resumable; a new attempt is the learner's or the teacher's choice, not a side effect.
// SCORM 1.2: "suspend" is the only exit value that asks the LMS to hand the data back
// (cmi.core.entry "resume"); after "" an LMS may start the next launch afresh. Moodle 4.5 loads a
// 1.2 attempt's data whatever the exit, and shows a "suspended" mark only while the attempt is
// incomplete, so "suspend" costs nothing there and keeps the record on stricter LMSs.
const EXIT = "suspend";

const pad = (n, width = 2) => String(n).padStart(width, "0");

// A number the LMS gave, or null for "", garbage or out of range.
export function number(text, max) {
  const value = text === "" || text === null || text === undefined ? NaN : Number(text);
  return Number.isFinite(value) && value >= 0 && value <= max ? value : null;
}
const percent = (text) => number(text, SCALE);
const fraction = (text) => number(text, 1);

// SCORM 1.2 CMITimespan: HHHH:MM:SS.SS
export function timespan(seconds) {
  const cs = Math.round(seconds * 100);
  const h = Math.min(9999, Math.floor(cs / 360000));
  return `${pad(h, 4)}:${pad(Math.floor(cs / 6000) % 60)}:${pad(Math.floor(cs / 100) % 60)}.${pad(cs % 100)}`;
}

// SCORM 2004 timeinterval: ISO 8601 duration, e.g. PT1H2M3.5S
export function isoDuration(seconds) {
  const cs = Math.round(seconds * 100);
  const h = Math.floor(cs / 360000), m = Math.floor(cs / 6000) % 60, s = (cs % 6000) / 100;
  return `PT${h ? `${h}H` : ""}${m ? `${m}M` : ""}${s}S`;
}

// SCORM 1.2 CMITime: the time of day, HH:MM:SS.
const clockTime = (date) => `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;

// SCORM 2004 time (second,10,0): YYYY-MM-DDThh:mm:ss.ssZ, in UTC. The standard's years are
// 1970–2038 (Moodle checks them): outside, no timestamp is sent.
function isoTimestamp(date) {
  const year = date.getUTCFullYear();
  if (!(year >= 1970 && year <= 2038)) return null;
  return `${date.toISOString().slice(0, 19)}.${pad(Math.floor(date.getUTCMilliseconds() / 10))}Z`;
}

// What the LMS holds for this attempt, from the raw values of an edition's `reads`.
function held2004(raw) {
  const success = raw["cmi.success_status"];
  return {
    completed: raw["cmi.completion_status"] === "completed",
    final: false,
    passed: success === "passed" ? true : success === "failed" ? false : null,
    score: percent(raw["cmi.score.raw"]),
    suspend: raw["cmi.suspend_data"],
    location: raw["cmi.location"],
  };
}

function held12(raw) {
  const status = raw["cmi.core.lesson_status"];
  return {
    completed: ["completed", "passed"].includes(status),
    // "passed" or "failed" is the LMS's own judgement (by a mastery score): never written over.
    final: ["completed", "passed", "failed"].includes(status),
    passed: null,
    score: percent(raw["cmi.core.score.raw"]),
    suspend: raw["cmi.suspend_data"],
    location: raw["cmi.core.lesson_location"],
  };
}

// One answer as the elements of interaction n, the id first (it opens the record) and the type
// before the responses (their format depends on it), as both editions require.
function answer2004(a, n) {
  const p = `cmi.interactions.${n}.`;
  const at = isoTimestamp(a.at);
  return [
    [`${p}id`, a.id], [`${p}type`, "choice"], ...(at ? [[`${p}timestamp`, at]] : []),
    [`${p}correct_responses.0.pattern`, a.correct], [`${p}learner_response`, a.response],
    [`${p}result`, a.right ? "correct" : "incorrect"], [`${p}latency`, isoDuration(a.seconds)],
  ];
}

function answer12(a, n) {
  const p = `cmi.interactions.${n}.`;
  return [
    [`${p}id`, a.id], [`${p}type`, "choice"], [`${p}time`, clockTime(a.at)],
    [`${p}correct_responses.0.pattern`, a.correct], [`${p}student_response`, a.response],
    [`${p}result`, a.right ? "correct" : "wrong"], [`${p}latency`, timespan(a.seconds)],
  ];
}

const score2004 = (s) => (s.score === null ? [] : [
  ["cmi.score.scaled", String(Number((s.score / SCALE).toFixed(4)))], ["cmi.score.raw", String(s.score)],
  ["cmi.score.min", "0"], ["cmi.score.max", String(SCALE)]]);

const score12 = (s) => (s.score === null ? [] : [
  ["cmi.core.score.raw", String(s.score)], ["cmi.core.score.min", "0"], ["cmi.core.score.max", String(SCALE)]]);

export const EDITIONS = [
  {
    name: "2004", object: "API_1484_11", suspendLimit: 64000,
    calls: { init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate",
      error: "GetLastError", errorText: "GetErrorString" },
    // Read once, at the start of a session.
    once: { entry: "cmi.entry", launch: "cmi.launch_data", passing: "cmi.scaled_passing_score" },
    passing: fraction,
    // Read before every write: what is written never goes below them.
    reads: ["cmi.completion_status", "cmi.success_status", "cmi.score.raw", "cmi.suspend_data", "cmi.location"],
    held: held2004,
    count: "cmi.interactions._count",
    values: (s) => [
      ["cmi.completion_status", s.completed ? "completed" : "incomplete"],
      ...score2004(s),
      ...(s.passed === null ? [] : [["cmi.success_status", s.passed ? "passed" : "failed"]]),
      ...(s.suspend === null ? [] : [["cmi.suspend_data", s.suspend]]),
      ...(s.location ? [["cmi.location", s.location]] : []),
      ["cmi.session_time", isoDuration(s.seconds)],
    ],
    answer: answer2004,
    exit: ["cmi.exit", EXIT],
  },
  {
    name: "1.2", object: "API", suspendLimit: 4096,
    calls: { init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit", finish: "LMSFinish",
      error: "LMSGetLastError", errorText: "LMSGetErrorString" },
    once: { entry: "cmi.core.entry", launch: "cmi.launch_data" },
    passing: () => null,
    reads: ["cmi.core.lesson_status", "cmi.core.score.raw", "cmi.suspend_data", "cmi.core.lesson_location"],
    held: held12,
    count: "cmi.interactions._count",
    values: (s) => [
      ...(s.keepStatus ? [] : [["cmi.core.lesson_status", s.completed ? "completed" : "incomplete"]]),
      ...score12(s),
      ...(s.suspend === null ? [] : [["cmi.suspend_data", s.suspend]]),
      ...(s.location ? [["cmi.core.lesson_location", s.location]] : []),
      ["cmi.core.session_time", timespan(s.seconds)],
    ],
    answer: answer12,
    exit: ["cmi.core.exit", EXIT],
  },
];

// suspend_data: {"used": [section ids tried], "first": {question id: first answer}}, at most
// 7 ids and one letter for each quiz question (about 160 characters, far below 1.2's 4,096).
// What the LMS hands back is read defensively: only this lesson's sections and questions, each
// answer one of its question's choices; nothing from garbage, from text longer than the
// edition allows, or from the old format (a bare list of sections scrolled past).
export function readSuspendData(text, ids, choices, limit) {
  const none = { used: [], first: {} };
  if (typeof text !== "string" || text.length > limit) return none;
  try {
    const { used, first } = JSON.parse(text) ?? {};
    const answers = first && typeof first === "object" ? first : {};
    return {
      used: Array.isArray(used) ? ids.filter((id) => used.includes(id)) : [],
      first: Object.fromEntries(Object.entries(choices)
        .filter(([q, options]) => Object.hasOwn(answers, q) && options.includes(answers[q]))
        .map(([q]) => [q, answers[q]])),
    };
  } catch {
    return none;
  }
}

// The text to store, or null when it would not fit (never written: the LMS keeps what it has).
export function writeSuspendData(used, first, limit) {
  const text = JSON.stringify(Object.keys(first).length ? { used, first } : { used });
  return text.length <= limit ? text : null;
}

// The quiz's scoring rule, from cmi.launch_data, which the LMS takes from the manifest
// (build.py --quiz-score writes it): "quiz-score=best", else the first answers count.
export const scoreRule = (launch) => (/(^|[\s;&,])quiz-score=best($|[\s;&,])/.test(launch ?? "") ? "best" : "first");
