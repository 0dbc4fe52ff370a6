// Section 6's self-check: each question says at once whether the answer is right, and why.
// The score counts each question's first answer (rule "first"); trying again is for learning.
// A package built with --quiz-score best counts the latest answers instead (rule "best": the
// course platform keeps the best score). scorm.js reports every checked answer and the score.
const RULES = {
  first: "Your score counts your first answer to each question. Change an answer and check it again "
    + "as often as you like: it helps you learn, and it does not change the score.",
  best: "Your score counts your latest answers, and the course platform keeps your best score. Change an "
    + "answer and check it again as often as you like.",
};

// One question: its id (the radios' name, q1, q2, …), its right answer, the first answer given
// (kept across sessions by scorm.js), whether the last checked answer was right, and since
// when the learner has been on it (for the answer's latency).
function question(form) {
  return {
    form, id: form.querySelector("input[type=radio]").name, answer: form.dataset.answer,
    choices: [...form.querySelectorAll("input[type=radio]")].map((input) => input.value),
    first: null, last: null, since: performance.now(),
  };
}

// Feedback for an answer, as a learner checking it sees it.
function show(q, response) {
  const feedback = q.form.querySelector(".quiz-feedback");
  const right = response === q.answer;
  feedback.textContent = right ? feedback.dataset.right : feedback.dataset.wrong;
  feedback.className = `quiz-feedback ${right ? "right" : "wrong"}`;
  q.last = right;
}

// A question's latency starts when it first comes into view, then at each check.
function watchSeen(questions) {
  if (typeof IntersectionObserver !== "function") return;
  const byForm = new Map(questions.map((q) => [q.form, q]));
  const seen = new IntersectionObserver((entries) => {
    for (const entry of entries.filter((e) => e.isIntersecting)) {
      const q = byForm.get(entry.target);
      if (q.first === null && q.last === null) q.since = performance.now();
      seen.unobserve(entry.target);
    }
  });
  for (const q of questions) seen.observe(q.form);
}

// The score in words: under the "first" rule, first tries count and the answers now are said too.
function scoreLine(rule, n, answered, right, first) {
  if (answered === 0) return "";
  if (rule === "best") return `${answered} of ${n} answered, ${right} right.${right === n ? " Well done!" : ""}`;
  const now = first === right ? "" : ` (${right} right now)`;
  return `${answered} of ${n} answered, ${first} right at the first try${now}.${first === n ? " Well done!" : ""}`;
}

// A question checked: its feedback shown, and what the course platform is told (null: no choice made).
function answer(q, event) {
  event.preventDefault();
  const chosen = q.form.querySelector("input[type=radio]:checked");
  if (!chosen) {
    const feedback = q.form.querySelector(".quiz-feedback");
    feedback.textContent = "Choose an answer first.";
    feedback.className = "quiz-feedback";
    return null;
  }
  const isFirst = q.first === null;
  if (isFirst) q.first = chosen.value;
  show(q, chosen.value);
  const now = performance.now();
  const detail = { id: q.id, response: chosen.value, correct: q.answer, right: q.last, first: isFirst,
    seconds: (now - q.since) / 1000, at: new Date() };
  q.since = now;
  return detail;
}

// The graded score in percent once every question is answered (by the rule), null before.
function graded(questions, rule) {
  const best = rule === "best";
  const given = questions.filter(best ? (q) => q.last !== null : (q) => q.first !== null).length;
  const right = questions.filter(best ? (q) => q.last : (q) => q.first === q.answer).length;
  // Two decimals (8 of 9 is 88.89): a long fraction is more than some LMS fields hold.
  return given === questions.length ? Math.round((10000 * right) / questions.length) / 100 : null;
}

export function quizPanel(root) {
  const questions = [...root.querySelectorAll("form.quiz-q")].map(question);
  const events = new EventTarget(); // "answer" after each checked answer (scorm.js reports it)
  let rule = "first";
  const count = (test) => questions.filter(test).length;
  const firstRight = () => count((q) => q.first === q.answer);

  function score() {
    const answered = count((q) => q.last !== null), right = count((q) => q.last);
    root.querySelector('[data-role="score"]').textContent = scoreLine(rule, questions.length, answered, right, firstRight());
    root.querySelector('[data-role="score-rule"]').textContent = RULES[rule];
    root.dataset.right = String(right);
    root.dataset.answered = String(answered);
  }

  function check(q, event) {
    const detail = answer(q, event);
    if (!detail) return;
    score();
    events.dispatchEvent(new CustomEvent("answer", { detail }));
  }

  // First answers the course platform holds (this attempt's earlier sessions, or another frame):
  // they win over this page's, and a question not answered here shows its recorded answer.
  function restore(first) {
    for (const q of questions) {
      const response = first?.[q.id];
      if (!q.choices.includes(response)) continue;
      q.first = response;
      if (q.last !== null) continue;
      q.form.querySelector(`input[type=radio][value="${response}"]`).checked = true;
      show(q, response);
    }
    score();
  }

  for (const q of questions) q.form.addEventListener("submit", (event) => check(q, event));
  watchSeen(questions);
  score();
  return {
    events,
    questions: questions.length,
    choices: Object.fromEntries(questions.map((q) => [q.id, q.choices])),
    get answered() { return count((q) => q.last !== null); },
    get right() { return count((q) => q.last); },
    get rule() { return rule; },
    // The first answers given, by question id: what suspend_data keeps.
    get first() { return Object.fromEntries(questions.filter((q) => q.first !== null).map((q) => [q.id, q.first])); },
    // The graded score in percent, once every question is answered; null before.
    get graded() { return graded(questions, rule); },
    restore,
    setRule(name) {
      rule = name === "best" ? "best" : "first";
      score();
    },
  };
}
