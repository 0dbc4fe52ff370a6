// Where the LLM section's table header and first row collide at the current width: pairs of cells
// whose visible text boxes overlap, and texts reaching past the table's visible box (cut off).
() => {
  const wrap = document.querySelector('[data-widget=llm] .logits-wrap').getBoundingClientRect();
  const textBox = (cell) => { // the union of the cell's visible text, screen-reader-only text left out
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let box = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim() || n.parentElement.closest('.visually-hidden')) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) {
        box = box ? { left: Math.min(box.left, r.left), right: Math.max(box.right, r.right), top: Math.min(box.top, r.top),
          bottom: Math.max(box.bottom, r.bottom) } : { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }
    }
    return box;
  };
  const problems = [];
  for (const row of document.querySelectorAll('[data-widget=llm] :is(.logits-head, .bars li:first-child)')) {
    const cells = [...row.children].filter((c) => c.checkVisibility()).map((c) => [c.textContent.trim(), textBox(c)]).filter(([, b]) => b);
    cells.forEach(([text, b], i) => {
      if (b.right > wrap.right + 0.5 || b.left < wrap.left - 0.5) problems.push(`${text}: cut off`);
      for (const [other, o] of cells.slice(i + 1)) {
        const apart = b.right <= o.left + 0.5 || o.right <= b.left + 0.5 || b.bottom <= o.top + 0.5 || o.bottom <= b.top + 0.5;
        if (!apart) problems.push(`${text} / ${other}`);
      }
    });
  }
  return problems;
}
