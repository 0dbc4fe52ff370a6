// Draws spec with the chart module at chartPath on a new canvas #chart-test of CSS size w x h at
// device pixel ratio dpr; gives the summary, the canvas's aria-label, role and backing size, and
// the rows of the text alternative's table (5 rows).
async ([chartPath, spec, w, h, dpr]) => {
    const chart = await import(new URL(chartPath, document.baseURI).href);
    Object.defineProperty(window, 'devicePixelRatio', {value: dpr, configurable: true});
    document.querySelector('#chart-test')?.remove();
    const canvas = document.createElement('canvas');
    canvas.id = 'chart-test';
    canvas.className = 'chart';
    canvas.style.width = w + 'px';
    canvas.style.height = h + 'px';
    document.body.prepend(canvas);
    const summary = chart.drawChart(canvas, spec);
    const table = document.createElement('table');
    chart.fillChartTable(table, spec, {rows: 5});
    return {summary, label: canvas.getAttribute('aria-label'), role: canvas.getAttribute('role'),
            width: canvas.width, height: canvas.height,
            table: Array.from(table.rows).map((r) => Array.from(r.cells).map((c) => c.textContent))};
}
