// Asks the LLM n questions at once (n contexts starting with word); window.answers: a promise of
// [first token, temperature] per answer, in the order asked.
([word, n]) => {
  const asked = Array.from({length: n}, (_, i) => genlab.runtime.call('llm_distribution',
    {context: `${word} ${'the '.repeat(i % 3)}`.trim(), temperature: 0.5 + i / 10, top_k: 3}));
  window.answers = Promise.all(asked).then((all) => all.map((r) => [r.tokens[0].token, r.temperature]));
}
