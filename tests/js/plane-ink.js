// The share of a plane canvas's pixels that are not near-white (points and paths drawn on it).
(c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200) ink++;
    return ink / (d.length / 4);
}
