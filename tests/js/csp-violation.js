// The directive the page's Content-Security-Policy names when the page fetches from another origin.
() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective));
    fetch('http://localhost:9/x').catch(() => {});
})
