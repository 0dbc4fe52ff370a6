// The 2-D plane that classifying, the GAN and diffusion draw on: its extent, its shapes' names,
// the map from plane units to css pixels, and the pieces every plane is drawn from (background,
// a density raster, dots, a keyboard cursor). Pure functions from data to pixels.
// The background is styles.css's --plane, so every plane follows the page's colour scheme.
import { cssColor, prepareCanvas } from "./chart.js";

// xmin, xmax, ymin, ymax (genlab.gan.EXTENT): every painted point lies in it.
export const PLANE_EXTENT = Object.freeze([-1.5, 1.5, -1.5, 1.5]);
export const PLANE_RANGE = PLANE_EXTENT[1]; // painted coordinates lie in [-PLANE_RANGE, PLANE_RANGE]

// The shapes of the plane as the page names them (genlab's names otherwise).
const SHAPE_NAMES = Object.freeze({ moons: "two moons", gaussian: "one cluster", none: "no prompt" });
export const shapeName = (shape) => SHAPE_NAMES[shape] ?? shape;

// Maps plane coordinates to css pixels (y up) and back.
export function projection(extent, width, height) {
  const [x0, x1, y0, y1] = extent;
  return {
    toPx: (x, y) => [((x - x0) / (x1 - x0)) * width, ((y1 - y) / (y1 - y0)) * height],
    toPlane: (px, py) => [x0 + (px / width) * (x1 - x0), y1 - (py / height) * (y1 - y0)],
  };
}

// Where a pointer event falls on a plane's canvas, in plane units.
export function planeAt(canvas, extent, event) {
  const box = canvas.getBoundingClientRect();
  return projection(extent, box.width, box.height).toPlane(event.clientX - box.left, event.clientY - box.top);
}

export const planeBackground = (canvas) => cssColor(canvas, "--plane", "#ffffff");

// A plane's canvas sized to its css box and filled with the background.
// Returns {g, width, height, toPx, background}.
export function clearPlane(canvas, extent) {
  const { g, width, height } = prepareCanvas(canvas);
  const background = planeBackground(canvas);
  g.fillStyle = background;
  g.fillRect(0, 0, width, height);
  return { g, width, height, toPx: projection(extent, width, height).toPx, background };
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

// base moved toward target by strength in [0, 1], as whole [r, g, b].
export const mix = (base, target, strength) => base.map((b, i) => Math.round(b + (target[i] - b) * strength));

const rasterCanvas = document.createElement("canvas"); // one pixel per grid cell, reused

// A rows x cols grid (row 0 at the top, column 0 at the lowest x) drawn over the whole plane,
// smoothed; colorOf(i) gives cell i's [r, g, b].
export function drawRaster(g, rows, cols, colorOf, width, height) {
  if (rasterCanvas.width !== cols || rasterCanvas.height !== rows) Object.assign(rasterCanvas, { width: cols, height: rows });
  const image = new ImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) image.data.set([...colorOf(i), 255], 4 * i);
  rasterCanvas.getContext("2d").putImageData(image, 0, 0);
  g.imageSmoothingEnabled = true;
  g.drawImage(rasterCanvas, 0, 0, width, height);
}

// Points data[from..to) as x, y pairs, all in one path and one fill (far cheaper than a fill each).
export function drawDots(g, data, toPx, color, radius, from = 0, to = data.length) {
  g.fillStyle = color;
  g.beginPath();
  for (let i = from; i < to; i += 2) {
    const [x, y] = toPx(data[i], data[i + 1]);
    g.moveTo(x + radius, y);
    g.arc(x, y, radius, 0, 2 * Math.PI);
  }
  g.fill();
}

// The keyboard's cursor: a square of side size (css px) around the plane point.
export function drawCursor(g, toPx, cursor, color, size) {
  const [x, y] = toPx(...cursor);
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.strokeRect(x - size / 2, y - size / 2, size, size);
}
