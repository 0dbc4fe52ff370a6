// A fixed set of calls, one of each kind, as plain data (typed arrays as lists, run ids left out):
// two workers that compute alike give equal results.
async () => {
  const r = genlab.runtime;
  const plain = (x) => JSON.parse(JSON.stringify(x, (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : k === 'run' ? 'run' : v)));
  const { run } = await r.call('gan_start', {owner: 'gan', settings: {seed: 5, width: 16}});
  const live = (await r.call('diffusion_train_start', {shape: 'moons', seed: 2})).run;
  return plain([
    await r.call('llm_distribution', {context: 'the cat sat on the', temperature: 0.7, top_k: 5}),
    await r.call('llm_sample_many', {context: 'the cat', temperature: 1.3, seed: 9, n: 200}),
    await r.call('gan_train', {run, steps: 5, view: true}),
    await r.call('diffusion_train', {run: live, steps: 3}),
    await r.call('diffusion_sample_2d', {prompt: 'ring', scale: 1, steps: 5, seed: 4}),
    await r.call('art_render', {seed: 7, size: 48}),
  ]);
}
