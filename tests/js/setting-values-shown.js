// For each setting in keys, the value every input or select bound to it shows: [[key, value]].
(keys) => keys.flatMap((k) => [...document.querySelectorAll(
    `input[data-param="${k}"], select[data-param="${k}"], input[data-setting="${k}"], select[data-setting="${k}"],
     input[data-controls~="${k}"], select[data-controls~="${k}"]`)].map((c) => [k, c.value]))
