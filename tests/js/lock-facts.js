// The settings table (PARAMS of the state module at statePath) and the settings a teacher may lock
// on this page (settingsOf(document).lock of the embed module at embedPath).
async ([statePath, embedPath]) => {
    const state = await import(new URL(statePath, document.baseURI).href);
    const embed = await import(new URL(embedPath, document.baseURI).href);
    return {params: state.PARAMS, lockable: embed.settingsOf(document).lock};
}
