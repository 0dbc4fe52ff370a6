// Re-exports: everything of another module, a default under a name, a name renamed.
export * from "../../core/values.js";
export { default as again } from "./greet.js";
export { default as answer } from "./answer.js";
