// Sets a control's value as a script would, then says so with an input event (a slider dragged there).
(control, value) => {
    control.value = String(value);
    control.dispatchEvent(new Event('input', {bubbles: true}));
}
