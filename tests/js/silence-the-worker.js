// The worker ends without a word (no error event, no reply) while a call waits: the page's watchdog
// gives up after stallMs.
(stallMs) => {
    genlab.runtime.stallMs = stallMs;
    genlab.runtime.worker.terminate();
    genlab.runtime.call('info', {}).catch(() => {});
}
