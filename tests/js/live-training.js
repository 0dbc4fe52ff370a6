// The live training of §4 so far: [diffusion losses, GAN detective losses, first 25 diffusion
// losses, last 25, diffusion's clock, the GAN's clock, the last x of each curve].
() => {
    const l = genlab.widgets.diffusion.live;
    return [l.loss.values.length, l.ganD.values.length, l.loss.values.slice(0, 25), l.loss.values.slice(-25),
            l.clock.diffusion, l.clock.gan, l.loss.x.at(-1), l.ganD.x.at(-1)];
}
