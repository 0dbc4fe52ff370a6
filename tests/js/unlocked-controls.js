// For each setting in keys, every enabled control that shows or changes it (its own, or one inside
// a part marked as affecting it): "key: start of its HTML".
(keys) => keys.flatMap((k) => [...document.querySelectorAll(
    `[data-param="${k}"], [data-setting="${k}"], [data-controls~="${k}"], [data-affects~="${k}"]`)]
    .flatMap((c) => c.matches('input, select, button, textarea') ? [c] : [...c.querySelectorAll('input, select, button, textarea')])
    .filter((c) => !c.disabled).map((c) => `${k}: ${c.outerHTML.slice(0, 100)}`))
