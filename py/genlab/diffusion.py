"""Denoising diffusion: bury data in noise step by step, then learn to undo it.

Forward process (training time only), with a schedule beta_1..beta_T:
    q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I)
    q(x_t | x_0)     = N(sqrt(abar_t) x_0, (1 - abar_t) I),  abar_t = prod_{s<=t} (1 - beta_s)
so any x_t is one line away from x_0:  x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps.

Training (Ho et al. 2020): pick t, draw eps, form x_t, and teach a network
eps_theta(x_t, t, c) to predict eps: a plain mean squared error, the "simple
loss" that makes diffusion train stably.

Reverse process (generation time): from pure noise x_T, each step predicts
the noise, estimates x_0, and moves to an earlier time s < t, either with the
Gaussian posterior q(x_s | x_t, x_0) (DDPM, stochastic) or along the
deterministic path of DDIM (Song et al. 2021). Fewer, longer steps than T
are allowed for both ("respacing": s and t need not be neighbours).

Classifier-free guidance (Ho & Salimans 2022): one network learns both the
conditional eps(x, t, c) and, with c dropped to a "null" class a fraction of
the time, the unconditional eps(x, t, null). Sampling mixes them,
    eps = eps(x, t, null) + w (eps(x, t, c) - eps(x, t, null)),
w = 0 ignores the prompt, w = 1 is the plain conditional model, w > 1
pushes further toward what makes c different.

Arrays of a schedule have T + 1 entries, index t = 0..T, with t = 0 the
clean data (beta_0 = 0, abar_0 = 1). Data x are float32 (B, D).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from .nn import Adam, init_weight, linear_bwd, linear_fwd, relu_bwd, relu_fwd

SCHEDULES = ("linear", "cosine")
SAMPLERS = ("ddpm", "ddim")
SHAPES_2D = ("ring", "spiral", "moons", "gaussian")  # the 2D model's prompts, in class order
MAX_T = 1000  # the most diffusion steps a schedule may have
MAX_BETA = 0.999  # betas are clipped here so that sqrt(1 - beta) stays away from 0
LINEAR_BETAS = (1e-4, 0.02)  # Ho et al.'s range for T = 1000, rescaled for other T
COSINE_OFFSET = 0.008  # Nichol & Dhariwal's s: keeps beta_1 from being tiny
N_FREQ = 8  # sinusoidal time features: sin and cos at N_FREQ frequencies
LOSS_LIMIT = 50.0  # a loss past this has blown up: predicting no noise at all scores about 1


# ---------------------------------------------------------------- schedules


@dataclass(frozen=True)
class Schedule:
    """beta, alpha = 1 - beta and alpha_bar, each float64 (T + 1,) with index 0 = clean."""

    kind: str
    beta: np.ndarray
    alpha: np.ndarray
    alpha_bar: np.ndarray

    @property
    def T(self) -> int:
        return len(self.beta) - 1


def schedule(kind: str, T: int) -> Schedule:
    """The linear (Ho et al.) or cosine (Nichol & Dhariwal) noise schedule with T steps.

    Rescaled for T, the linear betas add up to the same total for any T, but with
    T below about 10 they are clipped and the last step is not yet pure static.
    """
    if kind not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, not {kind!r}")
    if not isinstance(T, int) or not 1 <= T <= MAX_T:
        raise ValueError(f"T must be a whole number from 1 to {MAX_T}, not {T!r}")
    if kind == "linear":
        lo, hi = (b * 1000 / T for b in LINEAR_BETAS)  # same total noise for any T
        beta = np.linspace(lo, hi, T)  # (T,)
    else:
        t = np.arange(T + 1) / T  # (T + 1,)
        f = np.cos((t + COSINE_OFFSET) / (1 + COSINE_OFFSET) * np.pi / 2) ** 2
        beta = 1 - f[1:] / f[:-1]  # (T,): abar_t / abar_{t-1} = f(t) / f(t - 1)
    beta = np.concatenate([[0.0], np.clip(beta, 0, MAX_BETA)])  # (T + 1,)
    alpha = 1 - beta
    return Schedule(kind, beta, alpha, np.cumprod(alpha))


def q_sample(x0: np.ndarray, t, eps: np.ndarray, sch: Schedule) -> np.ndarray:
    """x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps; t an int or (B,) ints (one per row)."""
    ab = sch.alpha_bar[t]
    if np.ndim(ab):
        ab = ab.reshape(-1, *([1] * (x0.ndim - 1)))  # (B, 1, ...): one level per row
    return (np.sqrt(ab) * x0 + np.sqrt(1 - ab) * eps).astype(x0.dtype)


def posterior(x0: np.ndarray, xt: np.ndarray, t: int, s: int, sch: Schedule):
    """Mean and variance of q(x_s | x_t, x_0) for 0 <= s < t (s = t - 1 is one DDPM step).

    With a = abar_t / abar_s (the signal kept from s to t) and b = 1 - a:
        mean = sqrt(abar_s) b / (1 - abar_t) x0 + sqrt(a) (1 - abar_s) / (1 - abar_t) xt
        var  = b (1 - abar_s) / (1 - abar_t)
    """
    ab_t, ab_s = sch.alpha_bar[t], sch.alpha_bar[s]
    a = ab_t / ab_s
    b = 1 - a
    mean = (math.sqrt(ab_s) * b / (1 - ab_t)) * x0 + (math.sqrt(a) * (1 - ab_s) / (1 - ab_t)) * xt
    return mean, b * (1 - ab_s) / (1 - ab_t)


def timesteps(T: int, steps: int) -> np.ndarray:
    """The times a sampler visits, T down to 0: steps + 1 distinct ints (steps <= T)."""
    if not isinstance(steps, int) or not 1 <= steps <= T:
        raise ValueError(f"sampling steps must be a whole number from 1 to T = {T}, not {steps!r}")
    return np.round(np.linspace(T, 0, steps + 1)).astype(int)  # distinct since steps <= T


def time_features(t: np.ndarray, T: int) -> np.ndarray:
    """(B,) times -> (B, 2 N_FREQ): sin and cos of pi 2^k t / T, k = 0..N_FREQ - 1."""
    angle = (np.asarray(t, np.float64)[:, None] / T) * (np.pi * 2.0 ** np.arange(N_FREQ))
    return np.concatenate([np.sin(angle), np.cos(angle)], axis=1)  # (B, 2 N_FREQ)


# ---------------------------------------------------------------- the denoiser


class Denoiser:
    """eps_theta(x, t, c): an MLP whose every hidden layer also sees an embedding of (t, c).

        e   = [time_features(t), one_hot(c)]            (B, E), c = n_classes is "null"
        h_1 = relu(x W_0 + e U_0 + b_0)                  (B, H)
        h_l = relu(h_{l-1} W_{l-1} + e U_{l-1} + b_{l-1}) (B, H), l = 2..depth
        eps = h_depth W_out + b_out                      (B, D)

    Adding e U_l to every layer (not only the first) lets each layer know how
    noisy its input is. At sampling time all points share t and c, so e U is
    one row, broadcast: its cost vanishes there. The U_l sit side by side in one
    (E, depth H) block, so one matmul gives all of them.
    Weights are one flat float32 vector (see nn.MLP); grad has the same layout.
    """

    def __init__(self, dim: int, n_classes: int, hidden: int, depth: int, T: int,
                 rng: np.random.Generator, dtype=np.float32):
        self.dim, self.n_classes, self.hidden, self.depth, self.T = dim, n_classes, hidden, depth, T
        self.E = 2 * N_FREQ + n_classes + 1  # time features, then one-hot class (last = null)
        ins = [dim] + [hidden] * (depth - 1)
        shapes = [(i, hidden) for i in ins] + [(self.E, depth * hidden), (depth * hidden,),
                                               (hidden, dim), (dim,)]
        self.flat = np.zeros(sum(math.prod(s) for s in shapes), dtype)
        self.grad = np.zeros_like(self.flat)
        views, gviews, at = [], [], 0
        for s in shapes:
            n = math.prod(s)
            views.append(self.flat[at:at + n].reshape(s))
            gviews.append(self.grad[at:at + n].reshape(s))
            at += n
        self.W, (self.U, self.b, self.W_out, self.b_out) = views[:depth], views[depth:]
        self.dW, (self.dU, self.db, self.dW_out, self.db_out) = gviews[:depth], gviews[depth:]
        for W in self.W:
            W[...] = init_weight(W.shape, "relu", rng)
        self.U[...] = init_weight(self.U.shape, "relu", rng)
        self.W_out[...] = init_weight(self.W_out.shape, "identity", rng)

    def embed(self, t, c) -> np.ndarray:
        """(B,) times and (B,) classes (n_classes = null) -> e (B, E) float32."""
        t, c = np.atleast_1d(t), np.atleast_1d(c)
        onehot = np.zeros((len(c), self.n_classes + 1))
        onehot[np.arange(len(c)), c] = 1
        return np.concatenate([time_features(t, self.T), onehot], axis=1).astype(self.flat.dtype)

    def forward(self, x: np.ndarray, e: np.ndarray):
        """x (B, D), e (B, E) or (1, E) -> eps (B, D), cache for backward."""
        eu = linear_fwd(e, self.U, self.b)  # (B or 1, depth H): every layer's share of e
        hs = [np.asarray(x, self.flat.dtype)]
        for layer, W in enumerate(self.W):
            z = hs[-1] @ W  # (B, H)
            z += eu[:, layer * self.hidden:(layer + 1) * self.hidden]
            hs.append(relu_fwd(z))  # (B, H)
        return linear_fwd(hs[-1], self.W_out, self.b_out), (hs, e)  # (B, D)

    def backward(self, cache, dy: np.ndarray) -> None:
        """dL/deps (B, D) -> every weight's gradient, written into grad.

        Needs the forward to have had one embedding row per example (B, E), as in training.
        """
        hs, e = cache
        dh = linear_bwd(hs[-1], self.W_out, dy, self.dW_out, self.db_out)  # (B, H)
        dz_all = np.empty((len(dy), self.depth * self.hidden), dy.dtype)  # (B, depth H)
        for layer in reversed(range(self.depth)):
            dz = relu_bwd(hs[layer + 1], dh)  # (B, H)
            dz_all[:, layer * self.hidden:(layer + 1) * self.hidden] = dz
            dh = self._layer_bwd(layer, hs[layer], dz)  # (B, H) or None at the input
        linear_bwd(e, self.U, dz_all, self.dU, self.db, want_dx=False)

    def _layer_bwd(self, layer: int, h: np.ndarray, dz: np.ndarray):
        """dW_layer = h^T dz; returns dh = dz W^T (None at the input, which needs none)."""
        np.matmul(h.T, dz, out=self.dW[layer])  # (I, H)
        return dz @ self.W[layer].T if layer > 0 else None  # (B, I)


# ---------------------------------------------------------------- a model and its training


@dataclass(frozen=True)
class DiffusionConfig:
    """Everything that defines a model and its training run."""

    dim: int = 2  # D: numbers per data point (2 for the plane, 64 for an 8x8 digit)
    n_classes: int = 0  # prompts the model knows; 0 = unconditional (only "null")
    hidden: int = 64  # H: units per hidden layer
    depth: int = 3  # hidden layers
    T: int = 100  # diffusion steps of the forward process
    schedule: str = "linear"  # one of SCHEDULES
    lr: float = 2e-3  # Adam's step size
    batch: int = 256  # training examples per step
    p_uncond: float = 0.15  # how often the prompt is dropped to "null" in training (for CFG)
    ema: float = 0.995  # decay of the weights' moving average used for sampling
    clip: float = 1.5  # estimates of x_0 are clipped to [-clip, clip] while sampling
    seed: int = 0  # seeds the weights and the training noise


class Diffusion:
    """A denoiser, its schedule, optimiser and moving-average weights."""

    def __init__(self, cfg: DiffusionConfig):
        self.cfg, self.step = cfg, 0
        init, self.rng = (np.random.default_rng(s) for s in np.random.SeedSequence(cfg.seed).spawn(2))
        self.sch = schedule(cfg.schedule, cfg.T)
        self.net = Denoiser(cfg.dim, cfg.n_classes, cfg.hidden, cfg.depth, cfg.T, init)
        self.ema = self.net.flat.copy()  # what sampling uses
        self.opt = Adam([self.net.flat], cfg.lr)
        self.good = [a.copy() for a in self._state()]  # the last good state, see train
        self.good_t = 0

    @property
    def null(self) -> int:
        return self.cfg.n_classes

    def loss(self, x0: np.ndarray, c: np.ndarray, want_grads: bool = True) -> float:
        """The simple loss mean |eps_theta(x_t, t, c) - eps|^2 on a batch x0 (B, D), c (B,)."""
        n = len(x0)
        t = self.rng.integers(1, self.cfg.T + 1, n)  # (B,) a random time per example
        eps = self.rng.standard_normal(x0.shape, np.float32)  # (B, D)
        drop = self.rng.random(n) < self.cfg.p_uncond  # (B,) forget the prompt sometimes
        e = self.net.embed(t, np.where(drop, self.null, c))  # (B, E)
        pred, cache = self.net.forward(q_sample(x0, t, eps, self.sch), e)  # (B, D)
        diff = pred - eps  # (B, D)
        if want_grads:
            self.net.backward(cache, diff * np.float32(2 / diff.size))
        return float(np.mean(diff * diff))

    def train(self, steps: int, data) -> tuple[np.ndarray, str]:
        """steps Adam steps on batches from data(n, rng) -> (x0 (n, D), c (n,)).

        Returns (losses (steps done,) float32, "" or why training stopped). A
        step whose loss or weights are not finite is undone (the state before
        it is put back), as in gan.Gan.train.
        """
        losses = np.zeros(steps, np.float32)
        with np.errstate(all="ignore"):
            for i in range(steps):
                x0, c = data(self.cfg.batch, self.rng)
                losses[i] = self.loss(x0, c)
                self.opt.step([self.net.grad])
                reason = self._check(losses[i])
                if reason:
                    self._restore()
                    return losses[:i], reason
                self.ema += (1 - self.cfg.ema) * (self.net.flat - self.ema)
                self._save()
                self.step += 1
        return losses, ""

    def _check(self, loss: float) -> str:
        if not math.isfinite(loss):
            return f"the loss became {loss} at step {self.step + 1}"
        if loss > LOSS_LIMIT:
            return (f"the loss blew up to {loss:.3g} at step {self.step + 1} (predicting no noise "
                    f"at all would score about 1)")
        if not np.isfinite(self.net.flat).all():
            return f"a weight became infinite or NaN at step {self.step + 1}"
        return ""

    def _state(self) -> list[np.ndarray]:
        return [self.net.flat, self.ema, *self.opt.state()]

    def _save(self) -> None:
        for keep, now in zip(self.good, self._state()):
            np.copyto(keep, now)
        self.good_t = self.opt.t

    def _restore(self) -> None:
        for keep, now in zip(self.good, self._state()):
            np.copyto(now, keep)
        self.opt.t = self.good_t

    def sampler_net(self) -> Denoiser:
        """A denoiser holding the moving-average weights (a copy: training goes on)."""
        cfg = self.cfg
        net = Denoiser(cfg.dim, cfg.n_classes, cfg.hidden, cfg.depth, cfg.T, np.random.default_rng(0))
        np.copyto(net.flat, self.ema)
        return net

    def save(self, path: Path, meta: dict) -> None:
        """The moving-average weights, the config and meta (plain values) in one .npz."""
        np.savez_compressed(path, flat=self.ema, config=np.array(repr(asdict(self.cfg))),
                            meta=np.array(repr(meta)))


@dataclass
class Shipped:
    """A trained model loaded from its .npz: what sampling needs, and its story."""

    cfg: DiffusionConfig
    net: Denoiser
    sch: Schedule
    meta: dict


def load(path: Path) -> Shipped:
    """Read a model written by Diffusion.save."""
    import ast
    with np.load(path, allow_pickle=False) as f:
        cfg = DiffusionConfig(**ast.literal_eval(str(f["config"])))
        meta = ast.literal_eval(str(f["meta"]))
        flat = f["flat"]
    net = Denoiser(cfg.dim, cfg.n_classes, cfg.hidden, cfg.depth, cfg.T, np.random.default_rng(0))
    if flat.shape != net.flat.shape:
        raise ValueError(f"{path.name}: {flat.size} weights, the config needs {net.flat.size}")
    np.copyto(net.flat, flat)
    return Shipped(cfg, net, schedule(cfg.schedule, cfg.T), meta)


# ---------------------------------------------------------------- sampling


def guided_eps(net: Denoiser, x: np.ndarray, t: int, c: int, scale: float) -> np.ndarray:
    """Classifier-free guidance: eps_null + scale (eps_c - eps_null), for all rows of x (B, D).

    scale 0 needs only the unconditional pass and scale 1 only the
    conditional one; anything else runs both.
    """
    null = net.n_classes
    if scale == 0 or c == null:
        return net.forward(x, net.embed([t], [null]))[0]
    cond = net.forward(x, net.embed([t], [c]))[0]  # (B, D)
    if scale == 1:
        return cond
    uncond = net.forward(x, net.embed([t], [null]))[0]  # (B, D)
    return uncond + np.float32(scale) * (cond - uncond)


def sample(net: Denoiser, sch: Schedule, x: np.ndarray, c: int, scale: float, steps: int,
           sampler: str, rng: np.random.Generator, clip: float) -> np.ndarray:
    """Run the reverse process from x = x_T (B, D) in `steps` jumps; c the prompt (null = none).

    Returns the whole path, float32 (steps + 1, B, D): [0] is x_T, [-1] the sample.
    Each jump t -> s: predict eps, estimate x_0 = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t)
    (clipped to [-clip, clip]), then DDPM draws x_s from q(x_s | x_t, x_0) and DDIM
    moves to sqrt(abar_s) x_0 + sqrt(1 - abar_s) eps, with no new noise.
    """
    return sample_with_guesses(net, sch, x, c, scale, steps, sampler, rng, clip)[0]


def sample_with_guesses(net: Denoiser, sch: Schedule, x: np.ndarray, c: int, scale: float, steps: int,
                        sampler: str, rng: np.random.Generator, clip: float) -> tuple[np.ndarray, np.ndarray]:
    """sample's path, and beside it the model's running guess of the clean point.

    Returns (path, guesses), both float32 (steps + 1, B, D): guesses[i] is the x_0 the
    model predicts from path[i]; the last guess is the sample itself.
    """
    if sampler not in SAMPLERS:
        raise ValueError(f"sampler must be one of {', '.join(SAMPLERS)}, not {sampler!r}")
    ts = timesteps(sch.T, steps)
    path = np.empty((len(ts), *x.shape), np.float32)  # (steps + 1, B, D)
    guesses = np.empty_like(path)  # (steps + 1, B, D)
    path[0] = x
    for i, (t, s) in enumerate(zip(ts[:-1], ts[1:])):
        ab_t, ab_s = sch.alpha_bar[t], sch.alpha_bar[s]
        eps = guided_eps(net, x, t, c, scale)  # (B, D)
        x0 = np.clip((x - math.sqrt(1 - ab_t) * eps) / math.sqrt(ab_t), -clip, clip)
        guesses[i] = x0
        if sampler == "ddim":
            eps = (x - math.sqrt(ab_t) * x0) / math.sqrt(1 - ab_t)  # the eps that clipped x0 implies
            x = math.sqrt(ab_s) * x0 + math.sqrt(1 - ab_s) * eps
        else:
            mean, var = posterior(x0, x, t, s, sch)
            noise = rng.standard_normal(x.shape, np.float32)
            x = (mean + math.sqrt(var) * noise).astype(np.float32)  # var = 0 at s = 0
        path[i + 1] = x
    guesses[-1] = path[-1]
    return path, guesses


def variety(x: np.ndarray) -> float:
    """How different samples x (N, D) are: the mean absolute difference per coordinate,
    averaged over all N (N - 1) / 2 pairs. 0 when all samples are the same."""
    n = len(x)
    if n < 2:
        return 0.0
    total = 0.0
    for i in range(n - 1):  # one row against the rest: (N - 1 - i, D) at a time, little memory
        total += float(np.abs(x[i + 1:] - x[i]).mean(axis=1).sum())
    return total / (n * (n - 1) / 2)


def ink(x: np.ndarray) -> np.ndarray:
    """Digit pixels in [-1, 1] (1 = ink) as shares of ink in [0, 1], clipped."""
    return np.clip((x + 1) / 2, 0, 1)


def class_variety(x: np.ndarray, y: np.ndarray, label: int | None, n_all: int = 400) -> float:
    """variety of the ink of real digits x (N, D) of one class; label None: of the first n_all
    digits of every class (enough for a mean)."""
    picked = x[:n_all] if label is None else x[y == label]
    return variety(ink(picked))


def nn_distance(a: np.ndarray, b: np.ndarray, chunk: int = 512) -> np.ndarray:
    """For each row of a (N, D), the distance to its nearest row of b (M, D): (N,)."""
    b2 = np.sum(b * b, axis=1)  # (M,)
    out = np.empty(len(a))
    for i in range(0, len(a), chunk):
        part = a[i:i + chunk]  # (n, D)
        d2 = np.sum(part * part, axis=1)[:, None] - 2 * part @ b.T + b2  # (n, M)
        out[i:i + chunk] = np.sqrt(np.maximum(d2.min(axis=1), 0))
    return out


# ---------------------------------------------------------------- digits data

DIGITS = Path(__file__).parent / "data" / "digits.csv.gz"  # UCI digits, see data/SOURCES.md
DIGIT_SIDE = 8  # 8 x 8 pixels
DIGIT_MAX = 16.0  # pixel values are counts 0..16


def load_digits(path: Path = DIGITS) -> tuple[np.ndarray, np.ndarray]:
    """The 1,797 UCI digits: images float32 (N, 64) scaled to [-1, 1], labels int (N,)."""
    import gzip
    with gzip.open(path, "rt") as f:
        table = np.loadtxt(f, delimiter=",")  # (N, 65): 64 pixels, then the label
    return (table[:, :-1] / (DIGIT_MAX / 2) - 1).astype(np.float32), table[:, -1].astype(int)


def centroids(x: np.ndarray, y: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """The mean image of each class: (K, D), a nearest-centroid classifier."""
    return np.stack([x[y == k].mean(axis=0) for k in range(n_classes)])


def classify(x: np.ndarray, cents: np.ndarray) -> np.ndarray:
    """Nearest centroid's class for each row of x (N, D): (N,) ints."""
    d2 = np.sum(x * x, axis=1)[:, None] - 2 * x @ cents.T + np.sum(cents * cents, axis=1)
    return np.argmin(d2, axis=1)
