// The first five elements (tag.class) that reach past the right edge of the window, fixed ones aside.
() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && getComputedStyle(e).position !== 'fixed')
    .map((e) => e.tagName + '.' + e.className).slice(0, 5)
