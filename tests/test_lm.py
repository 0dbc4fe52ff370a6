"""Tests for genlab.lm: tokenizer, vocabulary, the network, training, the shipped model."""

import math

import numpy as np
import pytest

from genlab import lm
from genlab.sampling import softmax_t, top_k

TINY = lm.LMConfig(n_ctx=3, d_emb=4, d_hidden=6)
WEATHER = {
    "sunny", "cloudy", "cold", "warm", "hot", "rainy", "windy", "foggy", "grey", "wet",
    "dry", "snowy", "icy", "misty", "mild", "chilly", "freezing", "frosty", "bright",
    "clear", "stormy", "humid", "damp", "cool", "showery", "overcast", "breezy", "dull",
    "gloomy",
}


def tiny_model(vocab_size: int = 11, seed: int = 0) -> lm.TinyLM:
    """A random untrained model whose words are w2, w3, ... (ids 0, 1 are specials)."""
    vocab = lm.Vocab([f"w{i}" for i in range(vocab_size - 2)])
    params = lm.init_params(TINY, vocab_size, np.random.default_rng(seed))
    return lm.TinyLM(TINY, vocab, params)


@pytest.fixture(scope="module")
def shipped() -> lm.TinyLM:
    return lm.load_default()


# ---------------------------------------------------------------- text


def test_tokenize_lowercases_and_splits_punctuation():
    assert lm.tokenize("The weather's GREAT, isn't it?!") == [
        "the", "weather", "'", "s", "great", ",", "isn", "'", "t", "it", "?", "!"
    ]
    assert lm.tokenize("  the  weather\ttoday is.") == ["the", "weather", "today", "is", "."]


def test_detokenize_glues_punctuation():
    assert lm.detokenize(["it", "'", "s", "sunny", ",", "isn", "'", "t", "it", "?"]) == (
        "it's sunny, isn't it?"
    )


def test_vocab_puts_specials_first_and_sorts_words():
    v = lm.Vocab.from_sentences([["b", "a", "c"], ["a", "b"]], min_count=2)
    assert v.itos == ["<bos>", "<unk>", "a", "b"]
    assert (v.bos_id, v.unk_id, len(v)) == (0, 1, 4)


def test_encode_flags_out_of_vocabulary_words(shipped):
    ids, unknown = shipped.encode("The weather today is flibbertigibbet")
    assert unknown.tolist() == [False, False, False, False, True]
    assert ids[-1] == shipped.vocab.unk_id
    assert shipped.vocab.decode(ids[:4]) == ["the", "weather", "today", "is"]
    assert ids.dtype == np.int64 and unknown.dtype == bool


def test_make_examples_known_answer():
    """Sentences [5, 6] and [7], N = 2, <bos> = 0, <unk> = 1.

    From a <bos> start: (0 0 -> 5), (0 5 -> 6), (0 0 -> 7). Across the
    sentence break, 7 is also predicted from the end of [5, 6]: (5 6 -> 7).
    A target of <unk> (1) is dropped.
    """
    X, Y = lm.make_examples([[5, 6], [7, 1]], n_ctx=2, bos_id=0, unk_id=1)
    assert X.tolist() == [[0, 0], [0, 5], [0, 0], [5, 6]]
    assert Y.tolist() == [5, 6, 7, 7]
    X, Y = lm.make_examples([[5, 6], [7]], 2, 0, 1, cross_sentence=False)
    assert Y.tolist() == [5, 6, 7]


# ---------------------------------------------------------------- network


def test_shapes_for_a_batch_and_for_one_context():
    model = tiny_model(vocab_size=11)
    p = model.params
    V, N, E, H = 11, TINY.n_ctx, TINY.d_emb, TINY.d_hidden
    assert p["C"].shape == (V, E) and p["W1"].shape == (N * E, H) and p["b1"].shape == (H,)
    assert p["W2"].shape == (H, V) and p["b2"].shape == (V,)
    X = np.random.default_rng(1).integers(0, V, size=(5, N))
    logits, cache = lm.forward(p, X)
    assert logits.shape == (5, V) and cache["e"].shape == (5, N * E) and cache["h"].shape == (5, H)
    one = model.logits(X[2])
    assert one.shape == (V,) and one.dtype == np.float64
    np.testing.assert_allclose(one, logits[2], rtol=1e-12)


def test_context_keeps_the_last_n_ids_and_pads_with_bos():
    model = tiny_model()
    assert model.context([]).tolist() == [0, 0, 0]
    assert model.context([5]).tolist() == [0, 0, 5]
    assert model.context([2, 3, 4, 5, 6]).tolist() == [4, 5, 6]
    np.testing.assert_array_equal(model.logits([9, 9, 4, 5, 6]), model.logits([4, 5, 6]))
    assert not np.array_equal(model.logits([4, 5, 6]), model.logits([5, 6]))
    with pytest.raises(ValueError):
        model.logits([3, 11])


@pytest.mark.parametrize("seed", [0, 1])
def test_gradient_check_every_parameter(seed):
    """Backward agrees with central differences (L(w+h) - L(w-h)) / 2h on every weight.

    The batch repeats ids inside and across contexts, so the embedding
    gradient must add up repeated rows, not overwrite them.
    """
    model = tiny_model(seed=seed)
    rng = np.random.default_rng(100 + seed)
    X = np.vstack([[3, 3, 7], [7, 2, 3], rng.integers(0, 11, size=(6, TINY.n_ctx))])
    Y = rng.integers(0, 11, size=len(X))
    params = model.params
    _, grads = lm.loss_and_grads(params, X, Y)
    h = 1e-6
    for name, w in params.items():
        numeric = np.zeros_like(w)
        for i in np.ndindex(w.shape):
            old = w[i]
            w[i] = old + h
            up = lm.loss_and_grads(params, X, Y)[0]
            w[i] = old - h
            down = lm.loss_and_grads(params, X, Y)[0]
            w[i] = old
            numeric[i] = (up - down) / (2 * h)
        err = np.abs(grads[name] - numeric).max() / max(1e-8, np.abs(numeric).max())
        assert err < 1e-6, f"{name}: relative error {err:.2e}"


def test_adam_moves_toward_the_minimum():
    """Minimising (w - 3)^2 from w = 0: Adam's first step is lr in size, then it settles."""
    params = {"w": np.zeros(1)}
    opt = lm.Adam(params)
    opt.step({"w": 2 * (params["w"] - 3)}, lr=0.1)
    assert params["w"][0] == pytest.approx(0.1, rel=1e-6)
    for _ in range(500):
        opt.step({"w": 2 * (params["w"] - 3)}, lr=0.1)
    assert params["w"][0] == pytest.approx(3.0, abs=0.05)


# ---------------------------------------------------------------- generation


def test_generate_same_seed_same_tokens_different_seed_different():
    model = tiny_model(vocab_size=30)

    def run(seed):
        return [s.token for s in lm.generate(model, [4, 5], 1.5, np.random.default_rng(seed), 25)]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_generate_steps_show_the_four_step_loop():
    model = tiny_model(vocab_size=30)
    steps = lm.generate(model, [4, 5], 0.7, np.random.default_rng(0), 6)
    ids = [4, 5]
    for s in steps:
        np.testing.assert_array_equal(s.context, model.context(ids))  # what it read
        np.testing.assert_allclose(s.logits, model.logits(ids))  # 1. score
        np.testing.assert_allclose(s.probs, lm.filter_probs(s.logits, 0.7, banned=model.special_ids)[0])  # 2.
        assert s.probs[s.token] > 0  # 3. sampled a possible word
        ids.append(s.token)  # 4. append
    assert len(steps) == 6


def test_generate_at_zero_temperature_is_greedy():
    model = tiny_model(vocab_size=30)
    for s in lm.generate(model, [], 0.0, np.random.default_rng(0), 8):
        assert s.token == int(np.argmax(s.logits))


# ---------------------------------------------------------------- save / load


def test_save_load_round_trip(tmp_path):
    model = tiny_model()
    model.meta = {"seed": 5, "final_loss": 1.25, "corpus_sha256": "ab" * 32}
    model.save(tmp_path / "m.npz")
    back = lm.TinyLM.load(tmp_path / "m.npz")
    assert back.config == model.config and back.vocab.itos == model.vocab.itos
    assert back.meta == model.meta
    for k in lm.PARAM_NAMES:  # float32 on disk
        np.testing.assert_allclose(back.params[k], model.params[k], rtol=1e-6, atol=1e-7)
    with np.load(tmp_path / "m.npz", allow_pickle=False) as z:
        assert int(z["seed"]) == 5 and str(z["corpus_sha256"]) == "ab" * 32


# ---------------------------------------------------------------- the shipped model


def test_load_default_is_cached(shipped):
    assert lm.load_default() is shipped


def test_shipped_vocab_has_at_least_500_real_words(shipped):
    real = [w for w in shipped.vocab.itos if w.isalpha()]
    assert len(real) >= 500
    assert shipped.vocab.itos[:2] == ["<bos>", "<unk>"]


def test_shipped_model_continues_the_weather_with_weather_words(shipped):
    ids, unknown = shipped.encode("The weather today is")
    assert not unknown.any()
    p = softmax_t(shipped.logits(ids), 1.0)
    top = shipped.vocab.decode(top_k(p, 10))
    assert top[0] in WEATHER, top
    assert len(WEATHER.intersection(top)) >= 3, top


def test_shipped_weights_were_learned_from_this_corpus(shipped):
    assert shipped.meta["corpus_sha256"] == lm.file_sha256(lm.CORPUS)
    with np.load(lm.DEFAULT_WEIGHTS, allow_pickle=False) as z:
        assert str(z["corpus_sha256"]) == lm.file_sha256(lm.CORPUS)
        assert float(z["final_loss"]) < 0.5 * math.log(len(shipped.vocab))
        assert int(z["seed"]) == shipped.meta["seed"]


def test_short_training_run_learns_and_is_bit_identical():
    """300 steps on 400 corpus sentences: the loss falls far below log V, the
    loss of a uniform guess, and the same seed gives the same bytes."""
    sentences = lm.read_corpus()[:400]
    cfg = lm.LMConfig(n_ctx=3, d_emb=8, d_hidden=32)
    tcfg = lm.TrainConfig(epochs=100, batch_size=64, lr=1e-2, min_count=1, max_steps=300)
    a = lm.fit(sentences, cfg, tcfg, seed=0)
    b = lm.fit(sentences, cfg, tcfg, seed=0)
    c = lm.fit(sentences, cfg, tcfg, seed=1)
    assert a.meta["steps"] == 300
    assert a.meta["final_loss"] < 0.6 * math.log(len(a.vocab))
    assert a.meta["final_loss"] == b.meta["final_loss"]
    for k in lm.PARAM_NAMES:
        assert a.params[k].tobytes() == b.params[k].tobytes(), k
    assert not np.array_equal(a.params["W2"], c.params["W2"])
