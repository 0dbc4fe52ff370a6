"""A generative adversarial network on the plane: a forger and a detective.

The *generator* G (the forger) turns random noise z into a point on the
plane; the *discriminator* D (the detective) looks at a point and gives a
score (a logit) for "this came from the real data". They train in turn:

    D step (k times): real points -> D -> "real";  G(z) -> D -> "fake"
    G step:           G(z) -> D -> "real"   (fool the detective)

Losses, with l = D(x) and n the batch size (see LOSSES):
    "nonsat" (Goodfellow et al. 2014, non-saturating):
        L_D = mean softplus(-l_real) + mean softplus(l_fake)
            = -mean log s(l_real) - mean log(1 - s(l_fake)),  s = sigmoid
        L_G = mean softplus(-l_fake) = -mean log s(l_fake)
    "lsgan" (Mao et al. 2017, least squares):
        L_D = 1/2 mean (l_real - 1)^2 + 1/2 mean l_fake^2
        L_G = 1/2 mean (l_fake - 1)^2
Both are "loss of the logits against a target": 1 for real, 0 for fake, and
the generator asks for 1 on its fakes.

Randomness: SeedSequence(seed).spawn(5) gives separate streams for G's and
D's initial weights, the real data, the training noise, and a FIXED batch of
noise (and real points) drawn once for the pictures, so that frames of a run
compare, the pictures never change the training, and changing one knob (the
latent size, the target) leaves the other streams as they were.

Pictures of progress (see view): the detective's verdict on a grid, the
forger's push on its points, a grid JSD against the fixed real points, on
the ring the number of modes covered (modes_covered), and the forger's map
(latent_mesh): G over a grid of the first two latent coordinates, which
folds onto a few spots when the forger collapses.

Points are float32 (N, 2); the plane shown is EXTENT.
"""

from __future__ import annotations

import functools
import math
import numbers
import time
from dataclasses import asdict, dataclass, fields

import numpy as np

from .nn import MLP, Adam, sigmoid

EXTENT = (-1.5, 1.5, -1.5, 1.5)  # xmin, xmax, ymin, ymax of the plane shown and measured
GRID = 40  # the detective's verdict is drawn on a GRID x GRID raster (1,600 points)
N_VIEW = 256  # generated points drawn: the first N_VIEW of the fixed batch
N_EVAL = 1024  # fixed fake and real points measured by the JSD
JSD_BINS = 24  # JSD histograms: JSD_BINS x JSD_BINS cells over EXTENT
JSD_CONVERGED = 0.25  # the ring counts as learned below this grid JSD (see grid_jsd)
MODE_RADIUS = 0.25  # a ring mode's fakes lie within this distance of its centre
MODE_SHARE = 0.25  # a mode is covered by at least this part of its fair share of fakes
PILE_RADIUS = 0.05  # a pile: fakes within this distance of one spot ...
PILE_SHARE = 1 / 8  # ... at least this part of the fixed fakes (128 of 1,024) ...
PILE_OVER_REAL = 3  # ... and this many times the real points there (see piles)
MAX_PILES = 4  # piles reported per frame, biggest first
PILE_BINS = round((EXTENT[1] - EXTENT[0]) / PILE_RADIUS)  # piles are looked for in squares this wide
MESH_SIDE = 17  # the forger's map: a MESH_SIDE x MESH_SIDE grid of latent points
BETAS = (0.5, 0.999)  # Adam for GANs (Radford et al. 2015): a short gradient memory
MAX_CUSTOM_POINTS = 1000  # painted points accepted for the "custom" target

TARGETS = ("ring", "spiral", "moons", "gaussian", "custom")
LOSS_NAMES = ("nonsat", "lsgan")
ACTIVATION_NAMES = ("relu", "leaky_relu", "tanh")  # tanh is smooth but slow in WebAssembly
MODES = ("both", "detective", "forger")  # who learns: both, D only, G only

RING_RADIUS, RING_MODES, RING_STD = 1.0, 8, 0.08  # 8 Gaussians on a circle
SPIRAL_TURNS, SPIRAL_STD = 1.75, 0.04  # r grows from 0.15 to 1.15 over the turns
MOONS_SCALE, MOONS_STD = 0.8, 0.05  # two interleaved half circles
GAUSS_CENTER, GAUSS_STD = (0.4, 0.3), 0.25  # one round blob, off centre
CUSTOM_STD = 0.04  # jitter around each painted point


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class GanConfig:
    """Everything that defines a run. Bounds and kinds: SETTINGS.

    The defaults learn the ring (grid JSD below JSD_CONVERGED): natively,
    seeds 0-15 all but one got there within 3,000 steps, in a median of
    1,750 (checked every 250; 1,625 for seeds 0-7, as with a 4-d latent). In that race relu beat leaky relu and
    lr 1.5e-3 was steadier than 2e-3; width 32 and batch 128 keep a step
    near 2.5 ms in WebAssembly (batch 256 converges in fewer steps but each
    costs 2.6x). A 3-d latent, not 4-d: at step 3,000 the 4-d forger left
    one mode starved (under 32 of the 1,024 fixed fakes) for 3 of seeds
    0-7, and the 3-d one for none (issue 24). Learning rates, Adam's betas,
    the loss, the width and the depth did not fix it (docs/benchmarks.md).
    """

    target: str = "ring"  # the real data: one of TARGETS
    lr_g: float = 1.5e-3  # the generator's Adam step size
    lr_d: float = 1.5e-3  # the discriminator's Adam step size
    d_steps: int = 1  # discriminator updates per generator update (k)
    width: int = 32  # hidden units per layer, both networks
    depth: int = 2  # hidden layers, both networks
    activation: str = "relu"  # after each hidden layer: one of ACTIVATION_NAMES
    latent: int = 3  # size of the noise vector z fed to the generator
    batch: int = 128  # real points and fake points per step (each)
    loss: str = "nonsat"  # "nonsat" (non-saturating) or "lsgan" (least squares)
    seed: int = 0  # seeds the weights, the data, the noise and the fixed batch


SETTINGS = {  # name -> (min, max, kind), or (choices, None, "choice")
    "target": (TARGETS, None, "choice"),
    "lr_g": (1e-5, 1.0, "float"),
    "lr_d": (1e-5, 1.0, "float"),
    "d_steps": (1, 10, "int"),
    "width": (4, 128, "int"),
    "depth": (1, 4, "int"),
    "activation": (ACTIVATION_NAMES, None, "choice"),
    "latent": (1, 16, "int"),
    "batch": (16, 512, "int"),
    "loss": (LOSS_NAMES, None, "choice"),
    "seed": (0, 2**32 - 1, "int"),
}

PRESETS = {  # name -> (changes from the defaults, one sentence for the learner)
    "default": (
        {},
        "Forger and detective learn at the same pace, and within a couple of thousand "
        "steps the forger's points spread over all eight modes of the ring."),
    "mode collapse": (
        {"lr_g": 2e-2, "lr_d": 3e-4, "latent": 4},  # the 4-d latent it was tuned with (issue 24)
        "Mode collapse: the forger learns about 65 times faster than the detective, so it "
        "piles all its points onto whichever spot the detective rates most real right now, "
        "and hops to another spot once the detective catches up. It never spreads over the "
        "ring: at most a few modes are covered, and its map folds onto a spot or two."),
}


def _check_one(name: str, value):
    """value converted to the setting's kind, or ValueError naming the setting and its range."""
    lo, hi, kind = SETTINGS[name]
    if kind == "choice":
        if not isinstance(value, str) or value not in lo:
            raise ValueError(f"{name} must be one of {', '.join(lo)}, not {value!r}")
        return value
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) \
        and math.isfinite(value) and lo <= value <= hi
    if not ok or (kind == "int" and not float(value).is_integer()):
        what = "a whole number" if kind == "int" else "a number"
        raise ValueError(f"{name} must be {what} from {lo:g} to {hi:g}, not {value!r}")
    return int(value) if kind == "int" else float(value)


def make_config(settings: dict | None = None) -> GanConfig:
    """GanConfig from a dict of some settings (the rest default); ValueError if one is bad."""
    settings = dict(settings or {})
    unknown = sorted(set(settings) - set(SETTINGS))
    if unknown:
        raise ValueError(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(SETTINGS)}")
    values = {**asdict(GanConfig()), **settings}
    return GanConfig(**{f.name: _check_one(f.name, values[f.name]) for f in fields(GanConfig)})


def preset(name: str) -> GanConfig:
    """The GanConfig of a named preset."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; known: {', '.join(PRESETS)}")
    return make_config(PRESETS[name][0])


# ---------------------------------------------------------------- targets


def ring_centres() -> np.ndarray:
    """The RING_MODES centres of the ring: (RING_MODES, 2) float64, mode 0 at angle 0."""
    angle = np.arange(RING_MODES) * (2 * np.pi / RING_MODES)  # (M,)
    return RING_RADIUS * np.stack([np.cos(angle), np.sin(angle)], axis=1)  # (M, 2)


def ring(n: int, rng: np.random.Generator) -> np.ndarray:
    """RING_MODES Gaussians evenly spaced on a circle: (n, 2)."""
    centres = ring_centres()[rng.integers(0, RING_MODES, n)]  # (n, 2)
    return centres + RING_STD * rng.standard_normal((n, 2))


def spiral(n: int, rng: np.random.Generator) -> np.ndarray:
    """Points along an Archimedean spiral r = 0.15 + t, t in [0, 1]: (n, 2)."""
    t = np.sqrt(rng.random(n))  # (n,), sqrt: even density along the arm
    angle = 2 * np.pi * SPIRAL_TURNS * t
    r = 0.15 + t
    return r[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1) \
        + SPIRAL_STD * rng.standard_normal((n, 2))  # (n, 2)


def moons(n: int, rng: np.random.Generator) -> np.ndarray:
    """Two interleaved half circles (scikit-learn's make_moons), centred: (n, 2)."""
    angle = np.pi * rng.random(n)  # (n,)
    lower = rng.random(n) < 0.5  # (n,) which moon
    x = np.where(lower, 1 - np.cos(angle), np.cos(angle)) - 0.5
    y = np.where(lower, 0.5 - np.sin(angle), np.sin(angle)) - 0.25
    return MOONS_SCALE * np.stack([x, y], axis=1) + MOONS_STD * rng.standard_normal((n, 2))


def gaussian(n: int, rng: np.random.Generator) -> np.ndarray:
    """One round Gaussian off the centre: (n, 2)."""
    return np.asarray(GAUSS_CENTER) + GAUSS_STD * rng.standard_normal((n, 2))


def custom(n: int, rng: np.random.Generator, points: np.ndarray) -> np.ndarray:
    """Painted points (P, 2), each picked equally often, with CUSTOM_STD jitter: (n, 2)."""
    picks = rng.integers(0, len(points), n)  # (n,)
    return points[picks] + CUSTOM_STD * rng.standard_normal((n, 2))


def check_points(points) -> np.ndarray:
    """Painted points as float64 (P, 2), 1 <= P <= MAX_CUSTOM_POINTS, inside EXTENT."""
    p = np.asarray(points if points is not None else [], dtype=np.float64)
    if p.ndim != 2 or p.shape[1] != 2 or not 1 <= len(p) <= MAX_CUSTOM_POINTS:
        raise ValueError(f"points must be a list of 1 to {MAX_CUSTOM_POINTS} [x, y] pairs")
    x0, x1, y0, y1 = EXTENT
    inside = (p[:, 0] >= x0) & (p[:, 0] <= x1) & (p[:, 1] >= y0) & (p[:, 1] <= y1)
    if not np.isfinite(p).all() or not inside.all():
        raise ValueError(f"points must be finite and inside x {x0:g}..{x1:g}, y {y0:g}..{y1:g}")
    return p


def sample_target(name: str, n: int, rng: np.random.Generator, points=None) -> np.ndarray:
    """n points float32 (n, 2) of a target; "custom" needs points (P, 2) (see check_points)."""
    if name == "custom":
        if points is None:
            raise ValueError("the custom target needs painted points")
        return custom(n, rng, np.asarray(points, np.float64)).astype(np.float32)
    sampler = {"ring": ring, "spiral": spiral, "moons": moons, "gaussian": gaussian}.get(name)
    if sampler is None:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, not {name!r}")
    return sampler(n, rng).astype(np.float32)


# ---------------------------------------------------------------- losses
# A loss of logits l (n, 1) against a target t (0 or 1, or an (n, 1) array
# of them): returns (sum of per-point losses / n, dL/dl (n, 1)).


def bce_loss(logits: np.ndarray, t, n: int) -> tuple[float, np.ndarray]:
    """-[t log s(l) + (1 - t) log(1 - s(l))] = softplus(l) - t l; d/dl = s(l) - t."""
    loss = np.sum(np.logaddexp(0, logits) - t * logits) / n  # logaddexp(0, l) = softplus(l)
    return float(loss), (sigmoid(logits) - t) / n  # (n, 1)


def lsq_loss(logits: np.ndarray, t, n: int) -> tuple[float, np.ndarray]:
    """1/2 (l - t)^2; d/dl = l - t."""
    diff = logits - t  # (n, 1)
    return float(np.sum(diff * diff) / (2 * n)), diff / n


LOSSES = {"nonsat": bce_loss, "lsgan": lsq_loss}


def verdict(logits: np.ndarray, loss: str) -> np.ndarray:
    """D's verdict in [0, 1], 1 = "real": sigmoid(l) for nonsat; l clipped to [0, 1] for lsgan.

    An LSGAN detective is trained to output 1 on real points and 0 on
    fakes, so its raw output, clipped, is read the same way.
    """
    return sigmoid(logits) if loss == "nonsat" else np.clip(logits, 0, 1)


# ---------------------------------------------------------------- divergence


def grid_indices(points: np.ndarray, bins: int, extent=EXTENT) -> np.ndarray:
    """Cell index row * bins + col (intp) of each point; outside points go to edge cells."""
    x0, x1, y0, y1 = extent
    col = np.clip(np.floor((points[:, 0] - x0) * (bins / (x1 - x0))), 0, bins - 1)  # (N,)
    row = np.clip(np.floor((points[:, 1] - y0) * (bins / (y1 - y0))), 0, bins - 1)  # (N,)
    return (row * bins + col).astype(np.intp)  # (N,) int32 in wasm, int64 natively


def grid_jsd(real: np.ndarray, fake: np.ndarray, bins: int = JSD_BINS, extent=EXTENT) -> float:
    """Jensen-Shannon divergence, in bits, between the 2D histograms of two point sets.

    Each set (N, 2) is counted on a bins x bins grid over extent (points
    outside go to the nearest edge cell, so a forger that wanders off still
    counts) and normalised to probabilities p, q. With m = (p + q) / 2:

        JSD = 1/2 sum p log2(p / m) + 1/2 sum q log2(q / m)

    Base 2, so 0 <= JSD <= 1: 0 for identical histograms, 1 for histograms
    with no cell in common. No smoothing and no epsilon: m > 0 wherever
    p > 0 or q > 0, and cells with p = 0 contribute 0 (0 log 0 = 0).

    Like GAN Lab's, this compares histograms, not the distributions: two
    samples of 1,024 ring points score about 0.05 on the default 24 x 24
    grid (cells 0.125 wide). For scale (ring, 1,024 points each): a forger
    with 7 of the 8 modes scores about 0.12, with 4 of them 0.37, with 1 of
    them 0.73; JSD_CONVERGED = 0.25 is reached when all eight modes are
    covered with most points on them.
    """
    p = np.bincount(grid_indices(real, bins, extent), minlength=bins * bins) / len(real)
    q = np.bincount(grid_indices(fake, bins, extent), minlength=bins * bins) / len(fake)
    m = (p + q) / 2  # (bins^2,)
    return 0.5 * _kl_bits(p, m) + 0.5 * _kl_bits(q, m)


def _kl_bits(p: np.ndarray, m: np.ndarray) -> float:
    """sum p log2(p / m) over cells with p > 0."""
    nz = p > 0
    return float(np.sum(p[nz] * np.log2(p[nz] / m[nz])))


def mode_counts(fake: np.ndarray) -> np.ndarray:
    """How many of the fakes (N, 2) lie within MODE_RADIUS of each ring centre: (RING_MODES,) int."""
    diff = fake[:, None, :] - ring_centres()[None].astype(fake.dtype)  # (N, M, 2)
    d2 = np.einsum("nmk,nmk->nm", diff, diff)  # (N, M) squared distances
    return (d2 < MODE_RADIUS ** 2).sum(axis=0)  # (M,); the modes are 0.77 apart: no point counts twice


def modes_covered(fake: np.ndarray) -> int:
    """Ring modes that hold at least MODE_SHARE of their fair share (N / RING_MODES) of the fakes."""
    need = MODE_SHARE * len(fake) / RING_MODES  # 32 of 1,024 fixed fakes
    return int((mode_counts(fake) >= need).sum())


def piles(fake: np.ndarray, real: np.ndarray) -> list[dict]:
    """Spots where the forger piles its points: what mode collapse looks like.

    Greedy, biggest first: the busiest PILE_RADIUS-wide square of the fakes
    (N, 2) left, then the fakes within PILE_RADIUS of the middle of those
    near it; a pile when they are at least PILE_SHARE of all fakes and
    PILE_OVER_REAL times the real points (M, 2) within PILE_RADIUS of the
    same spot (counted per fake), so a forger that matches a tight cluster
    of real points is not called piled.
    A mode of the ring holds about 23 of 1,024 fakes within PILE_RADIUS of
    its centre when the forger has it right (a forger that squeezes a mode
    tight, about 70); a collapsed forger holds all 1,024 there.
    Returns [{x, y: the pile's mean point, count, radius: its farthest fake
    from there}], at most MAX_PILES.
    """
    left = fake[np.isfinite(fake).all(axis=1)].astype(np.float64)  # (N', 2)
    found = []
    for _ in range(2 * MAX_PILES):  # a spot the real points explain is passed over
        if len(found) == MAX_PILES or not len(left):
            break
        busiest = np.bincount(grid_indices(left, PILE_BINS), minlength=PILE_BINS ** 2).argmax()
        row, col = divmod(busiest, PILE_BINS)  # row 0 at the lowest y (see grid_indices)
        centre = np.array([EXTENT[0], EXTENT[2]]) + (np.array([col, row]) + 0.5) * PILE_RADIUS  # (2,)
        near = ((left - centre) ** 2).sum(axis=1) < PILE_RADIUS ** 2  # (N',)
        if not near.any():  # the busiest square is an edge one, its points far outside
            break
        centre = left[near].mean(axis=0)  # (2,) the heap's own middle, not the square's
        near = ((left - centre) ** 2).sum(axis=1) < PILE_RADIUS ** 2
        if near.sum() < PILE_SHARE * len(fake):
            break
        reals = (((real - centre) ** 2).sum(axis=1) < PILE_RADIUS ** 2).sum() * len(fake) / len(real)
        pile, left = left[near], left[~near]  # (P, 2), (N' - P, 2)
        if len(pile) >= PILE_OVER_REAL * reals:
            mean = pile.mean(axis=0)  # (2,)
            found.append({"x": float(mean[0]), "y": float(mean[1]), "count": len(pile),
                          "radius": float(np.sqrt(((pile - mean) ** 2).sum(axis=1)).max())})
    return found


# ---------------------------------------------------------------- the game


class Gan:
    """A run: both networks, their optimisers, the random streams and the fixed batches."""

    def __init__(self, cfg: GanConfig, points=None, dtype=np.float32):
        """points: the painted points (P, 2) of a "custom" target (ignored by the others)."""
        points = check_points(points) if cfg.target == "custom" else None  # (P, 2) or None
        self.cfg, self.points, self.step = cfg, points, 0
        init_g, init_d, data, noise, fixed = (
            np.random.default_rng(s) for s in np.random.SeedSequence(cfg.seed).spawn(5))
        hidden = [cfg.width] * cfg.depth
        self.G = MLP([cfg.latent, *hidden, 2], init_g, cfg.activation, dtype=dtype)  # z -> point
        self.D = MLP([2, *hidden, 1], init_d, cfg.activation, dtype=dtype)  # point -> logit
        self.opt_g = Adam([self.G.flat], cfg.lr_g, BETAS)
        self.opt_d = Adam([self.D.flat], cfg.lr_d, BETAS)
        self.data_rng, self.noise_rng = data, noise
        self.z_fixed = fixed.standard_normal((N_EVAL, cfg.latent), np.float32)  # (N_EVAL, L)
        self.real_fixed = sample_target(cfg.target, N_EVAL, fixed, points)  # (N_EVAL, 2)
        self.labels = np.repeat(np.array([1, 0], dtype), cfg.batch)[:, None]  # (2B, 1): real, fake
        self.good = [a.copy() for a in self._state()]  # the last good state, see train
        self.good_t = (0, 0)  # and the optimisers' step counts then
        self.d_done, self.loss_d = 0, math.nan  # detective updates of the step under way, its last L_D

    def _state(self) -> list[np.ndarray]:
        """Every array that training changes: weights and optimiser moments."""
        return [self.G.flat, self.D.flat, *self.opt_g.state(), *self.opt_d.state()]

    def noise(self) -> np.ndarray:
        """A fresh batch of latent vectors z ~ N(0, I): (B, L) float32."""
        return self.noise_rng.standard_normal((self.cfg.batch, self.cfg.latent), np.float32)

    def d_loss(self, real: np.ndarray, z: np.ndarray, want_grads: bool = True) -> float:
        """L_D for real points (B, 2) and fakes G(z), z (B, L); fills D.grad if wanted."""
        fake, _ = self.G.forward(z)  # (B, 2); G is not trained here
        logits, cache = self.D.forward(np.concatenate([real, fake]))  # (2B, 1), one pass
        loss, dlogits = LOSSES[self.cfg.loss](logits, self.labels, len(real))  # two means
        if want_grads:
            self.D.backward(cache, dlogits, want_dx=False)
        return loss

    def g_loss(self, z: np.ndarray, want_grads: bool = True) -> float:
        """L_G for fakes G(z), z (B, L); fills G.grad (through D, left as is) if wanted."""
        fake, g_cache = self.G.forward(z)  # (B, 2)
        logits, d_cache = self.D.forward(fake)  # (B, 1)
        loss, dlogits = LOSSES[self.cfg.loss](logits, 1, len(z))  # target "real"
        if want_grads:
            dfake, _ = self.D.backward(d_cache, dlogits, want_grads=False)  # (B, 2)
            self.G.backward(g_cache, dfake, want_dx=False)
        return loss

    def d_step(self, update: bool = True) -> float:
        """One detective step on fresh real points and fakes; returns L_D."""
        real = sample_target(self.cfg.target, self.cfg.batch, self.data_rng, self.points)
        loss = self.d_loss(real, self.noise(), want_grads=update)  # real: (B, 2)
        if update:
            self.opt_d.step([self.D.grad])
        return loss

    def g_step(self, update: bool = True) -> float:
        """One forger step on fresh noise: push its fakes toward "real"; returns L_G."""
        loss = self.g_loss(self.noise(), want_grads=update)
        if update:
            self.opt_g.step([self.G.grad])
        return loss

    def update(self, mode: str = "both") -> tuple[float, float, str] | None:
        """The next network update of a step: k detective updates, then the forger's.

        One update at a time, so that a caller can stop between them when a
        step is slow (a wide, deep run with k = 10). Returns None while the
        step is under way; after the forger's update, (L_D, L_G, "" or why
        the step diverged), the state before the step put back if it did.
        """
        with np.errstate(all="ignore"):  # overflow is caught by _check, not warned about
            if self.d_done < (self.cfg.d_steps if mode != "forger" else 1):
                self.loss_d = self.d_step(update=mode != "forger")  # the idle side only measures
                self.d_done += 1
                return None
            loss_g = self.g_step(update=mode != "detective")
        self.d_done = 0
        reason = self._check(self.loss_d, loss_g)
        if reason:
            self._restore()
        else:
            self._save()
            self.step += 1
        return self.loss_d, loss_g, reason

    def train(self, steps: int, mode: str = "both") -> TrainResult:
        """Up to steps whole steps; stops at the first non-finite loss or weight.

        The state before the bad step is put back, so the run keeps its last
        good weights (and step count) and can still be drawn.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        losses = np.zeros((2, steps), np.float32)  # (2, steps): L_D, L_G
        for i in range(steps):
            while (done := self.update(mode)) is None:
                pass
            if done[2]:
                return TrainResult(losses[:, :i], done[2])
            losses[:, i] = done[:2]
        return TrainResult(losses, "")

    def _check(self, loss_d: float, loss_g: float) -> str:
        """Why the step just taken diverged, or "" if it did not."""
        for who, loss in (("detective", loss_d), ("forger", loss_g)):
            if not math.isfinite(loss):
                return f"the {who}'s loss became {loss} at step {self.step + 1}"
        for who, net in (("forger", self.G), ("detective", self.D)):
            if not np.isfinite(net.flat).all():
                return f"a weight of the {who} became infinite or NaN at step {self.step + 1}"
        return ""

    def _save(self) -> None:
        """Copy the state into self.good: a few copies of small arrays per step."""
        for keep, now in zip(self.good, self._state()):
            np.copyto(keep, now)
        self.good_t = (self.opt_g.t, self.opt_d.t)

    def _restore(self) -> None:
        """Put the last good state back."""
        for keep, now in zip(self.good, self._state()):
            np.copyto(now, keep)
        self.opt_g.t, self.opt_d.t = self.good_t


@dataclass
class TrainResult:
    """What a call of Gan.train did."""

    losses: np.ndarray  # (2, steps done) float32: detective's L_D, forger's L_G per step
    diverged: str  # "" or why training stopped (the state before that step was kept)


# ---------------------------------------------------------------- views


@functools.lru_cache(maxsize=4)
def plane_grid(n: int = GRID, extent=EXTENT) -> np.ndarray:
    """Centres of an n x n raster over extent, row 0 at the TOP (ymax): (n*n, 2) float32.

    Point k is row k // n, column k % n, so a (n*n,) result reshapes to an
    (n, n) image in the order of canvas ImageData rows. Cached, read-only.
    """
    x0, x1, y0, y1 = extent
    xs = x0 + (np.arange(n) + 0.5) * ((x1 - x0) / n)  # (n,) left to right
    ys = y1 - (np.arange(n) + 0.5) * ((y1 - y0) / n)  # (n,) top to bottom
    gx, gy = np.meshgrid(xs, ys)  # (n, n) each, [row, col]
    grid = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)  # (n*n, 2)
    grid.flags.writeable = False
    return grid


def heatmap(gan: Gan, n: int = GRID) -> np.ndarray:
    """D's verdict (1 = real) at the centres of an n x n raster: (n, n) float32, row 0 = top."""
    logits, _ = gan.D.forward(plane_grid(n))  # (n*n, 1)
    return verdict(logits, gan.cfg.loss).reshape(n, n).astype(np.float32)  # (n, n)


def arrows(gan: Gan, fake: np.ndarray) -> np.ndarray:
    """Where the forger's loss pushes each fake point: -dL_G/dx (N, 2) float32.

    Per point (not divided by the batch size), then scaled so that the
    longest arrow has length 1 (all zeros stay zeros): the picture shows
    directions and relative strengths, the UI picks the drawn length.
    """
    logits, cache = gan.D.forward(fake)  # (N, 1)
    _, dlogits = LOSSES[gan.cfg.loss](logits, 1, 1)  # (N, 1), per point
    dx, _ = gan.D.backward(cache, dlogits, want_grads=False)  # (N, 2)
    push = -dx  # (N, 2) downhill for the forger
    longest = float(np.sqrt((push * push).sum(axis=1)).max())
    return (push / longest if longest > 0 else push).astype(np.float32)


@functools.lru_cache(maxsize=4)
def normal_quantiles(n: int) -> np.ndarray:
    """The n quantiles of N(0, 1) at (i + 1/2) / n: (n,) float64, by bisection on math.erf.

    Between two neighbours lies 1/n of the probability, so a grid of them
    splits the noise into cells of equal weight.
    """
    def quantile(u: float) -> float:
        lo, hi = -10.0, 10.0
        for _ in range(60):  # the interval halves each time: far below float error after 60
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if 0.5 * (1 + math.erf(mid / math.sqrt(2))) < u else (lo, mid)
        return (lo + hi) / 2
    return np.array([quantile((i + 0.5) / n) for i in range(n)])


def latent_mesh(gan: Gan, side: int = MESH_SIDE) -> np.ndarray:
    """The forger's map: G over a grid of the first two latent coordinates, the rest 0.

    Node [i, j] has z_1 = q_j, z_2 = q_i (q: normal_quantiles(side)), so each
    cell of the grid carries the same share of the noise; where the forger
    squeezes cells together it piles its points. Returns (side, side, 2)
    float32, or (1, side, 2) (one line) for a latent size of 1.
    """
    q = normal_quantiles(side).astype(np.float32)  # (S,)
    rows = side if gan.cfg.latent >= 2 else 1
    z = np.zeros((rows, side, gan.cfg.latent), np.float32)  # (R, S, L)
    z[:, :, 0] = q[None, :]
    if rows > 1:
        z[:, :, 1] = q[:, None]
    return gan.G.forward(z.reshape(rows * side, -1))[0].reshape(rows, side, 2)  # (R, S, 2)


def fixed_fakes(gan: Gan) -> np.ndarray:
    """G applied to the fixed latent batch: (N_EVAL, 2) float32."""
    return gan.G.forward(gan.z_fixed)[0]


def jsd(gan: Gan) -> float:
    """grid_jsd between the fixed real points and the fixed batch's fakes."""
    return grid_jsd(gan.real_fixed, fixed_fakes(gan))


def view(gan: Gan) -> dict:
    """Everything drawn for one frame (see api.gan_train for the fields)."""
    with np.errstate(all="ignore"):
        fake = fixed_fakes(gan)  # (N_EVAL, 2)
        return {
            "fake": np.ascontiguousarray(fake[:N_VIEW]),  # (N_VIEW, 2)
            "heatmap": heatmap(gan),  # (GRID, GRID)
            "arrows": arrows(gan, fake[:N_VIEW]),  # (N_VIEW, 2)
            "mesh": np.ascontiguousarray(latent_mesh(gan)),  # (MESH_SIDE, MESH_SIDE, 2)
            "extent": list(EXTENT),
            "jsd": grid_jsd(gan.real_fixed, fake),
            "modes": modes_covered(fake) if gan.cfg.target == "ring" else None,
            "piles": piles(fake, gan.real_fixed),
            "n_fixed": len(fake),
        }


# ---------------------------------------------------------------- benchmark


def bench_native(settings: dict | None = None, steps: int = 2000, view_every: int = 0) -> float:
    """Training steps per second of this interpreter at these settings (default: defaults).

    view_every > 0 also computes a view every that many steps, as the page does.
    """
    gan = Gan(make_config(settings))
    gan.train(20)  # warm up
    start = time.perf_counter()
    for done in range(0, steps, view_every or steps):
        gan.train(min(view_every or steps, steps - done))
        if view_every:
            view(gan)
    return steps / (time.perf_counter() - start)
