// Records every text the element at selector shows from now on, in window[name] (a list).
([selector, name]) => {
    const seen = window[name] = [];
    const element = document.querySelector(selector);
    new MutationObserver(() => seen.push(element.textContent))
        .observe(element, {childList: true, characterData: true, subtree: true});
}
