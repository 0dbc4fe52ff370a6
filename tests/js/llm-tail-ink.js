// The share of the LLM section's whole-distribution chart (its tail canvas) that has ink on it.
() => {
    const c = document.querySelector('[data-widget=llm] [data-role=tail]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < d.length; i += 4) ink += d[i] > 0;
    return ink / (c.width * c.height);
}
