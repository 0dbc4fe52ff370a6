"""Finite-difference gradient checks shared by the tests of hand-written backward passes."""
import numpy as np

H = 1e-6  # finite-difference step (float64)


def numeric_grad(f, x: np.ndarray) -> np.ndarray:
    """Central differences (f(x + h) - f(x - h)) / 2h for every entry of x (changed in place)."""
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + H
        up = f()
        x[i] = old - H
        down = f()
        x[i] = old
        g[i] = (up - down) / (2 * H)
    return g


def assert_close(analytic: np.ndarray, numeric: np.ndarray, what: str, tol: float = 1e-6):
    err = np.abs(analytic - numeric).max() / max(1e-8, np.abs(numeric).max())
    assert err < tol, f"{what}: relative error {err:.2e}"
