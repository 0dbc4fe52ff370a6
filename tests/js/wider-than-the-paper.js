// Elements of main (tag.class) that reach past the right edge of the window, laid out ones only.
() => [...document.querySelectorAll('main *')]
    .filter((el) => el.getBoundingClientRect().right > innerWidth + 1 && el.getClientRects().length)
    .map((el) => el.tagName + '.' + el.className)
