// Drawing for the GAN section: pure functions from data to pixels. Colours come from css
// custom properties (--gan-real, --gan-fake, ... in styles.css), read through cssColor.
import { cssColor, prepareCanvas } from "../../core/chart.js";

const POINT_RADIUS = 2.2; // css px
const ARROW_LENGTH = 14; // css px for the longest push
const MESH_WIDTH = 1; // css px
const CURSOR_SIZE = 12; // css px
const VERDICT_STRENGTH = 0.75; // the surest verdict's colour, mixed with the background
const COLORS = { // css property -> fallback
  real: ["--gan-real", "#1b9e77"], fake: ["--gan-fake", "#7b3fa0"], arrow: ["--gan-arrow", "rgba(40, 40, 40, 0.55)"],
  mesh: ["--gan-mesh", "rgba(123, 63, 160, 0.7)"], cursor: ["--gan-cursor", "#e08a1e"], card: ["--card", "#ffffff"],
  realTone: ["--gan-verdict-real", "#1b9e77"], fakeTone: ["--gan-verdict-fake", "#d660a0"],
};

// A canvas sized to its css box and the screen's pixel density; returns a 2D context in css px.
// (Kept for the sections that draw on the same plane.)
export const prepare = prepareCanvas;

// Maps plane coordinates to css pixels (y up) and back.
export function projection(extent, width, height) {
  const [x0, x1, y0, y1] = extent;
  return {
    toPx: (x, y) => [((x - x0) / (x1 - x0)) * width, ((y1 - y) / (y1 - y0)) * height],
    toPlane: (px, py) => [x0 + (px / width) * (x1 - x0), y1 - (py / height) * (y1 - y0)],
  };
}

// "#rgb", "#rrggbb" or "rgb(r, g, b)" as [r, g, b]; anything else as fallback.
export function rgbOf(color, fallback) {
  const hex = /^#([\da-f]{3}|[\da-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join("") : hex[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(color.trim());
  return rgb ? rgb.slice(1, 4).map(Number) : fallback;
}

// The detective's verdict d in [0, 1] as a colour: fake tone, through the background at 0.5, to
// the real tone. tones: {base, real, fake} as [r, g, b].
export function verdictColor(d, tones) {
  const target = d >= 0.5 ? tones.real : tones.fake;
  const strength = Math.min(1, Math.abs(d - 0.5) * 2) * VERDICT_STRENGTH;
  return tones.base.map((b, i) => Math.round(b + (target[i] - b) * strength));
}

// heatmap: {data: Float32Array, shape: [G, G]}, row 0 = top (highest y), column 0 = lowest x.
const heatCanvas = document.createElement("canvas"); // one pixel per grid cell, reused

function drawHeatmap(g, heatmap, width, height, tones) {
  const [rows, cols] = heatmap.shape;
  if (heatCanvas.width !== cols || heatCanvas.height !== rows) Object.assign(heatCanvas, { width: cols, height: rows });
  const image = new ImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    image.data.set([...verdictColor(heatmap.data[i], tones), 255], 4 * i);
  }
  heatCanvas.getContext("2d").putImageData(image, 0, 0);
  g.imageSmoothingEnabled = true;
  g.drawImage(heatCanvas, 0, 0, width, height);
}

// All points in one path and one fill: far cheaper than a fill per point.
function drawPoints(g, points, toPx, color) {
  g.fillStyle = color;
  const { data } = points;
  g.beginPath();
  for (let i = 0; i < data.length; i += 2) {
    const [x, y] = toPx(data[i], data[i + 1]);
    g.moveTo(x + POINT_RADIUS, y);
    g.arc(x, y, POINT_RADIUS, 0, 2 * Math.PI);
  }
  g.fill();
}

// arrows: (N, 2) pushes at the fake points, scaled so the longest is ARROW_LENGTH px.
function drawArrows(g, fake, arrows, toPx, color) {
  let longest = 1e-12;
  for (let i = 0; i < arrows.data.length; i += 2) longest = Math.max(longest, Math.hypot(arrows.data[i], arrows.data[i + 1]));
  g.strokeStyle = color;
  g.lineWidth = 1;
  g.beginPath();
  for (let i = 0; i < arrows.data.length; i += 2) {
    const [x, y] = toPx(fake.data[i], fake.data[i + 1]);
    g.moveTo(x, y);
    g.lineTo(x + (arrows.data[i] / longest) * ARROW_LENGTH, y - (arrows.data[i + 1] / longest) * ARROW_LENGTH); // y up
  }
  g.stroke();
}

// The forger's map: mesh {data, shape: [R, S, 2]}, node [i, j] = G(latent grid node), joined
// along rows and along columns. One row (latent size 1) is a single line.
export function meshLines(mesh) {
  const [rows, cols] = mesh.shape;
  const at = (i, j) => [mesh.data[2 * (i * cols + j)], mesh.data[2 * (i * cols + j) + 1]];
  const lines = [];
  for (let i = 0; i < rows; i++) lines.push(Array.from({ length: cols }, (_, j) => at(i, j)));
  if (rows > 1) for (let j = 0; j < cols; j++) lines.push(Array.from({ length: rows }, (_, i) => at(i, j)));
  return lines;
}

function drawMesh(g, mesh, toPx, color) {
  g.strokeStyle = color;
  g.lineWidth = MESH_WIDTH;
  g.beginPath();
  for (const line of meshLines(mesh)) {
    line.forEach(([x, y], k) => (k ? g.lineTo(...toPx(x, y)) : g.moveTo(...toPx(x, y))));
  }
  g.stroke();
}

// scene: {extent, heatmap, real, fake, arrows, mesh, layers: {heatmap, real, fake, arrows, mesh},
// cursor: [x, y] | null}; a missing array is not drawn.
export function drawField(canvas, scene) {
  const { g, width, height } = prepareCanvas(canvas);
  const color = Object.fromEntries(Object.entries(COLORS).map(([k, [name, fallback]]) => [k, cssColor(canvas, name, fallback)]));
  g.save();
  g.fillStyle = color.card;
  g.fillRect(0, 0, width, height);
  const { toPx } = projection(scene.extent, width, height);
  const on = (layer, ...data) => scene.layers[layer] && data.every(Boolean);
  if (on("heatmap", scene.heatmap)) {
    const tones = { base: rgbOf(color.card, [255, 255, 255]), real: rgbOf(color.realTone, [27, 158, 119]), fake: rgbOf(color.fakeTone, [214, 96, 160]) };
    drawHeatmap(g, scene.heatmap, width, height, tones);
  }
  if (on("mesh", scene.mesh)) drawMesh(g, scene.mesh, toPx, color.mesh);
  if (on("real", scene.real)) drawPoints(g, scene.real, toPx, color.real);
  if (on("fake", scene.fake)) drawPoints(g, scene.fake, toPx, color.fake);
  if (on("arrows", scene.fake, scene.arrows)) drawArrows(g, scene.fake, scene.arrows, toPx, color.arrow);
  if (scene.cursor) {
    const [x, y] = toPx(...scene.cursor);
    g.strokeStyle = color.cursor;
    g.lineWidth = 2;
    g.strokeRect(x - CURSOR_SIZE / 2, y - CURSOR_SIZE / 2, CURSOR_SIZE, CURSOR_SIZE);
  }
  g.restore();
}

// How far the forger's map spreads: the width and height of the box holding the middle 90% of its
// nodes along each axis (plane units). A folded map spans little however long training goes.
export function mapSpan(mesh) {
  const xs = [];
  const ys = [];
  for (let i = 0; i < mesh.data.length; i += 2) { xs.push(mesh.data[i]); ys.push(mesh.data[i + 1]); }
  const span = (v) => {
    v.sort((p, q) => p - q);
    return v[Math.floor(0.95 * (v.length - 1))] - v[Math.floor(0.05 * (v.length - 1))];
  };
  return [span(xs), span(ys)];
}
