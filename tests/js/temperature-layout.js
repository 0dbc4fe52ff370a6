// The temperature table as laid out: every text piece (each header's pieces, each row's word,
// bar and value) that overlaps another, and, per line of columns (same left-to-right row of the
// grid), the tops of the headers' bottoms and of each bar row, which must agree across the line.
() => {
    const columns = [...document.querySelectorAll('#temperature .compare .column')];
    const boxOf = (e) => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
    const pieces = [];
    columns.forEach((c, i) => {
        for (const e of c.querySelectorAll('figcaption > span, li .word, li .track, li .val')) {
            pieces.push({column: i, what: e.className || 'header', text: e.textContent, ...boxOf(e)});
        }
    });
    const overlaps = [];
    for (let a = 0; a < pieces.length; a++) {
        for (let b = a + 1; b < pieces.length; b++) {
            const p = pieces[a], q = pieces[b];
            const dx = Math.min(p.x + p.w, q.x + q.w) - Math.max(p.x, q.x);
            const dy = Math.min(p.y + p.h, q.y + q.h) - Math.max(p.y, q.y);
            if (dx > 0.5 && dy > 0.5) overlaps.push([p.text, q.text]);
        }
    }
    const lines = {};
    for (const c of columns) {
        const top = Math.round(c.getBoundingClientRect().top);
        (lines[top] = lines[top] || []).push({
            headerBottom: c.querySelector('figcaption').getBoundingClientRect().bottom,
            rows: [...c.querySelectorAll('li')].map((li) => li.getBoundingClientRect().top),
        });
    }
    const clipped = [...document.querySelectorAll('#temperature figcaption > span')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map((e) => e.textContent);
    return {columns: columns.length, overlaps, lines: Object.values(lines), clipped,
            scrollWidth: document.documentElement.scrollWidth};
}
