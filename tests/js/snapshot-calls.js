// A fixed set of calls, each reply reduced in the page to the SHA-256 of a canonical text of it:
// every number as JavaScript prints it, every array as its type, shape and bytes in hex.
// Run ids are counters of the page's own life, not results: they are left out.
async () => {
    const hex = (b) => [...new Uint8Array(b.buffer, b.byteOffset, b.byteLength)].map((x) => x.toString(16).padStart(2, '0')).join('');
    const canon = (x) => {
        if (ArrayBuffer.isView(x)) return `${x.constructor.name}:${hex(x)}`;
        if (Array.isArray(x)) return `[${x.map(canon).join(',')}]`;
        if (x && typeof x === 'object') return `{${Object.keys(x).sort().filter((k) => k !== 'run')
            .map((k) => `${JSON.stringify(k)}:${canon(x[k])}`).join(',')}}`;
        return JSON.stringify(x);
    };
    const digest = async (x) => hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canon(x)))));
    const call = (fn, args) => genlab.runtime.call(fn, args, 'snapshot-test');
    const out = {};
    out.llm_distribution = await digest(await call('llm_distribution', {context: 'the cat sat on the', temperature: 0.7, top_k: 8}));
    out.llm_generate = await digest(await call('llm_generate', {context: 'once upon a', temperature: 1.3, seed: 11, n_tokens: 10}));
    const gan = await call('gan_start', {settings: {seed: 5}, owner: 'diffusion-live'});
    out.gan_start = await digest(gan);
    out.gan_train = await digest(await call('gan_train', {run: gan.run, steps: 25}));
    out.diffusion_sample_2d = await digest(await call('diffusion_sample_2d', {prompt: 'spiral', steps: 12, seed: 9, n: 300}));
    out.art_render = await digest(await call('art_render', {seed: 2024, size: 128}));
    return out;
}
