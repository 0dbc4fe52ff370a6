// The next control (matching selector) of the section with this id that the test has not used yet:
// visible, enabled, not in the Embed tools; marked as used, and described for the test (null when
// none is left). Canvases that take pointer and keys (role=application) count as controls.
([id, selector]) => {
    const section = document.getElementById(id);
    const usable = (c) => c.checkVisibility({visibilityProperty: true}) && !c.disabled && !c.readOnly
        && !c.closest('.embed-tools');
    const all = [...section.querySelectorAll(selector)];
    const next = all.find((c) => !c.dataset.used && usable(c)
        && !(c.tagName === 'SELECT' && ![...c.options].some((o) => !o.disabled && !o.selected)));
    if (!next) return null;
    next.dataset.used = String(all.indexOf(next));
    // A row of like buttons (digits, neighbouring seeds): the first and the last stand for the rest.
    const row = [...next.parentElement.children].filter((c) => c.tagName === 'BUTTON');
    if (next.tagName === 'BUTTON' && row.length >= 5 && next === row[0]) row.slice(1, -1).forEach((b) => { b.dataset.used = 'row'; });
    return {index: all.indexOf(next), tag: next.tagName.toLowerCase(), type: next.type || '',
            role: next.dataset.role || '', name: next.name || '',
            text: (next.closest('label')?.textContent || next.textContent || next.getAttribute('aria-label') || '').trim().slice(0, 40),
            value: next.value ?? '', min: next.min ?? '', max: next.max ?? '', step: next.step ?? ''};
}
