// The GAN's numbers: both losses, the grid divergence, the ring's mode counter and the speed.
import { drawChart } from "../../core/chart.js";

const SMOOTH = 0.05; // weight of each new loss value in the smoothed curve (raw values stay faint)
const LOG_RATIO = 30; // losses whose largest is this many times their smallest get a log scale

// Whether positive values span more than a decade and a half (an LSGAN loss can fall to 0.01).
export function spansDecades(...series) {
  const all = series.flat().filter(Number.isFinite);
  if (!all.length || Math.min(...all) <= 0) return false;
  return Math.max(...all) / Math.min(...all) >= LOG_RATIO;
}

// A pure view: the charts' specs from the histories (see gan-trainer.js).
export function lossChart(history) {
  const steps = history.d.steps();
  return {
    title: "GAN losses",
    series: [
      { label: "detective", values: history.d.values, x: steps, color: "--gan-real", smooth: SMOOTH },
      { label: "forger", values: history.g.values, x: steps, color: "--gan-fake", smooth: SMOOTH },
    ],
    x: { label: "step", min: 0 },
    y: { label: "loss", log: spansDecades(history.d.values, history.g.values) },
  };
}

export function divergenceChart(history) {
  return {
    title: "Grid divergence",
    series: [{ label: "divergence", values: history.jsd.values, x: history.jsd.steps, color: "--gan-quality" }],
    x: { label: "step", min: 0 },
    y: { label: "divergence (bits)", min: 0, max: 1 },
  };
}

// The rule of the mode counter in words, from Python's numbers (gan_presets().modes).
export function modeRule({ count, radius, share, fixed }) {
  const need = Math.ceil((share * fixed) / count);
  return `A mode counts as covered when at least ${need} of the forger's ${fixed.toLocaleString("en")} `
    + `points (a quarter of its fair share, ${fixed.toLocaleString("en")} ÷ ${count} = ${fixed / count}) `
    + `lie within ${radius} of its centre.`;
}

// The charts, the line of numbers and the mode counter. modeCount: the ring's modes (from Python).
export function chartsPanel(root) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  const panel = {
    modeCount: 8,
    setRule(modes) {
      panel.modeCount = modes.count;
      $("mode-rule").textContent = modeRule(modes);
    },
    // A new run, or none (no data for what is on screen): empty charts.
    clear(message) {
      const empty = { d: { values: [], steps: () => [] }, g: { values: [] }, jsd: { values: [], steps: [] } };
      drawChart($("losses"), lossChart(empty));
      drawChart($("quality"), divergenceChart(empty));
      $("stats").textContent = message;
      $("modes").textContent = "–";
      delete root.dataset.jsd;
      delete root.dataset.modes;
    },
    show: (history, view, rate) => showNumbers(root, history, view, rate, panel.modeCount),
  };
  return panel;
}

// history: the trainer's; step, jsd, modes: the latest view; rate: the trainer's speed or null.
function showNumbers(root, history, { step, jsd, modes }, rate, modeCount) {
  const $ = (role) => root.querySelector(`[data-role="${role}"]`);
  drawChart($("losses"), lossChart(history));
  drawChart($("quality"), divergenceChart(history));
  const speed = rate?.stepsPerS ? ` · ${Math.round(rate.stepsPerS)} steps/s · ${Math.round(rate.fps)} fps` : "";
  $("stats").textContent = `Step ${step.toLocaleString("en")} · divergence ${jsd.toFixed(3)}${speed}`;
  $("mode-counter").hidden = modes === null || modes === undefined;
  if (!$("mode-counter").hidden) {
    $("modes").textContent = `${modes} of ${modeCount}`;
    root.dataset.modes = String(modes);
  } else delete root.dataset.modes;
  root.dataset.step = String(step);
  root.dataset.jsd = String(jsd);
  if (rate?.stepsPerS) {
    root.dataset.stepsPerS = rate.stepsPerS.toFixed(1);
    root.dataset.fps = rate.fps.toFixed(1); // frames the page drew
    root.dataset.statesPerS = rate.statesPerS.toFixed(1); // frames Python sent
  }
}
