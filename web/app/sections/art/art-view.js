// Drawing for the art section: pure functions from data to pixels.
// The art itself arrives as RGBA bytes made by numpy; it is copied into the canvas as it is.
import { inkGrey, isDark } from "../../core/digits.js";

const DIGIT_SIDE = 8;
const DIGIT_GAP = 1; // pixels between digits in a row

// image: {data: Uint8Array (H * W * 4), shape: [H, W, 4]} -> the canvas, at the image's own size.
export function drawArt(canvas, image) {
  const [height, width] = image.shape;
  if (canvas.width !== width || canvas.height !== height) Object.assign(canvas, { width, height });
  canvas.getContext("2d").putImageData(imageData(image.data, width, height), 0, 0);
}

// images: {data, shape: [K, S, S, 4]}; draws image k into canvas (S x S).
export function drawThumb(canvas, images, k) {
  const [, side] = images.shape;
  const bytes = side * side * 4;
  if (canvas.width !== side || canvas.height !== side) Object.assign(canvas, { width: side, height: side });
  const view = images.data.subarray(k * bytes, (k + 1) * bytes);
  canvas.getContext("2d").putImageData(imageData(view, side, side), 0, 0);
}

function imageData(bytes, width, height) {
  return new ImageData(new Uint8ClampedArray(bytes.buffer, bytes.byteOffset, bytes.length), width, height);
}

// The final frame of a digits sample {path: {data, shape: [S + 1, N, 8, 8]}}: N * 64 ink values.
export function finalDigits(sample) {
  const [frames, n, side] = sample.path.shape;
  const size = n * side * side;
  return sample.path.data.subarray((frames - 1) * size, frames * size);
}

// ink: N * 64 values in [0, 1] -> one row of N 8 x 8 digits, scaled up by css.
export function drawDigitRow(canvas, ink, n) {
  const width = n * (DIGIT_SIDE + DIGIT_GAP) - DIGIT_GAP;
  if (canvas.width !== width || canvas.height !== DIGIT_SIDE) Object.assign(canvas, { width, height: DIGIT_SIDE });
  const dark = isDark();
  const image = new ImageData(width, DIGIT_SIDE);
  image.data.fill(dark ? 29 : 255); // the gaps take the card's colour
  for (let k = 0; k < n; k++) {
    for (let p = 0; p < DIGIT_SIDE * DIGIT_SIDE; p++) {
      const v = inkGrey(ink[k * 64 + p], dark);
      const at = (Math.floor(p / DIGIT_SIDE) * width + k * (DIGIT_SIDE + DIGIT_GAP) + (p % DIGIT_SIDE)) * 4;
      image.data.set([v, v, v, 255], at);
    }
  }
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  canvas.getContext("2d").putImageData(image, 0, 0);
}
