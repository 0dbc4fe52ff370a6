// Section 1: the same labelled points, seen by a classifier and by a generator.
import { nextSeed } from "../../core/state.js";
import { bindSetting } from "../../core/controls.js";
import { WidgetState, coalesce, planeKeys } from "../../core/ui.js";
import { PLANE_EXTENT, PLANE_RANGE, clearPlane, drawCursor, drawDots, drawRaster, mix, planeAt, rgbOf } from "../../core/plane.js";

const KIND_COLORS = [[27, 158, 119], [123, 63, 160]]; // A teal, B purple (as the GAN's real and fake)
const KIND_NAMES = ["A", "B"];
const POINT_RADIUS = 3.2;
const CURSOR_STEP = 0.1;
const LIMIT = PLANE_RANGE - 0.05; // keep added points inside the plane
const N_NEW = 40;

const CURSOR_SIZE = 14; // css px
const CURSOR_COLOR = "#e08a1e";

const rgb = ([r, g, b], a = 1) => `rgba(${r}, ${g}, ${b}, ${a})`;

// The fit's picture (picture(fit, base) -> {grid, colorOf}), the points in their kinds' colours,
// the new points as rings, and the keyboard's cursor.
function drawKinds(canvas, { fit, points, fresh, cursor, picture }) {
  const { g, width, height, toPx, background } = clearPlane(canvas, fit ? fit.extent : PLANE_EXTENT);
  if (fit) {
    const { grid, colorOf } = picture(fit, rgbOf(background, [255, 255, 255]));
    drawRaster(g, grid, grid, colorOf, width, height);
  }
  for (const kind of [0, 1]) {
    drawDots(g, points.filter((p) => p[2] === kind).flatMap(([x, y]) => [x, y]), toPx, rgb(KIND_COLORS[kind]), POINT_RADIUS);
  }
  for (const [x, y, kind] of fresh) {
    const [px, py] = toPx(x, y);
    g.strokeStyle = rgb(KIND_COLORS[kind]);
    g.lineWidth = 1.6;
    g.beginPath();
    g.arc(px, py, POINT_RADIUS + 1, 0, 2 * Math.PI);
    g.stroke();
  }
  if (cursor) drawCursor(g, toPx, cursor, CURSOR_COLOR, CURSOR_SIZE);
}

// The classifier's answer p(B | x): teal where it says A, purple where it says B, pale near the border.
const boundaryPicture = (fit, base) => ({
  grid: fit.grid,
  colorOf: (i) => {
    const p = fit.boundary.data[i];
    return mix(base, KIND_COLORS[p >= 0.5 ? 1 : 0], Math.min(1, Math.abs(p - 0.5) * 2) * 0.45);
  },
});

// The generator's densities p(x | A) and p(x | B), each scaled to 1 at its peak.
const densityPicture = (fit, base) => ({
  grid: fit.grid,
  colorOf: (i) => {
    const a = fit.density.data[i];
    const b = fit.density.data[fit.grid * fit.grid + i];
    return mix(base, KIND_COLORS[b > a ? 1 : 0], Math.sqrt(Math.max(a, b)) * 0.5);
  },
});

// The fit in words, under each plane and as its text alternative.
function describeFit(root, fit) {
  const [a, b] = fit.counts;
  const right = fit.accuracy == null ? null : Math.round(fit.accuracy * (a + b));
  const classifier = right === null
    ? `Add points of both kinds: with only ${a ? "A" : "B"} there is no border to draw.`
    : `The border puts ${right} of the ${a + b} points on their own side.`;
  const parts = fit.mixtures.map((m) => `${KIND_NAMES[m.label]} as ${m.weights.length} Gaussian${m.weights.length > 1 ? "s" : ""} (EM: ${m.em_steps} steps)`);
  const counts = [0, 1].map((k) => fit.new_labels.filter((l) => l === k).length);
  const generator = `It models ${parts.join(" and ")}, and drew ${counts[0]} new A and ${counts[1]} new B points.`;
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  $("classifier-text").textContent = classifier;
  $("generator-text").textContent = generator;
  $("classifier").setAttribute("aria-label", `Classifier on ${a} A and ${b} B points. ${classifier}`);
  $("generator").setAttribute("aria-label", `Generator on ${a} A and ${b} B points. ${generator}`);
  root.dataset.accuracy = String(fit.accuracy);
}

// A click adds a point where it falls; keys move the cursor; leaving the plane hides it.
function listen(canvas, { addPoint, moved, keys }) {
  canvas.addEventListener("pointerdown", (e) => {
    const [x, y] = planeAt(canvas, PLANE_EXTENT, e);
    addPoint([Math.max(-LIMIT, Math.min(LIMIT, x)), Math.max(-LIMIT, Math.min(LIMIT, y))]);
  });
  canvas.addEventListener("keydown", keys);
  canvas.addEventListener("blur", () => moved(null));
}

// Both planes: the classifier's border and the generator's densities with its new points.
function redraw(root, { fit, points, cursor }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const fresh = fit ? fit.new_labels.map((k, i) => [fit.new.data[2 * i], fit.new.data[2 * i + 1], k]) : [];
  drawKinds($("classifier"), { fit, points, fresh: [], cursor, picture: boundaryPicture });
  drawKinds($("generator"), { fit, points, fresh, cursor, picture: densityPicture });
  root.dataset.points = String(points.length);
}

// The buttons: new points from the next seed, take the last point back, start over.
function wireButtons(root, { store, c, show, refit, startOver }) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  $("new").addEventListener("click", () => {
    store.set({ cls_seed: nextSeed(store.get("cls_seed")) }, "classify");
    refit();
  });
  $("undo").addEventListener("click", () => {
    if (c.points.length > 1) c.points.pop();
    show();
    refit();
  });
  $("reset").addEventListener("click", startOver);
}

export function classifySection(root, { runtime, store }) {
  const ui = new WidgetState(root, runtime);
  const c = { points: [], fit: null, cursor: null, started: false };
  const show = () => redraw(root, c);
  const kind = () => Number(root.querySelector('input[name="classify-kind"]:checked').value);

  const refit = coalesce(async () => {
    if (!ui.pythonUp || !c.points.length) return;
    try {
      c.fit = await ui.call("classify_fit", {
        points: c.points, components: Number(store.get("cls_k")), n_new: N_NEW, seed: store.get("cls_seed"),
      });
      describeFit(root, c.fit);
      ui.set("ready", "");
    } catch (err) {
      ui.fail(err);
    }
    show();
  });

  async function startOver() {
    try {
      c.points = (await ui.call("classify_start", { seed: 0 })).points;
      c.started = true;
      await refit();
    } catch (err) {
      ui.fail(err);
    }
  }

  function addPoint([x, y]) {
    if (!ui.pythonUp) return;
    c.points.push([Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000, kind()]);
    show();
    refit();
  }

  const moved = (cursor) => { c.cursor = cursor; show(); };
  const keys = (e) => { c.cursor = planeKeys(e, c.cursor, CURSOR_STEP, LIMIT, { moved, add: addPoint }) ?? c.cursor; };
  for (const role of ["classifier", "generator"]) listen(root.querySelector(`[data-role="${role}"]`), { addPoint, moved, keys });
  wireButtons(root, { store, c, show, refit, startOver });
  const k = root.querySelector('[data-param="cls_k"]');
  k.value = store.get("cls_k");
  bindSetting(k, { ui, store, source: "classify", show: () => { k.value = store.get("cls_k"); }, redraw: refit });
  runtime.addEventListener("state", ({ detail }) => {
    if (detail.state === "ready") (c.started ? refit : startOver)();
  });
  show();

  // For tests and hosts.
  return { addPoint, refit, startOver, get fit() { return c.fit; }, get points() { return c.points; } };
}
