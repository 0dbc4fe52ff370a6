// The height in css px of each section of the lesson (main > section.lesson) as now laid out,
// with its h2's text: under print media at the paper's width, what each section needs on paper.
() => [...document.querySelectorAll('main > section.lesson')].map((s) => ({
    title: s.querySelector('h2').textContent.replace(/\s+/g, ' ').trim(),
    height: s.getBoundingClientRect().height,
}))
