"""Section 1: creating vs classifying, both models fitted to the learner's labelled points."""
from __future__ import annotations

import numpy as np

from .. import classify, gan
from . import checks
from .checks import STREAM_CLASSIFY

CLASSIFY_GRID = 48  # both pictures are drawn on a CLASSIFY_GRID x CLASSIFY_GRID raster
CLASSIFY_MAX_POINTS = 400
CLASSIFY_MAX_COMPONENTS = 5
CLASSIFY_MAX_NEW = 200


def _labelled_points(points) -> tuple[np.ndarray, np.ndarray]:
    """[[x, y, label], ...] -> points (N, 2) float64 inside the plane, labels (N,) of 0 and 1."""
    rows = points if isinstance(points, list) else None
    if rows is None or not 1 <= len(rows) <= CLASSIFY_MAX_POINTS or any(
            not isinstance(r, (list, tuple)) or len(r) != 3 or not all(map(checks.is_number, r)) for r in rows):
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
    x, y = classify.starter_points(checks.rng(seed, STREAM_CLASSIFY))
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
    k = checks.integer("components", components, 1, CLASSIFY_MAX_COMPONENTS)
    n_new = checks.integer("n_new", n_new, 0, CLASSIFY_MAX_NEW)
    g = CLASSIFY_GRID
    grid = gan.plane_grid(g).astype(np.float64)  # (G * G, 2)
    fits = classify.fit_both(x, y, k, n_new, grid, checks.rng(seed, STREAM_CLASSIFY, 1))
    mixtures = [{"label": label, "weights": mix.weights.tolist(), "means": mix.means.tolist(),
                 "covs": mix.covs.tolist(), "em_steps": len(mix.loglik), "loglik": mix.loglik[-1]}
                for label, mix in fits.mixtures.items()]
    return {"boundary": fits.boundary.reshape(g, g).astype(np.float32), "accuracy": fits.accuracy,
            "density": fits.density.reshape(2, g, g).astype(np.float32),
            "new": fits.new.astype(np.float32), "new_labels": fits.new_labels, "mixtures": mixtures,
            "counts": fits.counts, "extent": list(gan.EXTENT), "grid": g}


FUNCTIONS = (classify_start, classify_fit)
