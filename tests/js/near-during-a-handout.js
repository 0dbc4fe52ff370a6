// whenNear and runAllNear (from the module at uiPath) on nodes far below the fold: which of the
// callbacks asked for before, during and after a handout's runAllNear() ... end() ran.
async (uiPath) => {
    const { whenNear, runAllNear } = await import(new URL(uiPath, document.baseURI).href);
    const far = () => {  // a node ten screens below the top: never near while the page is not scrolled
        const node = document.createElement('div');
        node.style.cssText = 'position:absolute; top:1000vh; height:10px; width:10px';
        document.body.append(node);
        return node;
    };
    const ran = [];
    whenNear(far(), () => ran.push('before'));
    const end = runAllNear();
    whenNear(far(), () => ran.push('during'));  // a section whose presets arrived after the click
    end();
    whenNear(far(), () => ran.push('after'));
    await new Promise((resolve) => setTimeout(resolve, 300));  // time for an observer to fire
    return ran;
}
