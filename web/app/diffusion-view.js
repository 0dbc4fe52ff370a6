// Drawing for the diffusion section: pure functions from data to pixels.
import { drawSeries, prepare, projection } from "./gan-view.js";

const SAMPLE_COLOR = "#3a4fd1"; // generated points: blue
const REAL_COLOR = "rgba(27, 158, 119, 0.35)"; // the shape, faint teal
const PATH_COLORS = ["#e08a1e", "#d6336c", "#7b3fa0", "#1b9e77", "#c2410c", "#0e7490", "#a16207", "#be185d"];
const SIGNAL_COLOR = "#3a4fd1";
const BETA_COLOR = "#e08a1e";
const POINT_RADIUS = 1.8; // css px
const TRACKED = PATH_COLORS.length; // points whose whole path is drawn

const background = () => (matchMedia("(prefers-color-scheme: dark)").matches ? "#1d2029" : "#ffffff");

// image: {data: Uint8Array (H * W * 4), shape: [H, W, 4]}; drawn at its own size, scaled by css.
export function drawPicture(canvas, image) {
  const [height, width] = image.shape;
  if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  canvas.getContext("2d").putImageData(new ImageData(pixels, width, height), 0, 0);
}

// schedules: {linear: {beta, alpha_bar}, cosine: {...}} with arrays {data}; kind the chosen one; t the marker.
export function drawSchedule(canvas, schedules, kind, t) {
  const series = [];
  for (const name of ["linear", "cosine"]) {
    const chosen = name === kind;
    series.push({ values: Array.from(schedules[name].alpha_bar.data), color: SIGNAL_COLOR, width: chosen ? 2.5 : 1, dash: chosen ? [] : [4, 4] });
  }
  const beta = Array.from(schedules[kind].beta.data);
  const top = Math.max(...beta) || 1;
  series.push({ values: beta.map((b) => b / top), color: BETA_COLOR, width: 1.5, dash: [] });
  drawSeries(canvas, series, 0, 1);
  const { g, width, height } = prepare(canvas);
  const x = (t / (beta.length - 1)) * width;
  g.strokeStyle = "rgba(128, 128, 128, 0.9)";
  g.setLineDash([2, 3]);
  g.beginPath();
  g.moveTo(x, 0);
  g.lineTo(x, height);
  g.stroke();
  g.setLineDash([]);
}

// path: {data: Float32Array, shape: [S + 1, N, 2]}; frame: which row to show.
export function drawPlane(canvas, { extent, path, frame, real }) {
  const { g, width, height } = prepare(canvas);
  g.fillStyle = background();
  g.fillRect(0, 0, width, height);
  const { toPx } = projection(extent, width, height);
  if (real) dots(g, real.data, 0, real.data.length, toPx, REAL_COLOR, 2.2);
  if (!path) return;
  const [, n] = path.shape;
  const row = frame * n * 2;
  dots(g, path.data, row, row + n * 2, toPx, SAMPLE_COLOR, POINT_RADIUS);
  for (let k = 0; k < Math.min(TRACKED, n); k++) {
    g.strokeStyle = PATH_COLORS[k];
    g.globalAlpha = 0.75;
    g.lineWidth = 1.2;
    g.beginPath();
    for (let s = 0; s <= frame; s++) {
      const [x, y] = toPx(path.data[(s * n + k) * 2], path.data[(s * n + k) * 2 + 1]);
      if (s === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    }
    g.stroke();
    g.globalAlpha = 1;
    const [x, y] = toPx(path.data[row + k * 2], path.data[row + k * 2 + 1]);
    g.fillStyle = PATH_COLORS[k];
    g.beginPath();
    g.arc(x, y, 3.5, 0, 2 * Math.PI);
    g.fill();
  }
}

function dots(g, data, from, to, toPx, color, radius) {
  g.fillStyle = color;
  g.beginPath();
  for (let i = from; i < to; i += 2) {
    const [x, y] = toPx(data[i], data[i + 1]);
    g.moveTo(x + radius, y);
    g.arc(x, y, radius, 0, 2 * Math.PI);
  }
  g.fill();
}

// path: {data, shape: [S + 1, N, 8, 8]} ink in [0, 1]; a square grid of N digits at one frame;
// marks: per digit, true (read as the prompt), false (read as another digit) or null;
// cols: digits per row (a square grid by default).
export function drawDigits(canvas, { path, frame, marks, cols = Math.ceil(Math.sqrt(path.shape[1])) }) {
  const [, n, side] = path.shape;
  const rows = Math.ceil(n / cols);
  const gap = 1;
  const cell = side + gap;
  const image = new ImageData(cols * cell - gap, rows * cell - gap);
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  for (let k = 0; k < n; k++) {
    const ox = (k % cols) * cell;
    const oy = Math.floor(k / cols) * cell;
    for (let p = 0; p < side * side; p++) {
      const ink = path.data[(frame * n + k) * side * side + p];
      const v = Math.round(dark ? 30 + ink * 225 : 255 - ink * 235);
      const at = ((oy + Math.floor(p / side)) * image.width + ox + (p % side)) * 4;
      image.data.set([v, v, v, 255], at);
    }
  }
  const small = document.createElement("canvas");
  Object.assign(small, { width: image.width, height: image.height });
  small.getContext("2d").putImageData(image, 0, 0);
  const { g, width, height } = prepare(canvas);
  g.fillStyle = background();
  g.fillRect(0, 0, width, height);
  g.imageSmoothingEnabled = false;
  const scale = Math.min(width / image.width, height / image.height);
  g.drawImage(small, 0, 0, image.width * scale, image.height * scale);
  if (!marks) return;
  g.lineWidth = 2;
  marks.forEach((ok, k) => {
    if (ok === null) return;
    g.strokeStyle = ok ? "#1b9e77" : "#d6336c";
    g.strokeRect((k % cols) * cell * scale + 1, Math.floor(k / cols) * cell * scale + 1, side * scale - 2, side * scale - 2);
  });
}

const SMOOTHING = 0.05; // weight of each new loss in the smoothed curve

// The raw per-batch loss, faint, under its exponential moving average; the axis starts at 0
// and reaches the highest smoothed value, so a falling and settling loss looks like one.
export function drawLoss(canvas, values) {
  const smooth = [];
  let avg = null;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    avg = avg === null ? v : avg + SMOOTHING * (v - avg);
    smooth.push(avg);
  }
  const high = smooth.length ? Math.max(...smooth) * 1.15 : 1;
  drawSeries(canvas, [{ values, color: "rgba(58, 79, 209, 0.3)", width: 1 }, { values: smooth, color: SIGNAL_COLOR, width: 2 }], 0, high);
}
