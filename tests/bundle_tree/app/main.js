// Every static import form, over several lines where it may be.
import {
  one,
  two as deux,
  later,
  bump,
} from "./core/values.js";
import * as values from "./core/values.js";
import greet from "./sections/hello/greet.js";
import Counter, { start } from "./sections/hello/counter.js";
import { again, add as plus, answer } from "./sections/hello/index.js";
import { shout } from "./sections/hello/deep/shout.js";
import "./core/side-effect.js";
import { PYTHON } from "./core/strings.js";

const before = later;
bump();
globalThis.result = {
  one, deux, plus: plus(2, 3), names: Object.keys(values).sort(),
  greet: greet("Ada"), again: again("Bo"), counter: new Counter().next(), start,
  shout: shout("hey"), answer, sideEffects: globalThis.sideEffects,
  live: [before, later, values.later], python: PYTHON.trim().split("\n"),
  meta: typeof import.meta.url,
};
