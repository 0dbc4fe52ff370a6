// Drawing for the GAN section: pure functions from data to pixels.

const REAL_COLOR = "#1b9e77"; // real points: teal
const FAKE_COLOR = "#7b3fa0"; // forger's points: purple
const ARROW_COLOR = "rgba(40, 40, 40, 0.55)";
const CURSOR_COLOR = "#e08a1e";
const POINT_RADIUS = 2.2; // css px
const ARROW_LENGTH = 14; // css px for the longest push
const LOSS_COLORS = { d: "#1b9e77", g: "#7b3fa0" };
const QUALITY_COLOR = "#3a4fd1";

// A canvas sized to its css box and the screen's pixel density; returns a 2D context in css px.
export function prepare(canvas) {
  const scale = devicePixelRatio || 1;
  const width = canvas.clientWidth || canvas.width;
  const height = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(width * scale)) canvas.width = Math.round(width * scale);
  if (canvas.height !== Math.round(height * scale)) canvas.height = Math.round(height * scale);
  const g = canvas.getContext("2d");
  g.setTransform(scale, 0, 0, scale, 0, 0);
  return { g, width, height };
}

// Maps plane coordinates to css pixels (y up) and back.
export function projection(extent, width, height) {
  const [x0, x1, y0, y1] = extent;
  return {
    toPx: (x, y) => [((x - x0) / (x1 - x0)) * width, ((y1 - y) / (y1 - y0)) * height],
    toPlane: (px, py) => [x0 + (px / width) * (x1 - x0), y1 - (py / height) * (y1 - y0)],
  };
}

// The detective's verdict D(x) in [0, 1] as colour: pink (fake) through white to teal (real).
function verdictColor(d, dark) {
  const base = dark ? [29, 32, 41] : [255, 255, 255];
  const target = d >= 0.5 ? [27, 158, 119] : [214, 96, 160];
  const strength = Math.min(1, Math.abs(d - 0.5) * 2) * 0.75;
  return base.map((b, i) => Math.round(b + (target[i] - b) * strength));
}

// heatmap: {data: Float32Array, shape: [G, G]}, row 0 = top (highest y), column 0 = lowest x.
const heatCanvas = document.createElement("canvas"); // one pixel per grid cell, reused

function drawHeatmap(g, heatmap, width, height, dark) {
  const [rows, cols] = heatmap.shape;
  const small = heatCanvas;
  if (small.width !== cols || small.height !== rows) Object.assign(small, { width: cols, height: rows });
  const image = new ImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const [red, green, blue] = verdictColor(heatmap.data[i], dark);
    image.data[4 * i] = red;
    image.data[4 * i + 1] = green;
    image.data[4 * i + 2] = blue;
    image.data[4 * i + 3] = 255;
  }
  small.getContext("2d").putImageData(image, 0, 0);
  g.imageSmoothingEnabled = true;
  g.drawImage(small, 0, 0, width, height);
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
function drawArrows(g, fake, arrows, toPx) {
  let longest = 1e-12;
  for (let i = 0; i < arrows.data.length; i += 2) longest = Math.max(longest, Math.hypot(arrows.data[i], arrows.data[i + 1]));
  g.strokeStyle = ARROW_COLOR;
  g.lineWidth = 1;
  g.beginPath();
  for (let i = 0; i < arrows.data.length; i += 2) {
    const [x, y] = toPx(fake.data[i], fake.data[i + 1]);
    const dx = (arrows.data[i] / longest) * ARROW_LENGTH;
    const dy = (-arrows.data[i + 1] / longest) * ARROW_LENGTH; // y up on the plane
    g.moveTo(x, y);
    g.lineTo(x + dx, y + dy);
  }
  g.stroke();
}

// scene: {extent, heatmap, real, fake, arrows, layers: {heatmap, real, fake, arrows}, cursor: [x, y] | null}
export function drawField(canvas, scene) {
  const { g, width, height } = prepare(canvas);
  const dark = matchMedia("(prefers-color-scheme: dark)").matches;
  g.fillStyle = dark ? "#1d2029" : "#ffffff";
  g.fillRect(0, 0, width, height);
  const { toPx } = projection(scene.extent, width, height);
  if (scene.layers.heatmap && scene.heatmap) drawHeatmap(g, scene.heatmap, width, height, dark);
  if (scene.layers.real && scene.real) drawPoints(g, scene.real, toPx, REAL_COLOR);
  if (scene.layers.fake && scene.fake) drawPoints(g, scene.fake, toPx, FAKE_COLOR);
  if (scene.layers.arrows && scene.fake && scene.arrows) drawArrows(g, scene.fake, scene.arrows, toPx);
  if (scene.cursor) {
    const [x, y] = toPx(...scene.cursor);
    g.strokeStyle = CURSOR_COLOR;
    g.lineWidth = 2;
    g.strokeRect(x - 6, y - 6, 12, 12);
  }
}

// series: [{values: number[], color, width?, dash?}]; the x axis is the step, the y axis spans [low, high].
export function drawSeries(canvas, series, low, high) {
  const { g, width, height } = prepare(canvas);
  g.clearRect(0, 0, width, height);
  g.strokeStyle = "rgba(128, 128, 128, 0.35)";
  g.strokeRect(0.5, 0.5, width - 1, height - 1);
  for (const { values, color, width: lineWidth = 1.5, dash = [] } of series) {
    if (values.length < 2) continue;
    g.strokeStyle = color;
    g.lineWidth = lineWidth;
    g.setLineDash(dash);
    g.beginPath();
    const stride = Math.max(1, Math.floor(values.length / width));
    for (let i = 0; i < values.length; i += stride) {
      const x = (i / (values.length - 1)) * width;
      const v = Math.min(high, Math.max(low, values[i]));
      const y = height - ((v - low) / (high - low || 1)) * (height - 4) - 2;
      if (i === 0) g.moveTo(x, y);
      else g.lineTo(x, y);
    }
    g.stroke();
  }
  g.setLineDash([]);
}

export function drawLosses(canvas, lossesD, lossesG) {
  const all = lossesD.concat(lossesG).filter(Number.isFinite);
  const high = all.length ? Math.min(5, Math.max(...all)) : 1;
  drawSeries(canvas, [{ values: lossesD, color: LOSS_COLORS.d }, { values: lossesG, color: LOSS_COLORS.g }], 0, high);
}

export function drawQuality(canvas, jsd) {
  drawSeries(canvas, [{ values: jsd, color: QUALITY_COLOR }], 0, 1);
}
