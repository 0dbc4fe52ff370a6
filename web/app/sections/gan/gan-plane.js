// The GAN's plane: the real points, the forger's points and map, the detective's verdict, and
// drawing a target of one's own (drag with a pointer, or arrow keys and Space).
import { GAN_SETTINGS } from "./gan-settings.js";
import { planeKeys } from "../../core/ui.js";
import { PLANE_EXTENT, PLANE_RANGE, planeAt } from "../../core/plane.js";
import { blendScene, drawField, mapSpan } from "./gan-view.js";

export const MIN_DRAWN_POINTS = 8;
const DRAW_SPACING = 0.06; // plane units between painted points
const CURSOR_STEP = 0.1; // plane units per arrow key press
const DRAW_LIMIT = PLANE_RANGE - 0.05; // painted points stay this far inside the plane's edge
const MAX_DRAWN = GAN_SETTINGS.gan_points.maxPoints;
// While training, each frame from Python is eased into over about the time between two of them
// (this average, within these bounds), so the page draws at the display's rate, not Python's.
const GAP_WEIGHT = 0.3; // weight of the newest gap in the running average
const GAP_MS = [16, 250];

const pointsArray = (points) => ({ data: Float32Array.from(points.flat()), shape: [points.length, 2] });

// Eases the plane from what it shows to each new frame, one animation frame at a time.
// paint(scene) draws a scene; onDrawn() is told of every frame drawn.
function easing(paint, onDrawn) {
  let move = null; // {from, to, t0, ms}
  let shown = null; // the scene drawn last
  let last = null; // when the last frame came
  let gap = 50; // ms between frames, running average
  let asked = false; // an animation frame is asked for (never two at once)
  const ask = () => {
    if (!asked) requestAnimationFrame(tick);
    asked = true;
  };
  const tick = (now) => {
    asked = false;
    if (!move) return;
    const a = Math.max(0, Math.min(1, (now - move.t0) / move.ms));
    shown = blendScene(move.from, move.to, a);
    paint(shown);
    onDrawn?.();
    if (a < 1) ask();
    else move = null;
  };
  return {
    to(scene) {
      const now = performance.now();
      if (last !== null) gap = Math.min(GAP_MS[1], Math.max(GAP_MS[0], (1 - GAP_WEIGHT) * gap + GAP_WEIGHT * (now - last)));
      last = now;
      move = { from: shown, to: scene, t0: now, ms: gap };
      ask();
    },
    // Drawn at once: no easing now, and the next frame from Python starts a new average.
    stop(scene) { move = null; last = null; shown = scene; paint(scene); },
    get moving() { return move !== null; },
  };
}

// hooks: {drawing: [[x, y]...], canDraw() -> bool, onDraw(points) -> bool (kept?), onDrawn()}
export function planePanel(root, hooks) {
  const canvas = root.querySelector('[data-role="field"]');
  const layers = Object.fromEntries([...root.querySelectorAll("[data-layer]")].map((box) => [box.dataset.layer, box.checked]));
  let drawing = hooks.drawing;
  let showDrawing = false; // the drawn points stand in for the real ones (no run for them yet)
  let cursor = null;
  const motion = easing((scene) => {
    drawField(canvas, { ...scene, real: showDrawing ? pointsArray(drawing) : scene.real, layers, cursor });
  }, hooks.onDrawn);
  const plane = {
    canvas,
    scene: { extent: [...PLANE_EXTENT] }, // the latest frame from Python (the one drawn once eased in)
    redraw() {
      if (!motion.moving) motion.stop(plane.scene); // else the next animation frame draws it
    },
    easeTo(view) { motion.to(plane.scene = { ...plane.scene, ...view }); }, // a frame while training
    showView(view) { motion.stop(plane.scene = { ...plane.scene, ...view }); }, // drawn at once
    // Drawing is possible (custom target): the plane takes keys and is a control, else a picture.
    setDrawable(on) {
      canvas.tabIndex = on ? 0 : -1;
      canvas.setAttribute("role", on ? "application" : "img");
      showDrawing = on && showDrawing;
    },
    // A run started: its real points (the data the divergence is measured against) and view.
    showRun(real, view) {
      showDrawing = false;
      plane.showView({ real, ...view });
    },
    // No run for what is on screen: the drawn points alone (or nothing), no forger yet.
    showStale(drawn) {
      showDrawing = drawn;
      plane.scene = { extent: plane.scene.extent, real: drawn ? null : plane.scene.real };
      motion.stop(plane.scene);
    },
    describeMap: () => describeMap(plane.scene, layers),
    setDrawing(points) {
      if (!hooks.onDraw(points)) return; // the drawing is locked
      drawing = points;
      showDrawing = true;
      plane.redraw();
    },
  };
  for (const box of root.querySelectorAll("[data-layer]")) {
    box.addEventListener("change", () => { layers[box.dataset.layer] = box.checked; plane.redraw(); });
  }
  const addPoint = (point) => {
    const kept = withPoint(drawing, point);
    if (kept !== drawing) plane.setDrawing(kept);
  };
  listen(canvas, hooks, {
    at: (e) => planeAt(canvas, plane.scene.extent, e), addPoint,
    cursor: () => cursor, setCursor: (c) => { cursor = c; }, moved: (c) => { cursor = c; plane.redraw(); },
  });
  return plane;
}

// How far the forger's map spreads, in words (for the plane's text alternative).
function describeMap(scene, layers) {
  if (!scene.mesh || !layers.mesh) return "";
  const [w, h] = mapSpan(scene.mesh);
  const [x0, x1, y0, y1] = scene.extent;
  return ` The forger's map spans ${w.toFixed(1)} by ${h.toFixed(1)} of the plane's ${x1 - x0} by ${y1 - y0}.`;
}

// The drawing with a point added (kept inside the plane, two decimals as the link carries them),
// or the same drawing when the point is too near another or the drawing is full.
function withPoint(drawing, [x, y]) {
  const point = [x, y].map((v) => Math.max(-DRAW_LIMIT, Math.min(DRAW_LIMIT, v)));
  const near = drawing.some(([a, b]) => Math.hypot(a - point[0], b - point[1]) < DRAW_SPACING);
  return near || drawing.length >= MAX_DRAWN ? drawing : [...drawing, point.map((v) => Math.round(v * 100) / 100)];
}

// Drawing with a pointer (drag) or the keyboard (arrows move the cursor, Space adds).
function listen(field, hooks, { at, addPoint, cursor, setCursor, moved }) {
  let dragging = false;
  field.addEventListener("pointerdown", (e) => {
    if (!hooks.canDraw()) return;
    dragging = true;
    field.setPointerCapture(e.pointerId);
    addPoint(at(e));
  });
  field.addEventListener("pointermove", (e) => dragging && addPoint(at(e)));
  field.addEventListener("pointerup", () => { dragging = false; });
  field.addEventListener("keydown", (e) => {
    if (!hooks.canDraw()) return;
    const next = planeKeys(e, cursor(), CURSOR_STEP, DRAW_LIMIT, { moved, add: addPoint });
    if (next) setCursor(next);
  });
}
