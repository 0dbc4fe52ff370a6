// The LLM section's table as shown, a row per bar: [{token, id, logit, prob, drawable, scaled, mark}]
// (scaled: the text of the "logit divided by T" column).
(rows) => rows.map((r) => ({
    token: r.dataset.token, id: Number(r.dataset.id), logit: Number(r.dataset.logit),
    prob: Number(r.dataset.prob), drawable: r.dataset.drawable === 'true',
    scaled: r.querySelectorAll('.lnum')[1].textContent.replace('logit divided by T ', ''),
    mark: r.querySelector('.mark').textContent}))
