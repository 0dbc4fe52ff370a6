// True once the LLM section's bars are the rows `want` ([[token id, probability]], in order), each
// probability within tol.
([want, tol]) => {
    const shown = [...document.querySelectorAll('[data-widget=llm] .bars li')].map((r) => [Number(r.dataset.id), Number(r.dataset.prob)]);
    return shown.length === want.length && shown.every(([id, p], i) => id === want[i][0] && Math.abs(p - want[i][1]) < tol);
}
