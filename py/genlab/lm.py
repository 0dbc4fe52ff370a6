"""A tiny language model: read the last few tokens, score every possible next token.

Text becomes tokens with the byte-level BPE of ``bpe.py``. Two networks can
read them, both built from ``nn.py``'s layers and trained with its Adam:

* ``transformer`` (decoder-only, as GPT, at toy size):

      ids (B, T) -> token + position embeddings (B, T, D)
        -> n_layer x [x += attention(LN(x)); x += MLP(LN(x))]   causal: t sees s <= t
        -> LN -> logits (B, T, V) = x @ E^T + b   (the input embedding, reused)

* ``mlp`` (Bengio et al. 2003, wider): the embeddings of the last N tokens
  side by side -> relu hidden layer -> a D-wide layer -> logits (B, V).

Training lowers the cross-entropy of the true next token. Generation is a
loop of four steps: score -> divide by T and softmax (then top-k / top-p) ->
sample -> append (see ``generate``).

Shapes: B batch, T positions, D width, V vocabulary. Weights are float32 in
memory and float16 on disk.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import nn
from .bpe import BPE
from .sampling import check_temperature, sample, softmax_t

DATA = Path(__file__).parent / "data"
ENGLISH = DATA / "english"  # made by data/make_corpus.py from the sources of data/SOURCES.md
CORPUS = ENGLISH / "train.txt"  # what the tokenizer and the network learn from
HELDOUT = ENGLISH / "heldout.txt"  # whole books and blocks of sentences training never sees
EVERYDAY = ENGLISH / "everyday.txt"  # everyday sentences written for the purpose, never trained on
DEFAULT_WEIGHTS = DATA / "lm.npz"
DEFAULT_TOKENIZER = DATA / "bpe.json"


# ---------------------------------------------------------------- config


@dataclass
class LMConfig:
    """Sizes of the network."""

    arch: str = "transformer"  # "transformer" or "mlp"
    vocab_size: int = 4096  # V: tokens of the BPE, its specials included
    n_ctx: int = 32  # how many tokens the model reads at most (<bos> included)
    d_model: int = 96  # D: width of the token vectors (transformer) / last hidden layer (mlp)
    n_head: int = 4  # attention heads (transformer)
    n_layer: int = 2  # transformer blocks
    d_ff: int = 384  # hidden units of each block's MLP (transformer)
    n_prev: int = 16  # N: tokens the mlp reads (its context)
    d_emb: int = 48  # E: the mlp's token vectors
    d_hidden: int = 768  # the mlp's wide relu layer


@dataclass
class TrainConfig:
    """How the network is trained (see ``fit``)."""

    steps: int = 8000  # Adam updates: the shipped model saw 8.2 million predicted tokens
    batch: int = 32  # sequences (transformer) or examples x 32 (mlp) per update
    lr: float = 3e-3  # step size after warm-up ...
    lr_min: float = 1e-4  # ... cosine-decayed to this by the last step
    warmup: int = 200  # steps of linearly rising step size at the start
    log_every: int = 250  # steps between progress lines


# ---------------------------------------------------------------- text


def read_lines(path: Path = CORPUS) -> list[str]:
    """A text file's non-empty lines (by default the training text's)."""
    return [line for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def to_stream(bpe: BPE, lines: Sequence[str]) -> np.ndarray:
    """All lines as one id stream, each line after a <bos>: (S,) int64."""
    out = []
    for line in lines:
        out.append(bpe.bos_id)
        out += bpe.encode(line)
    return np.array(out, dtype=np.int64)


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------- the two networks


def init_params(cfg: LMConfig, rng: np.random.Generator) -> dict:
    """Random float32 weights of cfg.arch, by name (see the module docstring)."""
    return (_init_transformer if cfg.arch == "transformer" else _init_mlp)(cfg, rng)


def _normal(rng: np.random.Generator, shape, std: float) -> np.ndarray:
    return (rng.standard_normal(shape) * std).astype(np.float32)


def _init_transformer(cfg: LMConfig, rng: np.random.Generator) -> dict:
    V, T, D, F = cfg.vocab_size, cfg.n_ctx, cfg.d_model, cfg.d_ff
    deep = 0.02 / math.sqrt(2 * cfg.n_layer)  # GPT-2: residual outputs start smaller
    p = {"E": _normal(rng, (V, D), 0.02), "P": _normal(rng, (T, D), 0.02)}
    for i in range(cfg.n_layer):
        p |= {f"ln1_g{i}": np.ones(D, np.float32), f"ln1_b{i}": np.zeros(D, np.float32),
              f"Wqkv{i}": _normal(rng, (D, 3 * D), 0.02), f"bqkv{i}": np.zeros(3 * D, np.float32),
              f"Wo{i}": _normal(rng, (D, D), deep), f"bo{i}": np.zeros(D, np.float32),
              f"ln2_g{i}": np.ones(D, np.float32), f"ln2_b{i}": np.zeros(D, np.float32),
              f"W1{i}": _normal(rng, (D, F), 0.02), f"b1{i}": np.zeros(F, np.float32),
              f"W2{i}": _normal(rng, (F, D), deep), f"b2{i}": np.zeros(D, np.float32)}
    return p | {"lnf_g": np.ones(D, np.float32), "lnf_b": np.zeros(D, np.float32),
                "bout": np.zeros(V, np.float32)}


def _init_mlp(cfg: LMConfig, rng: np.random.Generator) -> dict:
    V, N, E, H, D = cfg.vocab_size, cfg.n_prev, cfg.d_emb, cfg.d_hidden, cfg.d_model
    return {"C": _normal(rng, (V, E), 1.0),
            "W1": nn.init_weight((N * E, H), "relu", rng).astype(np.float32),
            "b1": np.zeros(H, np.float32),
            "W2": nn.init_weight((H, D), "relu", rng).astype(np.float32),
            "b2": np.zeros(D, np.float32),
            "Wout": _normal(rng, (D, V), 0.1 / math.sqrt(D)), "bout": np.zeros(V, np.float32)}


def forward(params: dict, cfg: LMConfig, X: np.ndarray, last_only: bool = False):
    """Logits and the cache for backward.

    transformer: X (B, T <= n_ctx) -> (B, T, V), position t read from X[:, :t+1]
    (last_only: (B, V) for the last position only, cheaper).
    mlp: X (B, N) -> (B, V), the token after the N ids.
    """
    if cfg.arch == "transformer":
        return _transformer_fwd(params, cfg, X, last_only)
    return _mlp_fwd(params, X)


def decode(params: dict, cfg: LMConfig, X: np.ndarray, kv: list | None) -> tuple[np.ndarray, list]:
    """The transformer's forward for new ids X (B, Tn) after the positions cached in kv.

    kv: one (keys, values) per block from an earlier call, or None to start.
    Returns the logits (B, V) of the token after the last new id, and the
    grown cache. Same numbers as ``forward`` over the whole window, computed
    once per position (inference only: generation).
    """
    B, Tn = X.shape
    D, start = cfg.d_model, 0 if kv is None else kv[0][0].shape[2]
    x = nn.embedding_fwd(params["E"], X) + params["P"][start : start + Tn]  # (B, Tn, D)
    out = []
    for i in range(cfg.n_layer):
        h1, _ = nn.layer_norm_fwd(x.reshape(-1, D), params[f"ln1_g{i}"], params[f"ln1_b{i}"])
        a, cache_i = nn.cached_attention_fwd(h1.reshape(B, Tn, D), params[f"Wqkv{i}"], params[f"bqkv{i}"],
                                             params[f"Wo{i}"], params[f"bo{i}"], cfg.n_head,
                                             None if kv is None else kv[i])
        out.append(cache_i)
        x = x + a  # (B, Tn, D)
        h2, _ = nn.layer_norm_fwd(x.reshape(-1, D), params[f"ln2_g{i}"], params[f"ln2_b{i}"])
        u = nn.relu_fwd(nn.linear_fwd(h2, params[f"W1{i}"], params[f"b1{i}"]))  # (B*Tn, F)
        x = x + nn.linear_fwd(u, params[f"W2{i}"], params[f"b2{i}"]).reshape(B, Tn, D)
    hf, _ = nn.layer_norm_fwd(x[:, -1], params["lnf_g"], params["lnf_b"])  # (B, D)
    return nn.linear_fwd(hf, params["E"].T, params["bout"]), out  # (B, V)


def backward(params: dict, cfg: LMConfig, cache: dict, dlogits: np.ndarray) -> dict:
    """Gradients of the loss w.r.t. every weight, from dlogits (shape of the logits)."""
    if cfg.arch == "transformer":
        return _transformer_bwd(params, cfg, cache, dlogits)
    return _mlp_bwd(params, cache, dlogits)


def _transformer_fwd(params: dict, cfg: LMConfig, X: np.ndarray, last_only: bool):
    B, T = X.shape
    D = cfg.d_model
    x = nn.embedding_fwd(params["E"], X) + params["P"][:T]  # (B, T, D)
    cache = {"X": X, "blocks": []}
    for i in range(cfg.n_layer):
        h1, ln1 = nn.layer_norm_fwd(x.reshape(-1, D), params[f"ln1_g{i}"], params[f"ln1_b{i}"])
        tail = last_only and i == cfg.n_layer - 1  # the last block: only the last position matters
        a, att = nn.causal_attention_fwd(h1.reshape(B, T, D), params[f"Wqkv{i}"], params[f"bqkv{i}"],
                                         params[f"Wo{i}"], params[f"bo{i}"], cfg.n_head, tail)
        x = (x[:, -1:] if tail else x) + a  # (B, T, D), or (B, 1, D) in the tail
        h2, ln2 = nn.layer_norm_fwd(x.reshape(-1, D), params[f"ln2_g{i}"], params[f"ln2_b{i}"])
        u = nn.relu_fwd(nn.linear_fwd(h2, params[f"W1{i}"], params[f"b1{i}"]))  # (B*T, F)
        x = x + nn.linear_fwd(u, params[f"W2{i}"], params[f"b2{i}"]).reshape(x.shape)
        cache["blocks"].append((ln1, att, ln2, h2, u))
    hf, lnf = nn.layer_norm_fwd(x.reshape(-1, D), params["lnf_g"], params["lnf_b"])  # (B*T, D)
    logits = nn.linear_fwd(hf, params["E"].T, params["bout"])  # (B*T, V), E reused
    cache |= {"lnf": lnf, "hf": hf}
    return (logits if last_only else logits.reshape(B, T, -1)), cache


def _transformer_bwd(params: dict, cfg: LMConfig, cache: dict, dlogits: np.ndarray) -> dict:
    X = cache["X"]
    B, T = X.shape
    D = cfg.d_model
    g = {k: None for k in params}
    dlogits = dlogits.reshape(B * T, -1)  # (B*T, V)
    g["bout"] = dlogits.sum(axis=0)
    dE = cache["hf"].T @ dlogits  # (D, V): the output use of E
    dE = np.ascontiguousarray(dE.T)  # (V, D)
    dhf = dlogits @ params["E"]  # (B*T, D)
    dx, g["lnf_g"], g["lnf_b"] = nn.layer_norm_bwd(cache["lnf"], params["lnf_g"], dhf)
    dx = dx.reshape(B, T, D)
    for i in reversed(range(cfg.n_layer)):
        ln1, att, ln2, h2, u = cache["blocks"][i]
        dm = dx.reshape(B * T, D)
        g[f"W2{i}"], g[f"b2{i}"] = np.empty_like(params[f"W2{i}"]), np.empty_like(params[f"b2{i}"])
        du = nn.linear_bwd(u, params[f"W2{i}"], dm, g[f"W2{i}"], g[f"b2{i}"])  # (B*T, F)
        du = nn.relu_bwd(u, du)
        g[f"W1{i}"], g[f"b1{i}"] = np.empty_like(params[f"W1{i}"]), np.empty_like(params[f"b1{i}"])
        dh2 = nn.linear_bwd(h2, params[f"W1{i}"], du, g[f"W1{i}"], g[f"b1{i}"])  # (B*T, D)
        dln, g[f"ln2_g{i}"], g[f"ln2_b{i}"] = nn.layer_norm_bwd(ln2, params[f"ln2_g{i}"], dh2)
        dx = dx + dln.reshape(B, T, D)  # the residual adds the two paths
        dh1, ga = nn.causal_attention_bwd(att, params[f"Wqkv{i}"], params[f"Wo{i}"], dx)
        g |= {f"{k}{i}": v for k, v in ga.items()}
        dln, g[f"ln1_g{i}"], g[f"ln1_b{i}"] = nn.layer_norm_bwd(ln1, params[f"ln1_g{i}"],
                                                               dh1.reshape(B * T, D))
        dx = dx + dln.reshape(B, T, D)
    g["P"] = np.zeros_like(params["P"])
    g["P"][:T] = dx.sum(axis=0)  # (T, D)
    nn.embedding_bwd(dE, X, dx)  # the input use of E adds to the output one
    g["E"] = dE
    return g


def _mlp_fwd(params: dict, X: np.ndarray):
    e = nn.embedding_fwd(params["C"], X).reshape(len(X), -1)  # (B, N*E)
    h = nn.relu_fwd(nn.linear_fwd(e, params["W1"], params["b1"]))  # (B, H)
    d = nn.relu_fwd(nn.linear_fwd(h, params["W2"], params["b2"]))  # (B, D)
    return nn.linear_fwd(d, params["Wout"], params["bout"]), {"X": X, "e": e, "h": h, "d": d}


def _mlp_bwd(params: dict, cache: dict, dlogits: np.ndarray) -> dict:
    g = {k: np.empty_like(v) for k, v in params.items()}
    dd = nn.linear_bwd(cache["d"], params["Wout"], dlogits, g["Wout"], g["bout"])  # (B, D)
    dh = nn.linear_bwd(cache["h"], params["W2"], nn.relu_bwd(cache["d"], dd), g["W2"], g["b2"])
    de = nn.linear_bwd(cache["e"], params["W1"], nn.relu_bwd(cache["h"], dh), g["W1"], g["b1"])
    g["C"][...] = 0
    nn.embedding_bwd(g["C"], cache["X"], de)  # (B, N*E) rows into (V, E)
    return g


def loss_and_grads(params: dict, cfg: LMConfig, X: np.ndarray, Y: np.ndarray) -> tuple[float, dict]:
    """Mean cross-entropy (nats) of targets Y (shape of X for the transformer, (B,) for the mlp)."""
    logits, cache = forward(params, cfg, X)
    V = logits.shape[-1]
    loss, probs = nn.softmax_cross_entropy_fwd(logits.reshape(-1, V), Y.ravel())
    dlogits = nn.softmax_cross_entropy_bwd(probs, Y.ravel()).reshape(logits.shape)
    return loss, backward(params, cfg, cache, dlogits)


# ---------------------------------------------------------------- training


def make_batch(stream: np.ndarray, cfg: LMConfig, batch: int, rng: np.random.Generator):
    """Random (inputs, targets) from the id stream, for cfg.arch.

    transformer: `batch` windows of n_ctx ids and the same shifted by one,
    X, Y (batch, n_ctx). mlp: 32 x batch examples, X (M, N) and next ids Y (M,).
    """
    if cfg.arch == "transformer":
        start = rng.integers(0, len(stream) - cfg.n_ctx, batch)  # (B,)
        idx = start[:, None] + np.arange(cfg.n_ctx + 1)  # (B, n_ctx + 1)
        w = stream[idx]
        return w[:, :-1], w[:, 1:]
    end = rng.integers(cfg.n_prev, len(stream), batch * 32)  # (M,)
    return stream[end[:, None] + np.arange(-cfg.n_prev, 0)], stream[end]


def cosine_lr(step: int, tcfg: TrainConfig) -> float:
    """Linear warm-up to lr, then half a cosine down to lr_min."""
    if step < tcfg.warmup:
        return tcfg.lr * (step + 1) / tcfg.warmup
    frac = (step - tcfg.warmup) / max(1, tcfg.steps - tcfg.warmup)
    return tcfg.lr_min + 0.5 * (tcfg.lr - tcfg.lr_min) * (1 + math.cos(math.pi * frac))


def train(params: dict, cfg: LMConfig, tcfg: TrainConfig, stream: np.ndarray,
          rng: np.random.Generator, log: Callable[[str], None] | None = None) -> list[float]:
    """Adam on random batches of stream, updating params in place. Returns the loss of every step."""
    opt, losses = nn.Adam(params, tcfg.lr), []
    for step in range(tcfg.steps):
        X, Y = make_batch(stream, cfg, tcfg.batch, rng)
        loss, grads = loss_and_grads(params, cfg, X, Y)
        if not math.isfinite(loss):
            raise FloatingPointError(f"training diverged at step {step}: loss {loss}")
        opt.lr = cosine_lr(step, tcfg)
        opt.step(grads)
        losses.append(loss)
        if log and (step + 1) % tcfg.log_every == 0:
            log(f"step {step + 1:5d}/{tcfg.steps}  loss {np.mean(losses[-tcfg.log_every:]):.3f}")
    return losses


def fit(bpe: BPE, lines: Sequence[str], cfg: LMConfig, tcfg: TrainConfig, seed: int,
        log: Callable[[str], None] | None = None) -> TinyLM:
    """Train a model of cfg.arch on lines (already without the held-out ones).

    Deterministic given seed: SeedSequence(seed) spawns one stream for the
    weight init and one for the batches, so changing one leaves the other.
    """
    start = time.perf_counter()
    stream = to_stream(bpe, lines)
    init_ss, batch_ss = np.random.SeedSequence(seed).spawn(2)
    params = init_params(cfg, np.random.default_rng(init_ss))
    losses = train(params, cfg, tcfg, stream, np.random.default_rng(batch_ss), log)
    meta = {"seed": seed, "final_loss": float(np.mean(losses[-100:])), "steps": tcfg.steps,
            "train_tokens": int(len(stream)), "train_seconds": round(time.perf_counter() - start, 1),
            "train_config": asdict(tcfg)}
    return TinyLM(cfg, bpe, params, meta)


# ---------------------------------------------------------------- the model


@dataclass
class TinyLM:
    """A trained model: its sizes, tokenizer, weights and how it was made."""

    config: LMConfig
    bpe: BPE
    params: dict  # name -> float32 array, see init_params
    meta: dict = field(default_factory=dict)  # seed, heldout_bits_per_byte, corpus_sha256, ...

    tokenizer_name = "byte-level BPE"

    @property
    def architecture(self) -> str:
        return self.config.arch

    @property
    def n_ctx(self) -> int:
        """Tokens of the learner's text the model reads at most."""
        return self.config.n_ctx if self.config.arch == "transformer" else self.config.n_prev

    @property
    def vocab_size(self) -> int:
        return len(self.bpe)

    @property
    def special_ids(self) -> tuple[int, ...]:
        """Ids that are never shown as choices nor drawn."""
        return self.bpe.special_ids

    @property
    def bos_id(self) -> int:
        return self.bpe.bos_id

    def encode_text(self, text: str) -> list[int]:
        """Text -> token ids (no <bos>)."""
        return self.bpe.encode(text)

    def piece(self, i: int) -> str:
        """Display text of token i."""
        return self.bpe.piece(int(i))

    def piece_text(self, i: int) -> str | None:
        """Token i as text, or None if its bytes are not whole characters."""
        try:
            return self.bpe.piece_bytes(int(i)).decode("utf-8")
        except UnicodeDecodeError:
            return None

    def decode_text(self, ids: Sequence[int]) -> str:
        """Ids -> text."""
        return self.bpe.decode([int(i) for i in ids])

    def window(self, ids: Sequence[int]) -> np.ndarray:
        """What the network reads for the token after ids: <bos> + ids, cut to the last n_ctx.

        The mlp always reads N ids: a short context is padded on the left with <bos>.
        """
        ids = np.asarray(ids, dtype=np.int64).ravel()  # (T,)
        if ids.size and (ids.min() < 0 or ids.max() >= self.vocab_size):
            raise ValueError(f"token ids must be in [0, {self.vocab_size})")
        seq = np.concatenate([[self.bos_id], ids])  # (T + 1,)
        if self.config.arch == "transformer":
            return seq[-self.config.n_ctx :]
        pad = np.full(max(0, self.config.n_prev - seq.size), self.bos_id)
        return np.concatenate([pad, seq])[-self.config.n_prev :]

    def logits(self, ids: Sequence[int]) -> np.ndarray:
        """Scores (V,) float64 for the token after ids (any length)."""
        out, _ = forward(self.params, self.config, self.window(ids)[None, :], last_only=True)
        return out[0].astype(np.float64)  # (V,)

    def logits_and_attention(self, ids: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """``logits(ids)`` and, from the same forward pass, what the position predicting the
        next token attended to: (n_layer, n_head, W) float64 over the W ids of ``window(ids)``
        (each head's weights add up to 1). Transformer only.
        """
        if self.config.arch != "transformer":
            raise ValueError("only the transformer has attention to show")
        out, cache = forward(self.params, self.config, self.window(ids)[None, :], last_only=True)
        # Each block's softmax P is (1, n_head, rows, W); the last row is the last position's.
        weights = np.stack([block[1][4][0, :, -1, :] for block in cache["blocks"]])  # (L, H, W)
        return out[0].astype(np.float64), weights.astype(np.float64)

    def save(self, path: Path, tokenizer_path: Path) -> None:
        """Weights as float16 in an .npz (allow_pickle=False), the merges in a JSON file."""
        self.bpe.save(tokenizer_path)
        meta = self.meta | {"tokenizer_sha256": file_sha256(tokenizer_path)}
        arrays = {f"w_{k}": v.astype(np.float16) for k, v in self.params.items()}
        np.savez_compressed(path, **arrays, config=np.array(json.dumps(asdict(self.config))),
                            meta=np.array(json.dumps(meta, sort_keys=True)))

    @classmethod
    def load(cls, path: Path, tokenizer_path: Path) -> TinyLM:
        """Read files written by save; weights come back as float32."""
        with np.load(path, allow_pickle=False) as z:
            params = {k[2:]: z[k].astype(np.float32) for k in z.files if k.startswith("w_")}
            cfg = LMConfig(**json.loads(str(z["config"])))
            meta = json.loads(str(z["meta"]))
        if meta.get("tokenizer_sha256") != file_sha256(tokenizer_path):
            raise ValueError(f"{path} was trained with another tokenizer than {tokenizer_path}")
        return cls(cfg, BPE.load(tokenizer_path), params, meta)


@lru_cache(maxsize=1)
def load_default() -> TinyLM:
    """The shipped model, data/lm.npz and data/bpe.json (loaded once, then cached)."""
    return TinyLM.load(DEFAULT_WEIGHTS, DEFAULT_TOKENIZER)


def model_bytes() -> int:
    """Bytes the shipped model adds to a first visit: its weights and its tokenizer."""
    return DEFAULT_WEIGHTS.stat().st_size + DEFAULT_TOKENIZER.stat().st_size


# ---------------------------------------------------------------- measuring


def surprise_bits(model: TinyLM, ids: Sequence[int]) -> np.ndarray:
    """-log2 p(ids[t] | <bos> + ids[:t]) for every t: (T,) float64.

    p is the softmax at T = 1 over every token but the specials, read exactly
    as ``model.logits`` reads a context (the last n_ctx ids). The transformer
    scores the first n_ctx - 1 tokens in one pass (position t sees only what
    comes before it), and each later one from its own window.
    """
    ids = np.asarray(ids, dtype=np.int64).ravel()  # (T,)
    if ids.size == 0:
        return np.zeros(0)
    seq = np.concatenate([[model.bos_id], ids])  # (T + 1,)
    n = model.n_ctx
    if model.config.arch == "transformer":
        first, _ = forward(model.params, model.config, seq[None, : min(n, ids.size)])  # (1, k, V)
        rows = [first[0]]
        if ids.size > n:  # windows ending at seq[t] for t = n .. T - 1
            wins = seq[np.arange(n, ids.size)[:, None] + np.arange(1 - n, 1)]  # (T - n, n)
            rows.append(forward(model.params, model.config, wins, last_only=True)[0])
    else:
        rows = [forward(model.params, model.config, np.stack([model.window(ids[:t]) for t in
                                                               range(ids.size)]))[0]]
    logits = np.concatenate(rows).astype(np.float64)  # (T, V)
    logits[:, list(model.special_ids)] = -np.inf
    logits -= logits.max(axis=1, keepdims=True)
    logp = logits[np.arange(ids.size), ids] - np.log(np.exp(logits).sum(axis=1))  # (T,)
    return -logp / math.log(2)


def bits_per_byte(model: TinyLM, lines: Sequence[str]) -> float:
    """Total surprise of every line, each read from <bos>, over their UTF-8 bytes."""
    bits = sum(float(surprise_bits(model, model.encode_text(line)).sum()) for line in lines)
    return bits / sum(len(line.encode("utf-8")) for line in lines)


def unigram_bits_per_byte(bpe: BPE, train_lines: Sequence[str], lines: Sequence[str]) -> float:
    """The baseline: every token drawn on its own with its training frequency (add-one smoothing)."""
    counts = np.ones(len(bpe))  # (V,) add-one
    counts[list(bpe.special_ids)] = 0
    for line in train_lines:
        np.add.at(counts, bpe.encode(line), 1)
    logp = np.log2(counts / counts.sum(), where=counts > 0, out=np.zeros(len(bpe)))
    bits = -sum(float(logp[bpe.encode(line)].sum()) for line in lines)
    return bits / sum(len(line.encode("utf-8")) for line in lines)


# ---------------------------------------------------------------- generation


@dataclass(frozen=True)
class Step:
    """One turn of the generation loop, for the UI to show."""

    logits: np.ndarray  # (V,) float64 scores
    probs: np.ndarray  # (V,) float64 after temperature, top-k and top-p
    token: int  # the id that was drawn and appended
    unfiltered: np.ndarray  # (V,) float64 after temperature alone (specials at 0)
    kept: np.ndarray  # (V,) bool: the tokens that could be drawn


def filter_probs(logits: np.ndarray, temperature: float, top_k: int = 0, top_p: float = 1.0,
                 banned: Sequence[int] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Temperature, then top-k, then top-p, the order real APIs apply them.

    logits (V,). ``banned`` ids (special tokens) get probability 0. Returns
    (probs (V,) float64 renormalised over the kept tokens, unfiltered (V,) =
    softmax_t(logits, T) without the banned ids, kept (V,) bool: the tokens
    that can still be drawn). top_k = 0 and top_p = 1 switch a filter off;
    top-k keeps the k highest logits (ties: lower id first); top-p keeps the
    fewest most probable tokens whose probability adds up to at least top_p
    (always at least one). At T = 0 only the favourite can be drawn.
    """
    z = np.array(logits, dtype=np.float64)  # (V,) copy
    z[list(banned)] = -np.inf
    unfiltered = softmax_t(z, temperature)  # (V,)
    order = np.argsort(-z, kind="stable")  # (V,) best first, ties by id
    keep = np.zeros(z.size, bool)
    keep[order[: top_k or z.size]] = True  # 1. top-k
    p = np.where(keep, unfiltered, 0.0)
    ranked = p[order] / p.sum()  # (V,) the kept ones first, by descending probability
    n_p = int(np.searchsorted(np.cumsum(ranked), top_p * (1 - 1e-12)) + 1)  # 2. top-p
    keep[order[n_p:]] = False
    keep &= unfiltered > 0  # underflowed (and banned) tokens cannot be drawn
    p = np.where(keep, unfiltered, 0.0)
    return p / p.sum(), unfiltered, keep


@dataclass
class Distribution:
    """The next-token distribution of one context at one temperature, after top-k and top-p."""

    logits: np.ndarray  # (V,) raw scores
    temperature: float
    probs: np.ndarray  # (V,) float64 drawn from (see filter_probs)
    unfiltered: np.ndarray  # (V,) float64 after temperature alone
    kept: np.ndarray  # (V,) bool: the tokens that can be drawn
    banned: tuple[int, ...] = ()  # ids never ranked nor drawn (special tokens)

    @classmethod
    def of(cls, logits: np.ndarray, temperature: float, top_k: int = 0, top_p: float = 1.0,
           banned: Sequence[int] = ()) -> Distribution:
        return cls(logits, temperature, *filter_probs(logits, temperature, top_k, top_p, banned), tuple(banned))

    def ranked(self, n: int | None = None) -> np.ndarray:
        """The n best ids by raw logit, banned ones left out, best first (ties: lower id first);
        None: all of them."""
        z = np.array(self.logits)  # (V,)
        z[list(self.banned)] = -np.inf
        n_allowed = z.size - len(self.banned)
        n = n_allowed if n is None else min(n, n_allowed)
        kth = -np.partition(-z, n - 1)[n - 1]  # the n-th best logit
        cand = np.flatnonzero(z >= kth)  # (>= n,) ids in order, ties at the cut included
        return cand[np.argsort(-z[cand], kind="stable")][:n]


def generate(model: TinyLM, context_ids: Sequence[int], temperature: float,
             rng: np.random.Generator, n_tokens: int, top_k: int = 0,
             top_p: float = 1.0) -> list[Step]:
    """Extend context_ids by n_tokens, one four-step turn at a time.

    score -> divide by T, softmax, top-k / top-p -> sample -> append, repeat.
    Returns one Step per new token; ``[s.token for s in steps]`` are the new ids.
    """
    check_temperature(temperature)  # fail before the first step, even if n_tokens = 0
    ids = [int(i) for i in np.asarray(context_ids, dtype=np.int64).ravel()]
    reader, steps = _Reader(model), []
    for _ in range(n_tokens):
        scores = reader.logits(ids)  # (V,) 1. score every token
        probs, unfiltered, kept = filter_probs(scores, temperature, top_k, top_p, model.special_ids)  # 2.
        token = sample(probs, rng)  # 3. draw one id
        ids.append(token)  # 4. append it and go again
        steps.append(Step(scores, probs, token, unfiltered, kept))
    return steps


class _Reader:
    """model.logits for a context that grows by one token at a time.

    The transformer keeps the keys and values of its window and reads only
    the new token, until the window is full and slides (positions change,
    so it reads the whole window again).
    """

    def __init__(self, model: TinyLM):
        self.model, self.window, self.kv = model, np.zeros(0, np.int64), None

    def logits(self, ids: Sequence[int]) -> np.ndarray:
        model = self.model
        if model.config.arch != "transformer":
            return model.logits(ids)
        window = model.window(ids)  # (T,)
        n = len(self.window)
        if self.kv is not None and len(window) == n + 1 and np.array_equal(window[:n], self.window):
            out, self.kv = decode(model.params, model.config, window[None, n:], self.kv)  # one new row
        elif len(window) < model.config.n_ctx:
            out, self.kv = decode(model.params, model.config, window[None, :], None)  # room to grow
        else:  # a full window slides: no cache to keep, the cheaper last-position pass
            out, self.kv = forward(model.params, model.config, window[None, :], last_only=True)[0], None
        self.window = window
        return out[0].astype(np.float64)  # (V,)
