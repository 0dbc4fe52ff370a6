// How many canvases on the page are laid out and have at least one painted pixel.
() => [...document.querySelectorAll('canvas')].filter((c) => {
    const box = c.getBoundingClientRect();
    if (box.width < 1 || box.height < 1 || !c.width || !c.height) return false;
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) return true;
    return false;
}).length
