// The colours of the legend swatches (10 x 4 px rectangles) that the diffusion view's
// drawSchedule paints for both schedules; takes the module's path, gives one colour per swatch.
async (viewPath) => {
    const view = await import(new URL(viewPath, document.baseURI).href);
    const canvas = document.createElement('canvas');
    canvas.className = 'chart';
    canvas.style.width = '300px';
    document.body.append(canvas);
    const g = canvas.getContext('2d');
    const swatches = [];
    const fillRect = g.fillRect.bind(g);
    g.fillRect = (x, y, w, h) => {
        if (w === 10 && h === 4) swatches.push(String(g.fillStyle));
        return fillRect(x, y, w, h);
    };
    const curve = (f) => ({data: Float32Array.from({length: 101}, (_, i) => f(i / 100))});
    const schedules = {linear: {beta: curve((u) => 0.02 * u), alpha_bar: curve((u) => 1 - u)},
                       cosine: {beta: curve((u) => 0.03 * u), alpha_bar: curve((u) => Math.cos(u * Math.PI / 2) ** 2)}};
    view.drawSchedule(canvas, schedules, 'linear', 30);
    canvas.remove();
    return swatches;
}
