// Drawing for the GAN section: pure functions from data to pixels. Colours come from css
// custom properties (--gan-real, --gan-fake, ... in styles.css), read through cssColor.
import { cssColor } from "../../core/chart.js";
import { clearPlane, drawCursor, drawDots, drawRaster, mix, rgbOf } from "../../core/plane.js";

const POINT_RADIUS = 2.2; // css px
const ARROW_LENGTH = 14; // css px for the longest push
const MESH_WIDTH = 1; // css px
const CURSOR_SIZE = 12; // css px
const PILE_HALO = [9, 22]; // css px: a pile's halo radius, for a few fakes up to all of them
const PILE_FONT = 12; // css px
const VERDICT_STRENGTH = 0.75; // the surest verdict's colour, mixed with the background
const COLORS = { // css property -> fallback
  real: ["--gan-real", "#1b9e77"], fake: ["--gan-fake", "#7b3fa0"], arrow: ["--gan-arrow", "rgba(40, 40, 40, 0.55)"],
  mesh: ["--gan-mesh", "rgba(123, 63, 160, 0.7)"], cursor: ["--gan-cursor", "#e08a1e"], ink: ["--fg", "#1c1f26"],
  realTone: ["--gan-verdict-real", "#1b9e77"], fakeTone: ["--gan-verdict-fake", "#d660a0"],
};

// The detective's verdict d in [0, 1] as a colour: fake tone, through the background at 0.5, to
// the real tone. tones: {base, real, fake} as [r, g, b].
export function verdictColor(d, tones) {
  return mix(tones.base, d >= 0.5 ? tones.real : tones.fake, Math.min(1, Math.abs(d - 0.5) * 2) * VERDICT_STRENGTH);
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

// A pile's label: how many of the forger's fixed points lie there.
export const pileLabel = (pile) => `${pile.count.toLocaleString("en")} fakes here`;

// Where the forger piles its points (mode collapse): a halo sized by the share of its fixed points
// there, and a label, kept inside the canvas and clear of the labels drawn before.
// piles: [{x, y, count, radius}] (genlab.gan.piles); total: the fixed points they are counted from.
function drawPiles(g, piles, total, toPx, { color, ink, paper }, width, height) {
  const taken = [];
  g.font = `bold ${PILE_FONT}px system-ui, sans-serif`;
  g.textBaseline = "middle";
  g.textAlign = "left";
  for (const pile of piles) {
    const [x, y] = toPx(pile.x, pile.y);
    const spread = Math.abs(toPx(pile.x + pile.radius, pile.y)[0] - x);
    const r = Math.max(spread + 4, PILE_HALO[0] + (PILE_HALO[1] - PILE_HALO[0]) * Math.sqrt(pile.count / total));
    g.lineWidth = 2;
    g.strokeStyle = color;
    g.setLineDash([4, 3]);
    g.beginPath();
    g.arc(x, y, r, 0, 2 * Math.PI);
    g.stroke();
    g.setLineDash([]);
    const text = pileLabel(pile);
    const w = g.measureText(text).width + 8;
    const h = PILE_FONT + 6;
    let top = y - r - h - 2 < 0 ? y + r + 2 : y - r - h - 2; // above the halo, or below near the top
    while (taken.some((t) => Math.abs(t - top) < h) && top + h < height) top += h;
    taken.push(top);
    const left = Math.min(width - w - 2, Math.max(2, x - w / 2));
    g.fillStyle = paper;
    g.fillRect(left, top, w, h);
    g.strokeStyle = color;
    g.lineWidth = 1;
    g.strokeRect(left + 0.5, top + 0.5, w - 1, h - 1);
    g.fillStyle = ink;
    g.fillText(text, left + 4, top + h / 2 + 1);
  }
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
// heatmap: {data: Float32Array, shape: [G, G]}, row 0 = top (highest y), column 0 = lowest x.
export function drawField(canvas, scene) {
  const color = Object.fromEntries(Object.entries(COLORS).map(([k, [name, fallback]]) => [k, cssColor(canvas, name, fallback)]));
  const { g, width, height, toPx, background } = clearPlane(canvas, scene.extent);
  g.save();
  const on = (layer, ...data) => scene.layers[layer] && data.every(Boolean);
  if (on("heatmap", scene.heatmap)) {
    const tones = { base: rgbOf(background, [255, 255, 255]), real: rgbOf(color.realTone, [27, 158, 119]), fake: rgbOf(color.fakeTone, [214, 96, 160]) };
    const [rows, cols] = scene.heatmap.shape;
    drawRaster(g, rows, cols, (i) => verdictColor(scene.heatmap.data[i], tones), width, height);
  }
  const piled = on("fake", scene.piles?.length);
  if (on("mesh", scene.mesh) && !piled) drawMesh(g, scene.mesh, toPx, color.mesh);
  if (on("real", scene.real)) drawDots(g, scene.real.data, toPx, color.real, POINT_RADIUS);
  if (on("fake", scene.fake)) drawDots(g, scene.fake.data, toPx, color.fake, POINT_RADIUS);
  // Where the forger piles its points, the map goes over them, so that its folds stay in sight.
  if (on("mesh", scene.mesh) && piled) drawMesh(g, scene.mesh, toPx, color.mesh);
  if (on("arrows", scene.fake, scene.arrows)) drawArrows(g, scene.fake, scene.arrows, toPx, color.arrow);
  if (piled) {
    drawPiles(g, scene.piles, scene.n_fixed, toPx, { color: color.fake, ink: color.ink, paper: background }, width, height);
  }
  if (scene.cursor) drawCursor(g, toPx, scene.cursor, color.cursor, CURSOR_SIZE);
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

// The fields of a frame that move: each a {data, shape} of numbers (see api.gan_train's view).
export const MOVING = ["fake", "arrows", "mesh", "heatmap"];

// A frame a of the way (0..1) from `from` to `to`: the moving fields blended value by value, the
// rest (step, real, piles) as in `to`. A field that `from` lacks, or of another shape, is `to`'s.
export function blendScene(from, to, a) {
  const scene = { ...to };
  for (const key of MOVING) {
    const p = from?.[key];
    const q = to[key];
    if (!p || !q || p.data.length !== q.data.length || a >= 1) continue;
    const data = new Float32Array(q.data.length);
    for (let i = 0; i < data.length; i++) data[i] = p.data[i] + (q.data[i] - p.data[i]) * a;
    scene[key] = { data, shape: q.shape };
  }
  return scene;
}
