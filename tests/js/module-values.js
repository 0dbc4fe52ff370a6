// The named exports of the lesson's module at path, as plain data (a JSON copy): {name: value}.
async ([path, names]) => {
    const m = await import(new URL(path, document.baseURI).href);
    return JSON.parse(JSON.stringify(Object.fromEntries(names.map((name) => [name, m[name]]))));
}
