// The one way a control changes a setting: the value is checked as a link's value would be;
// one that cannot be used is named ("… is outside 0 to 10. Keeping 3.") and the controls show
// the kept value again; a good one is stored, shown, and the section redraws.
import { parseValue } from "./state.js";

// ctx: {ui, store, source (who changes it, for the store's listeners), show() (the controls
// from the store), redraw(), also(value) -> further changes stored with it, cut(problem): a
// value cut to fit (text too long) is stored and this says so}. Returns whether it was stored.
export function setSetting(key, raw, ctx) {
  const { ui, store, source, show = () => {}, redraw = () => {}, also = () => ({}) } = ctx;
  const { value, problem } = parseValue(key, raw);
  if (value === undefined) {
    ui.set("error", `${problem}. Keeping ${store.get(key)}.`);
    show();
    return false;
  }
  if (problem) (ctx.cut ?? ((why) => ui.set("error", `${why}.`)))(problem);
  store.set({ [key]: value, ...also(value) }, source);
  show();
  redraw();
  return true;
}

// Binds a control (data-param or data-setting names its key) to setSetting: a slider as it
// moves, any other control once changed.
export function bindSetting(control, ctx, key = control.dataset.param ?? control.dataset.setting) {
  control.addEventListener(control.type === "range" ? "input" : "change", () => setSetting(key, control.value, ctx));
}
