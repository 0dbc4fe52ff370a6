// Line charts a learner can read: axes with ticks and values, a legend with each curve's
// current value, an optional log scale, smoothed curves over their faint raw values, and a
// text alternative that follows the data. One module for every section.
//
//   const summary = drawChart(canvas, {
//     series: [{ label: "loss", values: [...], color: "--chart-1", smooth: true }],
//     x: { label: "step" },                 // x = index (+ x.start), or x.values[i], or series.x[i]
//     y: { label: "loss", log: true },      // min/max to fix the range; log for decades
//     markers: [{ x: 250, label: "t" }],    // optional vertical lines
//     rules: [{ y: 1.386, label: "log 4" }], // optional horizontal reference lines
//   });
// A series may give `value`: the number its legend prints instead of its latest value.
//
// drawChart sets the canvas's role="img" and aria-label to the summary it returns (turn off
// with alt: false); fillChartTable writes the same data into a table (give it the classes
// "visually-hidden chart-table" of styles.css to hide it from sight, not from screen readers).

const FONT_PX = 11; // tick labels and legend, css px: readable at 360 px wide
const TICK_PX = 4; // tick mark length
const PAD = 6; // css px around the plot
const SMOOTHING = 0.05; // weight of each new value in the moving average (smooth: true)
const RAW_ALPHA = 0.28; // raw values under a smoothed curve are drawn this faint
const TARGET_TICKS_X = 6; // about this many ticks on a wide axis, fewer on a narrow one
const TARGET_TICKS_Y = 5;
const FALLBACK_COLORS = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5"];
const DEFAULT_HEX = ["#3a4fd1", "#1b9e77", "#7b3fa0", "#e08a1e", "#d6336c"];

// A canvas sized to its css box and the screen's pixel density; returns a context in css px.
export function prepareCanvas(canvas) {
  const scale = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * scale)) canvas.width = Math.round(width * scale);
  if (canvas.height !== Math.round(height * scale)) canvas.height = Math.round(height * scale);
  const g = canvas.getContext("2d");
  g.setTransform(scale, 0, 0, scale, 0, 0);
  return { g, width, height };
}

// "--name" or "var(--name)" read from the element's css; other colours pass through.
export function cssColor(element, color, fallback = "#3a4fd1") {
  const name = /^var\((--[\w-]+)\)$/.exec(color ?? "")?.[1] ?? (color?.startsWith("--") ? color : null);
  if (!name) return color ?? fallback;
  const value = getComputedStyle(element).getPropertyValue(name).trim();
  return value || fallback;
}

// Exponential moving average, debiased (as Adam's moments): the first values are not pulled
// toward 0 nor held at the first value. Non-finite values are skipped (the average keeps its value).
export function smoothValues(values, weight = SMOOTHING) {
  const out = new Array(values.length);
  let avg = 0;
  let mass = 0; // 1 - (1 - weight)^n after n finite values
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      avg += weight * (v - avg);
      mass += weight * (1 - mass);
    }
    out[i] = mass > 0 ? avg / mass : NaN;
  }
  return out;
}

// A number as a short label: 3 significant digits, thousands grouped, tiny and huge in e-notation.
export function formatValue(v) {
  if (!Number.isFinite(v)) return "–";
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a >= 1e6 || a < 1e-3) return v.toExponential(1).replace("e+", "e");
  if (a >= 1000) return Math.round(v).toLocaleString("en");
  return String(Number(v.toPrecision(3)));
}

// Round tick positions covering [lo, hi]: steps of 1, 2 or 5 times a power of ten.
export function linearTicks(lo, hi, target = TARGET_TICKS_Y) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const ratio = raw / power; // in [1, 10): round to 1, 2, 5 or 10 by the nearest on a log scale
  const step = power * (ratio >= Math.sqrt(50) ? 10 : ratio >= Math.sqrt(10) ? 5 : ratio >= Math.sqrt(2) ? 2 : 1);
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

// Ticks at powers of ten (and 2, 5 between them when few decades are shown).
export function logTicks(lo, hi) {
  const ticks = [];
  const first = Math.floor(Math.log10(lo));
  const last = Math.ceil(Math.log10(hi));
  const mults = last - first <= 2 ? [1, 2, 5] : [1];
  for (let e = first; e <= last; e++) {
    for (const m of mults) {
      const v = Number((m * 10 ** e).toPrecision(6));
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  return ticks.length >= 2 ? ticks : [lo, hi].map((v) => Number(v.toPrecision(2)));
}

// Each series with its x positions, its smoothed values (if asked) and its latest value.
function normalise(spec) {
  const start = spec.x?.start ?? 0;
  return (spec.series ?? []).map((s, k) => {
    const values = Array.from(s.values ?? [], Number);
    const xs = s.x ? Array.from(s.x, Number) : spec.x?.values ? Array.from(spec.x.values, Number) : values.map((_, i) => start + i);
    const weight = s.smooth === true ? SMOOTHING : typeof s.smooth === "number" ? s.smooth : null;
    const smooth = weight ? smoothValues(values, weight) : null;
    const shown = smooth ?? values;
    let last = NaN;
    for (let i = shown.length - 1; i >= 0; i--) if (Number.isFinite(shown[i])) { last = shown[i]; break; }
    const legendValue = s.value ?? last;
    return { ...s, k, values, xs, smooth, last, legendValue, label: s.label ?? `series ${k + 1}` };
  });
}

function extent(series, key, keep) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    const arrays = key === "x" ? [s.xs] : [s.values, s.smooth].filter(Boolean);
    for (const a of arrays) for (const v of a) if (Number.isFinite(v) && keep(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  return [lo, hi];
}

// The y range: fixed ends if given; a log range in whole decades or their 2s and 5s; a linear
// range from 0 (when all values are positive and 0 is near) to a round value above the top.
function yScale(series, y = {}, rules = []) {
  const log = Boolean(y.log);
  let [lo, hi] = extent(series, "y", log ? (v) => v > 0 : () => true);
  for (const r of rules) if (!log || r.y > 0) [lo, hi] = [Math.min(lo, r.y), Math.max(hi, r.y)]; // rules stay in view
  if (!Number.isFinite(lo)) [lo, hi] = log ? [0.1, 1] : [0, 1];
  if (log) {
    lo = y.min ?? 10 ** Math.floor(Math.log10(lo)); // whole decades around the data
    hi = y.max ?? 10 ** Math.ceil(Math.log10(hi));
    if (hi <= lo) hi = lo * 10;
    const ticks = logTicks(lo, hi);
    const f = (v) => (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
    return { lo, hi, log, ticks, f };
  }
  if (y.min === undefined && lo > 0 && lo < hi * 0.5) lo = 0;
  if (y.min !== undefined) lo = y.min;
  if (y.max !== undefined) hi = y.max;
  if (hi <= lo) hi = lo + (Math.abs(lo) || 1);
  const ticks = linearTicks(lo, hi, y.ticks ?? TARGET_TICKS_Y);
  if (y.max === undefined) hi = Math.max(hi, ticks[ticks.length - 1]);
  if (y.min === undefined) lo = Math.min(lo, ticks[0]);
  return { lo, hi, log, ticks: ticks.filter((t) => t >= lo - 1e-12 && t <= hi + 1e-12), f: (v) => (v - lo) / (hi - lo) };
}

function xScale(series, x = {}, plotWidth) {
  let [lo, hi] = extent(series, "x", () => true);
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  if (x.min !== undefined) lo = x.min;
  if (x.max !== undefined) hi = x.max;
  if (hi <= lo) hi = lo + 1;
  const target = Math.max(2, Math.min(TARGET_TICKS_X, Math.floor(plotWidth / 60)));
  const ticks = linearTicks(lo, hi, target).filter((t) => t >= lo && t <= hi);
  return { lo, hi, ticks, f: (v) => (v - lo) / (hi - lo) };
}

// Legend entries laid out in rows that fit the width; returns rows of {s, text, w}.
function legendRows(g, series, width) {
  const rows = [[]];
  let used = 0;
  for (const s of series) {
    const text = `${s.label} ${formatValue(s.legendValue)}`;
    const w = 14 + g.measureText(text).width + 12;
    if (used + w > width && rows[rows.length - 1].length) {
      rows.push([]);
      used = 0;
    }
    rows[rows.length - 1].push({ s, text, w });
    used += w;
  }
  return series.length ? rows : [];
}

function strokeSeries(g, xs, values, toX, toY, yLo) {
  g.beginPath();
  let pen = false;
  const step = Math.max(1, Math.floor(values.length / 2000)); // at most ~2,000 segments
  for (let i = 0; i < values.length; i += step) {
    const v = values[i];
    if (!Number.isFinite(v) || !Number.isFinite(xs[i]) || (yLo !== null && v <= 0)) {
      pen = false;
      continue;
    }
    const px = toX(xs[i]);
    const py = toY(v);
    if (pen) g.lineTo(px, py);
    else g.moveTo(px, py);
    pen = true;
  }
  g.stroke();
}

// Where everything goes: the legend's rows, the plot's box and the maps from values to pixels.
function layout(g, spec, series, width, height) {
  const legend = spec.legend === false ? [] : legendRows(g, series, width - 2 * PAD);
  const top = PAD + legend.length * (FONT_PX + 5) + (spec.y?.label ? FONT_PX + 4 : 0) + FONT_PX / 2;
  const ys = yScale(series, spec.y, spec.rules);
  const tickText = ys.ticks.map(formatValue);
  const left = PAD + Math.max(...tickText.map((t) => g.measureText(t).width), 8) + TICK_PX + 3;
  const bottom = height - PAD - FONT_PX - 4 - (spec.x?.label ? FONT_PX + 3 : 0);
  const right = width - PAD - 2;
  const xs = xScale(series, spec.x, right - left);
  const toX = (v) => left + xs.f(v) * (right - left);
  const toY = (v) => bottom - ys.f(v) * (bottom - top);
  return { legend, top, bottom, left, right, ys, xs, tickText, toX, toY };
}

// Legend: a swatch, the label and the current value of each curve; then the y axis's label.
function drawLegend(g, c) {
  c.legend.forEach((row, r) => {
    let at = PAD;
    const cy = PAD + r * (FONT_PX + 5) + FONT_PX / 2;
    for (const { s, text, w } of row) {
      g.fillStyle = c.colors[s.k];
      g.fillRect(at, cy - 2, 10, 4);
      g.fillStyle = c.ink;
      g.textAlign = "left";
      g.fillText(text, at + 14, cy);
      at += w;
    }
  });
  if (c.spec.y?.label) {
    g.fillStyle = c.muted;
    g.textAlign = "left";
    g.fillText(`${c.spec.y.label}${c.ys.log ? " (log scale)" : ""}`, PAD, PAD + c.legend.length * (FONT_PX + 5) + FONT_PX / 2);
  }
}

// Grid lines, axes, ticks and their values.
function drawAxes(g, c) {
  const { left, right, top, bottom, toX, toY } = c;
  g.lineWidth = 1;
  g.strokeStyle = c.grid;
  g.fillStyle = c.muted;
  g.textAlign = "right";
  c.ys.ticks.forEach((t, i) => {
    const py = Math.round(toY(t)) + 0.5;
    g.beginPath();
    g.moveTo(left - TICK_PX, py);
    g.lineTo(right, py);
    g.stroke();
    g.fillText(c.tickText[i], left - TICK_PX - 2, py);
  });
  g.textAlign = "center";
  g.textBaseline = "top";
  for (const t of c.xs.ticks) {
    const px = Math.round(toX(t)) + 0.5;
    g.beginPath();
    g.moveTo(px, bottom);
    g.lineTo(px, bottom + TICK_PX);
    g.stroke();
    const text = formatValue(t);
    const half = g.measureText(text).width / 2; // the last value ("10,000") stays whole inside the canvas
    g.fillText(text, Math.min(right + PAD + 1 - half, Math.max(left + 8, px)), bottom + TICK_PX + 1);
  }
  if (c.spec.x?.label) g.fillText(c.spec.x.label, (left + right) / 2, bottom + TICK_PX + FONT_PX + 4);
  g.strokeStyle = c.muted;
  g.beginPath();
  g.moveTo(left + 0.5, top);
  g.lineTo(left + 0.5, bottom + 0.5);
  g.lineTo(right, bottom + 0.5);
  g.stroke();
}

// Curves, clipped to the plot: raw values faint under a smoothed curve.
function drawCurves(g, c) {
  const yLo = c.ys.log ? c.ys.lo : null;
  for (const s of c.series) {
    g.strokeStyle = c.colors[s.k];
    g.setLineDash(s.dash ?? []);
    if (s.smooth) {
      g.globalAlpha = RAW_ALPHA;
      g.lineWidth = 1;
      strokeSeries(g, s.xs, s.values, c.toX, c.toY, yLo);
      g.globalAlpha = 1;
    }
    g.lineWidth = s.width ?? (s.smooth ? 2 : 1.5);
    strokeSeries(g, s.xs, s.smooth ?? s.values, c.toX, c.toY, yLo);
  }
  g.setLineDash([]);
}

// A dashed line from a to b (pixels) in color.
function dashed(g, [ax, ay], [bx, by], color, dash) {
  g.strokeStyle = color;
  g.setLineDash(dash);
  g.beginPath();
  g.moveTo(ax, ay);
  g.lineTo(bx, by);
  g.stroke();
  g.setLineDash([]);
}

// Markers (a dashed upright at an x) and rules (a dashed level at a y, with its label).
function drawMarks(g, c, canvas) {
  for (const m of c.spec.markers ?? []) {
    const px = Math.round(c.toX(m.x)) + 0.5;
    dashed(g, [px, c.top], [px, c.bottom], cssColor(canvas, m.color ?? "--muted", c.muted), [3, 3]);
  }
  g.font = `${FONT_PX - 1}px system-ui, sans-serif`;
  g.textAlign = "right";
  g.textBaseline = "bottom";
  for (const r of c.spec.rules ?? []) {
    const py = Math.round(c.toY(r.y)) + 0.5;
    const color = cssColor(canvas, r.color ?? "--muted", c.muted);
    dashed(g, [c.left, py], [c.right, py], color, [2, 4]);
    if (r.label) {
      g.fillStyle = color;
      g.fillText(r.label, c.right - 2, py - 1);
    }
  }
}

// Draws the chart and returns its text summary (also set as the canvas's aria-label).
export function drawChart(canvas, spec) {
  const { g, width, height } = prepareCanvas(canvas);
  const series = normalise(spec);
  const colors = series.map((s) => cssColor(canvas, s.color ?? FALLBACK_COLORS[s.k % FALLBACK_COLORS.length], DEFAULT_HEX[s.k % DEFAULT_HEX.length]));
  g.clearRect(0, 0, width, height);
  g.font = `${FONT_PX}px system-ui, sans-serif`;
  g.textBaseline = "middle";
  const c = {
    spec, series, colors, ...layout(g, spec, series, width, height),
    ink: cssColor(canvas, "--fg", "#1c1f26"), muted: cssColor(canvas, "--muted", "#555c6b"), grid: cssColor(canvas, "--line", "#d5d9e2"),
  };
  drawLegend(g, c);
  drawAxes(g, c);
  g.save();
  g.beginPath();
  g.rect(c.left, c.top - 2, c.right - c.left, c.bottom - c.top + 4);
  g.clip();
  drawCurves(g, c);
  drawMarks(g, c, canvas);
  g.restore();

  const summary = describeChart(spec, series);
  if (spec.alt !== false) {
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", summary);
  }
  return summary;
}

// The chart in words: what is plotted against what, and per curve its count, range and latest value.
export function describeChart(spec, normalised = normalise(spec)) {
  const yLabel = spec.y?.label ?? "value";
  const xLabel = spec.x?.label ?? "index";
  const head = spec.title ? `${spec.title}: ` : "";
  const parts = normalised.map((s) => {
    const finite = (s.smooth ?? s.values).filter(Number.isFinite);
    if (!finite.length) return `${s.label}: no values yet`;
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    const xEnd = s.xs[s.xs.length - 1];
    const smoothed = s.smooth ? " (smoothed)" : "";
    return `${s.label}: ${s.values.length} values up to ${xLabel} ${formatValue(xEnd)}, `
      + `from ${formatValue(lo)} to ${formatValue(hi)}, now ${formatValue(s.last)}${smoothed}`;
  });
  const scale = spec.y?.log ? " on a log scale" : "";
  return `${head}${yLabel} against ${xLabel}${scale}. ${parts.join("; ")}.`;
}

// Writes the chart's data into a <table> (give it a visually hidden class): one row per
// sampled x, one column per series, at most `rows` rows spread evenly over the data.
export function fillChartTable(table, spec, { rows = 10 } = {}) {
  const series = normalise(spec);
  const doc = table.ownerDocument;
  const cell = (tag, text) => Object.assign(doc.createElement(tag), { textContent: text });
  const head = doc.createElement("tr");
  head.append(cell("th", spec.x?.label ?? "index"), ...series.map((s) => cell("th", s.label)));
  const body = [head];
  const longest = series.reduce((a, s) => (s.values.length > a.values.length ? s : a), series[0] ?? { values: [], xs: [] });
  const n = longest.values.length;
  const picks = n <= rows ? [...Array(n).keys()] : [...Array(rows).keys()].map((i) => Math.round((i * (n - 1)) / (rows - 1)));
  for (const i of picks) {
    const x = longest.xs[i];
    const tr = doc.createElement("tr");
    tr.append(cell("th", formatValue(x)));
    for (const s of series) {
      const j = nearestIndex(s.xs, x);
      tr.append(cell("td", j < 0 ? "–" : formatValue((s.smooth ?? s.values)[j])));
    }
    body.push(tr);
  }
  table.replaceChildren(...(spec.title ? [cell("caption", spec.title)] : []), ...body);
  return table;
}

function nearestIndex(xs, x) {
  let best = -1;
  let dist = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const d = Math.abs(xs[i] - x);
    if (d < dist) { dist = d; best = i; }
  }
  return best;
}
