import "../../core/side-effect.js";

export default function (name) {
  return `hi ${name}`;
}
