// True once every section of the lesson has drawn its first pictures and no widget or panel is
// busy or loading.
() => {
    const d = genlab.widgets.diffusion;
    return d.picture && d.plane && d.digits && genlab.widgets.steer.shown
        && [...document.querySelectorAll('[data-widget], [data-panel]')].every((w) => w.dataset.state !== 'busy' && w.dataset.state !== 'loading');
}
