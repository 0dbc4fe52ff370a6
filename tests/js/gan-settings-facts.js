// The GAN settings table (module at path) and the plane's extent (core/plane.js at planePath), and what the GAN widget's controls
// offer: each select's [value, label] options and each input's [min, max].
async ([path, planePath]) => {
    const m = await import(new URL(path, document.baseURI).href);
    const plane = await import(new URL(planePath, document.baseURI).href);
    const widget = document.querySelector('[data-widget=gan]');
    const selects = Object.fromEntries([...widget.querySelectorAll('select[data-setting]')].map(
        (s) => [s.dataset.setting, [...s.options].map((o) => [o.value, o.textContent])]));
    const inputs = Object.fromEntries([...widget.querySelectorAll('input[data-setting]')].map(
        (i) => [i.dataset.setting, [i.min, i.max]]));
    return {table: m.GAN_SETTINGS, extent: plane.PLANE_EXTENT, range: plane.PLANE_RANGE, selects, inputs};
}
