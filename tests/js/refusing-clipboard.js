// Init script: a clipboard that refuses to be written, as a browser without the permission has.
Object.defineProperty(navigator, 'clipboard', {configurable: true,
    value: {writeText: () => Promise.reject(new Error('not allowed'))}});
