// The GAN player's loop (Trainer of the module at trainerPath) with a fake Python: the chunk asked for ahead fails (the run expired)
// while the loop waits for a frame that never comes (a hidden tab draws none). Gives how many
// training calls were made.
async (trainerPath) => {
  const { Trainer } = await import(new URL(trainerPath, document.baseURI).href);
  window.requestAnimationFrame = () => 0;
  let trains = 0;
  const expired = () => Object.assign(new Error('GAN run 1 is unknown or expired'), { name: 'RunExpiredError' });
  const chunk = { losses_d: { data: [0.7] }, losses_g: { data: [0.7] }, step: 1, diverged: false };
  const ui = {
    root: { dataset: {} }, set() {}, fail() {},
    call: (fn) => {
      if (fn === 'gan_start') return Promise.resolve({ run: 1, view: { step: 0, jsd: 0.5, modes: null } });
      if (fn === 'gan_view') return Promise.resolve({ step: 1, jsd: 0.5, modes: null });
      trains += 1;
      return trains === 1 ? Promise.resolve(chunk) : new Promise((_, reject) => setTimeout(() => reject(expired()), 50));
    },
  };
  const trainer = new Trainer({ ui, request: () => ({}), mode: () => 'both', budget: () => 10,
    onStart() {}, onFrame() {}, onPlaying() {}, onStale() {} });
  await trainer.play();
  await new Promise((resolve) => setTimeout(resolve, 500));
  return trains;
}
