// A WidgetState (from the module at uiPath) whose first call waits behind another section's while
// the widget says "loading", and whose other call then draws: what the status line says while the
// call waits, the WAITING text it should say, and the state and status once the call is answered.
async (uiPath) => {
    const { WidgetState, WAITING } = await import(new URL(uiPath, document.baseURI).href);
    const root = document.createElement('div');
    root.dataset.widget = 'probe';
    root.innerHTML = '<p data-role="status"></p>';
    let answer;
    const runtime = Object.assign(new EventTarget(), {
        busyElsewhere: () => true,  // another section's call is in flight: this one waits
        call: () => new Promise((resolve) => { answer = resolve; }),
    });
    const ui = new WidgetState(root, runtime);
    runtime.dispatchEvent(new CustomEvent('state', { detail: { state: 'ready' } }));
    const reply = ui.call('anything');  // made while the widget still says 'loading'
    ui.set('ready', 'Drawn.');  // another call of this widget finished first
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = root.querySelector('[data-role=status]').textContent;
    answer(1);
    await reply;
    return { during, waiting: WAITING, after: [root.dataset.state, root.querySelector('[data-role=status]').textContent] };
}
