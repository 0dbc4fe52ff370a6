"""Tests for genlab.lm (the networks, training, measuring, generation) and the llm_* API."""

import math
from dataclasses import asdict

import numpy as np
import pytest

from genlab import api, bpe, lm
from tests.gradcheck import assert_close, numeric_grad

TEXT = ("The cat sat on the mat. The dog sat on the log. A cat and a dog. "
        "The weather today is sunny. The weather today is cold and wet.\n") * 4
TOK = bpe.train(TEXT, 300)  # 299 bytes and merges, then <bos>
TINY = {
    "transformer": lm.LMConfig(arch="transformer", vocab_size=len(TOK), n_ctx=6, d_model=8,
                               n_head=2, n_layer=2, d_ff=12),
    "mlp": lm.LMConfig(arch="mlp", vocab_size=len(TOK), n_prev=3, d_emb=4, d_hidden=10, d_model=6),
}
ARCHS = sorted(TINY)


def tiny_model(arch: str, seed: int = 0, dtype=np.float32) -> lm.TinyLM:
    """A random untrained model; weights shaken so that no layer starts near its symmetric point."""
    rng = np.random.default_rng(seed)
    params = lm.init_params(TINY[arch], rng)
    params = {k: (v + rng.standard_normal(v.shape) * 0.3).astype(dtype) for k, v in params.items()}
    return lm.TinyLM(TINY[arch], TOK, params)


@pytest.fixture(scope="module")
def shipped() -> lm.TinyLM:
    return lm.load_default()


# ---------------------------------------------------------------- the networks


@pytest.mark.parametrize("arch", ARCHS)
def test_gradient_check_of_the_whole_model(arch):
    """Backward agrees with central differences on every weight of the whole network.

    The batch repeats ids inside and across rows, so embedding gradients must
    add up repeated rows (the transformer also reuses E for its output).
    """
    model = tiny_model(arch, dtype=np.float64)
    cfg, rng = model.config, np.random.default_rng(7)
    width = cfg.n_ctx if arch == "transformer" else cfg.n_prev
    X = rng.integers(0, len(TOK), (3, width))
    X[0, :2] = X[1, -1] = 5
    Y = rng.integers(0, len(TOK), X.shape if arch == "transformer" else 3)
    _, grads = lm.loss_and_grads(model.params, cfg, X, Y)
    assert set(grads) == set(model.params)
    for name, w in model.params.items():
        numeric = numeric_grad(lambda: lm.loss_and_grads(model.params, cfg, X, Y)[0], w)
        assert_close(grads[name], numeric, f"{arch} {name}")


def test_transformer_is_causal_and_last_only_matches_the_full_pass():
    model = tiny_model("transformer")
    X = np.array([[3, 70, 80, 90, 100, 110]])
    full, _ = lm.forward(model.params, model.config, X)  # (1, 6, V)
    X2 = X.copy()
    X2[0, 4] = 7
    changed, _ = lm.forward(model.params, model.config, X2)
    np.testing.assert_allclose(changed[0, :4], full[0, :4], rtol=1e-6)  # earlier positions unmoved
    assert not np.allclose(changed[0, 4:], full[0, 4:])
    last, _ = lm.forward(model.params, model.config, X, last_only=True)
    np.testing.assert_allclose(last[0], full[0, -1], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("arch", ARCHS)
def test_window_is_bos_then_the_last_tokens(arch):
    model = tiny_model(arch)
    bos, n = model.bos_id, model.n_ctx
    if arch == "transformer":
        assert model.window([]).tolist() == [bos]
        assert model.window([4, 5]).tolist() == [bos, 4, 5]
        assert model.window(list(range(10, 20))).tolist() == list(range(20 - n, 20))
    else:
        assert model.window([]).tolist() == [bos] * n
        assert model.window([4]).tolist() == [bos] * (n - 1) + [4]
        assert model.window([4, 5, 6, 7]).tolist() == [5, 6, 7]
    np.testing.assert_array_equal(model.logits([9] * 20 + [4, 5, 6, 7, 8, 9]),
                                  model.logits([1] * 20 + [4, 5, 6, 7, 8, 9]))  # past the window
    assert model.logits([4, 5]).shape == (len(TOK),) and model.logits([]).dtype == np.float64
    with pytest.raises(ValueError, match="token ids must be in"):
        model.logits([3, len(TOK)])


def test_attention_is_the_last_positions_softmax_of_the_same_pass():
    """logits_and_attention gives logits() and, per layer and head, weights over the window that
    add up to 1; layer 1's equal softmax(q . k / sqrt(hd)) worked out here from the weights, for
    a short context (<bos> in the window) and one past the window."""
    model = tiny_model("transformer")
    cfg, p = model.config, model.params
    hd = cfg.d_model // cfg.n_head
    for ids in ([40, 50, 60], list(range(30, 45))):
        logits, att = model.logits_and_attention(ids)
        window = model.window(ids)
        assert att.shape == (cfg.n_layer, cfg.n_head, len(window))
        np.testing.assert_allclose(logits, model.logits(ids), rtol=1e-6)
        np.testing.assert_allclose(att.sum(axis=-1), 1.0, atol=1e-6)
        x = (p["E"][window] + p["P"][: len(window)]).astype(np.float64)  # (W, D)
        h = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5) * p["ln1_g0"] + p["ln1_b0"]
        q, k, _ = np.split(h @ p["Wqkv0"] + p["bqkv0"], 3, axis=-1)  # (W, D) each
        for head in range(cfg.n_head):
            cut = slice(head * hd, (head + 1) * hd)
            z = k[:, cut] @ q[-1, cut] / math.sqrt(hd)  # (W,)
            np.testing.assert_allclose(att[0, head], np.exp(z - z.max()) / np.exp(z - z.max()).sum(), atol=1e-5)
    with pytest.raises(ValueError, match="only the transformer"):
        tiny_model("mlp").logits_and_attention([40])


@pytest.mark.parametrize("arch", ARCHS)
def test_surprise_bits_match_the_distribution_token_by_token(arch):
    """bits[t] = -log2 p(ids[t]) with p read from ids[:t] exactly as logits() reads a context,
    also past the window (10 tokens > n_ctx)."""
    model = tiny_model(arch)
    ids = TOK.encode("The cat sat on the mat. The dog")
    assert len(ids) > model.n_ctx
    bits = lm.surprise_bits(model, ids)
    for t, token in enumerate(ids):
        p = lm.filter_probs(model.logits(ids[:t]), 1.0, banned=model.special_ids)[0]
        assert bits[t] == pytest.approx(-math.log2(p[token]), rel=1e-4)


def test_unigram_baseline_known_answer():
    """Training text "aab" over 257 + 1 tokens with no merges: counts a 2 + 1, b 1 + 1, every
    other byte 1, total 3 + 256 = 259; scoring "ab" costs -log2(3/259) - log2(2/259) bits over 2 bytes."""
    tok = bpe.BPE([])
    got = lm.unigram_bits_per_byte(tok, ["aab"], ["ab"])
    assert got == pytest.approx((-math.log2(3 / 259) - math.log2(2 / 259)) / 2)


# ---------------------------------------------------------------- filters and generation


def test_filter_probs_top_k_top_p_and_specials():
    """logits [2, 1, 0, -1, 5 (special)] at T = 1: softmax of the first four is
    e^[2, 1, 0, -1] / 4.0... = [0.644, 0.237, 0.087, 0.032]; the special gets 0."""
    z = np.array([2.0, 1.0, 0.0, -1.0, 5.0])
    e = np.exp(z[:4])
    p, unf, kept = lm.filter_probs(z, 1.0, banned=[4])
    np.testing.assert_allclose(p[:4], e / e.sum())
    assert p[4] == 0 and unf[4] == 0 and kept.tolist() == [True] * 4 + [False]
    p, _, kept = lm.filter_probs(z, 1.0, top_k=2, banned=[4])
    np.testing.assert_allclose(p, [e[0] / e[:2].sum(), e[1] / e[:2].sum(), 0, 0, 0])
    p, _, kept = lm.filter_probs(z, 1.0, top_p=0.85, banned=[4])  # 0.644 < 0.85 <= 0.881
    assert kept.tolist() == [True, True, False, False, False]
    p, _, kept = lm.filter_probs(z, 1.0, top_p=0.6, banned=[4])  # the favourite alone has 0.644
    assert kept.tolist() == [True, False, False, False, False] and p[0] == 1.0
    p, _, kept = lm.filter_probs(z, 1.0, top_k=3, top_p=0.95, banned=[4])  # top-p on the renormalised 3
    assert kept.tolist() == [True, True, True, False, False]
    p, unf, kept = lm.filter_probs(z, 0.0, banned=[4])  # T = 0: the favourite only
    assert p.tolist() == unf.tolist() == [1.0, 0, 0, 0, 0] and kept.sum() == 1


@pytest.mark.parametrize("arch", ARCHS)
def test_generate_same_seed_same_tokens_different_seed_different(arch):
    model = tiny_model(arch)

    def run(seed):
        return [s.token for s in lm.generate(model, [40, 50], 1.5, np.random.default_rng(seed), 25)]

    assert run(3) == run(3)
    assert run(3) != run(4)


@pytest.mark.parametrize("arch", ARCHS)
def test_generate_scores_each_step_as_logits_does(arch):
    """The transformer's generation reads only the new token while its window grows (cached keys
    and values), then the whole window once it slides: the same scores as logits() either way."""
    model = tiny_model(arch)
    ids = [40, 50]
    steps = lm.generate(model, ids, 1.0, np.random.default_rng(2), 12)  # 2 + 12 > n_ctx = 6
    for s in steps:
        np.testing.assert_allclose(s.logits, model.logits(ids), rtol=1e-5, atol=1e-5)
        p, unf, kept = lm.filter_probs(s.logits, 1.0, banned=model.special_ids)
        np.testing.assert_array_equal(s.probs, p)
        np.testing.assert_array_equal(s.unfiltered, unf)
        np.testing.assert_array_equal(s.kept, kept)
        ids.append(s.token)


def test_generate_obeys_the_filters_and_never_draws_a_special():
    model = tiny_model("transformer")
    ids = [40, 50]
    for s in lm.generate(model, ids, 2.0, np.random.default_rng(0), 30, top_k=3):
        top3 = [i for i in np.argsort(-s.logits, kind="stable") if i not in model.special_ids][:3]
        assert s.token in top3 and s.probs[top3].sum() == pytest.approx(1.0)
    for s in lm.generate(model, ids, 0.0, np.random.default_rng(0), 8):
        allowed = s.logits.copy()
        allowed[list(model.special_ids)] = -np.inf
        assert s.token == int(np.argmax(allowed))


# ---------------------------------------------------------------- training, saving


def test_short_training_run_learns_and_is_bit_identical():
    """150 steps on a tiny, repetitive text: the loss (mean of the last 100 steps) falls far
    below log V, a uniform guess's, and the same seed gives the same bytes."""
    lines = TEXT.splitlines()
    cfg = lm.LMConfig(arch="transformer", vocab_size=len(TOK), n_ctx=8, d_model=16, n_head=2,
                      n_layer=1, d_ff=32)
    tcfg = lm.TrainConfig(steps=150, batch=8, lr=1e-2, warmup=10)
    a = lm.fit(TOK, lines, cfg, tcfg, seed=0)
    b = lm.fit(TOK, lines, cfg, tcfg, seed=0)
    c = lm.fit(TOK, lines, cfg, tcfg, seed=1)
    assert a.meta["final_loss"] < 0.25 * math.log(len(TOK))
    for k in a.params:
        assert a.params[k].tobytes() == b.params[k].tobytes(), k
    assert not np.array_equal(a.params["E"], c.params["E"])


def test_save_load_round_trip_in_float16(tmp_path):
    model = tiny_model("transformer")
    model.meta = {"seed": 5}
    model.save(tmp_path / "m.npz", tmp_path / "t.json")
    back = lm.TinyLM.load(tmp_path / "m.npz", tmp_path / "t.json")
    assert back.config == model.config and back.bpe.merges == TOK.merges and back.meta["seed"] == 5
    for k, v in model.params.items():
        np.testing.assert_allclose(back.params[k], v.astype(np.float16), rtol=0)
        assert back.params[k].dtype == np.float32
    bpe.BPE(TOK.merges[:-1]).save(tmp_path / "t.json")  # another tokenizer
    with pytest.raises(ValueError, match="another tokenizer"):
        lm.TinyLM.load(tmp_path / "m.npz", tmp_path / "t.json")


# ---------------------------------------------------------------- the shipped model


def test_the_training_command_makes_the_same_files_twice(tmp_path):
    """`python -m genlab.train lm --quick` on a small text: the whole path (tokenizer, network,
    scores, files) runs, its meta names its data, and the same seed writes the same weights."""
    from genlab import train
    lines = lm.read_lines(lm.CORPUS)
    (tmp_path / "train.txt").write_text("\n".join(lines[:400]), encoding="utf-8")
    (tmp_path / "held.txt").write_text("\n".join(lm.read_lines(lm.HELDOUT)[:40]), encoding="utf-8")
    args = ["lm", "--quick", "--corpus", str(tmp_path / "train.txt"), "--heldout", str(tmp_path / "held.txt")]
    for name in ("a", "b"):
        train.main(args + ["--out", str(tmp_path / f"{name}.npz"), "--tokenizer", str(tmp_path / f"{name}.json")])
    a = lm.TinyLM.load(tmp_path / "a.npz", tmp_path / "a.json")
    b = lm.TinyLM.load(tmp_path / "b.npz", tmp_path / "b.json")
    assert a.meta["corpus_sha256"] == lm.file_sha256(tmp_path / "train.txt") and a.meta["seed"] == 0
    assert a.vocab_size == 300 and a.meta["params"] == sum(v.size for v in a.params.values())
    assert 0 < a.meta["heldout_bits_per_byte"] and 0 < a.meta["everyday_bits_per_byte"]
    for k in a.params:
        assert a.params[k].tobytes() == b.params[k].tobytes(), k


def test_shipped_model_is_small_and_learned_from_the_english_training_text(shipped):
    assert lm.model_bytes() < 3_000_000
    assert shipped.meta["corpus_sha256"] == lm.file_sha256(lm.CORPUS)
    assert shipped.n_ctx >= 16 and 2048 <= shipped.vocab_size <= 4096
    assert shipped.config == lm.LMConfig()  # `python -m genlab.train lm` with no option makes it again
    assert shipped.meta["train_config"] == asdict(lm.TrainConfig()) and shipped.meta["seed"] == 0
    with np.load(lm.DEFAULT_WEIGHTS, allow_pickle=False) as z:
        assert all(z[k].dtype == np.float16 for k in z.files if k.startswith("w_"))


def test_shipped_model_beats_a_unigram_baseline_on_held_out_text(shipped):
    """On held-out lines (whole books and blocks of sentences training never saw) and on the
    everyday sentences, far fewer bits per byte than drawing each token by its frequency alone."""
    train = lm.read_lines(lm.CORPUS)[::10]  # a tenth is enough to count tokens
    for lines in (lm.read_lines(lm.HELDOUT)[::20], lm.read_lines(lm.EVERYDAY)):
        model_bpb = lm.bits_per_byte(shipped, lines)
        unigram_bpb = lm.unigram_bits_per_byte(shipped.bpe, train, lines)
        assert model_bpb < 0.75 * unigram_bpb, (model_bpb, unigram_bpb)


@pytest.mark.parametrize("start, plain, odd", [
    ("The weather today is", " cold and wet.", " of chair went the."),
    ("For lunch I like to eat", " bread and cheese.", " the door of was."),
    ("My best friend is", " very kind to me.", " very kitchen to of."),
    ("Messi scored a", " goal in the last minute.", " the of goal minute in."),
])
def test_shipped_model_expects_plain_english_more_than_word_salad(shipped, start, plain, odd):
    """After a learner's start, the model is less surprised by a plain ending than by the same
    kind of words in a jumble (bits of the ending alone)."""
    def ending_bits(ending):
        head, ids = shipped.encode_text(start), shipped.encode_text(start + ending)
        assert ids[: len(head)] == head
        return float(lm.surprise_bits(shipped, ids)[len(head):].sum())
    assert ending_bits(plain) < 0.8 * ending_bits(odd)


# ---------------------------------------------------------------- the API


CONTEXT = "The weather today is"


def test_distribution_rows_show_logit_scaled_and_prob():
    d = api.llm_distribution(CONTEXT, 0.5, rows=8)
    model = api.llm.model()
    assert [t["id"] for t in d["tokens"]] == model.encode_text(CONTEXT)
    assert "".join(t["token"] for t in d["tokens"]) == CONTEXT and d["window"] == model.n_ctx
    logits = [r["logit"] for r in d["top"]]
    assert logits == sorted(logits, reverse=True) and len(d["top"]) == 8
    for r in d["top"]:
        assert r["scaled"] == pytest.approx(r["logit"] / 0.5)
        assert r["prob"] == pytest.approx(r["prob_unfiltered"]) and r["drawable"]
    z = np.array([r["scaled"] for r in d["top"]])
    ratio = d["top"][0]["prob"] / d["top"][1]["prob"]
    assert ratio == pytest.approx(math.exp(z[0] - z[1]), rel=1e-6)  # softmax of logit / T
    assert d["sorted_probs"].dtype == np.float32 and d["sorted_probs"].shape == (model.vocab_size,)
    assert d["sorted_probs"].sum() == pytest.approx(1.0, abs=1e-4)
    # no filter: every token whose probability is not 0 in float64 can be drawn (a few underflow)
    assert np.count_nonzero(d["sorted_probs"]) <= d["drawable_count"] <= model.vocab_size - len(model.special_ids)
    assert d["kept_mass"] == pytest.approx(1.0)


def test_zero_temperature_keeps_the_ranking():
    warm, cold = api.llm_distribution(CONTEXT, 1.0, rows=10), api.llm_distribution(CONTEXT, 0, rows=10)
    assert [r["id"] for r in cold["top"]] == [r["id"] for r in warm["top"]]
    assert [r["prob"] for r in cold["top"]] == [1.0] + [0.0] * 9
    assert all(r["scaled"] is None for r in cold["top"])
    assert cold["drawable_count"] == 1 and cold["entropy_bits"] == 0


def test_specials_never_appear_or_get_drawn():
    model = api.llm.model()
    for t in (0, 0.7, 5.0):
        rows = api.llm_distribution("", t, rows=100)["top"]
        assert not {r["id"] for r in rows} & set(model.special_ids)
    many = api.llm_sample_many("", 10.0, 1, n=5000)
    assert many["other"] + sum(c["count"] for c in many["counts"]) == 5000
    draws = [api.llm_sample("", 10.0, 1, draw=i)["id"] for i in range(200)]
    assert not set(draws) & set(model.special_ids)


def test_top_k_and_top_p_mark_the_drawable_tokens_and_limit_the_draws():
    d = api.llm_distribution(CONTEXT, 1.0, rows=10, top_k=3)
    assert [r["drawable"] for r in d["top"]] == [True] * 3 + [False] * 7
    assert d["drawable_count"] == 3 and sum(r["prob"] for r in d["top"]) == pytest.approx(1.0)
    assert d["kept_mass"] == pytest.approx(sum(r["prob_unfiltered"] for r in d["top"][:3]))
    many = api.llm_sample_many(CONTEXT, 1.0, 5, n=2000, rows=10, top_k=3)
    assert many["distinct"] <= 3 and many["other"] == 0
    assert sum(c["count"] for c in many["counts"][:3]) == 2000
    p = api.llm_distribution(CONTEXT, 1.0, rows=100, top_p=0.5)
    assert p["drawable_count"] < 100  # every kept token is among the rows
    kept = [r for r in p["top"] if r["drawable"]]
    mass = sum(r["prob_unfiltered"] for r in kept)
    assert mass >= 0.5 and mass - kept[-1]["prob_unfiltered"] < 0.5  # the fewest that reach 0.5
    assert p["kept_mass"] == pytest.approx(mass)
    ids = {r["id"] for r in kept}
    assert {api.llm_sample(CONTEXT, 1.0, 9, draw=i, top_p=0.5)["id"] for i in range(100)} <= ids
    g = api.llm_generate(CONTEXT, 1.5, 3, n_tokens=10, rows=4, top_k=2)
    for s in g["steps"]:
        assert s["id"] in [r["id"] for r in s["top"][:2]] and not any(r["drawable"] for r in s["top"][2:])


def test_sampling_is_seeded_and_counts_follow_the_probabilities():
    a = api.llm_sample_many(CONTEXT, 0.8, 42, n=20_000, rows=5)
    assert a == api.llm_sample_many(CONTEXT, 0.8, 42, n=20_000, rows=5)
    d = api.llm_distribution(CONTEXT, 0.8, rows=5)
    for c, r in zip(a["counts"], d["top"]):
        assert c["id"] == r["id"]
        assert abs(c["count"] / 20_000 - r["prob"]) < 4 * math.sqrt(r["prob"] * (1 - r["prob"]) / 20_000) + 1e-3


def test_generate_is_deterministic_and_its_text_is_its_tokens():
    a = api.llm_generate("Once upon a time", 0.8, 7, n_tokens=15, rows=3)
    assert a == api.llm_generate("Once upon a time", 0.8, 7, n_tokens=15, rows=3)
    assert a != api.llm_generate("Once upon a time", 0.8, 8, n_tokens=15, rows=3)
    assert a["text"] == api.llm.model().decode_text([s["id"] for s in a["steps"]])
    assert len(a["steps"]) == 15 and all(len(s["top"]) == 3 for s in a["steps"])


def test_distribution_gives_the_attention_of_its_forward_pass_as_plain_lists():
    model = api.llm.model()
    text = "for lunch i like to eat"
    d = api.llm_distribution(text, 0.8)
    ids = model.encode_text(text)
    logits, att = model.logits_and_attention(ids)
    assert [t["id"] for t in d["attention"]["tokens"]] == model.window(ids).tolist()
    assert d["attention"]["tokens"][0]["start"] and d["attention"]["tokens"][0]["id"] == model.bos_id
    weights = d["attention"]["weights"]
    assert isinstance(weights, list) and isinstance(weights[0][0][0], float)
    np.testing.assert_allclose(np.array(weights), att, atol=1e-12)
    np.testing.assert_allclose(np.array(weights).sum(axis=-1), 1.0, atol=1e-6)
    assert d["top"][0]["logit"] == pytest.approx(float(np.max(np.delete(logits, list(model.special_ids)))))


def test_first_word_split_is_reported_only_when_a_space_would_split_it_less():
    model = api.llm.model()
    for text in ("for lunch i like to eat", "my best friend is", "The weather today is", "Messi scored a"):
        word = text.split()[0]
        alone, spaced = model.encode_text(word), model.encode_text(" " + word)
        first = api.llm_distribution(text, 0.8)["first_word"]
        if len(alone) > 1 and len(spaced) < len(alone):
            assert first == {"word": word, "pieces": [model.piece(i) for i in alone],
                             "with_space": [model.piece(i) for i in spaced]}
        else:
            assert first is None
    assert api.llm_distribution("42 cats", 0.8)["first_word"] is None  # not a word of letters


def test_each_generated_step_gives_the_drawn_tokens_chance_and_rank():
    """Worked out again here from the model's logits of the context so far (ids, not text)."""
    model, ranks = api.llm.model(), []
    for k, p in ((0, 1.0), (4, 1.0), (0, 0.6)):
        g = api.llm_generate(CONTEXT, 1.5, 11, n_tokens=12, rows=3, top_k=k, top_p=p)
        ids = model.encode_text(CONTEXT)
        for s in g["steps"]:
            d = lm.Distribution.of(model.logits(ids), 1.5, k, p, model.special_ids)
            assert s["rank"] == d.ranked().tolist().index(s["id"]) + 1
            # (generation reuses cached keys and values: float32 rounding differs in the last bits)
            assert s["prob"] == pytest.approx(d.probs[s["id"]], rel=1e-4)
            assert s["prob_unfiltered"] == pytest.approx(d.unfiltered[s["id"]], rel=1e-4)
            ids.append(s["id"])
            ranks.append(s["rank"])
    assert max(ranks) > 3  # some draws come from outside the 3 rows shown


def test_compare_columns_share_the_ranking():
    c = api.llm_compare(CONTEXT, [0, 0.5, 2.0], rows=4)["columns"]
    assert [col["temperature"] for col in c] == [0, 0.5, 2.0]
    assert len({tuple(r["id"] for r in col["top"]) for col in c}) == 1
    assert c[0]["entropy_bits"] == 0 < c[1]["entropy_bits"] < c[2]["entropy_bits"]


def test_score_agrees_with_the_distribution_of_each_prefix():
    text = "The weather today is sunny and warm."
    s = api.llm_score(text)
    model = api.llm.model()
    ids = [t["id"] for t in s["tokens"]]
    assert ids == model.encode_text(text) and "".join(t["token"] for t in s["tokens"]) == text
    matched = 0
    for t, row in enumerate(s["tokens"]):
        prefix = model.decode_text(ids[:t])
        assert model.encode_text(prefix) == ids[:t]  # the prefix reads as the same tokens
        top = api.llm_distribution(prefix, 1.0, rows=100)["top"]
        match = [r for r in top if r["id"] == row["id"]]
        if match:  # the same up to float32 rounding (one pass over all positions vs one per prefix)
            assert row["prob"] == pytest.approx(match[0]["prob"], rel=1e-4)
            matched += 1
        assert row["bits"] == pytest.approx(-math.log2(row["prob"]))
    assert matched >= len(ids) // 2  # most tokens of a plain sentence are in the top 100
    for t, row in enumerate(s["tokens"]):  # and every one as the model's distribution gives it
        p = lm.filter_probs(model.logits(ids[:t]), 1.0, banned=model.special_ids)[0]
        assert row["prob"] == pytest.approx(p[row["id"]], rel=1e-4)
    assert s["total_bits"] == pytest.approx(sum(t["bits"] for t in s["tokens"]))
    assert s["n_bytes"] == len(text.encode()) and s["bits_per_byte"] == pytest.approx(s["total_bits"] / s["n_bytes"])
    odd = api.llm_score("The weather today is the purple elephant of.")
    assert odd["total_bits"] > s["total_bits"]  # a surprising sentence costs more bits
    assert api.llm_score("") == {"tokens": [], "total_bits": 0.0, "n_bytes": 0, "bits_per_byte": None}


def test_info_describes_the_model():
    llm = api.call("info", {})[0]["llm"]
    model = api.llm.model()
    assert llm == {"vocab_size": model.vocab_size, "context_size": model.n_ctx,
                   "params": sum(int(w.size) for w in model.params.values()),
                   "architecture": model.architecture, "tokenizer": "byte-level BPE",
                   "model_bytes": lm.model_bytes()}
    assert llm["architecture"] in ("transformer", "mlp")


@pytest.mark.parametrize("fn, args, message", [
    ("llm_distribution", {"context": CONTEXT, "temperature": 1, "top_k": -1}, "top_k must be a whole number from 0"),
    ("llm_distribution", {"context": CONTEXT, "temperature": 1, "top_k": 10**6}, "top_k must be a whole number"),
    ("llm_distribution", {"context": CONTEXT, "temperature": 1, "top_p": 0}, "top_p must be a number above 0"),
    ("llm_distribution", {"context": CONTEXT, "temperature": 1, "top_p": 1.5}, "top_p must be"),
    ("llm_distribution", {"context": CONTEXT, "temperature": 1, "rows": 0}, "rows must be a whole number"),
    ("llm_distribution", {"context": CONTEXT, "temperature": -1}, "temperature must be a number"),
    ("llm_distribution", {"context": "x" * (api.llm.MAX_CONTEXT_CHARS + 1), "temperature": 1}, "longer than"),
    ("llm_distribution", {"context": 5, "temperature": 1}, "the context must be text"),
    ("llm_sample", {"context": CONTEXT, "temperature": 1, "seed": -1}, "seed must be"),
    ("llm_generate", {"context": CONTEXT, "temperature": 1, "seed": 0, "n_tokens": 0}, "n_tokens must be"),
    ("llm_compare", {"context": CONTEXT, "temperatures": []}, "temperatures must be a list"),
    ("llm_score", {"text": None}, "the context must be text"),
    ("llm_distribution", {"context": "x" * 199 + "\ud83d", "temperature": 1}, "half of a character at position 200"),
    ("llm_score", {"text": "a cat \udc00"}, "half of a character at position 7"),
])
def test_bad_arguments_get_a_clear_sentence(fn, args, message):
    with pytest.raises(ValueError, match=message):
        api.call(fn, args)


def test_a_sample_says_whether_it_can_be_added_as_text():
    # A model of English rarely draws a lone byte of another script: at T = 10 about 1.7% of draws.
    draws = [api.llm_sample("日本語のテキスト", 10.0, 8, draw=d) for d in range(400)]
    partial = [d for d in draws if d["text"] is None]
    assert partial and all("\\x" in d["token"] for d in partial)  # shown as escapes, not added as text
    assert all(d["text"] == d["token"] for d in draws if d["text"] is not None)


def test_bench_keys_report_size_and_held_out_bits():
    from tests.lm_bench import bench_keys
    keys = bench_keys(lines_every=10, repeats=2)
    assert keys["llm_model_bytes"] == lm.model_bytes()
    assert 0 < keys["llm_heldout_bits_per_byte"] < keys["llm_unigram_bits_per_byte"]
    assert 0 < keys["llm_everyday_bits_per_byte"] < 8  # 8 bits per byte: what knowing nothing costs
    assert keys["llm_distribution_ms_native"] > 0 and keys["llm_generate_ms_native"] > 0
