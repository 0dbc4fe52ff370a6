import { start as first } from "./start.js";

export default class Counter {
  constructor() { this.value = first; }
  next() { this.value += 1; return this.value; }
}
export { first as start };
