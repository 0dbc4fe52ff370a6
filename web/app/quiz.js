// Section 6's self-check: each question says at once whether the answer is right, and why.
export function mountQuiz(root) {
  const forms = [...root.querySelectorAll("form.quiz-q")];
  const results = new Map(); // form -> true | false (its last checked answer)
  const events = new EventTarget(); // "score" after each checked answer (scorm.js reports it)

  function score() {
    const right = [...results.values()].filter(Boolean).length;
    root.querySelector('[data-role="score"]').textContent =
      `${results.size} of ${forms.length} answered, ${right} right.${results.size === forms.length && right === forms.length ? " Well done!" : ""}`;
    root.dataset.right = String(right);
    root.dataset.answered = String(results.size);
  }

  for (const form of forms) {
    const feedback = form.querySelector(".quiz-feedback");
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const chosen = form.querySelector("input[type=radio]:checked");
      if (!chosen) {
        feedback.textContent = "Choose an answer first.";
        feedback.className = "quiz-feedback";
        return;
      }
      const right = chosen.value === form.dataset.answer;
      feedback.textContent = right ? feedback.dataset.right : feedback.dataset.wrong;
      feedback.className = `quiz-feedback ${right ? "right" : "wrong"}`;
      results.set(form, right);
      score();
      events.dispatchEvent(new Event("score"));
    });
  }
  return {
    events,
    questions: forms.length,
    get answered() { return results.size; },
    get right() { return [...results.values()].filter(Boolean).length; },
  };
}
