// What the function `name` of the lesson's module at path gives for args.
async ([path, name, args]) => {
    const m = await import(new URL(path, document.baseURI).href);
    return m[name](...args);
}
