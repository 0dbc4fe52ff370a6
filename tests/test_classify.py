"""Creating vs classifying: logistic regression, EM for Gaussian mixtures, and the API."""
import math

import numpy as np
import pytest

from genlab import api, classify


def blobs(rng, n=200):
    """Two well-separated Gaussian blobs: class 0 at (-1, 0), class 1 at (1, 0.5)."""
    x = np.concatenate([rng.normal((-1, 0), 0.3, (n, 2)), rng.normal((1, 0.5), 0.3, (n, 2))])
    return x, np.repeat([0, 1], n)


def test_logistic_regression_separates_and_is_a_stationary_point():
    x, y = blobs(np.random.default_rng(0))
    w = classify.fit_logistic(x, y)
    assert np.mean((classify.predict(w, x) > 0.5) == y) > 0.98
    # At the optimum the gradient of the penalised log-likelihood vanishes.
    phi = classify.features(x)
    penalty = np.full(6, classify.L2)
    penalty[0] = 0
    grad = phi.T @ (classify.predict(w, x) - y) + penalty * w
    assert np.abs(grad).max() < 1e-6


def test_logistic_regression_draws_a_curved_border():
    """Class 1 inside a circle, class 0 outside: no straight line works, the quadratic features do."""
    rng = np.random.default_rng(1)
    x = rng.uniform(-1.4, 1.4, (400, 2))
    y = (np.hypot(x[:, 0], x[:, 1]) < 0.8).astype(int)
    w = classify.fit_logistic(x, y)
    assert np.mean((classify.predict(w, x) > 0.5) == y) > 0.95


def test_log_gauss_matches_the_textbook_density():
    rng = np.random.default_rng(2)
    mean, a = np.array([0.3, -0.2]), rng.normal(size=(2, 2))
    cov = a @ a.T + 0.1 * np.eye(2)
    x = rng.normal(size=(5, 2))
    inv, det = np.linalg.inv(cov), np.linalg.det(cov)
    expected = [-0.5 * (d @ inv @ d) - math.log(2 * math.pi * math.sqrt(det)) for d in x - mean]
    assert np.allclose(classify.log_gauss(x, mean, cov), expected, atol=1e-12)


def test_em_recovers_two_components_and_never_loses_likelihood():
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.normal((-1, -1), 0.2, (300, 2)), rng.normal((1, 1), 0.4, (100, 2))])
    mix = classify.fit_mixture(x, 2, np.random.default_rng(4))
    order = np.argsort(mix.means[:, 0])
    assert np.allclose(mix.means[order], [[-1, -1], [1, 1]], atol=0.1)
    assert np.allclose(mix.weights[order], [0.75, 0.25], atol=0.05)
    assert np.allclose(np.sqrt(mix.covs[order][:, [0, 1], [0, 1]]), [[0.2, 0.2], [0.4, 0.4]], atol=0.06)
    assert all(b >= a - 1e-9 for a, b in zip(mix.loglik, mix.loglik[1:]))  # EM's promise


def test_mixture_samples_follow_the_fitted_distribution():
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.normal((-1, 0), 0.25, (500, 2)), rng.normal((1, 0), 0.25, (500, 2))])
    mix = classify.fit_mixture(x, 2, np.random.default_rng(6))
    new = classify.sample_mixture(mix, 4000, np.random.default_rng(7))
    assert abs(np.mean(new[:, 0] > 0) - 0.5) < 0.04  # both components, in proportion
    assert np.allclose(np.std(new[new[:, 0] > 0], axis=0), 0.25, atol=0.03)
    assert np.array_equal(classify.sample_mixture(mix, 10, np.random.default_rng(8)),
                          classify.sample_mixture(mix, 10, np.random.default_rng(8)))


def test_api_fits_both_models_and_reacts_to_an_added_point():
    points = api.classify_start(0)["points"]
    out = api.classify_fit(points, 2, 40, 0)
    g = out["grid"]
    assert out["boundary"].shape == (g, g) and out["density"].shape == (2, g, g)
    assert out["accuracy"] > 0.9 and out["counts"] == [24, 24]
    assert out["new"].shape == (40, 2) and len(out["new_labels"]) == 40
    assert np.array_equal(out["new"], api.classify_fit(points, 2, 40, 0)["new"])  # seeded
    assert not np.array_equal(out["new"], api.classify_fit(points, 2, 40, 1)["new"])
    # A lone class-1 point in class 0's top-left blob: both pictures change there.
    more = points + [[-0.8, 0.6, 1]] * 3
    after = api.classify_fit(more, 2, 40, 0)
    row, col = int((1.5 - 0.6) / 3 * g), int((-0.8 + 1.5) / 3 * g)
    assert after["boundary"][row, col] > out["boundary"][row, col] + 0.05
    assert after["density"][1, row, col] > out["density"][1, row, col] + 0.05
    assert after["counts"] == [24, 27]


def test_api_with_one_class_has_no_border_but_still_generates():
    out = api.classify_fit([[0.1, 0.2, 0], [0.3, 0.1, 0], [-0.2, 0.0, 0]], 2, 10, 0)
    assert out["accuracy"] is None and np.all(out["boundary"] == 0)
    assert out["new_labels"] == [0] * 10 and len(out["mixtures"]) == 1


@pytest.mark.parametrize("points, message", [
    ([], "points must be a list of 1 to"),
    ([[0, 0]], "points must be a list of 1 to"),
    ([[0, 0, 2]], "label must be 0 or 1"),
    ([[5, 0, 1]], "inside x"),
    ([[float("nan"), 0, 1]], "inside x"),
    ("0,0,1", "points must be a list"),
])
def test_api_rejects_bad_points(points, message):
    with pytest.raises(ValueError, match=message):
        api.classify_fit(points)


def test_api_rejects_bad_settings():
    points = api.classify_start(0)["points"]
    with pytest.raises(ValueError, match="components must be a whole number from 1 to 5"):
        api.classify_fit(points, 9)
    with pytest.raises(ValueError, match="n_new"):
        api.classify_fit(points, 2, -1)
