// Every value the status bar takes, in order, from the moment the page is parsed.
document.addEventListener('DOMContentLoaded', () => {
    const bar = document.getElementById('runtime-progress');
    const label = document.getElementById('runtime-label');
    window.barValues = [bar.value];
    window.barLabels = [];
    new MutationObserver(() => window.barValues.push(bar.value)).observe(bar, {attributes: true, attributeFilter: ['value']});
    new MutationObserver(() => window.barLabels.push(label.textContent)).observe(label, {childList: true, characterData: true, subtree: true});
});
