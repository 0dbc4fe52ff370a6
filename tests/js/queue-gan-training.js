// Starts a GAN run and queues n training calls of budget ms each at once (window.training: their promise).
async ([n, budget]) => {
  const { run } = await genlab.runtime.call('gan_start', {owner: 'gan'});
  window.training = Promise.all(Array.from({length: n}, () =>
    genlab.runtime.call('gan_train', {run, steps: 2000, view: false, budget_ms: budget})));
  return true;
}
