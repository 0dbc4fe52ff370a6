// Small pieces the diffusion panels share: an animator of frames and a loss history that stays short.
import { prefersReducedMotion } from "../../core/ui.js";

const ANIMATION_MS = 1600; // one pass from static to sample
const HISTORY_MAX = 1500; // entries kept per curve; past that, every other one is dropped

// Steps through frames 0..last over ANIMATION_MS (or jumps to the end with reduced motion).
export function animator(show) {
  let token = 0;
  return {
    play(last) {
      const mine = ++token;
      if (prefersReducedMotion()) return show(last);
      const start = performance.now();
      const tick = (now) => {
        if (mine !== token) return;
        const frame = Math.min(last, Math.round(((now - start) / ANIMATION_MS) * last));
        show(frame);
        if (frame < last) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    },
    stop() { token++; },
  };
}

// Values with their x (training seconds), thinned to at most HISTORY_MAX entries.
export class LossHistory {
  x = [];
  values = [];

  // Adds values spread evenly over the interval (from, to].
  add(values, from, to) {
    const n = values.length;
    for (let i = 0; i < n; i++) {
      this.x.push(from + ((i + 1) / n) * (to - from));
      this.values.push(values[i]);
    }
    if (this.values.length > HISTORY_MAX) {
      this.x = this.x.filter((_, i) => i % 2 === 0);
      this.values = this.values.filter((_, i) => i % 2 === 0);
    }
  }

  get last() {
    return this.values.length ? this.values[this.values.length - 1] : NaN;
  }
}
