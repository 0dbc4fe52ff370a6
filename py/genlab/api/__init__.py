"""The browser-facing layer: plain arguments in, plain data out.

The worker calls ``call(fn, args)`` and nothing else. Results are dicts, lists,
numbers and strings; numpy arrays in a result travel separately (see ``call``)
so that the worker can copy each one once into a typed array. This is the only
module that knows it runs behind a browser; the maths lives in the others.

Randomness: every sampling function takes the learner's ``seed`` and builds its
generator from ``[seed, STREAM, counter]``, so "Sample", "Sample 100" and
"Generate" draw from separate, reproducible streams.

State: a run trained over many calls lives here, in ``_GAN_RUNS`` (run id ->
gan.Gan) or ``_DIFF_RUNS``. Each GAN run belongs to the section that started it
(its ``owner``); starting one drops that owner's runs beyond GAN_MAX_RUNS, never
another section's, so memory stays bounded and sections cannot evict each other.
A reply for an old run id is an error the page can ignore (it tags its requests
with the run id).

Time: the worker answers one call at a time, so a long call stalls every other
section. The training calls take ``budget_ms`` and stop once it is spent (after
at least one network update): the only clock in the package is here.
"""
from __future__ import annotations

import functools
import hashlib
import itertools
import math
import sys
import time
from dataclasses import asdict

import numpy as np

from . import art, classify, diffusion, gan, lm, sampling

STREAM_SAMPLE, STREAM_BATCH, STREAM_GENERATE = 1, 2, 3
MAX_T = 10.0  # the slider stops at 2; the API accepts a little more for experiments
MAX_SEED = 2**32 - 1
MAX_CONTEXT_CHARS = 200
GAN_MAX_RUNS = 2  # GAN runs kept per owner; starting another drops that owner's oldest
GAN_OWNERS = ("gan", "diffusion-live")  # the sections that start GAN runs
GAN_MAX_STEPS = 2000  # training steps per gan_train call
MAX_BUDGET_MS = 1000  # the most training time one call may be given
STREAM_DIFFUSION = 4  # noise of the diffusion sections (x_T and the DDPM steps)
DIFF_MAX_RUNS = 2  # live diffusion runs kept in memory
DIFF_MAX_STEPS = 2000  # training steps per diffusion_train call
DIFF_MAX_POINTS = 2000  # points per 2D sample
DIFF_MAX_DIGITS = 64  # digits per sample
DIFF_MAX_SCALE = 20.0  # guidance scale accepted (the slider stops at 10)
DIFF_MAX_SIDE = 256  # the page scales pictures down to this side before sending them (its table says so too)
DIFF_LR = (1e-5, 1.0)  # learning rates a live run accepts
MIN_T = 10  # the forward demo's fewest steps: a linear schedule with fewer never reaches static
N_REFERENCE = 4000  # real points a 2D sample is measured against (real-to-real: about 0.01)
DIFF_TRACKED = 8  # points of a 2D sample whose running guess of x_0 is returned


# ------------------------------------------------------------------ validation

def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _temperature(value) -> float:
    t = float(value) if _number(value) else math.nan
    if not math.isfinite(t) or not 0 <= t <= MAX_T:
        raise ValueError(f"temperature must be a number from 0 to {MAX_T:g}, not {value!r}")
    return t


def _int(name: str, value, lo: int, hi: int) -> int:
    if not _number(value) or not float(value).is_integer() or not lo <= value <= hi:
        raise ValueError(f"{name} must be a whole number from {lo} to {hi}, not {value!r}")
    return int(value)


def _rng(seed, stream: int, counter=0) -> np.random.Generator:
    seed = _int("seed", seed, 0, MAX_SEED)
    counter = _int("counter", counter, 0, MAX_SEED)
    return np.random.default_rng([seed, stream, counter])


# ----------------------------------------------------------------- the model
#
# The language model's functions share three knobs besides the temperature T:
#   top_k: int, 0 = off, else 1..V: only the k highest logits can be drawn;
#   top_p: float in (0, 1], 1 = off: only the fewest most probable tokens whose
#          probability adds up to top_p can be drawn (after top-k);
#   rows:  how many table rows to report (sorted by raw logit, best first).
# Special tokens (<bos>, ...) never appear in a table and are never drawn.
# A row of a table is {"token": display text of the piece, "id": int,
# "logit": raw score, "scaled": logit / T (None at T = 0), "prob": softmax with
# temperature after the filters, renormalised, "prob_unfiltered": before them,
# "drawable": whether it can still be drawn}. At T = 0 the rows keep their
# order by logit: the favourite has prob 1.0, the rest 0.0.

MAX_ROWS = 100
MAX_TOKENS = 200  # tokens one llm_generate call makes
MAX_SAMPLES = 100_000


@functools.cache
def _model() -> lm.TinyLM:
    return lm.load_default()


def _text(context) -> str:
    if not isinstance(context, str):
        raise ValueError(f"the context must be text, not {context!r}")
    if len(context) > MAX_CONTEXT_CHARS:
        raise ValueError(f"the context is longer than {MAX_CONTEXT_CHARS} characters")
    try:
        context.encode("utf-8")
    except UnicodeEncodeError as err:  # a lone half of a pair (an emoji cut in two, say)
        raise ValueError(f"the text has half of a character at position {err.start + 1} "
                         "(a piece of an emoji or a rare sign): delete it and type it again") from None
    return context


def _read(context) -> tuple[tuple[int, ...], np.ndarray]:
    """Token ids and logits (V,) for a context string."""
    return _read_text(_text(context))


@functools.lru_cache(maxsize=64)
def _read_text(context: str) -> tuple[tuple[int, ...], np.ndarray]:
    """_read for a string, cached: moving the slider reuses the logits."""
    model = _model()
    ids = tuple(model.encode_text(context))
    logits = model.logits(ids)  # (V,)
    logits.flags.writeable = False
    return ids, logits


def _filters(top_k, top_p) -> tuple[int, float]:
    k = _int("top_k", top_k, 0, _model().vocab_size)
    p = float(top_p) if _number(top_p) else math.nan
    if not 0 < p <= 1:
        raise ValueError(f"top_p must be a number above 0 and at most 1 (1 = off), not {top_p!r}")
    return k, p


class _Dist:
    """Logits of one context, and its probabilities at temperature t after the filters."""

    def __init__(self, logits: np.ndarray, temperature, top_k, top_p, filtered=None):
        self.t = _temperature(temperature)
        k, p = _filters(top_k, top_p)
        self.logits = logits  # (V,)
        self.probs, self.unfiltered, self.kept = filtered or lm.filter_probs(
            logits, self.t, k, p, _model().special_ids)  # (V,) x 3

    def ranked(self, n: int | None = None) -> np.ndarray:
        """The n best non-special ids by raw logit, best first (ties: lower id first); None: all."""
        z = np.array(self.logits)  # (V,)
        z[list(_model().special_ids)] = -np.inf
        n = z.size - len(_model().special_ids) if n is None else min(n, z.size - len(_model().special_ids))
        kth = -np.partition(-z, n - 1)[n - 1]  # the n-th best logit
        cand = np.flatnonzero(z >= kth)  # (>= n,) ids in order, ties at the cut included
        return cand[np.argsort(-z[cand], kind="stable")][:n]

    def rows(self, n: int) -> list[dict]:
        model, t = _model(), self.t
        return [{"token": model.piece(i), "id": int(i), "logit": float(self.logits[i]),
                 "scaled": float(self.logits[i] / t) if t > sampling.GREEDY_T else None,
                 "prob": float(self.probs[i]), "prob_unfiltered": float(self.unfiltered[i]),
                 "drawable": bool(self.kept[i])} for i in self.ranked(n)]


def _dist(context, temperature, top_k, top_p) -> _Dist:
    return _Dist(_read(context)[1], temperature, top_k, top_p)


def _rows(rows) -> int:
    return _int("rows", rows, 1, MAX_ROWS)


# ------------------------------------------------------------------ functions

def info() -> dict:
    """Versions, and under "llm" the language model: vocab_size, context_size (tokens it
    reads), params, architecture, tokenizer, model_bytes (its files: weights + tokenizer)."""
    model = _model()
    return {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "llm": {
            "vocab_size": model.vocab_size,
            "context_size": model.n_ctx,
            "params": sum(int(w.size) for w in model.params.values()),
            "architecture": model.architecture,  # "transformer" or "mlp"
            "tokenizer": model.tokenizer_name,  # "byte-level BPE"
            "model_bytes": lm.model_bytes(),
        },
    }


def llm_distribution(context: str, temperature: float, rows: int = 10, top_k: int = 0,
                     top_p: float = 1.0) -> dict:
    """The next-token distribution of a context, step by step.

    Returns {"tokens": [{"token", "id"}] the context's tokens ("window": the
    model reads the last n_ctx of them), "temperature", "top": rows (see
    above) sorted by raw logit, "entropy_bits" of the distribution drawn from,
    "drawable_count": tokens that can be drawn, "kept_mass": their probability
    before the filters, "sorted_probs": float32 (V,) the probabilities drawn
    from, largest first}.
    """
    ids, logits = _read(context)
    d, model = _Dist(logits, temperature, top_k, top_p), _model()
    return {
        "tokens": [{"token": model.piece(i), "id": i} for i in ids],
        "window": model.n_ctx,
        "temperature": d.t,
        "top": d.rows(_rows(rows)),
        "entropy_bits": sampling.entropy_bits(d.probs),
        "drawable_count": int(d.kept.sum()),
        "kept_mass": float(d.unfiltered[d.kept].sum()),
        "sorted_probs": np.ascontiguousarray(np.sort(d.probs)[::-1], np.float32),  # (V,)
    }


def llm_sample(context: str, temperature: float, seed: int, draw: int = 0, top_k: int = 0,
               top_p: float = 1.0) -> dict:
    """One token drawn from the filtered distribution: {"token", "id", "prob", "text"}.

    draw numbers the clicks (the generator is [seed, STREAM_SAMPLE, draw]). "text" is
    the token as text, or None when its bytes are only part of a character (then it
    cannot be added to a context, which is text).
    """
    d = _dist(context, temperature, top_k, top_p)
    i = int(sampling.sample(d.probs, _rng(seed, STREAM_SAMPLE, draw)))
    model = _model()
    return {"token": model.piece(i), "id": i, "prob": float(d.probs[i]), "text": model.piece_text(i)}


def llm_sample_many(context: str, temperature: float, seed: int, n: int = 100, batch: int = 0,
                    rows: int = 10, top_k: int = 0, top_p: float = 1.0) -> dict:
    """n draws at once, counted for the top rows tokens by logit.

    Returns {"n", "counts": [{"token", "id", "count"}], "other": draws of any
    other token, "distinct": how many different tokens were drawn}.
    """
    d = _dist(context, temperature, top_k, top_p)
    n = _int("n", n, 1, MAX_SAMPLES)
    draws = sampling.sample(d.probs, _rng(seed, STREAM_BATCH, batch), size=n)  # (n,)
    counts = np.bincount(np.asarray(draws, np.intp), minlength=d.probs.size)  # (V,) intp: int32 in wasm
    top = d.ranked(_rows(rows))
    model = _model()
    return {
        "n": n,
        "counts": [{"token": model.piece(i), "id": int(i), "count": int(counts[i])} for i in top],
        "other": int(n - counts[top].sum()),
        "distinct": int(np.count_nonzero(counts)),
    }


def llm_generate(context: str, temperature: float, seed: int, n_tokens: int = 12, rows: int = 5,
                 top_k: int = 0, top_p: float = 1.0) -> dict:
    """The loop: score, divide by T, softmax, filter, sample, append; every step shown.

    Returns {"steps": [{"token", "id", "prob", "top": rows}], "text": the
    continuation decoded as one string}.
    """
    ids, _ = _read(context)
    t = _temperature(temperature)
    k, p = _filters(top_k, top_p)
    n_tokens, n_rows = _int("n_tokens", n_tokens, 1, MAX_TOKENS), _rows(rows)
    model = _model()
    steps = lm.generate(model, list(ids), t, _rng(seed, STREAM_GENERATE), n_tokens, k, p)
    out = [{"token": model.piece(s.token), "id": s.token, "prob": float(s.probs[s.token]),
            "top": _Dist(s.logits, t, k, p, (s.probs, s.unfiltered, s.kept)).rows(n_rows)}
           for s in steps]
    return {"steps": out, "text": model.decode_text([s.token for s in steps])}


def llm_compare(context: str, temperatures: list, rows: int = 6, top_k: int = 0,
                top_p: float = 1.0) -> dict:
    """The same context at several temperatures: {"columns": [{"temperature", "top", "entropy_bits"}]}."""
    if not isinstance(temperatures, (list, tuple)) or not 1 <= len(temperatures) <= 10:
        raise ValueError(f"temperatures must be a list of 1 to 10 numbers, not {temperatures!r}")
    n_rows, (_, logits) = _rows(rows), _read(context)
    columns = []
    for value in temperatures:
        d = _Dist(logits, value, top_k, top_p)
        columns.append({"temperature": d.t, "top": d.rows(n_rows),
                        "entropy_bits": sampling.entropy_bits(d.probs)})
    return {"columns": columns}


def llm_score(text: str) -> dict:
    """How surprised the model is by each token of text, read from <bos> on.

    Returns {"tokens": [{"token", "id", "bits": -log2 p(token | all before),
    "prob"}], "total_bits", "n_bytes": UTF-8 bytes of text, "bits_per_byte"
    (None for empty text)}. p is the plain softmax at T = 1 with no filter,
    special tokens excluded, as in llm_distribution at T = 1.
    """
    text, model = _text(text), _model()
    ids = model.encode_text(text)
    bits = lm.surprise_bits(model, ids)  # (T,)
    rows = [{"token": model.piece(i), "id": i, "bits": float(b), "prob": float(2.0 ** -b)}
            for i, b in zip(ids, bits)]
    total, n_bytes = float(bits.sum()), len(text.encode("utf-8"))
    return {"tokens": rows, "total_bits": total, "n_bytes": n_bytes,
            "bits_per_byte": total / n_bytes if n_bytes else None}


# ------------------------------------------------------------------ GAN

_GAN_RUNS: dict[int, gan.Gan] = {}  # run id -> run, oldest first
_GAN_OWNER: dict[int, str] = {}  # run id -> the section that started it
_GAN_IDS = itertools.count(1)


class RunExpiredError(ValueError):
    """A run id this page's copy of the API does not hold: never made, evicted by newer runs, or
    freed while the page was away (a frozen tab). The page starts a new run."""


def _gan_run(run) -> gan.Gan:
    run = _int("run", run, 0, MAX_SEED)
    if run not in _GAN_RUNS:
        raise RunExpiredError(f"GAN run {run} is unknown or expired; start a new run")
    return _GAN_RUNS[run]


def _bool(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be true or false, not {value!r}")
    return value


def _deadline(budget_ms) -> float:
    """The perf_counter time a training call stops at (infinity without a budget)."""
    if budget_ms is None:
        return math.inf
    if not _number(budget_ms) or not 1 <= budget_ms <= MAX_BUDGET_MS:
        raise ValueError(f"budget_ms must be a number from 1 to {MAX_BUDGET_MS}, not {budget_ms!r}")
    return time.perf_counter() + budget_ms / 1000


def _gan_view(g: gan.Gan) -> dict:
    return {"step": g.step, **gan.view(g)}


def gan_presets() -> dict:
    """What the GAN section's controls need, all plain data.

    defaults: {setting: value}, the GanConfig defaults
    settings: {setting: {"kind": "float" | "int", "min", "max"}
                        or {"kind": "choice", "choices": [...]}}
    targets, losses, activations, modes: the choices, in display order
    presets: [{"name", "settings" (full), "sentence"}], "default" first
    grid: G of the heatmap (G, G); n_points: N of fake and arrows (N, 2)
    extent: [xmin, xmax, ymin, ymax] of the plane
    jsd_converged: the grid JSD below which the ring counts as learned
    max_steps: the most steps one gan_train call takes
    max_custom_points: the most painted points gan_start accepts
    modes: the rule of the mode counter (ring target): {"count", "radius", "share", "fixed"}:
        a mode counts as covered when at least share x fixed / count of the
        fixed batch's fakes lie within radius of its centre
    mesh_side: S of the forger's map (S, S, 2)
    """
    settings = {name: ({"kind": kind, "choices": list(lo)} if kind == "choice"
                       else {"kind": kind, "min": lo, "max": hi})
                for name, (lo, hi, kind) in gan.SETTINGS.items()}
    presets = [{"name": name, "settings": asdict(gan.preset(name)), "sentence": sentence}
               for name, (_, sentence) in gan.PRESETS.items()]
    return {
        "defaults": asdict(gan.GanConfig()), "settings": settings,
        "targets": list(gan.TARGETS), "losses": list(gan.LOSS_NAMES),
        "activations": list(gan.ACTIVATION_NAMES), "modes": list(gan.MODES),
        "presets": presets, "grid": gan.GRID, "n_points": gan.N_VIEW,
        "extent": list(gan.EXTENT), "jsd_converged": gan.JSD_CONVERGED,
        "max_steps": GAN_MAX_STEPS, "max_custom_points": gan.MAX_CUSTOM_POINTS,
        "modes": {"count": gan.RING_MODES, "radius": gan.MODE_RADIUS, "share": gan.MODE_SHARE,
                  "fixed": gan.N_EVAL},
        "mesh_side": gan.MESH_SIDE,
    }


def gan_start(settings: dict | None = None, points: list | None = None, owner: str = "gan") -> dict:
    """Build a new run for owner (one of GAN_OWNERS); that owner's runs beyond
    GAN_MAX_RUNS are dropped, oldest first; other owners' runs are kept.

    settings: {setting: value} for any of gan_presets()["settings"] (the rest
        default); a bad one raises ValueError naming it and its range.
    points: [[x, y], ...] painted in plane coordinates, needed by the
        "custom" target (1 to max_custom_points pairs inside extent),
        ignored by the others.
    Returns {run: int id, settings: the full settings used,
             real: (N, 2) float32 real points for display (N = n_points),
             view: the view at step 0, see gan_train}.
    """
    if settings is not None and not isinstance(settings, dict):
        raise ValueError(f"settings must be an object of name: value, not {settings!r}")
    owner = _choice("owner", owner, GAN_OWNERS)
    g = gan.Gan(gan.make_config(settings), points)
    run = next(_GAN_IDS)
    _GAN_RUNS[run], _GAN_OWNER[run] = g, owner
    for old in [r for r in _GAN_RUNS if _GAN_OWNER[r] == owner][:-GAN_MAX_RUNS]:  # oldest first
        del _GAN_RUNS[old], _GAN_OWNER[old]
    return {"run": run, "settings": asdict(g.cfg),
            "real": np.ascontiguousarray(g.real_fixed[:gan.N_VIEW]), "view": _gan_view(g)}


def gan_train(run: int, steps: int = 10, mode: str = "both", view: bool = True,
              budget_ms: float | None = None) -> dict:
    """Train a run for steps (1..max_steps) steps; mode "both", "detective" or "forger".

    budget_ms: None trains all the steps; a number (1..MAX_BUDGET_MS) stops
    once that much time has gone into training, after at least one network
    update, so a call stays short however slow a step is; a step cut short
    goes on in the next call (the view shows the state as it is).
    Returns {run, step: whole steps trained so far in this run,
             updates: network updates made by this call,
             losses_d: (n,) float32 detective loss per step completed,
             losses_g: (n,) float32 forger loss per step completed (n = steps
                 unless training diverged or the budget ran out; the idle
                 side's loss is measured too),
             diverged: bool, message: "" or why training stopped and what to try,
             jsd: grid JSD after training (None when view is false),
             view: None when view is false, else
                 {step, fake: (N, 2) float32 generator output for the fixed
                      noise batch (the same noise every frame),
                  heatmap: (G, G) float32 detective's verdict in [0, 1]
                      (1 = "real"; sigmoid of the logit, or the clipped LSGAN
                      score) at cell centres, row 0 = top (ymax), col 0 = left,
                  arrows: (N, 2) float32 the direction the forger's loss
                      pushes each fake point, -dL_G/dx, longest scaled to 1,
                  mesh: (S, S, 2) float32 the forger's map: G over a grid of
                      the first two latent coordinates ((1, S, 2) for a
                      latent size of 1), see gan.latent_mesh,
                  extent: [xmin, xmax, ymin, ymax], jsd: float,
                  modes: ring modes covered (see gan_presets), None for
                      other targets}}.
    A run that diverges keeps its state from before the bad step.
    """
    g = _gan_run(run)
    steps = _int("steps", steps, 1, GAN_MAX_STEPS)
    if mode not in gan.MODES:
        raise ValueError(f"mode must be one of {', '.join(gan.MODES)}, not {mode!r}")
    want_view = _bool("view", view)
    deadline = _deadline(budget_ms)  # every argument checked before any training
    losses, reason, updates = [], "", 0
    while len(losses) < steps and not reason:
        done = g.update(mode)  # None until the update that ends a step
        updates += 1
        if done and done[2]:
            reason = done[2]  # that step diverged and was undone
        elif done:
            losses.append(done[:2])
        if time.perf_counter() >= deadline:
            break
    losses = np.array(losses, np.float32).reshape(-1, 2)  # (n, 2): L_D, L_G
    frame = _gan_view(g) if want_view else None
    message = (f"Training stopped: {reason}. The last good state (step {g.step}) "
               f"is kept; try smaller learning rates." if reason else "")
    return {"run": int(run), "step": g.step, "updates": updates,
            "losses_d": np.ascontiguousarray(losses[:, 0]), "losses_g": np.ascontiguousarray(losses[:, 1]),
            "diverged": bool(reason), "message": message, "jsd": frame["jsd"] if frame else None,
            "view": frame}


def gan_view(run: int) -> dict:
    """The view of a run as it is now (the fields of gan_train's view)."""
    return _gan_view(_gan_run(run))


def gan_bench(settings: dict | None = None, steps: int = 300, view_every: int = 0) -> dict:
    """{steps_per_s}: training speed of this interpreter (a throwaway run, not kept)."""
    steps = _int("steps", steps, 1, 100_000)
    view_every = _int("view_every", view_every, 0, 100_000)
    return {"steps_per_s": gan.bench_native(settings, steps, view_every)}


def gan_corrupt(run: int) -> dict:
    """Test hook: put an infinity into the detective's weights, as a diverging run would.

    The next gan_train step then sees a non-finite loss, stops, and restores
    the last good state: the path the page shows when training really diverges.
    """
    _gan_run(run).D.flat[0] = np.inf
    return {"run": int(run)}


# ------------------------------------------------------------------ diffusion

SHAPES_2D = diffusion.SHAPES_2D
MODEL_FILES = {"2d": "diffusion_2d.npz", "digits": "diffusion_digits.npz"}
DEFAULTS = {  # what the page starts with; the maths' own defaults live in diffusion.py
    "forward": {"T": 1000, "schedule": "linear", "t": 250, "seed": 0},
    "2d": {"prompt": "spiral", "scale": 1.0, "steps": 20, "sampler": "ddim", "seed": 0, "n": 1000},
    "digits": {"prompt": 3, "scale": 3.0, "steps": 25, "sampler": "ddim", "seed": 0, "n": 16},
    "train": {"shape": "spiral", "lr": 2e-3, "seed": 0},
}
_DIFF_RUNS: dict[int, diffusion.Diffusion] = {}
_DIFF_SHAPE: dict[int, str] = {}  # run id -> the shape it learns
_DIFF_IDS = itertools.count(1)
_IMAGE: dict = {}  # the picture of the forward demo: {"x0": (H, W, 3) float32 in [-1, 1]}


@functools.cache
def _shipped(which: str) -> diffusion.Shipped:
    return diffusion.load(lm.DATA / MODEL_FILES[which])


@functools.cache
def _digit_centroids() -> np.ndarray:
    return diffusion.centroids(*diffusion.load_digits())


@functools.cache
def _real_variety(prompt) -> float:
    """The variety of the real digits of one class (of all digits for "none"), ink in [0, 1]."""
    x, y = diffusion.load_digits()
    ink = np.clip((x + 1) / 2, 0, 1)  # as the samples' ink
    return diffusion.variety(ink[:400] if prompt == "none" else ink[y == prompt])  # 400: enough for a mean


def _choice(name: str, value, choices):
    if not any(value == c and type(value) is type(c) for c in choices):  # 3.0 and True are not 3
        raise ValueError(f"{name} must be one of {', '.join(map(str, choices))}, not {value!r}")
    return value


def _real(name: str, value, lo: float, hi: float) -> float:
    v = float(value) if _number(value) else math.nan
    if not math.isfinite(v) or not lo <= v <= hi:
        raise ValueError(f"{name} must be a number from {lo:g} to {hi:g}, not {value!r}")
    return v


def _sampling(scale, steps, sampler, T: int) -> tuple[float, int, str]:
    return (_real("guidance scale", scale, 0, DIFF_MAX_SCALE),
            _int("sampling steps", steps, 1, T),
            _choice("sampler", sampler, diffusion.SAMPLERS))


def _shape_data(shape: str):
    """data(n, rng) for Diffusion.train: points of one shape, all with the null prompt."""
    def data(n, rng):
        return gan.sample_target(shape, n, rng), np.zeros(n, int)
    return data


def diffusion_presets() -> dict:
    """What the diffusion section's controls need.

    defaults: {forward, 2d, digits, train}: each control's starting value
    schedules, samplers: choices; shapes: the 2D prompts ("none" is accepted too)
    min_T, max_T: the forward demo's T; max_scale, max_points, max_digits,
    max_side, max_steps (per train call)
    lr: [min, max] of a live run's learning rate
    models: {"2d", "digits"}: {T (also the most sampling steps), schedule,
             params, hidden, depth, train_steps, train_seconds, final_loss}:
             what the shipped weights are
    extent: [xmin, xmax, ymin, ymax] of the plane
    """
    models = {}
    for which in MODEL_FILES:
        m = _shipped(which)
        models[which] = {"T": m.cfg.T, "schedule": m.cfg.schedule, "params": int(m.net.flat.size),
                         "hidden": m.cfg.hidden, "depth": m.cfg.depth,
                         **{k: m.meta[k] for k in ("train_steps", "train_seconds", "final_loss")}}
    return {"defaults": DEFAULTS, "schedules": list(diffusion.SCHEDULES),
            "samplers": list(diffusion.SAMPLERS), "shapes": list(SHAPES_2D),
            "min_T": MIN_T, "max_T": diffusion.MAX_T, "max_scale": DIFF_MAX_SCALE, "max_points": DIFF_MAX_POINTS,
            "max_digits": DIFF_MAX_DIGITS, "max_side": DIFF_MAX_SIDE, "max_steps": DIFF_MAX_STEPS,
            "lr": list(DIFF_LR), "models": models, "extent": list(gan.EXTENT)}


def diffusion_schedule(T: int = 1000) -> dict:
    """Both schedules with T steps: {linear: {beta, alpha_bar}, cosine: {...}}, each (T + 1,) float32."""
    T = _int("T", T, MIN_T, diffusion.MAX_T)
    out = {}
    for kind in diffusion.SCHEDULES:
        sch = diffusion.schedule(kind, T)
        out[kind] = {"beta": sch.beta.astype(np.float32), "alpha_bar": sch.alpha_bar.astype(np.float32)}
    return {"T": T, **out}


def diffusion_image(pixels, width: int, height: int) -> dict:
    """Keep a picture for the forward demo: RGBA bytes (height * width * 4), row by row.

    The page decodes and scales the picture (at most max_side on each side);
    it never leaves the page. Returns {width, height}.
    """
    width = _int("width", width, 1, DIFF_MAX_SIDE)
    height = _int("height", height, 1, DIFF_MAX_SIDE)
    if not isinstance(pixels, (bytes, bytearray, memoryview, int)) and hasattr(pixels, "to_bytes"):
        pixels = pixels.to_bytes()  # a JavaScript typed array that arrived as a proxy
    if not isinstance(pixels, (bytes, bytearray, memoryview)):
        raise ValueError("pixels must be the picture's RGBA bytes")
    raw = np.frombuffer(bytes(pixels), np.uint8)
    if raw.size != width * height * 4:
        raise ValueError(f"a {width} x {height} picture needs {width * height * 4} RGBA bytes, "
                         f"got {raw.size}")
    rgb = raw.reshape(height, width, 4)[:, :, :3]  # (H, W, 3), alpha dropped
    _IMAGE.clear()
    _IMAGE["x0"] = rgb.astype(np.float32) / 127.5 - 1  # (H, W, 3) in [-1, 1]
    return {"width": width, "height": height}


@functools.lru_cache(maxsize=2)
def _image_noise(seed: int, shape: tuple) -> np.ndarray:
    return _rng(seed, STREAM_DIFFUSION).standard_normal(shape, np.float32)


def diffusion_forward(t: int, T: int = 1000, schedule: str = "linear", seed: int = 0) -> dict:
    """The kept picture at noise level t of T, in one jump: x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps.

    eps is the same for every t of one seed, so the slider shows one picture
    sinking into one field of static. Returns {image: (H, W, 4) uint8 RGBA,
    t, T, beta_t, alpha_bar (= abar_t), signal (sqrt abar_t), noise (sqrt(1 - abar_t))}.
    """
    if "x0" not in _IMAGE:
        raise ValueError("no picture yet: load one with diffusion_image first")
    T = _int("T", T, MIN_T, diffusion.MAX_T)
    t = _int("t", t, 0, T)
    sch = diffusion.schedule(_choice("schedule", schedule, diffusion.SCHEDULES), T)
    x0 = _IMAGE["x0"]
    xt = diffusion.q_sample(x0, t, _image_noise(_int("seed", seed, 0, MAX_SEED), x0.shape), sch)
    rgba = np.full((*x0.shape[:2], 4), 255, np.uint8)  # (H, W, 4)
    rgba[:, :, :3] = np.clip((xt + 1) * 127.5 + 0.5, 0, 255).astype(np.uint8)
    ab = float(sch.alpha_bar[t])
    return {"image": rgba, "t": t, "T": T, "beta_t": float(sch.beta[t]), "alpha_bar": ab,
            "signal": math.sqrt(ab), "noise": math.sqrt(1 - ab)}


def _start_noise(seed, n: int, dim: int) -> tuple[np.ndarray, np.random.Generator]:
    """x_T for n points and the generator the DDPM steps go on drawing from."""
    rng = _rng(seed, STREAM_DIFFUSION)
    return rng.standard_normal((n, dim), np.float32), rng


def diffusion_sample_2d(prompt: str = "spiral", scale: float = 1.0, steps: int = 20,
                        sampler: str = "ddpm", seed: int = 0, n: int = 1000,
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
    if run is None:
        m = _shipped("2d")
        net, sch, clip = m.net, m.sch, m.cfg.clip
        prompt = _choice("prompt", prompt, (*SHAPES_2D, "none"))
        c = SHAPES_2D.index(prompt) if prompt != "none" else net.n_classes
    else:
        live = _diff_run(run)
        net, sch, clip, prompt, c = live.sampler_net(), live.sch, live.cfg.clip, _DIFF_SHAPE[run], 0
    scale, steps, sampler = _sampling(scale, steps, sampler, sch.T)
    n = _int("n", n, 1, DIFF_MAX_POINTS)
    x, rng = _start_noise(seed, n, 2)
    path, guesses = diffusion.sample_with_guesses(net, sch, x, c, scale, steps, sampler, rng, clip)
    real, near = None, None
    if prompt != "none":  # the shape's points: 500 drawn faintly under the samples, all measured
        ref = gan.sample_target(prompt, N_REFERENCE, np.random.default_rng(0))
        real, near = ref[:500], float(diffusion.nn_distance(path[-1], ref).mean())
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
    m = _shipped("digits")
    prompt = _choice("digit", prompt, (*range(10), "none"))
    scale, steps, sampler = _sampling(scale, steps, sampler, m.cfg.T)
    n = _int("n", n, 1, DIFF_MAX_DIGITS)
    x, rng = _start_noise(seed, n, m.cfg.dim)
    c = m.net.n_classes if prompt == "none" else prompt
    path = diffusion.sample(m.net, m.sch, x, c, scale, steps, sampler, rng, m.cfg.clip)
    read_as = diffusion.classify(path[-1], _digit_centroids())
    side = diffusion.DIGIT_SIDE
    ink = np.clip((path + 1) / 2, 0, 1).reshape(len(path), n, side, side)
    return {"path": ink, "times": diffusion.timesteps(m.cfg.T, steps).tolist(), "read_as": read_as.tolist(),
            "hits": None if prompt == "none" else int(np.sum(read_as == prompt)),
            "variety": diffusion.variety(ink[-1].reshape(n, -1)), "real_variety": _real_variety(prompt),
            "prompt": prompt, "scale": scale, "steps": steps, "sampler": sampler, "seed": int(seed)}


def _diff_run(run) -> diffusion.Diffusion:
    run = _int("run", run, 0, MAX_SEED)
    if run not in _DIFF_RUNS:
        raise RunExpiredError(f"diffusion run {run} is unknown or expired; start a new run")
    return _DIFF_RUNS[run]


def diffusion_train_start(shape: str = "spiral", lr: float = 2e-3, seed: int = 0) -> dict:
    """A fresh, untrained 2D model (the shipped one's size, unconditional) for one shape.

    Returns {run, shape, lr, seed, real: (500, 2) points of the shape, params}.
    """
    shape = _choice("shape", shape, SHAPES_2D)
    lr = _real("learning rate", lr, *DIFF_LR)
    base = _shipped("2d").cfg
    cfg = diffusion.DiffusionConfig(dim=2, n_classes=0, hidden=base.hidden, depth=base.depth,
                                    T=base.T, schedule=base.schedule, lr=lr, batch=128,
                                    ema=0.99, seed=_int("seed", seed, 0, MAX_SEED))
    run = next(_DIFF_IDS)
    _DIFF_RUNS[run], _DIFF_SHAPE[run] = diffusion.Diffusion(cfg), shape
    while len(_DIFF_RUNS) > DIFF_MAX_RUNS:
        old = next(iter(_DIFF_RUNS))
        del _DIFF_RUNS[old], _DIFF_SHAPE[old]
    return {"run": run, "shape": shape, "lr": lr, "seed": cfg.seed,
            "real": gan.sample_target(shape, 500, np.random.default_rng(0)),
            "params": int(_DIFF_RUNS[run].net.flat.size)}


def diffusion_train(run: int, steps: int = 50, budget_ms: float | None = None) -> dict:
    """Train a live run for steps (1..max_steps) steps, or fewer once budget_ms
    (as in gan_train) is spent, after at least one step.

    Returns {run, step, losses: (n,) float32 the simple loss per step taken,
    diverged: bool, message: "" or why training stopped and what to try}.
    A step that makes the loss or a weight non-finite is undone.
    """
    m = _diff_run(run)
    steps = _int("steps", steps, 1, DIFF_MAX_STEPS)
    deadline, data = _deadline(budget_ms), _shape_data(_DIFF_SHAPE[run])
    chunks, reason = [], ""
    while sum(map(len, chunks)) < steps and not reason:
        losses, reason = m.train(1 if deadline < math.inf else steps, data)
        chunks.append(losses)
        if time.perf_counter() >= deadline:
            break
    losses = np.concatenate(chunks).astype(np.float32)
    message = (f"Training stopped: {reason}. The last good state (step {m.step}) is kept; "
               f"try a smaller learning rate." if reason else "")
    return {"run": int(run), "step": m.step, "losses": losses, "diverged": bool(reason),
            "message": message}


def diffusion_corrupt(run: int) -> dict:
    """Test hook: put an infinity into a live run's weights, as a diverging run would."""
    _diff_run(run).net.flat[0] = np.inf
    return {"run": int(run)}


# ------------------------------------------------------------------ creating vs classifying

CLASSIFY_GRID = 48  # both pictures are drawn on a CLASSIFY_GRID x CLASSIFY_GRID raster
CLASSIFY_MAX_POINTS = 400
CLASSIFY_MAX_COMPONENTS = 5
CLASSIFY_MAX_NEW = 200
STREAM_CLASSIFY = 5


def _labelled_points(points) -> tuple[np.ndarray, np.ndarray]:
    """[[x, y, label], ...] -> points (N, 2) float64 inside the plane, labels (N,) of 0 and 1."""
    rows = points if isinstance(points, list) else None
    if rows is None or not 1 <= len(rows) <= CLASSIFY_MAX_POINTS or any(
            not isinstance(r, (list, tuple)) or len(r) != 3 or not all(map(_number, r)) for r in rows):
        raise ValueError(f"points must be a list of 1 to {CLASSIFY_MAX_POINTS} [x, y, label] triples")
    table = np.array(rows, np.float64)  # (N, 3)
    x0, x1, y0, y1 = gan.EXTENT
    inside = (table[:, 0] >= x0) & (table[:, 0] <= x1) & (table[:, 1] >= y0) & (table[:, 1] <= y1)
    if not np.isfinite(table).all() or not inside.all():
        raise ValueError(f"points must lie inside x {x0:g}..{x1:g}, y {y0:g}..{y1:g}")
    if not np.isin(table[:, 2], (0, 1)).all():
        raise ValueError("each point's label must be 0 or 1")
    return table[:, :2], table[:, 2].astype(int)


def classify_start(seed: int = 0) -> dict:
    """Starting points for the section: {points: [[x, y, label], ...]} (seeded)."""
    x, y = classify.starter_points(_rng(seed, STREAM_CLASSIFY))
    return {"points": [[round(float(a), 3), round(float(b), 3), int(c)] for (a, b), c in zip(x, y)]}


def classify_fit(points: list, components: int = 2, n_new: int = 40, seed: int = 0) -> dict:
    """Fit both models to the same labelled points.

    Discriminative: logistic regression -> boundary (G, G) float32 p(label 1 | x)
    at cell centres (row 0 = top), accuracy on the points (None without both labels).
    Generative: a mixture of `components` Gaussians per label, fitted by EM ->
    density (2, G, G) float32 p(x | label) at cell centres, each scaled to max 1,
    new: (n_new, 2) float32 new points with new_labels (n_new,) in proportion to the
    counts, mixtures [{label, weights, means, covs, em_steps, loglik}] per label present.
    counts: [n0, n1]; extent; grid G.
    """
    x, y = _labelled_points(points)
    k = _int("components", components, 1, CLASSIFY_MAX_COMPONENTS)
    n_new = _int("n_new", n_new, 0, CLASSIFY_MAX_NEW)
    rng = _rng(seed, STREAM_CLASSIFY, 1)
    grid = gan.plane_grid(CLASSIFY_GRID).astype(np.float64)  # (G * G, 2)
    counts = [int(np.sum(y == 0)), int(np.sum(y == 1))]
    both = min(counts) > 0
    boundary, accuracy = np.full(len(grid), 0.0 if counts[0] else 1.0), None
    if both:
        w = classify.fit_logistic(x, y)
        boundary = classify.predict(w, grid)
        accuracy = float(np.mean((classify.predict(w, x) > 0.5) == y))
    density = np.zeros((2, len(grid)))
    mixtures, new, new_labels = [], [], []
    share = rng.multinomial(n_new, np.array(counts) / len(y))  # new points per label
    for label in (0, 1):
        if not counts[label]:
            continue
        mix = classify.fit_mixture(x[y == label], k, rng)
        d = np.exp(classify.log_density(mix, grid))
        density[label] = d / d.max()
        new.append(classify.sample_mixture(mix, int(share[label]), rng))
        new_labels += [label] * int(share[label])
        mixtures.append({"label": label, "weights": mix.weights.tolist(), "means": mix.means.tolist(),
                         "covs": mix.covs.tolist(), "em_steps": len(mix.loglik),
                         "loglik": mix.loglik[-1]})
    g = CLASSIFY_GRID
    return {"boundary": boundary.reshape(g, g).astype(np.float32), "accuracy": accuracy,
            "density": density.reshape(2, g, g).astype(np.float32),
            "new": np.concatenate(new).astype(np.float32) if new else np.zeros((0, 2), np.float32),
            "new_labels": new_labels, "mixtures": mixtures, "counts": counts,
            "extent": list(gan.EXTENT), "grid": g}

# ------------------------------------------------------------------ art

ART_MAX_STRIP = 16  # thumbnails per art_strip call
ART_MAX_THUMB = 128  # a thumbnail's largest side


def _art_config(seed, style, palette, complexity, symmetry, size, max_size: int) -> art.ArtConfig:
    return art.ArtConfig(
        seed=_int("seed", seed, 0, MAX_SEED),
        style=_choice("style", style, (art.AUTO, *art.STYLES)),
        palette=_choice("palette", palette, (art.AUTO, *art.PALETTES)),
        complexity=_int("complexity", complexity, art.MIN_COMPLEXITY, art.MAX_COMPLEXITY),
        symmetry=_choice("symmetry", symmetry, tuple(art.SYMMETRIES)),
        size=_int("size", size, art.MIN_SIZE, max_size))


def art_presets() -> dict:
    """What the art section's controls need: the choices in display order, with labels.

    styles: [{name, label}], palettes: [{name, colors: five "#rrggbb"}],
    symmetries: [{name, label}], complexity: [min, max], size: [min, max],
    defaults: the ArtConfig defaults, max_strip, max_thumb.
    """
    return {"styles": [{"name": k, "label": v} for k, v in art.STYLES.items()],
            "palettes": [{"name": k, "colors": list(v)} for k, v in art.PALETTES.items()],
            "symmetries": [{"name": k, "label": v} for k, v in art.SYMMETRIES.items()],
            "complexity": [art.MIN_COMPLEXITY, art.MAX_COMPLEXITY], "size": [art.MIN_SIZE, art.MAX_SIZE],
            "defaults": asdict(art.ArtConfig()), "max_strip": ART_MAX_STRIP, "max_thumb": ART_MAX_THUMB}


def art_render(seed: int = 42, style: str = "auto", palette: str = "auto", complexity: int = 5,
               symmetry: str = "none", size: int = 512) -> dict:
    """One picture: {image: (size, size, 4) uint8 RGBA, sha256: of its bytes, and the knobs
    used (seed, style, palette, complexity, symmetry, size), "auto" replaced by the seed's picks}.
    """
    cfg = _art_config(seed, style, palette, complexity, symmetry, size, art.MAX_SIZE)
    image = art.render(cfg)
    return {"image": image, "sha256": hashlib.sha256(image.tobytes()).hexdigest(), **asdict(art.resolve(cfg))}


def art_strip(seeds: list, style: str = "auto", palette: str = "auto", complexity: int = 5,
              symmetry: str = "none", size: int = 64) -> dict:
    """Thumbnails of several seeds with the same knobs, by the same function as art_render.

    Returns {images: (k, size, size, 4) uint8, seeds, styles, palettes: what each one used}.
    """
    if not isinstance(seeds, (list, tuple)) or not 1 <= len(seeds) <= ART_MAX_STRIP:
        raise ValueError(f"seeds must be a list of 1 to {ART_MAX_STRIP} seeds, not {seeds!r}")
    cfgs = [_art_config(s, style, palette, complexity, symmetry, size, ART_MAX_THUMB) for s in seeds]
    used = [art.resolve(c) for c in cfgs]
    return {"images": np.stack([art.render(c) for c in cfgs]), "seeds": [c.seed for c in cfgs],
            "styles": [u.style for u in used], "palettes": [u.palette for u in used]}


FUNCTIONS = {f.__name__: f for f in (
    info, llm_distribution, llm_sample, llm_sample_many, llm_generate, llm_compare, llm_score,
    gan_presets, gan_start, gan_train, gan_view, gan_bench, gan_corrupt,
    diffusion_presets, diffusion_schedule, diffusion_image, diffusion_forward,
    diffusion_sample_2d, diffusion_sample_digits, diffusion_train_start, diffusion_train,
    diffusion_corrupt, classify_start, classify_fit, art_presets, art_render, art_strip)}


# ------------------------------------------------------------------ transport

def _plain(value, arrays: list):
    """Copy value into dicts/lists/scalars; put ndarrays in arrays, leave a marker."""
    if isinstance(value, np.ndarray):
        arrays.append(np.ascontiguousarray(value))
        return {"__array__": len(arrays) - 1, "shape": list(value.shape)}
    if isinstance(value, dict):
        return {str(k): _plain(v, arrays) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, arrays) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def call(fn: str, args: dict) -> tuple[dict, list[np.ndarray]]:
    """Run FUNCTIONS[fn](**args); return (plain tree, arrays it refers to)."""
    if fn not in FUNCTIONS:
        raise ValueError(f"unknown function {fn!r}; known: {', '.join(sorted(FUNCTIONS))}")
    arrays: list[np.ndarray] = []
    return _plain(FUNCTIONS[fn](**dict(args)), arrays), arrays
