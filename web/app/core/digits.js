// 8 x 8 digits drawn from their ink in [0, 1]: dark ink on the page's card, or light ink on a
// dark one. Diffusion's guided digits and the prompt section's strip are the same picture.
import { prepareCanvas } from "./chart.js";
import { planeBackground } from "./plane.js";

const MATCH_COLOR = "#1b9e77"; // a digit read as the prompt
const MISS_COLOR = "#d6336c"; // a digit read as another one

export const isDark = () => matchMedia("(prefers-color-scheme: dark)").matches;

// One ink value as a grey level (0..255) for the colour scheme.
export const inkGrey = (ink, dark) => Math.round(dark ? 30 + ink * 225 : 255 - ink * 235);

// N digits of side x side pixels as one picture, cols to a row, a pixel of gap between them.
function digitGrid(ink, n, side, cols) {
  const cell = side + 1;
  const image = new ImageData(cols * cell - 1, Math.ceil(n / cols) * cell - 1);
  const dark = isDark();
  for (let k = 0; k < n; k++) {
    const ox = (k % cols) * cell;
    const oy = Math.floor(k / cols) * cell;
    for (let p = 0; p < side * side; p++) {
      const v = inkGrey(ink[k * side * side + p], dark);
      image.data.set([v, v, v, 255], ((oy + Math.floor(p / side)) * image.width + ox + (p % side)) * 4);
    }
  }
  const small = document.createElement("canvas");
  Object.assign(small, { width: image.width, height: image.height });
  small.getContext("2d").putImageData(image, 0, 0);
  return small;
}

// path: {data, shape: [S + 1, N, 8, 8]} ink in [0, 1]; a grid of the N digits at one frame;
// marks: per digit, true (read as the prompt), false (read as another digit) or null;
// cols: digits per row (a square grid by default).
export function drawDigits(canvas, { path, frame, marks, cols = Math.ceil(Math.sqrt(path.shape[1])) }) {
  const [, n, side] = path.shape;
  const cell = side + 1;
  const small = digitGrid(path.data.subarray(frame * n * side * side, (frame + 1) * n * side * side), n, side, cols);
  const { g, width, height } = prepareCanvas(canvas);
  g.fillStyle = planeBackground(canvas);
  g.fillRect(0, 0, width, height);
  g.imageSmoothingEnabled = false;
  const scale = Math.min(width / small.width, height / small.height);
  g.drawImage(small, 0, 0, small.width * scale, small.height * scale);
  if (!marks) return;
  g.lineWidth = 2;
  marks.forEach((ok, k) => {
    if (ok === null) return;
    g.strokeStyle = ok ? MATCH_COLOR : MISS_COLOR;
    g.strokeRect((k % cols) * cell * scale + 1, Math.floor(k / cols) * cell * scale + 1, side * scale - 2, side * scale - 2);
  });
}
