"""Section 4: diffusion. The forward process on the learner's picture, sampling from the
shipped models (2-D shapes, 8 x 8 digits), and a live 2-D model trained over many calls.

Per page (in its Session): the uploaded picture (session.image) and the live runs
(session.diffusion_runs). Shared by every page: the shipped models and the digits' facts.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .. import diffusion, gan, lm
from . import checks
from .checks import STREAM_DIFFUSION
from .runs import train_within

if TYPE_CHECKING:
    from . import Session

SHAPES_2D = diffusion.SHAPES_2D
MODEL_FILES = {"2d": "diffusion_2d.npz", "digits": "diffusion_digits.npz"}
DIFF_MAX_RUNS = 2  # live diffusion runs a page keeps
DIFF_OWNERS = ("diffusion",)  # the section that starts live runs
DIFF_MAX_STEPS = 2000  # training steps per diffusion_train call
DIFF_MAX_POINTS = 2000  # points per 2D sample
DIFF_MAX_DIGITS = 64  # digits per sample
DIFF_MAX_SCALE = 20.0  # guidance scale accepted (the slider stops at 10)
DIFF_MAX_SIDE = 256  # the page scales pictures down to this side before sending them (its table says so too)
DIFF_LR = (1e-5, 1.0)  # learning rates a live run accepts
MIN_T = 10  # the forward demo's fewest steps: a linear schedule with fewer never reaches static
N_REFERENCE = 4000  # real points a 2D sample is measured against (real-to-real: about 0.01)
N_SHOWN = 500  # real points drawn faintly under a sample
DIFF_TRACKED = 8  # points of a 2D sample whose running guess of x_0 is returned
LIVE_BATCH, LIVE_EMA = 128, 0.99  # a live run's batch size and weight averaging
QUALITY_STEPS = 20  # DDIM steps of the samples diffusion_quality measures
QUALITY_SEED = 0  # the static they start from (fixed: each measurement differs only by training)


@dataclass
class LiveRun:
    model: diffusion.Diffusion
    shape: str  # the one shape it learns (it has no prompt)


@functools.cache
def shipped(which: str) -> diffusion.Shipped:
    """A shipped model ("2d" or "digits"), loaded once and shared by every page."""
    return diffusion.load(lm.DATA / MODEL_FILES[which])


@functools.cache
def _digits() -> tuple[np.ndarray, np.ndarray]:
    return diffusion.load_digits()


@functools.cache
def _digit_centroids() -> np.ndarray:
    return diffusion.centroids(*_digits())


@functools.cache
def _real_variety(prompt) -> float:
    return diffusion.class_variety(*_digits(), None if prompt == "none" else prompt)


def _sampling(scale, steps, sampler, T: int) -> tuple[float, int, str]:
    return (checks.real("guidance scale", scale, 0, DIFF_MAX_SCALE),
            checks.integer("sampling steps", steps, 1, T),
            checks.choice("sampler", sampler, diffusion.SAMPLERS))


def _shape_data(shape: str):
    """data(n, rng) for Diffusion.train: points of one shape, all with the null prompt."""
    def data(n, rng):
        return gan.sample_target(shape, n, rng), np.zeros(n, int)
    return data


def _start_noise(seed, n: int, dim: int) -> tuple[np.ndarray, np.random.Generator]:
    """x_T for n points and the generator the DDPM steps go on drawing from."""
    rng = checks.rng(seed, STREAM_DIFFUSION)
    return rng.standard_normal((n, dim), np.float32), rng


def _model_facts(which: str) -> dict:
    m = shipped(which)
    return {"T": m.cfg.T, "schedule": m.cfg.schedule, "params": int(m.net.flat.size),
            "hidden": m.cfg.hidden, "depth": m.cfg.depth,
            **{k: m.meta[k] for k in ("train_steps", "train_seconds", "final_loss")}}


def diffusion_presets() -> dict:
    """What the diffusion section's controls need.

    defaults: {forward, 2d, digits, train}: each control's starting value (DEFAULTS)
    schedules, samplers: choices; shapes: the 2D prompts ("none" is accepted too)
    min_T, max_T: the forward demo's T; max_scale, max_points, max_digits,
    max_side, max_steps (per train call)
    lr: [min, max] of a live run's learning rate
    models: {"2d", "digits"}: {T (also the most sampling steps), schedule,
             params, hidden, depth, train_steps, train_seconds, final_loss}:
             what the shipped weights are
    extent: [xmin, xmax, ymin, ymax] of the plane
    """
    return {"defaults": DEFAULTS, "schedules": list(diffusion.SCHEDULES),
            "samplers": list(diffusion.SAMPLERS), "shapes": list(SHAPES_2D),
            "min_T": MIN_T, "max_T": diffusion.MAX_T, "max_scale": DIFF_MAX_SCALE, "max_points": DIFF_MAX_POINTS,
            "max_digits": DIFF_MAX_DIGITS, "max_side": DIFF_MAX_SIDE, "max_steps": DIFF_MAX_STEPS,
            "lr": list(DIFF_LR), "models": {which: _model_facts(which) for which in MODEL_FILES},
            "extent": list(gan.EXTENT)}


def diffusion_schedule(T: int = 1000) -> dict:
    """Both schedules with T steps: {linear: {beta, alpha_bar}, cosine: {...}}, each (T + 1,) float32."""
    T = checks.integer("T", T, MIN_T, diffusion.MAX_T)
    out = {}
    for kind in diffusion.SCHEDULES:
        sch = diffusion.schedule(kind, T)
        out[kind] = {"beta": sch.beta.astype(np.float32), "alpha_bar": sch.alpha_bar.astype(np.float32)}
    return {"T": T, **out}


def diffusion_image(session: Session, pixels, width: int, height: int) -> dict:
    """Keep a picture for the forward demo: RGBA bytes (height * width * 4), row by row.

    The page decodes and scales the picture (at most max_side on each side);
    it never leaves the page. Returns {width, height}.
    """
    width = checks.integer("width", width, 1, DIFF_MAX_SIDE)
    height = checks.integer("height", height, 1, DIFF_MAX_SIDE)
    if not isinstance(pixels, (bytes, bytearray, memoryview, int)) and hasattr(pixels, "to_bytes"):
        pixels = pixels.to_bytes()  # a JavaScript typed array that arrived as a proxy
    if not isinstance(pixels, (bytes, bytearray, memoryview)):
        raise ValueError("pixels must be the picture's RGBA bytes")
    raw = np.frombuffer(bytes(pixels), np.uint8)
    if raw.size != width * height * 4:
        raise ValueError(f"a {width} x {height} picture needs {width * height * 4} RGBA bytes, "
                         f"got {raw.size}")
    rgb = raw.reshape(height, width, 4)[:, :, :3]  # (H, W, 3), alpha dropped
    session.image = rgb.astype(np.float32) / 127.5 - 1  # (H, W, 3) in [-1, 1]
    return {"width": width, "height": height}


@functools.lru_cache(maxsize=2)
def _image_noise(seed: int, shape: tuple) -> np.ndarray:
    return checks.rng(seed, STREAM_DIFFUSION).standard_normal(shape, np.float32)


def diffusion_forward(session: Session, t: int = 250, T: int = 1000, schedule: str = "linear",
                      seed: int = 0) -> dict:
    """The kept picture at noise level t of T, in one jump: x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps.

    eps is the same for every t of one seed, so the slider shows one picture
    sinking into one field of static. Returns {image: (H, W, 4) uint8 RGBA,
    t, T, beta_t, alpha_bar (= abar_t), signal (sqrt abar_t), noise (sqrt(1 - abar_t))}.
    """
    if session.image is None:
        raise ValueError("no picture yet: load one with diffusion_image first")
    T = checks.integer("T", T, MIN_T, diffusion.MAX_T)
    t = checks.integer("t", t, 0, T)
    sch = diffusion.schedule(checks.choice("schedule", schedule, diffusion.SCHEDULES), T)
    x0 = session.image
    xt = diffusion.q_sample(x0, t, _image_noise(checks.seed(seed), x0.shape), sch)
    rgba = np.full((*x0.shape[:2], 4), 255, np.uint8)  # (H, W, 4)
    rgba[:, :, :3] = np.clip((xt + 1) * 127.5 + 0.5, 0, 255).astype(np.uint8)
    ab = float(sch.alpha_bar[t])
    return {"image": rgba, "t": t, "T": T, "beta_t": float(sch.beta[t]), "alpha_bar": ab,
            "signal": math.sqrt(ab), "noise": math.sqrt(1 - ab)}


def _denoiser(session: Session, prompt, run) -> tuple:
    """(net, schedule, clip, prompt, class index) of the shipped 2-D model or of a live run."""
    if run is None:
        m = shipped("2d")
        prompt = checks.choice("prompt", prompt, (*SHAPES_2D, "none"))
        c = SHAPES_2D.index(prompt) if prompt != "none" else m.net.n_classes
        return m.net, m.sch, m.cfg.clip, prompt, c
    live = session.diffusion_runs.get(run)
    return live.model.sampler_net(), live.model.sch, live.model.cfg.clip, live.shape, 0


def diffusion_sample_2d(session: Session, prompt: str = "spiral", scale: float = 1.0, steps: int = 20,
                        sampler: str = "ddim", seed: int = 0, n: int = 1000,
                        run: int | None = None) -> dict:
    """n points from pure noise through the reverse process, every step kept.

    prompt: a shape of presets' shapes, or "none" (the unconditional model).
    run: None for the shipped model, or a live run id (which ignores the
    prompt: it learned one shape). Same seed, same x_T and noise, whatever
    the prompt and scale. Returns {path: (steps + 1, n, 2) float32, [0] = x_T,
    [-1] = the samples; guesses: (steps + 1, min(n, 8), 2) float32, the model's
    guess of x_0 at each row for the first points; times: (steps + 1,) the t of each row; real: (500, 2)
    points of the shape; near: mean distance from a sample to the nearest of
    N_REFERENCE real points (None for "none"); prompt, scale, steps, sampler, seed, run}.
    """
    net, sch, clip, prompt, c = _denoiser(session, prompt, run)
    scale, steps, sampler = _sampling(scale, steps, sampler, sch.T)
    n = checks.integer("n", n, 1, DIFF_MAX_POINTS)
    x, rng = _start_noise(seed, n, 2)
    path, guesses = diffusion.sample_with_guesses(net, sch, x, c, scale, steps, sampler, rng, clip)
    real, near = None, None
    if prompt != "none":  # the shape's points: some drawn faintly under the samples, all measured
        ref = gan.sample_target(prompt, N_REFERENCE, np.random.default_rng(0))
        real, near = ref[:N_SHOWN], float(diffusion.nn_distance(path[-1], ref).mean())
    return {"path": path, "guesses": np.ascontiguousarray(guesses[:, :DIFF_TRACKED]),
            "times": diffusion.timesteps(sch.T, steps).tolist(), "real": real, "near": near,
            "prompt": prompt, "scale": scale, "steps": steps, "sampler": sampler,
            "seed": int(seed), "run": run}


def diffusion_sample_digits(prompt=3, scale: float = 3.0, steps: int = 25, sampler: str = "ddim",
                            seed: int = 0, n: int = 16) -> dict:
    """n 8 x 8 digits asked for by prompt (0..9, or "none"), with guidance scale.

    Returns {path: (steps + 1, n, 8, 8) float32 in [0, 1] (0 = paper, 1 = ink),
    [-1] the digits; times: (steps + 1,); read_as: (n,) the digit a nearest-
    centroid classifier fitted on the real digits reads in each; hits: how
    many read as the prompt (None for "none"); variety: diffusion.variety of the
    digits' ink (mean share of ink by which two of them differ, per pixel);
    real_variety: the same for the real digits of the prompt's class (of all for "none");
    prompt, scale, steps, sampler, seed}.
    """
    m = shipped("digits")
    prompt = checks.choice("digit", prompt, (*range(10), "none"))
    scale, steps, sampler = _sampling(scale, steps, sampler, m.cfg.T)
    n = checks.integer("n", n, 1, DIFF_MAX_DIGITS)
    x, rng = _start_noise(seed, n, m.cfg.dim)
    c = m.net.n_classes if prompt == "none" else prompt
    path = diffusion.sample(m.net, m.sch, x, c, scale, steps, sampler, rng, m.cfg.clip)
    read_as = diffusion.classify(path[-1], _digit_centroids())
    side = diffusion.DIGIT_SIDE
    ink = diffusion.ink(path).reshape(len(path), n, side, side)
    return {"path": ink, "times": diffusion.timesteps(m.cfg.T, steps).tolist(), "read_as": read_as.tolist(),
            "hits": None if prompt == "none" else int(np.sum(read_as == prompt)),
            "variety": diffusion.variety(ink[-1].reshape(n, -1)), "real_variety": _real_variety(prompt),
            "prompt": prompt, "scale": scale, "steps": steps, "sampler": sampler, "seed": int(seed)}


def diffusion_train_start(session: Session, shape: str = "spiral", lr: float = 2e-3, seed: int = 0) -> dict:
    """A fresh, untrained 2D model (the shipped one's size, unconditional) for one shape.
    The page's oldest live runs beyond DIFF_MAX_RUNS are dropped.

    Returns {run, shape, lr, seed, real: (500, 2) points of the shape, params}.
    """
    shape = checks.choice("shape", shape, SHAPES_2D)
    lr = checks.real("learning rate", lr, *DIFF_LR)
    base = shipped("2d").cfg
    cfg = diffusion.DiffusionConfig(dim=2, n_classes=0, hidden=base.hidden, depth=base.depth,
                                    T=base.T, schedule=base.schedule, lr=lr, batch=LIVE_BATCH,
                                    ema=LIVE_EMA, seed=checks.seed(seed))
    model = diffusion.Diffusion(cfg)
    run = session.diffusion_runs.add(LiveRun(model, shape), DIFF_OWNERS[0])
    return {"run": run, "shape": shape, "lr": lr, "seed": cfg.seed,
            "real": gan.sample_target(shape, N_SHOWN, np.random.default_rng(0)),
            "params": int(model.net.flat.size)}


def diffusion_train(session: Session, run: int, steps: int = 50, budget_ms: float | None = None) -> dict:
    """Train a live run for steps (1..max_steps) steps, or fewer once budget_ms
    (as in gan_train) is spent, after at least one step.

    Returns {run, step, losses: (n,) float32 the simple loss per step taken,
    diverged: bool, message: "" or why training stopped and what to try}.
    A step that makes the loss or a weight non-finite is undone.
    """
    live = session.diffusion_runs.get(run)
    steps = checks.integer("steps", steps, 1, DIFF_MAX_STEPS)
    deadline, data, m = checks.deadline(budget_ms), _shape_data(live.shape), live.model

    def advance(n):
        losses, reason = m.train(n, data)
        return list(losses), reason

    losses, reason, _ = train_within(advance, steps, deadline)
    message = (f"Training stopped: {reason}. The last good state (step {m.step}) is kept; "
               f"try a smaller learning rate." if reason else "")
    return {"run": int(run), "step": m.step, "losses": np.array(losses, np.float32), "diverged": bool(reason),
            "message": message}


def diffusion_quality(session: Session, run: int, gan_run: int, steps: int = QUALITY_STEPS) -> dict:
    """How close a live run's samples and a GAN's fakes are to the real shape, measured alike.

    Both are judged by gan.grid_jsd (bits, 0 = the same histogram on the GAN's 24 x 24 grid)
    against the GAN run's fixed real points (gan.N_EVAL of them, its shape): the GAN's fakes
    from its fixed latent batch, and as many diffusion samples from fixed static (DDIM, steps
    steps), so that two calls differ only by what the models learned. gan_run must learn the
    same shape. Returns {diffusion, gan: the two divergences; floor: that of a second set of
    real points, the best a model can score here; step, gan_step: each model's training steps}.
    """
    live, g = session.diffusion_runs.get(run), session.gan_runs.get(gan_run)
    if g.cfg.target != live.shape:
        raise ValueError(f"the GAN learns the {g.cfg.target}, the diffusion run the {live.shape}: compare them on one shape")
    steps = checks.integer("steps", steps, 1, live.model.sch.T)
    m, n = live.model, gan.N_EVAL
    x, rng = _start_noise(QUALITY_SEED, n, 2)
    samples = diffusion.sample(m.sampler_net(), m.sch, x, 0, 1.0, steps, "ddim", rng, m.cfg.clip)[-1]  # (N_EVAL, 2)
    with np.errstate(all="ignore"):
        fakes = gan.fixed_fakes(g)  # (N_EVAL, 2)
    return {"diffusion": gan.grid_jsd(g.real_fixed, samples), "gan": gan.grid_jsd(g.real_fixed, fakes),
            "floor": _quality_floor(live.shape), "step": m.step, "gan_step": g.step}


@functools.lru_cache(maxsize=8)
def _quality_floor(shape: str) -> float:
    """grid_jsd between two sets of gan.N_EVAL real points of shape: sampling alone scores this."""
    rng = np.random.default_rng(QUALITY_SEED)
    return gan.grid_jsd(gan.sample_target(shape, gan.N_EVAL, rng), gan.sample_target(shape, gan.N_EVAL, rng))


def diffusion_corrupt(session: Session, run: int) -> dict:
    """Test hook: put an infinity into a live run's weights, as a diverging run would."""
    session.diffusion_runs.get(run).model.net.flat[0] = np.inf
    return {"run": int(run)}


# What the page starts with: the defaults of the functions that draw with them (the JS table
# web/app/diffusion-settings.js states them again; tests/test_diffusion_browser.py holds the two equal).
DEFAULTS = {
    "forward": checks.defaults_of(diffusion_forward),
    "2d": checks.defaults_of(diffusion_sample_2d, "run"),
    "digits": checks.defaults_of(diffusion_sample_digits),
    "train": checks.defaults_of(diffusion_train_start),
}

FUNCTIONS = (diffusion_presets, diffusion_schedule, diffusion_image, diffusion_forward,
             diffusion_sample_2d, diffusion_sample_digits, diffusion_train_start, diffusion_train,
             diffusion_quality, diffusion_corrupt)
