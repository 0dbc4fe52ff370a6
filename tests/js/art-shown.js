// The picture on the canvas is the one the store asks for, and its neighbours are drawn.
() => {
  const a = genlab.widgets.art, s = genlab.store, root = document.querySelector('[data-widget=art]');
  const r = a.shown;
  return !!r && root.dataset.state === 'ready' && r.seed === s.get('art_seed') && r.size === Number(s.get('art_size'))
    && r.complexity === s.get('art_complexity') && r.symmetry === s.get('art_symmetry')
    && ['style', 'palette'].every((k) => s.get('art_' + k) === 'auto' || r[k] === s.get('art_' + k))
    && !!a.strip && a.strip.seeds.includes(r.seed);
}
