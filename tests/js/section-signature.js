// A fingerprint of what the learner sees of the section with this id: its text, a cheap checksum
// of each canvas, the settings (the store) and the link.
(id) => {
  const section = document.getElementById(id);
  const sums = [...section.querySelectorAll('canvas')].filter(c => c.width && c.height).map(c => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    for (let i = 0; i < d.length; i += 7) s = (s * 31 + d[i]) % 1000000007;
    return s;
  });
  return JSON.stringify([section.innerText, sums, genlab.store.values, location.search]);
}
