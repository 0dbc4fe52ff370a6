// One GAN training call that asks for budget ms: the budget the worker gave it.
async ([run, budget]) => {
  await genlab.runtime.call('gan_train', {run, steps: 2000, view: false, budget_ms: budget});
  return genlab.runtime.recent.at(-1).budget;
}
