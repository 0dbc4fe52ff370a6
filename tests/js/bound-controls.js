// What the page shows for every control bound to a setting: a select's option values, an
// input's min and max (as the browser reads them).
() => [...document.querySelectorAll('[data-param], [data-setting]')].map((c) => ({
  key: c.dataset.param ?? c.dataset.setting, tag: c.tagName.toLowerCase(), type: c.type,
  options: c.tagName === 'SELECT' ? [...c.options].map((o) => o.value) : null,
  min: c.getAttribute('min'), max: c.getAttribute('max'),
}))
