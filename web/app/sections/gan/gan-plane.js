// The GAN's plane: the real points, the forger's points and map, the detective's verdict, and
// drawing a target of one's own (drag with a pointer, or arrow keys and Space).
import { GAN_SETTINGS } from "./gan-settings.js";
import { planeKeys } from "../../core/ui.js";
import { PLANE_EXTENT, PLANE_RANGE, planeAt } from "../../core/plane.js";
import { drawField, mapSpan } from "./gan-view.js";

export const MIN_DRAWN_POINTS = 8;
const DRAW_SPACING = 0.06; // plane units between painted points
const CURSOR_STEP = 0.1; // plane units per arrow key press
const DRAW_LIMIT = PLANE_RANGE - 0.05; // painted points stay this far inside the plane's edge
const MAX_DRAWN = GAN_SETTINGS.gan_points.maxPoints;

const pointsArray = (points) => ({ data: Float32Array.from(points.flat()), shape: [points.length, 2] });

// hooks: {ui, drawing: [[x, y]...], canDraw() -> bool, onDraw(points) -> bool (kept?)}
export class PlanePanel {
  constructor(root, hooks) {
    this.hooks = hooks;
    this.canvas = root.querySelector('[data-role="field"]');
    this.layers = Object.fromEntries([...root.querySelectorAll("[data-layer]")].map((box) => [box.dataset.layer, box.checked]));
    this.scene = { extent: [...PLANE_EXTENT] };
    this.drawing = hooks.drawing;
    this.showDrawing = false; // the drawn points stand in for the real ones (no run for them yet)
    this.cursor = null;
    for (const box of root.querySelectorAll("[data-layer]")) {
      box.addEventListener("change", () => { this.layers[box.dataset.layer] = box.checked; this.redraw(); });
    }
    this.listen();
  }

  // Drawing is possible (custom target): the plane takes keys and is a control, else a picture.
  setDrawable(on) {
    this.canvas.tabIndex = on ? 0 : -1;
    this.canvas.setAttribute("role", on ? "application" : "img");
    this.showDrawing = on && this.showDrawing;
  }

  // A run started: its real points (the data the divergence is measured against) and view.
  showRun(real, view) {
    this.showDrawing = false;
    this.scene = { ...this.scene, real, ...view };
    this.redraw();
  }

  showView(view) {
    this.scene = { ...this.scene, ...view };
    this.redraw();
  }

  // No run for what is on screen: the drawn points alone (or nothing), no forger yet.
  showStale(drawn) {
    this.showDrawing = drawn;
    this.scene = { extent: this.scene.extent, real: drawn ? null : this.scene.real };
    this.redraw();
  }

  redraw() {
    const real = this.showDrawing ? pointsArray(this.drawing) : this.scene.real;
    drawField(this.canvas, { ...this.scene, real, layers: this.layers, cursor: this.cursor });
  }

  // How far the forger's map spreads, in words (for the plane's text alternative).
  describeMap() {
    if (!this.scene.mesh || !this.layers.mesh) return "";
    const [w, h] = mapSpan(this.scene.mesh);
    const [x0, x1, y0, y1] = this.scene.extent;
    return ` The forger's map spans ${w.toFixed(1)} by ${h.toFixed(1)} of the plane's ${x1 - x0} by ${y1 - y0}.`;
  }

  setDrawing(points) {
    if (!this.hooks.onDraw(points)) return; // the drawing is locked
    this.drawing = points;
    this.showDrawing = true;
    this.redraw();
  }

  addPoint([x, y]) {
    const point = [x, y].map((v) => Math.max(-DRAW_LIMIT, Math.min(DRAW_LIMIT, v)));
    const near = this.drawing.some(([a, b]) => Math.hypot(a - point[0], b - point[1]) < DRAW_SPACING);
    // Stored to two decimals, as the link carries them.
    if (!near && this.drawing.length < MAX_DRAWN) this.setDrawing([...this.drawing, point.map((v) => Math.round(v * 100) / 100)]);
  }

  planeAt(event) {
    return planeAt(this.canvas, this.scene.extent, event);
  }

  listen() {
    const field = this.canvas;
    let dragging = false;
    field.addEventListener("pointerdown", (e) => {
      if (!this.hooks.canDraw()) return;
      dragging = true;
      field.setPointerCapture(e.pointerId);
      this.addPoint(this.planeAt(e));
    });
    field.addEventListener("pointermove", (e) => dragging && this.addPoint(this.planeAt(e)));
    field.addEventListener("pointerup", () => { dragging = false; });
    field.addEventListener("keydown", (e) => {
      if (!this.hooks.canDraw()) return;
      const moved = (c) => { this.cursor = c; this.redraw(); };
      this.cursor = planeKeys(e, this.cursor, CURSOR_STEP, DRAW_LIMIT, { moved, add: (p) => this.addPoint(p) }) ?? this.cursor;
    });
  }
}

export { MAX_DRAWN };
