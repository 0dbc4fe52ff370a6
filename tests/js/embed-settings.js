// The settings a teacher may hide and lock on this page: settingsOf(document) of the embed module at path.
async (path) => (await import(new URL(path, document.baseURI).href)).settingsOf(document)
