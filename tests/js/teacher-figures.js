// What the lesson itself shows, for each figure teacher.html quotes: button words, presets, the
// default context and its top probability (as the LLM section computed it), the quiz's size, the
// status line once ready, and the "mode collapse" preset as Python states it.
async () => {
    const text = (selector) => document.querySelector(selector).textContent.replace(/\s+/g, ' ').trim();
    const llm = '[data-widget="llm"]';
    const presets = [...document.querySelectorAll(`${llm} [data-preset]`)].map((b) => [b.dataset.preset, b.textContent.trim()]);
    const forms = [...document.querySelectorAll('form.quiz-q')];
    const { presets: gan } = await genlab.runtime.call('gan_presets', {});
    const collapse = gan.find((p) => p.name === 'mode collapse');
    return {
        ready: text('#runtime-label'),
        sample: text(`${llm} [data-role="sample100"]`),
        generate: text(`${llm} [data-role="generate"]`),
        draw: text('[data-widget="classify"] [data-role="new"]'),
        context: document.querySelector(`${llm} [data-role="context"]`).value,
        top: Math.max(...[...document.querySelectorAll(`${llm} .bars li[data-prob]`)].map((li) => Number(li.dataset.prob))),
        presets,
        scaleMax: Number(document.getElementById('ctl-digit_scale').max),
        questions: forms.length,
        quizSections: new Set(forms.map((f) => f.dataset.section)).size,
        sections: document.querySelectorAll('main > section.lesson').length,
        collapse: { ratio: collapse.settings.lr_g / collapse.settings.lr_d, sentence: collapse.sentence },
    };
}
