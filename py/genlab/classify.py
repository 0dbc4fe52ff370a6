"""Creating vs classifying, on the same points of the plane.

A discriminative model learns p(class | x): here logistic regression on the
quadratic features [1, x, y, x^2, xy, y^2], fitted by Newton's method
(iteratively reweighted least squares) with a small L2 penalty. It can say
which side of its boundary a point is on, and nothing else.

A generative model learns p(x | class): here a Gaussian mixture per class,
fitted by expectation-maximisation (EM). Because it describes where points of
each class lie, it can also *make* new ones: pick a component by its weight,
then draw from that Gaussian.

Points are float64 (N, 2); labels are 0 or 1 (N,).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

L2 = 1e-2  # logistic regression's penalty on the non-constant weights
NEWTON_STEPS = 25  # IRLS converges in a handful on data this small
EM_STEPS = 60  # EM iterations at most
EM_TOL = 1e-6  # stop when the mean log-likelihood gains less than this
COV_FLOOR = 1e-3  # added to every covariance's diagonal: no component collapses onto one point


# ---------------------------------------------------------------- discriminative


def features(x: np.ndarray) -> np.ndarray:
    """(N, 2) -> (N, 6): 1, x, y, x^2, xy, y^2 (a boundary can curve)."""
    a, b = x[:, 0], x[:, 1]
    return np.stack([np.ones_like(a), a, b, a * a, a * b, b * b], axis=1)


def sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1, e) / (1 + e)


def fit_logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Weights w (6,) maximising sum log p(y | x) - L2/2 |w[1:]|^2, by Newton steps."""
    phi = features(x)  # (N, 6)
    w = np.zeros(phi.shape[1])
    penalty = np.full(phi.shape[1], L2)
    penalty[0] = 0  # the constant is not penalised
    for _ in range(NEWTON_STEPS):
        p = sigmoid(phi @ w)  # (N,)
        grad = phi.T @ (p - y) + penalty * w  # (6,)
        hess = (phi * (p * (1 - p))[:, None]).T @ phi + np.diag(penalty + 1e-9)  # (6, 6)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    """p(class 1 | x) for each row: (N,)."""
    return sigmoid(features(x) @ w)


# ---------------------------------------------------------------- generative


@dataclass
class Mixture:
    """A Gaussian mixture: weights (K,), means (K, 2), covariances (K, 2, 2), and EM's trace."""

    weights: np.ndarray
    means: np.ndarray
    covs: np.ndarray
    loglik: list  # mean log-likelihood after each EM step


def log_gauss(x: np.ndarray, mean: np.ndarray, cov: np.ndarray) -> np.ndarray:
    """log N(x; mean, cov) for each row of x (N, 2), with the 2x2 inverse written out."""
    (a, b), (_, d) = cov
    det = a * d - b * b
    dx = x - mean  # (N, 2)
    maha = (d * dx[:, 0] ** 2 - 2 * b * dx[:, 0] * dx[:, 1] + a * dx[:, 1] ** 2) / det
    return -0.5 * maha - math.log(2 * math.pi) - 0.5 * math.log(det)


def _log_resp(x: np.ndarray, mix: Mixture) -> tuple[np.ndarray, np.ndarray]:
    """log(weight_k N(x; mu_k, S_k)) (N, K) and the log of their sum over k (N,)."""
    logp = np.stack([math.log(w) + log_gauss(x, m, c)
                     for w, m, c in zip(mix.weights, mix.means, mix.covs)], axis=1)  # (N, K)
    top = logp.max(axis=1, keepdims=True)
    return logp, (top + np.log(np.exp(logp - top).sum(axis=1, keepdims=True)))[:, 0]


def fit_mixture(x: np.ndarray, k: int, rng: np.random.Generator) -> Mixture:
    """EM for a k-component mixture of full-covariance Gaussians (k is capped at len(x)).

    Start: k distinct points picked at random as means (seeded), the data's own
    covariance for every component, equal weights. E step: responsibilities
    r_nk = p(component k | x_n). M step: weights, means and covariances
    re-estimated from r (covariances floored by COV_FLOOR).
    """
    k = max(1, min(k, len(x)))
    spread = np.cov(x.T) + COV_FLOOR * np.eye(2) if len(x) > 1 else np.eye(2) * 0.05
    mix = Mixture(np.full(k, 1 / k), x[rng.choice(len(x), k, replace=False)].copy(),
                  np.repeat(spread[None], k, axis=0), [])
    for _ in range(EM_STEPS):
        logp, total = _log_resp(x, mix)
        mix.loglik.append(float(total.mean()))
        r = np.exp(logp - total[:, None])  # (N, K) responsibilities, rows sum to 1
        nk = r.sum(axis=0) + 1e-12  # (K,)
        mix.weights = nk / nk.sum()
        mix.means = (r.T @ x) / nk[:, None]  # (K, 2)
        for j in range(k):
            dx = x - mix.means[j]  # (N, 2)
            mix.covs[j] = (r[:, j, None] * dx).T @ dx / nk[j] + COV_FLOOR * np.eye(2)
        if len(mix.loglik) > 1 and abs(mix.loglik[-1] - mix.loglik[-2]) < EM_TOL:
            break
    return mix


def log_density(mix: Mixture, x: np.ndarray) -> np.ndarray:
    """log p(x) under the mixture, for each row of x (N, 2): (N,)."""
    return _log_resp(x, mix)[1]


def sample_mixture(mix: Mixture, n: int, rng: np.random.Generator) -> np.ndarray:
    """n new points (n, 2): a component by weight, then mean + L z with L L^T = cov."""
    which = rng.choice(len(mix.weights), n, p=mix.weights)  # (n,)
    z = rng.standard_normal((n, 2))
    chol = np.linalg.cholesky(mix.covs)  # (K, 2, 2)
    return mix.means[which] + np.einsum("nij,nj->ni", chol[which], z)


# ---------------------------------------------------------------- both, side by side


@dataclass
class BothFits:
    """Both models fitted to the same labelled points, read on a grid of M points."""

    counts: list  # [n0, n1]: points of each label
    boundary: np.ndarray  # (M,) p(label 1 | x); without both labels, the one label's certainty
    accuracy: float | None  # share of the points on their side of 0.5 (None without both labels)
    density: np.ndarray  # (2, M) p(x | label), each scaled to max 1 (0 for a label with no points)
    mixtures: dict  # label -> Mixture, for each label present
    new: np.ndarray  # (n_new, 2) points made by the mixtures, in proportion to the counts
    new_labels: list  # (n_new,) the label each new point was made as


def fit_both(x: np.ndarray, y: np.ndarray, k: int, n_new: int, grid: np.ndarray,
             rng: np.random.Generator) -> BothFits:
    """Logistic regression and a k-component mixture per label on points x (N, 2), labels y (N,)."""
    counts = [int(np.sum(y == 0)), int(np.sum(y == 1))]
    boundary, accuracy = np.full(len(grid), 0.0 if counts[0] else 1.0), None
    if min(counts) > 0:
        w = fit_logistic(x, y)
        boundary = predict(w, grid)  # (M,)
        accuracy = float(np.mean((predict(w, x) > 0.5) == y))
    density, mixtures, new, new_labels = np.zeros((2, len(grid))), {}, [], []
    share = rng.multinomial(n_new, np.array(counts) / len(y))  # new points per label
    for label in (0, 1):
        if not counts[label]:
            continue
        mixtures[label] = mix = fit_mixture(x[y == label], k, rng)
        d = np.exp(log_density(mix, grid))  # (M,)
        density[label] = d / d.max()
        new.append(sample_mixture(mix, int(share[label]), rng))
        new_labels += [label] * int(share[label])
    new = np.concatenate(new) if new else np.zeros((0, 2))
    return BothFits(counts, boundary, accuracy, density, mixtures, new, new_labels)


# ---------------------------------------------------------------- the starting points


def starter_points(rng: np.random.Generator, n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """Two classes to begin with: class 0 in two blobs, class 1 in a bent band between them."""
    a = np.concatenate([rng.normal((-0.8, 0.6), 0.2, (n // 2, 2)), rng.normal((0.7, 0.8), 0.2, (n // 2, 2))])
    angle = rng.uniform(np.pi * 1.1, np.pi * 1.9, n)
    b = np.stack([0.9 * np.cos(angle), 0.9 * np.sin(angle) + 0.5], axis=1) + rng.normal(0, 0.1, (n, 2))
    return np.concatenate([a, b]), np.repeat([0, 1], n)
