// axe-core's WCAG 2 A and AA violations inside the element at selector: [{id, impact, help, nodes: [html]}].
async (selector) => {
    const result = await axe.run(selector, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                                          nodes: v.nodes.map((n) => n.html.slice(0, 160))}));
}
