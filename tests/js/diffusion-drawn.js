// True once the diffusion section has its photo, its plane of points and its digits, and the
// forward panel is ready.
() => {
    const d = window.genlab && genlab.widgets.diffusion;
    return d && d.picture && d.plane && d.digits
        && document.querySelector('[data-panel=forward]').dataset.state === 'ready';
}
