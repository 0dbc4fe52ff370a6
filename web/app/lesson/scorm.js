// SCORM: when GenLab runs inside an LMS, report to it. The LMS's API object is found the
// standard way (this window, then its parents, then the opener and its parents): SCORM 2004's
// API_1484_11 first, then SCORM 1.2's API. Without one, nothing happens.
//
// What the LMS gets (scorm-model.js has the elements and formats): the sections tried and the
// quiz's first answers (suspend_data, so a later session resumes them; the last section used as
// location), completion once every section was tried, the quiz score once every question has
// an answer, each checked answer as an interaction, the session time, and on leaving, exit
// "suspend" and finish.
//
// The record is never lowered or lost. At the start of a session the lesson reads what the LMS
// holds and resumes from it. Before every write it reads again and merges: sections and first
// answers join what the LMS holds (another frame of the same course page may have written since),
// completion, success and score never go below it. An LMS that refuses or throws never stops the
// page: every call is isolated, a refusal is told once, quietly, and what was refused is sent
// again at the next save.
import { EDITIONS, MASTERY, SCALE, number, readSuspendData, scoreRule, writeSuspendData } from "./scorm-model.js";

const MAX_HOPS = 500; // the reference algorithm's guard against odd frame trees

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

// The LMS's API behind calls that never throw. call() answers a string, or null if it threw;
// set() and commit() say whether the LMS took it, and tell the first refusal, once.
function openLms({ api, edition }, tell) {
  let told = false;
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
    if (told) return false;
    told = true;
    tell(`The course platform did not save your progress (${because(what)}). The lesson works, and GenLab tries again as you go on.`);
    return false;
  };
  return {
    call, because,
    get: (key) => call("get", key) ?? "",
    set: (key, value) => call("set", key, value) === "true" || refused(key),
    // set() for an element an LMS need not have: one it lacks (SCORM error 401, "not implemented"
    // in 1.2, "undefined data model element" in 2004) answers null, and is not told as a refusal.
    setOptional: (key, value) => call("set", key, value) === "true" || (call("error") === "401" ? null : refused(key)),
    commit: () => call("commit", "") === "true" || refused("saving"),
  };
}

const higher = (a, b) => (a === null ? b : b === null ? a : Math.max(a, b));

// ui.tell(message): one quiet line, at most once per page. ui.welcome({tried, sections,
// answered, questions, location}): a session that resumes a record.
export function connectLms(progress, quiz, ui) {
  const found = findLmsApi();
  if (!found) return null;
  const { edition } = found;
  const lms = openLms(found, ui.tell);
  if (lms.call("init", "") !== "true") {
    ui.tell(`The course platform did not start tracking this lesson (${lms.because("start")}). The lesson works, but your progress is not recorded.`);
    return null;
  }
  const once = Object.fromEntries(Object.entries(edition.once).map(([name, key]) => [name, lms.get(key)]));
  quiz.setRule(scoreRule(once.launch));
  const session = new Session(lms, edition, progress, quiz, edition.passing(once.passing) ?? MASTERY);
  const resumed = session.resumed;
  if (resumed.tried || resumed.answered) ui.welcome({ ...resumed, sections: progress.ids.length, questions: quiz.questions });
  session.save();
  session.listen();
  // For tests and hosts: the LMS's entry value, and the state the last save sent.
  return { api: found.api, edition: edition.name, entry: once.entry, get report() { return session.last; } };
}

// One session's reads and writes. passing: the score (0–1) that passes.
class Session {
  constructor(lms, edition, progress, quiz, passing) {
    Object.assign(this, { lms, edition, progress, quiz, passing });
    this.started = performance.now();
    this.committed = new Map(); // key -> value the LMS has accepted and committed
    this.pending = []; // checked answers not yet written as interactions
    this.best = null; // rule "best": this session's best full set of answers
    this.written = 0; // interactions this page has written
    this.answers = true; // false once the LMS says it has no interactions
    this.finished = false; // after Finish the LMS takes no more calls
    this.last = null; // the state the last save sent
    const { held, saved } = this.readHeld(true);
    this.location = held.location; // the last section used
    this.resumed = { tried: saved.used.length, answered: Object.keys(saved.first).length, location: held.location };
  }

  // What the LMS holds now. Its sections and first answers join the page's; at the start they
  // replace what the tab kept, which may come from another attempt or package.
  readHeld(start) {
    const { lms, edition, progress, quiz } = this;
    const raw = Object.fromEntries(edition.reads.map((key) => [key, lms.get(key)]));
    const held = edition.held(raw);
    const saved = readSuspendData(held.suspend, progress.ids, quiz.choices, edition.suspendLimit);
    progress.replace(start ? saved.used : [...saved.used, ...progress.tried]);
    quiz.restore(saved.first);
    held.location = progress.ids.includes(held.location) ? held.location : "";
    return { raw, held, saved };
  }

  // What to write: the page's record merged with the LMS's, never below it.
  state(held) {
    const { progress, quiz } = this;
    const tried = progress.tried, graded = quiz.graded;
    if (quiz.rule === "best") this.best = higher(this.best, graded);
    const score = higher(held.score, quiz.rule === "best" ? this.best : graded);
    let passed = held.passed;
    if (held.passed === true || (score !== null && score / SCALE >= this.passing)) passed = true;
    else if (graded !== null) passed = false; // failed only once every question has its answer
    return { completed: held.completed || tried.length === progress.ids.length, keepStatus: held.final, score,
      passed, suspend: writeSuspendData(tried, quiz.first, this.edition.suspendLimit),
      location: this.location || held.location, seconds: (performance.now() - this.started) / 1000 };
  }

  // Each checked answer as the next interaction: its number read from the LMS just before
  // (another frame may have added some), never below the ones this page wrote.
  writeAnswers() {
    const { lms, edition, pending } = this;
    while (pending.length && this.answers) {
      const count = Math.floor(number(lms.get(edition.count), Number.MAX_SAFE_INTEGER) ?? 0);
      const n = Math.max(this.written, count);
      const [[idKey, id], ...rest] = edition.answer(pending[0], n);
      const opened = lms.setOptional(idKey, id);
      if (opened === null) this.answers = false;
      if (!opened) return; // the id opens the record: the whole answer goes again next save
      for (const [key, value] of rest) lms.set(key, value);
      pending.shift();
      this.written = n + 1;
    }
  }

  // Sends what the LMS does not hold yet, then commits; what fails goes again next time.
  save() {
    if (this.finished) return;
    const { lms, committed } = this;
    const { raw, held } = this.readHeld(false);
    const sent = [];
    this.last = this.state(held);
    for (const [key, value] of this.edition.values(this.last)) {
      if (committed.get(key) === value && (!(key in raw) || raw[key] === value)) continue;
      if (lms.set(key, value)) sent.push([key, value]);
    }
    this.writeAnswers();
    if (!lms.commit()) return;
    for (const [key, value] of sent) committed.set(key, value);
  }

  leave() {
    if (this.finished) return;
    this.lms.set(...this.edition.exit);
    this.save();
    this.finished = true;
    this.lms.call("finish", ""); // attempted even when the commit before it failed or threw
  }

  listen() {
    this.progress.events.addEventListener("use", ({ detail }) => {
      this.location = detail.id;
      this.save();
    });
    this.quiz.events.addEventListener("answer", ({ detail }) => {
      this.pending.push(detail);
      this.save();
    });
    addEventListener("pagehide", () => this.leave());
  }
}
