// At this frame of the reverse plane's scrubber: the marks of the tracked points' paths (diffusion-view's
// planeMarks, module at viewPath; projection from core/plane.js at planePath), each with its position in CSS pixels and the colour drawn there;
// the plane's extent and the paths' colours.
async ([viewPath, planePath, frame]) => {
    const view = await import(new URL(viewPath, document.baseURI).href);
    const { projection } = await import(new URL(planePath, document.baseURI).href);
    const plane = genlab.widgets.diffusion.plane;
    const presets = await genlab.runtime.call('diffusion_presets', {});
    const marks = view.planeMarks({path: plane.path, guesses: plane.guesses, frame, extent: presets.extent});
    const c = document.querySelector('[data-role=plane]');
    const {toPx} = projection(presets.extent, c.clientWidth, c.clientHeight);
    const g = c.getContext('2d');
    const ratio = c.width / c.clientWidth;
    const pixel = ([x, y]) => Array.from(g.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data);
    return {extent: presets.extent, colors: view.PATH_COLORS, marks: marks.map((m) => ({
        ...m, px: toPx(...m.now), pixel: pixel(toPx(...m.now)) }))};
}
