// A call whose arguments hold a function, which cannot be sent to the worker: the error's name (null if none).
async () => {
    try {
        await genlab.runtime.call('llm_distribution', {context: 'a', temperature: 1, f: () => 1});
        return null;
    } catch (err) {
        return err.name;
    }
}
