"""A tiny neural language model: read the last few words, score every next word.

This is the model of Bengio et al. (2003), "A Neural Probabilistic Language
Model", at toy size and in plain numpy:

    context ids (B, N) -> embeddings (B, N*E) -> tanh hidden (B, H) -> logits (B, V)

Each word of the vocabulary has a learned vector (its *embedding*); the
vectors of the N previous words are put side by side, passed through one
hidden layer, and turned into one score per word of the vocabulary. Training
lowers the cross-entropy of the true next word. Forward and backward passes
are written out by hand, layer by layer, side by side; ``Adam`` updates the
weights.

Generation is a loop of four steps: score -> softmax_t -> sample -> append
(see ``generate``).

Shapes: B batch, N context length, E embedding size, H hidden size,
V vocabulary size. Weights are float64 in memory, float32 on disk.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from .sampling import check_temperature, sample, softmax_t

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus.txt"
DEFAULT_WEIGHTS = DATA / "lm.npz"

BOS, UNK = "<bos>", "<unk>"  # padding before the first word; any unknown word
SPECIALS = (BOS, UNK)
TOKEN_RE = re.compile(r"\w+|[^\w\s]")  # a run of letters/digits, or one symbol
PARAM_NAMES = ("C", "W1", "b1", "W2", "b2")


# ---------------------------------------------------------------- text


def tokenize(text: str) -> list[str]:
    """Lowercase and split into words and punctuation marks.

    "It's sunny!" -> ["it", "'", "s", "sunny", "!"]. Every symbol that is not
    a letter, digit or space (. , ? ! ' and any other) is a token of its own.
    """
    return TOKEN_RE.findall(text.lower())


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens for display: no space before . , ? ! and around '."""
    out = ""
    for tok in tokens:
        glue = tok in ".,?!'" or out.endswith("'") or not out
        out += tok if glue else " " + tok
    return out


class Vocab:
    """Word <-> id tables. Ids 0 and 1 are <bos> and <unk>; words follow sorted."""

    def __init__(self, words: Sequence[str]):
        self.itos = list(SPECIALS) + sorted(set(words) - set(SPECIALS))
        self.stoi = {w: i for i, w in enumerate(self.itos)}
        self.bos_id, self.unk_id = self.stoi[BOS], self.stoi[UNK]

    @classmethod
    def from_sentences(cls, sentences: Sequence[Sequence[str]], min_count: int = 1) -> Vocab:
        """Every token seen at least min_count times in the sentences."""
        counts = Counter(tok for s in sentences for tok in s)
        return cls([w for w, c in counts.items() if c >= min_count])

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Words -> (ids int64 (T,), unknown bool (T,)). Unknown words map to <unk>."""
        ids = np.array([self.stoi.get(w, self.unk_id) for w in words], dtype=np.int64)
        unknown = np.array([w not in self.stoi for w in words], dtype=bool)
        return ids, unknown

    def decode(self, ids: Sequence[int]) -> list[str]:
        """Ids -> words."""
        return [self.itos[int(i)] for i in ids]


def read_corpus(path: Path = CORPUS) -> list[list[str]]:
    """One tokenized sentence per non-empty line of the file."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [tokenize(line) for line in lines if line.strip()]


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# ---------------------------------------------------------------- config


@dataclass
class LMConfig:
    """Sizes of the network."""

    n_ctx: int = 4  # N: how many previous tokens the model reads
    d_emb: int = 16  # E: length of each word's embedding vector
    d_hidden: int = 96  # H: units in the tanh hidden layer


@dataclass
class TrainConfig:
    """How the network is trained (see ``fit``)."""

    epochs: int = 16  # passes over all training examples
    batch_size: int = 256  # examples per gradient step
    lr: float = 8e-3  # Adam step size at the start ...
    lr_min: float = 2e-4  # ... cosine-decayed to this by the last step
    weight_decay: float = 1e-4  # AdamW pull of every weight toward 0 (per unit lr)
    min_count: int = 2  # rarer words become <unk> (and teach the <unk> embedding)
    cross_sentence: bool = True  # also learn to start a sentence after the last "."
    max_steps: int | None = None  # stop after this many steps (short runs in tests)


# ---------------------------------------------------------------- layers
# Each layer's forward and backward sit side by side. A backward takes what
# its forward saw and the gradient of the loss w.r.t. its output, and returns
# the gradients w.r.t. its inputs and weights.


def embed_fwd(C: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Look up and concatenate embeddings. C (V, E), X (B, N) int -> (B, N*E)."""
    B, N = X.shape
    return C[X].reshape(B, N * C.shape[1])  # (B, N, E) -> (B, N*E)


def embed_bwd(dC: np.ndarray, X: np.ndarray, de: np.ndarray) -> None:
    """Add each row of de (B, N*E) into dC (V, E) at its word's id (repeats add up)."""
    np.add.at(dC, X.ravel(), de.reshape(X.size, dC.shape[1]))  # (B*N, E) rows into (V, E)


def linear_fwd(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x (B, I) @ W (I, O) + b (O,) -> (B, O)."""
    return x @ W + b


def linear_bwd(x: np.ndarray, W: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, ...]:
    """dy (B, O) -> dx (B, I), dW (I, O), db (O,)."""
    return dy @ W.T, x.T @ dy, dy.sum(axis=0)


def tanh_fwd(z: np.ndarray) -> np.ndarray:
    """Elementwise tanh, (B, H) -> (B, H)."""
    return np.tanh(z)


def tanh_bwd(h: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """d tanh(z)/dz = 1 - tanh(z)^2, written with the output h. (B, H)."""
    return dh * (1.0 - h * h)


def cross_entropy_fwd(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean -log softmax(logits)[y]. logits (B, V), y (B,) -> (loss, probs (B, V))."""
    z = logits - logits.max(axis=1, keepdims=True)  # (B, V), stable: max is 0
    e = np.exp(z)  # (B, V)
    total = e.sum(axis=1)  # (B,), >= 1
    loss = np.mean(np.log(total) - z[np.arange(len(y)), y])  # -log(e_y / total)
    return float(loss), e / total[:, None]


def cross_entropy_bwd(probs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d loss / d logits = (softmax - one_hot(y)) / B. (B, V)."""
    d = probs.copy()  # (B, V)
    d[np.arange(len(y)), y] -= 1.0
    return d / len(y)


# ---------------------------------------------------------------- network


def init_params(cfg: LMConfig, vocab_size: int, rng: np.random.Generator) -> dict:
    """Random float64 weights: C (V, E), W1 (N*E, H), b1 (H,), W2 (H, V), b2 (V,)."""
    V, E, N, H = vocab_size, cfg.d_emb, cfg.n_ctx, cfg.d_hidden
    return {
        "C": rng.standard_normal((V, E)),  # unit-size word vectors
        "W1": rng.standard_normal((N * E, H)) / math.sqrt(N * E),  # keeps tanh inputs ~ 1
        "b1": np.zeros(H),
        "W2": rng.standard_normal((H, V)) * (0.1 / math.sqrt(H)),  # small: start near uniform
        "b2": np.zeros(V),
    }


def forward(params: dict, X: np.ndarray) -> tuple[np.ndarray, dict]:
    """X (B, N) int ids -> logits (B, V) float64, and what backward needs."""
    e = embed_fwd(params["C"], X)  # (B, N*E)
    h = tanh_fwd(linear_fwd(e, params["W1"], params["b1"]))  # (B, H)
    logits = linear_fwd(h, params["W2"], params["b2"])  # (B, V)
    return logits, {"X": X, "e": e, "h": h}


def backward(params: dict, cache: dict, dlogits: np.ndarray) -> dict:
    """Gradients of the loss w.r.t. every weight, from dlogits (B, V)."""
    dh, dW2, db2 = linear_bwd(cache["h"], params["W2"], dlogits)  # (B, H)
    dz = tanh_bwd(cache["h"], dh)  # (B, H)
    de, dW1, db1 = linear_bwd(cache["e"], params["W1"], dz)  # (B, N*E)
    dC = np.zeros_like(params["C"])  # (V, E)
    embed_bwd(dC, cache["X"], de)
    return {"C": dC, "W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def loss_and_grads(params: dict, X: np.ndarray, Y: np.ndarray) -> tuple[float, dict]:
    """Mean cross-entropy of next ids Y (B,) given contexts X (B, N), and its gradients."""
    logits, cache = forward(params, X)  # (B, V)
    loss, probs = cross_entropy_fwd(logits, Y)
    return loss, backward(params, cache, cross_entropy_bwd(probs, Y))


def mean_loss(params: dict, X: np.ndarray, Y: np.ndarray, chunk: int = 4096) -> float:
    """Cross-entropy over all examples, computed in chunks to bound memory."""
    total = 0.0
    for i in range(0, len(Y), chunk):
        logits, _ = forward(params, X[i : i + chunk])  # (b, V)
        total += cross_entropy_fwd(logits, Y[i : i + chunk])[0] * len(Y[i : i + chunk])
    return total / len(Y)


# ---------------------------------------------------------------- optimizer


class Adam:
    """Adam with decoupled weight decay (AdamW), updating a dict of arrays in place."""

    def __init__(self, params: dict, weight_decay: float = 0.0, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.wd, self.betas, self.eps = params, weight_decay, betas, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}  # mean of gradients
        self.v = {k: np.zeros_like(v) for k, v in params.items()}  # mean of squared gradients
        self.t = 0

    def step(self, grads: dict, lr: float) -> None:
        """One update: p <- p (1 - lr wd) - lr_t m / (sqrt(v) + eps).

        lr_t = lr sqrt(1 - b2^t) / (1 - b1^t) folds both bias corrections
        (early m and v lean toward 0) into the step size, as in section 2 of
        the Adam paper, so each weight costs a few in-place passes.
        """
        self.t += 1
        b1, b2 = self.betas
        lr_t = lr * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for k, p in self.params.items():
            g, m, v = grads[k], self.m[k], self.v[k]
            m *= b1
            m += (1 - b1) * g  # running mean of gradients
            v *= b2
            v += (1 - b2) * (g * g)  # running mean of squared gradients
            p *= 1 - lr * self.wd  # decoupled weight decay
            p -= lr_t * m / (np.sqrt(v) + self.eps)


def cosine_lr(step: int, total: int, lr: float, lr_min: float) -> float:
    """Step size that falls from lr to lr_min along half a cosine."""
    return lr_min + 0.5 * (lr - lr_min) * (1 + math.cos(math.pi * step / max(total, 1)))


# ---------------------------------------------------------------- training


def windows(ids: Sequence[int], prefix: Sequence[int], n_ctx: int):
    """Contexts (T, N) and targets (T,) for predicting each of ids after prefix (N,)."""
    seq = list(prefix) + list(ids)
    X = [seq[i : i + n_ctx] for i in range(len(ids))]
    return X, list(ids)


def make_examples(sentences: Sequence[Sequence[int]], n_ctx: int, bos_id: int,
                  unk_id: int, cross_sentence: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """All (context, next id) pairs: X (M, N) int64, Y (M,) int64.

    Each sentence is read from a <bos>-padded start. With cross_sentence, its
    first N words are also predicted from the end of the sentence before it,
    so the model learns to begin a new sentence after ".". Pairs whose target
    is <unk> are dropped: the model never learns to say "<unk>".
    """
    X, Y, pad = [], [], [bos_id] * n_ctx
    for i, ids in enumerate(sentences):
        x, y = windows(ids, pad, n_ctx)
        X += x
        Y += y
        if cross_sentence and i > 0:
            x, y = windows(ids[:n_ctx], (pad + list(sentences[i - 1]))[-n_ctx:], n_ctx)
            X += x
            Y += y
    X, Y = np.array(X, dtype=np.int64), np.array(Y, dtype=np.int64)
    keep = Y != unk_id
    return X[keep], Y[keep]


def training_data(sentences: Sequence[Sequence[str]], cfg: LMConfig, tcfg: TrainConfig):
    """Vocabulary from the sentences, and all examples X (M, N), Y (M,) as ids."""
    vocab = Vocab.from_sentences(sentences, tcfg.min_count)
    ids = [vocab.encode(s)[0].tolist() for s in sentences]
    X, Y = make_examples(ids, cfg.n_ctx, vocab.bos_id, vocab.unk_id, tcfg.cross_sentence)
    return vocab, X, Y


def train(params: dict, X: np.ndarray, Y: np.ndarray, tcfg: TrainConfig,
          rng: np.random.Generator, log: Callable[[str], None] | None = None) -> int:
    """Minibatch AdamW on (X, Y), updating params in place. Returns the step count.

    rng only shuffles the examples, afresh each epoch.
    """
    total = math.ceil(len(Y) / tcfg.batch_size) * tcfg.epochs
    total = total if tcfg.max_steps is None else min(total, tcfg.max_steps)
    opt, step = Adam(params, tcfg.weight_decay), 0
    for epoch in range(tcfg.epochs):
        if step >= total:
            break
        order = rng.permutation(len(Y))  # (M,)
        losses = []
        for i in range(0, len(Y), tcfg.batch_size):
            if step >= total:
                break
            batch = order[i : i + tcfg.batch_size]  # (B,)
            loss, grads = loss_and_grads(params, X[batch], Y[batch])
            if not math.isfinite(loss):
                raise FloatingPointError(f"training diverged at step {step}: loss {loss}")
            opt.step(grads, cosine_lr(step, total, tcfg.lr, tcfg.lr_min))
            losses.append(loss)
            step += 1
        if log and losses:
            log(f"epoch {epoch + 1:3d}/{tcfg.epochs}  step {step:6d}  loss {np.mean(losses):.4f}")
    return step


def fit(sentences: Sequence[Sequence[str]], cfg: LMConfig, tcfg: TrainConfig, seed: int,
        log: Callable[[str], None] | None = None) -> TinyLM:
    """Train a TinyLM on tokenized sentences; ``log`` gets one line per epoch.

    Deterministic given seed: SeedSequence(seed) spawns one stream for the
    weight init and one for the batch order, so changing one leaves the other.
    """
    start = time.perf_counter()
    vocab, X, Y = training_data(sentences, cfg, tcfg)
    init_ss, batch_ss = np.random.SeedSequence(seed).spawn(2)
    params = init_params(cfg, len(vocab), np.random.default_rng(init_ss))
    steps = train(params, X, Y, tcfg, np.random.default_rng(batch_ss), log)
    meta = {
        "seed": seed,
        "final_loss": mean_loss(params, X, Y),  # over all examples, final weights
        "steps": steps,
        "examples": len(Y),
        "train_seconds": time.perf_counter() - start,
        "train_config": asdict(tcfg),
    }
    return TinyLM(cfg, vocab, params, meta)


# ---------------------------------------------------------------- the model


@dataclass
class TinyLM:
    """A trained model: its sizes, vocabulary, weights and how it was made."""

    config: LMConfig
    vocab: Vocab
    params: dict  # name -> float64 array, see init_params
    meta: dict = field(default_factory=dict)  # seed, final_loss, corpus_sha256, ...

    def context(self, ids: Sequence[int]) -> np.ndarray:
        """The last N ids, left-padded with <bos>: (N,) int64."""
        n = self.config.n_ctx
        ids = np.asarray(ids, dtype=np.int64).ravel()[-n:]  # (<=N,)
        if ids.size and (ids.min() < 0 or ids.max() >= len(self.vocab)):
            raise ValueError(f"token ids must be in [0, {len(self.vocab)})")
        pad = np.full(n - ids.size, self.vocab.bos_id, dtype=np.int64)
        return np.concatenate([pad, ids])

    def logits(self, context_ids: Sequence[int]) -> np.ndarray:
        """Scores (V,) float64 for the token after context_ids (any length)."""
        logits, _ = forward(self.params, self.context(context_ids)[None, :])  # (1, V)
        return logits[0]

    def encode(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Text -> (ids (T,), unknown (T,)) via tokenize and the vocabulary."""
        return self.vocab.encode(tokenize(text))

    # The interface api.py reads every model through.

    @property
    def n_ctx(self) -> int:
        return self.config.n_ctx

    @property
    def vocab_size(self) -> int:
        return len(self.vocab)

    @property
    def special_ids(self) -> tuple[int, ...]:
        """Ids that are never shown as choices nor drawn."""
        return (self.vocab.bos_id, self.vocab.unk_id)

    @property
    def bos_id(self) -> int:
        return self.vocab.bos_id

    def encode_text(self, text: str) -> list[int]:
        """Text -> token ids (T,)."""
        return self.encode(text)[0].tolist()

    def piece(self, i: int) -> str:
        """Display text of token i."""
        return self.vocab.itos[int(i)]

    def decode_text(self, ids: Sequence[int]) -> str:
        """Ids -> text."""
        return detokenize(self.vocab.decode(ids))

    def save(self, path: Path) -> None:
        """Write an .npz that np.load reads with allow_pickle=False."""
        arrays = {k: self.params[k].astype(np.float32) for k in PARAM_NAMES}
        np.savez_compressed(
            path,
            **arrays,
            vocab=np.array(self.vocab.itos, dtype=np.str_),
            config=np.array(json.dumps(asdict(self.config))),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
            seed=np.array(self.meta.get("seed", -1), dtype=np.int64),
            final_loss=np.array(self.meta.get("final_loss", np.nan), dtype=np.float64),
            corpus_sha256=np.array(self.meta.get("corpus_sha256", "")),
        )

    @classmethod
    def load(cls, path: Path) -> TinyLM:
        """Read a file written by save; weights come back as float64."""
        with np.load(path, allow_pickle=False) as z:
            params = {k: z[k].astype(np.float64) for k in PARAM_NAMES}
            itos = [str(w) for w in z["vocab"]]
            cfg = LMConfig(**json.loads(str(z["config"])))
            meta = json.loads(str(z["meta"]))
        vocab = Vocab(itos[len(SPECIALS) :])
        if vocab.itos != itos:
            raise ValueError(f"{path}: vocabulary is not in the expected order")
        return cls(cfg, vocab, params, meta)


@lru_cache(maxsize=1)
def load_default() -> TinyLM:
    """The shipped model, py/genlab/data/lm.npz (loaded once, then cached)."""
    return TinyLM.load(DEFAULT_WEIGHTS)


# ---------------------------------------------------------------- generation


@dataclass(frozen=True)
class Step:
    """One turn of the generation loop, for the UI to show."""

    context: np.ndarray  # (N,) int64 ids the model read (<bos>-padded)
    logits: np.ndarray  # (V,) float64 scores
    probs: np.ndarray  # (V,) float64 softmax_t(logits, T)
    token: int  # the id that was drawn and appended


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
    p /= p.sum()
    ranked = p[order]  # (V,) the kept ones first, each group by descending probability
    n_p = int(np.searchsorted(np.cumsum(ranked), top_p * (1 - 1e-12)) + 1)  # 2. top-p
    keep[order[n_p:]] = False
    keep &= unfiltered > 0  # underflowed (and banned) tokens cannot be drawn
    p = np.where(keep, unfiltered, 0.0)
    return p / p.sum(), unfiltered, keep


def generate(model: TinyLM, context_ids: Sequence[int], temperature: float,
             rng: np.random.Generator, n_tokens: int, top_k: int = 0,
             top_p: float = 1.0) -> list[Step]:
    """Extend context_ids by n_tokens, one four-step turn at a time.

    score -> softmax_t -> sample -> append, repeat. Returns one Step per new
    token; ``[s.token for s in steps]`` is the generated text's ids.
    """
    check_temperature(temperature)  # fail before the first step, even if n_tokens = 0
    ids = [int(i) for i in np.asarray(context_ids, dtype=np.int64).ravel()]
    steps = []
    for _ in range(n_tokens):
        ctx = model.context(ids)  # (N,) the last N ids
        scores = model.logits(ctx)  # (V,) 1. score every word
        probs = filter_probs(scores, temperature, top_k, top_p, model.special_ids)[0]  # (V,) 2.
        token = sample(probs, rng)  # 3. draw one id
        ids.append(token)  # 4. append it and go again
        steps.append(Step(ctx, scores, probs, token))
    return steps


def surprise_bits(model: TinyLM, ids: Sequence[int]) -> np.ndarray:
    """-log2 p(ids[t] | ids[:t]) for every t, at T = 1 without special tokens: (T,) float64."""
    bits = np.empty(len(ids))
    for t, token in enumerate(ids):
        p = filter_probs(model.logits(ids[:t]), 1.0, banned=model.special_ids)[0]  # (V,)
        bits[t] = -math.log2(max(p[token], 1e-300))
    return bits


def model_bytes() -> int:
    """Bytes the shipped model adds to a first visit (its weight file)."""
    return DEFAULT_WEIGHTS.stat().st_size
