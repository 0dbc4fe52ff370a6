// The element that has keyboard focus: its tag, what it is (data-role, data-param, data-digit,
// name or id), the widget it sits in and its accessible name as a screen reader would read it.
() => {
    const e = document.activeElement;
    // A form control is named by aria-label or a label of its own (not by its value);
    // buttons and links by their text.
    const field = ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName);
    const byId = e.getAttribute('aria-labelledby') && document.getElementById(e.getAttribute('aria-labelledby'));
    const name = e.getAttribute('aria-label') || (byId && byId.textContent)
        || (e.labels && [...e.labels].map((l) => l.textContent).join(' '))
        || (field ? '' : e.textContent) || '';
    return {tag: e.tagName, role: e.dataset.role || e.dataset.param || e.dataset.digit || e.name || e.id || '',
            widget: (e.closest('[data-widget]') || {dataset: {}}).dataset.widget || '', name: name.trim()};
}
