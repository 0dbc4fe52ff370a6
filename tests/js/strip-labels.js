// The art strip's buttons as a learner and a screen reader meet them: each button's accessible
// name, the seed text under its thumbnail, whether that text is cut off, and whether Python is ready.
() => ({
    ready: document.documentElement.dataset.runtime === 'ready',
    thumbs: [...document.querySelectorAll('[data-widget="art"] .thumb')].map((b) => {
        const seed = b.querySelector('.thumb-seed');
        return {name: b.getAttribute('aria-label'), text: seed.textContent,
                cut: seed.scrollWidth > seed.clientWidth + 1, width: seed.getBoundingClientRect().width};
    }),
})
