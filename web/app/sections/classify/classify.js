// Section 1: the same labelled points, seen by a classifier and by a generator.
import { nextSeed, parseValue } from "../../core/state.js";
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

export function mountClassify(root, runtime, store) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const ui = new WidgetState(root, runtime);
  const canvases = [$("classifier"), $("generator")];
  let points = [];
  let fit = null;
  let cursor = null;
  let started = false;

  const kind = () => Number(root.querySelector('input[name="classify-kind"]:checked').value);

  function redraw() {
    const fresh = fit ? fit.new_labels.map((k, i) => [fit.new.data[2 * i], fit.new.data[2 * i + 1], k]) : [];
    drawKinds(canvases[0], { fit, points, fresh: [], cursor, picture: boundaryPicture });
    drawKinds(canvases[1], { fit, points, fresh, cursor, picture: densityPicture });
    root.dataset.points = String(points.length);
  }

  function describe() {
    const [a, b] = fit.counts;
    const right = fit.accuracy == null ? null : Math.round(fit.accuracy * (a + b));
    const classifier = right === null
      ? `Add points of both kinds: with only ${a ? "A" : "B"} there is no border to draw.`
      : `The border puts ${right} of the ${a + b} points on their own side.`;
    const parts = fit.mixtures.map((m) => `${KIND_NAMES[m.label]} as ${m.weights.length} Gaussian${m.weights.length > 1 ? "s" : ""} (EM: ${m.em_steps} steps)`);
    const counts = [0, 1].map((k) => fit.new_labels.filter((l) => l === k).length);
    const generator = `It models ${parts.join(" and ")}, and drew ${counts[0]} new A and ${counts[1]} new B points.`;
    $("classifier-text").textContent = classifier;
    $("generator-text").textContent = generator;
    canvases[0].setAttribute("aria-label", `Classifier on ${a} A and ${b} B points. ${classifier}`);
    canvases[1].setAttribute("aria-label", `Generator on ${a} A and ${b} B points. ${generator}`);
    root.dataset.accuracy = String(fit.accuracy);
  }

  const refit = coalesce(async () => {
    if (!ui.pythonUp || !points.length) return;
    try {
      fit = await ui.call("classify_fit", {
        points, components: Number(store.get("cls_k")), n_new: N_NEW, seed: store.get("cls_seed"),
      });
      describe();
      ui.set("ready", "");
    } catch (err) {
      ui.fail(err);
    }
    redraw();
  });

  async function startOver() {
    try {
      points = (await ui.call("classify_start", { seed: 0 })).points;
      started = true;
      await refit();
    } catch (err) {
      ui.fail(err);
    }
  }

  function addPoint([x, y]) {
    if (!ui.pythonUp) return;
    points.push([Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000, kind()]);
    redraw();
    refit();
  }

  for (const canvas of canvases) {
    canvas.addEventListener("pointerdown", (e) => {
      const [x, y] = planeAt(canvas, PLANE_EXTENT, e);
      addPoint([Math.max(-LIMIT, Math.min(LIMIT, x)), Math.max(-LIMIT, Math.min(LIMIT, y))]);
    });
    canvas.addEventListener("keydown", (e) => {
      cursor = planeKeys(e, cursor, CURSOR_STEP, LIMIT, { moved: (c) => { cursor = c; redraw(); }, add: addPoint }) ?? cursor;
    });
    canvas.addEventListener("blur", () => { cursor = null; redraw(); });
  }

  $("new").addEventListener("click", () => {
    store.set({ cls_seed: nextSeed(store.get("cls_seed")) }, "classify");
    refit();
  });
  $("undo").addEventListener("click", () => {
    if (points.length > 1) points.pop();
    redraw();
    refit();
  });
  $("reset").addEventListener("click", startOver);
  const k = root.querySelector('[data-param="cls_k"]');
  k.value = store.get("cls_k");
  k.addEventListener("change", () => {
    const { value, problem } = parseValue("cls_k", k.value);
    if (problem) return ui.set("error", problem);
    store.set({ cls_k: value }, "classify");
    k.value = store.get("cls_k");
    refit();
  });

  runtime.addEventListener("state", ({ detail }) => {
    if (detail.state !== "ready") return;
    if (started) refit();
    else startOver();
  });
  redraw();

  // For tests and hosts.
  return { addPoint, refit, startOver, get fit() { return fit; }, get points() { return points; } };
}
