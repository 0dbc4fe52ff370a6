export const one = 1;
const hidden = 2;
export { hidden as two };
export function add(a, b) { return a + b; }
export let later = 0;
export function bump() { later += 1; }
export class Box {}
export async function wait() {}
export function* count() { yield 1; }
