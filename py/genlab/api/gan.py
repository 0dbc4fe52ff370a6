"""Section 3 (and the live demo of section 4): a GAN trained over many calls.

A run lives in the calling page's session (session.gan_runs, see runs.RunRegistry): each
owner (a section) keeps GAN_MAX_RUNS runs, its oldest dropped first.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

import numpy as np

from .. import gan
from . import checks
from .runs import train_within

if TYPE_CHECKING:
    from . import Session

GAN_MAX_RUNS = 2  # GAN runs kept per owner; starting another drops that owner's oldest
GAN_OWNERS = ("gan", "diffusion-live")  # the sections that start GAN runs
GAN_MAX_STEPS = 2000  # training steps per gan_train call
MAX_BENCH_STEPS = 100_000
DEFAULTS = asdict(gan.GanConfig())  # the page's starting settings (gan-settings.js holds the same)


def _view(g: gan.Gan) -> dict:
    return {"step": g.step, **gan.view(g)}


def gan_presets() -> dict:
    """What the GAN section's controls need, all plain data.

    defaults: {setting: value}, the GanConfig defaults
    settings: {setting: {"kind": "float" | "int", "min", "max"}
                        or {"kind": "choice", "choices": [...]}}
    targets, losses, activations: the choices, in display order
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
        "defaults": dict(DEFAULTS), "settings": settings,
        "targets": list(gan.TARGETS), "losses": list(gan.LOSS_NAMES),
        "activations": list(gan.ACTIVATION_NAMES),
        "modes": {"count": gan.RING_MODES, "radius": gan.MODE_RADIUS, "share": gan.MODE_SHARE,
                  "fixed": gan.N_EVAL},
        "presets": presets, "grid": gan.GRID, "n_points": gan.N_VIEW,
        "extent": list(gan.EXTENT), "jsd_converged": gan.JSD_CONVERGED,
        "max_steps": GAN_MAX_STEPS, "max_custom_points": gan.MAX_CUSTOM_POINTS,
        "mesh_side": gan.MESH_SIDE,
    }


def gan_start(session: Session, settings: dict | None = None, points: list | None = None,
              owner: str = "gan") -> dict:
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
    owner = session.gan_runs.owner(owner)
    g = gan.Gan(gan.make_config(settings), points)
    run = session.gan_runs.add(g, owner)
    return {"run": run, "settings": asdict(g.cfg),
            "real": np.ascontiguousarray(g.real_fixed[:gan.N_VIEW]), "view": _view(g)}


def _updates(g: gan.Gan, mode: str):
    """advance() for runs.train_within: one network update; a step's losses once it completes."""
    def advance(_):
        done = g.update(mode)  # None until the update that ends a step
        if done is None:
            return [], ""
        return ([], done[2]) if done[2] else ([done[:2]], "")
    return advance


def gan_train(session: Session, run: int, steps: int = 10, mode: str = "both", view: bool = True,
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
                      other targets,
                  piles: [{x, y, count, radius}] spots where the forger
                      heaps its fixed fakes, biggest first (gan.piles),
                  n_fixed: the fixed fakes they are counted from (1,024)}}.
    A run that diverges keeps its state from before the bad step.
    """
    g = session.gan_runs.get(run)
    steps = checks.integer("steps", steps, 1, GAN_MAX_STEPS)
    mode = checks.choice("mode", mode, gan.MODES)
    want_view = checks.boolean("view", view)
    deadline = checks.deadline(budget_ms)  # every argument checked before any training
    losses, reason, updates = train_within(_updates(g, mode), steps, deadline)
    losses = np.array(losses, np.float32).reshape(-1, 2)  # (n, 2): L_D, L_G
    frame = _view(g) if want_view else None
    message = (f"Training stopped: {reason}. The last good state (step {g.step}) "
               f"is kept; try smaller learning rates." if reason else "")
    return {"run": int(run), "step": g.step, "updates": updates,
            "losses_d": np.ascontiguousarray(losses[:, 0]), "losses_g": np.ascontiguousarray(losses[:, 1]),
            "diverged": bool(reason), "message": message, "jsd": frame["jsd"] if frame else None,
            "view": frame}


def gan_view(session: Session, run: int) -> dict:
    """The view of a run as it is now (the fields of gan_train's view)."""
    return _view(session.gan_runs.get(run))


def gan_bench(settings: dict | None = None, steps: int = 300, view_every: int = 0) -> dict:
    """{steps_per_s}: training speed of this interpreter (a throwaway run, not kept)."""
    steps = checks.integer("steps", steps, 1, MAX_BENCH_STEPS)
    view_every = checks.integer("view_every", view_every, 0, MAX_BENCH_STEPS)
    return {"steps_per_s": gan.bench_native(settings, steps, view_every)}


def gan_corrupt(session: Session, run: int) -> dict:
    """Test hook: put an infinity into the detective's weights, as a diverging run would.

    The next gan_train step then sees a non-finite loss, stops, and restores
    the last good state: the path the page shows when training really diverges.
    """
    session.gan_runs.get(run).D.flat[0] = np.inf
    return {"run": int(run)}


FUNCTIONS = (gan_presets, gan_start, gan_train, gan_view, gan_bench, gan_corrupt)
