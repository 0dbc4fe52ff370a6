// Says the same message n times through notify() of the ui module at uiPath.
async ([uiPath, text, kind, n]) => {
    const ui = await import(new URL(uiPath, document.baseURI).href);
    for (let i = 0; i < n; i++) ui.notify(text, kind);
}
