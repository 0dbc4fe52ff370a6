// The controls (matching selector) of the section with this id that are on screen, usable and
// were never used by the test: the start of their HTML.
([id, selector]) => [...document.getElementById(id).querySelectorAll(selector)]
    .filter((c) => !c.dataset.used && !c.closest('.embed-tools') && !c.readOnly && c.checkVisibility())
    .map((c) => c.outerHTML.slice(0, 120))
