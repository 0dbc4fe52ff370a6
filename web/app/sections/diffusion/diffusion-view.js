// Drawing for the diffusion section: pure functions from data to pixels (and to words).
import { drawChart, fillChartTable, formatValue } from "../../core/chart.js";
import { clearPlane, drawDots } from "../../core/plane.js";

const SAMPLE_COLOR = "#3a4fd1"; // generated points: blue
const REAL_COLOR = "rgba(27, 158, 119, 0.35)"; // the shape, faint teal
export const PATH_COLORS = ["#e08a1e", "#d6336c", "#7b3fa0", "#1b9e77", "#c2410c", "#0e7490", "#a16207", "#be185d"];
const POINT_RADIUS = 1.8; // css px
const CURRENT_RADIUS = 5; // css px: a tracked point at the step shown
const GUESS_RADIUS = 4; // css px: its running guess of the clean point
const AHEAD_ALPHA = 0.22; // the part of a path still to come
const OFF_PLANE = 6; // css px: the marker of a tracked point beyond the plane's edge
const ARROW = 5; // css px: an arrow on the border for each other point beyond the edge
const ARROW_COLOR = "#c2410c"; // dark orange: points out of view
const COUNT_FONT = "600 12px system-ui, sans-serif"; // the corner's count of points out of view

// image: {data: Uint8Array (H * W * 4), shape: [H, W, 4]}; drawn at its own size, scaled by css.
export function drawPicture(canvas, image) {
  const [height, width] = image.shape;
  if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  canvas.getContext("2d").putImageData(new ImageData(pixels, width, height), 0, 0);
}

// schedules: {linear: {beta, alpha_bar}, cosine: {...}} with arrays {data}; kind the chosen one;
// t the marker. Returns the chart's text summary.
export function drawSchedule(canvas, schedules, kind, t) {
  const other = kind === "linear" ? "cosine" : "linear";
  const beta = Array.from(schedules[kind].beta.data);
  const top = Math.max(...beta) || 1;
  const at = (a) => a[Math.min(t, a.length - 1)];
  return drawChart(canvas, {
    title: "Noise schedules",
    series: [ // the legend prints each curve's value at the step shown
      { label: `ᾱ ${kind}`, values: schedules[kind].alpha_bar.data, color: "--chart-1", width: 2.5, value: at(schedules[kind].alpha_bar.data) },
      { label: `ᾱ ${other}`, values: schedules[other].alpha_bar.data, color: "--chart-3", width: 1.5, dash: [4, 4], value: at(schedules[other].alpha_bar.data) },
      { label: `β ${kind} ×${formatValue(1 / top)}`, values: beta.map((b) => b / top), color: "--chart-4", value: at(beta) / top },
    ],
    x: { label: "noise step t" },
    y: { label: "share", min: 0, max: 1 },
    markers: [{ x: t }],
  });
}

// Liang–Barsky: the part of segment a-b inside the box [x0, x1] × [y0, y1], or null.
export function clipSegment([ax, ay], [bx, by], [x0, x1, y0, y1]) {
  let lo = 0;
  let hi = 1;
  const dx = bx - ax;
  const dy = by - ay;
  for (const [p, q] of [[-dx, ax - x0], [dx, x1 - ax], [-dy, ay - y0], [dy, y1 - ay]]) {
    if (p === 0) {
      if (q < 0) return null;
      continue;
    }
    const r = q / p;
    if (p < 0) lo = Math.max(lo, r);
    else hi = Math.min(hi, r);
    if (lo > hi) return null;
  }
  return [[ax + lo * dx, ay + lo * dy], [ax + hi * dx, ay + hi * dy]];
}

// A polyline (array of [x, y]) cut to the box: the pieces of it inside, each a polyline.
export function clipPolyline(points, extent) {
  const pieces = [];
  let piece = null;
  for (let i = 1; i < points.length; i++) {
    const part = clipSegment(points[i - 1], points[i], extent);
    if (!part) {
      piece = null;
      continue;
    }
    const [a, b] = part;
    const joined = piece && piece[piece.length - 1][0] === a[0] && piece[piece.length - 1][1] === a[1];
    if (!joined) {
      piece = [a];
      pieces.push(piece);
    }
    piece.push(b);
  }
  return pieces;
}

const inside = ([x, y], [x0, x1, y0, y1]) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const clamp = ([x, y], [x0, x1, y0, y1]) => [Math.min(x1, Math.max(x0, x)), Math.min(y1, Math.max(y0, y))];

// What the plane shows of the tracked points at one frame, in plane coordinates, clipped:
// per point k, its path so far (done) and still to come (ahead), where it is now (clamped to
// the edge when off the plane), and the model's guess of where it will end (guess).
// path: {data, shape: [S + 1, N, 2]}; guesses: {data, shape: [S + 1, K, 2]} or null.
export function planeMarks({ path, guesses, frame, extent, tracked = PATH_COLORS.length }) {
  const [rows, n] = path.shape;
  const at = (k, s) => [path.data[(s * n + k) * 2], path.data[(s * n + k) * 2 + 1]];
  const marks = [];
  for (let k = 0; k < Math.min(tracked, n); k++) {
    const points = Array.from({ length: rows }, (_, s) => at(k, s));
    const now = points[frame];
    const kg = guesses ? guesses.shape[1] : 0;
    const guess = k < kg ? [guesses.data[(frame * kg + k) * 2], guesses.data[(frame * kg + k) * 2 + 1]] : null;
    marks.push({
      k,
      done: clipPolyline(points.slice(0, frame + 1), extent),
      ahead: clipPolyline(points.slice(frame), extent),
      now: clamp(now, extent),
      onPlane: inside(now, extent),
      guess: guess && inside(guess, extent) ? guess : null,
    });
  }
  return marks;
}

// The points of one frame beyond the plane's edge: how many, and for each its place clamped to
// the border with the way out (a unit vector from that place toward the point).
// path: {data, shape: [S + 1, N, 2]}.
export function offPlane(path, frame, extent) {
  const n = path.shape[1];
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = [path.data[(frame * n + i) * 2], path.data[(frame * n + i) * 2 + 1]];
    if (inside(p, extent)) continue;
    const edge = clamp(p, extent);
    const d = Math.hypot(p[0] - edge[0], p[1] - edge[1]);
    out.push({ edge, way: [(p[0] - edge[0]) / d, (p[1] - edge[1]) / d] });
  }
  return out;
}

// Each point out of view as a small arrow on the border pointing its way out, and their number
// in the corner, on a patch of background so that it stays readable over the points.
function drawOffPlane(g, off, toPx, background) {
  if (!off.length) return;
  g.fillStyle = ARROW_COLOR;
  g.beginPath();
  for (const { edge, way } of off) {
    const [x, y] = toPx(...edge);
    const [ux, uy] = [way[0], -way[1]]; // y grows downward in pixels
    const [bx, by] = [x - ux * ARROW, y - uy * ARROW]; // the arrow's base, inside the plane
    g.moveTo(x, y);
    g.lineTo(bx - uy * ARROW * 0.6, by + ux * ARROW * 0.6);
    g.lineTo(bx + uy * ARROW * 0.6, by - ux * ARROW * 0.6);
    g.closePath();
  }
  g.fill();
  const text = `${off.length} beyond the edge`;
  g.font = COUNT_FONT;
  const w = g.measureText(text).width;
  g.fillStyle = background;
  g.fillRect(ARROW + 2, ARROW + 2, w + 8, 18);
  g.fillStyle = ARROW_COLOR;
  g.textAlign = "left";
  g.textBaseline = "middle";
  g.fillText(text, ARROW + 6, ARROW + 11);
}

function strokePieces(g, pieces, toPx) {
  g.beginPath();
  for (const piece of pieces) {
    piece.forEach(([x, y], i) => (i ? g.lineTo(...toPx(x, y)) : g.moveTo(...toPx(x, y))));
  }
  g.stroke();
}

// The reverse process in the plane at one frame: the faint real shape, every point at this
// step (those beyond the edge as arrows on it, counted in the corner), and for the tracked points their paths (travelled: solid; to come: faint), where each
// is now (a large dot) and the model's current guess of its end (a ring, dashed line to it).
export function drawReversePlane(canvas, { extent, path, guesses = null, frame, real }) {
  const { g, toPx, background } = clearPlane(canvas, extent);
  if (real) drawDots(g, real.data, toPx, REAL_COLOR, 2.2);
  if (!path) return [];
  const [, n] = path.shape;
  const row = frame * n * 2;
  drawDots(g, path.data, toPx, SAMPLE_COLOR, POINT_RADIUS, row, row + n * 2);
  const off = offPlane(path, frame, extent);
  drawOffPlane(g, off, toPx, background);
  const marks = planeMarks({ path, guesses, frame, extent });
  marks.offPlane = off.length;
  g.lineCap = "round";
  g.lineJoin = "round";
  for (const m of marks) {
    g.strokeStyle = PATH_COLORS[m.k];
    g.globalAlpha = AHEAD_ALPHA;
    g.lineWidth = 1.2;
    strokePieces(g, m.ahead, toPx);
    g.globalAlpha = 1;
    g.lineWidth = 2;
    strokePieces(g, m.done, toPx);
  }
  for (const m of marks) drawCurrent(g, m, toPx, background);
  return marks;
}

function drawCurrent(g, m, toPx, background) {
  const [x, y] = toPx(...m.now);
  const color = PATH_COLORS[m.k];
  if (m.guess) {
    const [gx, gy] = toPx(...m.guess);
    g.strokeStyle = color;
    g.lineWidth = 1.2;
    g.setLineDash([3, 3]);
    g.beginPath();
    g.moveTo(x, y);
    g.lineTo(gx, gy);
    g.stroke();
    g.setLineDash([]);
    g.lineWidth = 2;
    g.beginPath();
    g.arc(gx, gy, GUESS_RADIUS, 0, 2 * Math.PI);
    g.stroke();
  }
  g.fillStyle = color;
  g.strokeStyle = background;
  g.lineWidth = 1.5;
  g.beginPath();
  if (m.onPlane) g.arc(x, y, CURRENT_RADIUS, 0, 2 * Math.PI);
  else g.rect(x - OFF_PLANE / 2, y - OFF_PLANE / 2, OFF_PLANE, OFF_PLANE); // beyond the edge: a square on it
  g.fill();
  g.stroke();
}

// The stability contrast: the diffusion loss and the GAN's two losses against training time.
// histories: {diffusion, detective, forger}, each {x: seconds[], values: number[]}; table:
// a (visually hidden) <table> that gets the same data; until: the x axis's end (seconds).
// Returns the chart's text summary.
export function drawStability(canvas, table, { diffusion, detective, forger }, until) {
  const spec = {
    title: "Training losses over the same time",
    series: [
      { label: "diffusion", values: diffusion.values, x: diffusion.x, color: "--chart-1", smooth: true },
      { label: "GAN detective", values: detective.values, x: detective.x, color: "--chart-2", smooth: true },
      { label: "GAN forger", values: forger.values, x: forger.x, color: "--chart-3", smooth: true },
    ],
    x: { label: "training time of each model (s)", min: 0, max: until },
    y: { label: "loss", log: true }, // the diffusion loss falls through a decade
    rules: [ // where a GAN's losses sit when the detective cannot tell real from fake (D = 1/2)
      { y: Math.log(4), label: "log 4: detective undecided", color: "--chart-2" },
      { y: Math.log(2), label: "log 2: forger's loss then", color: "--chart-3" },
    ],
  };
  if (table) fillChartTable(table, spec, { rows: 8 });
  return drawChart(canvas, spec);
}

// Sample quality over the same time: the grid divergence of the fresh diffusion model's samples
// and of the GAN's fakes from the real shape (api diffusion_quality), each at its model's own
// training time, and the floor two sets of real points score. quality: {diffusion, gan} each
// {x, values}, floor: number or null; table and until as in drawStability.
export function drawQuality(canvas, table, { diffusion, gan, floor }, until) {
  const spec = {
    title: "Sample quality over the same time",
    series: [
      { label: "diffusion samples", values: diffusion.values, x: diffusion.x, color: "--chart-1", width: 2 },
      { label: "GAN fakes", values: gan.values, x: gan.x, color: "--chart-3", width: 2 },
    ],
    x: { label: "training time of each model (s)", min: 0, max: until },
    y: { label: "divergence from the real shape (0 = same)", min: 0, max: 1 },
    rules: floor == null ? [] : [{ y: floor, label: "two sets of real points", color: "--chart-2" }],
  };
  if (table) fillChartTable(table, spec, { rows: 8 });
  return drawChart(canvas, spec);
}

// A share in [0, 1] as a whole percentage, for the variety figure.
export const pct = (v) => `${Math.round(100 * v)}%`;

// Words for the plane: what is shown at this frame.
export function planeLabel(plane, frame, shapeName, off = 0) {
  const t = plane.times[frame];
  const where = frame === plane.steps ? "the samples" : `noise level t = ${t}`;
  const near = plane.near == null ? "" : ` Mean distance of the samples to the ${shapeName(plane.prompt)}: ${plane.near.toFixed(3)}.`;
  const outside = off ? ` ${off} of them are beyond the edge of the plane, shown as arrows on its border.` : "";
  return `${plane.path.shape[1]} points at step ${frame} of ${plane.steps} (${where}), prompt: ${shapeName(plane.prompt)}.${outside} `
    + `Eight of them are drawn with their paths; a ring marks where the model guesses each will end.${near}`;
}

// The most points beyond the edge at any step after the first, and that step: a push too strong
// throws points out of view mid-way. path: {data, shape: [S + 1, N, 2]}.
export function mostOffPlane(path, extent) {
  let most = { count: 0, step: 0 };
  for (let s = 1; s < path.shape[0]; s++) {
    const count = offPlane(path, s, extent).length;
    if (count > most.count) most = { count, step: s };
  }
  return most;
}
