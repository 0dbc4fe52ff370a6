// The option values of every select[data-param] inside root (a selector): {param: [value]}.
(root) => Object.fromEntries([...document.querySelectorAll(`${root} select`)]
    .map((s) => [s.dataset.param, [...s.options].map((o) => o.value)]))
