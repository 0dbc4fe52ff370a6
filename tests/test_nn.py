"""Tests for genlab.nn: layers, the MLP, optimisers. Gradient checks run in float64."""

import math

import numpy as np
import pytest

from genlab import nn
from tests.gradcheck import assert_close, numeric_grad


def away_from_zero(rng, shape) -> np.ndarray:
    """Normal entries with |z| >= 0.1, so relu's kink is never inside a difference step."""
    z = rng.standard_normal(shape)
    return np.where(np.abs(z) < 0.1, np.sign(z + 1e-12) * 0.1 + z, z)


# ---------------------------------------------------------------- layers


def test_linear_known_answer():
    """x = [[1, 2]], W = [[1, 0, -1], [2, 1, 0]], b = [0.5, 0, 0]:
    y = [1*1 + 2*2 + 0.5, 1*0 + 2*1, 1*(-1) + 0] = [5.5, 2, -1]."""
    x = np.array([[1.0, 2.0]])
    W = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]])
    b = np.array([0.5, 0.0, 0.0])
    np.testing.assert_array_equal(nn.linear_fwd(x, W, b), [[5.5, 2.0, -1.0]])
    np.testing.assert_array_equal(b, [0.5, 0.0, 0.0])  # the in-place += did not touch b


def test_linear_gradients():
    """dL/dx, dL/dW, dL/db of L = sum(R * linear(x)) against central differences."""
    rng = np.random.default_rng(0)
    x, W, b = rng.standard_normal((5, 3)), rng.standard_normal((3, 4)), rng.standard_normal(4)
    R = rng.standard_normal((5, 4))  # dL/dy

    def loss():
        return float(np.sum(R * nn.linear_fwd(x, W, b)))

    dW, db = np.empty_like(W), np.empty_like(b)
    dx = nn.linear_bwd(x, W, R, dW, db)
    assert_close(dx, numeric_grad(loss, x), "dx")
    assert_close(dW, numeric_grad(loss, W), "dW")
    assert_close(db, numeric_grad(loss, b), "db")
    assert nn.linear_bwd(x, W, R, want_dx=False) is None


@pytest.mark.parametrize("name", sorted(nn.ACTIVATIONS))
def test_activation_gradients(name):
    """Each backward (written with the output h) matches d/dz of sum(R * act(z))."""
    fwd, bwd = nn.ACTIVATIONS[name]
    rng = np.random.default_rng(1)
    z = away_from_zero(rng, (4, 6)) * 2
    R = rng.standard_normal((4, 6))
    analytic = bwd(fwd(z.copy()), R)
    assert_close(analytic, numeric_grad(lambda: float(np.sum(R * fwd(z.copy()))), z), name)


def test_activation_known_values():
    z = np.array([-2.0, -0.5, 0.0, 3.0])
    np.testing.assert_array_equal(nn.relu_fwd(z), [0, 0, 0, 3])
    np.testing.assert_allclose(nn.leaky_relu_fwd(z), [-0.4, -0.1, 0, 3])
    np.testing.assert_allclose(nn.sigmoid(np.array([0.0, math.log(3)])), [0.5, 0.75])


def test_sigmoid_is_stable_at_extremes():
    """No overflow and exact limits: e^-|z| may underflow to 0, e^|z| is never computed."""
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        s = nn.sigmoid(np.array([-1000.0, -40.0, 40.0, 1000.0], np.float32))
    assert s.dtype == np.float32
    assert s[0] == 0.0 and s[-1] == 1.0 and 0 < s[1] < 1e-16 and s[2] == 1.0


# ---------------------------------------------------------------- the MLP


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mlp_shapes_dtypes_and_views(dtype):
    net = nn.MLP([3, 8, 8, 2], np.random.default_rng(0), dtype=dtype)
    assert net.flat.dtype == dtype
    assert net.flat.size == nn.n_params([3, 8, 8, 2]) == (3 * 8 + 8) + (8 * 8 + 8) + (8 * 2 + 2)
    assert [(k, v.shape) for k, v in net.params.items()] == [
        ("W0", (3, 8)), ("b0", (8,)), ("W1", (8, 8)), ("b1", (8,)), ("W2", (8, 2)), ("b2", (2,))]
    for v in [*net.params.values(), *net.grads.values()]:
        assert np.shares_memory(v, net.flat) or np.shares_memory(v, net.grad)
    y, cache = net.forward(np.ones((5, 3)))
    assert y.shape == (5, 2) and y.dtype == dtype
    assert [h.shape for h in cache] == [(5, 3), (5, 8), (5, 8), (5, 2)]
    dx, grads = net.backward(cache, np.ones((5, 2), dtype))
    assert dx.shape == (5, 3) and dx.dtype == dtype and grads["W1"].shape == (8, 8)


@pytest.mark.parametrize("act", ["relu", "leaky_relu", "tanh"])
@pytest.mark.parametrize("sizes", [[3, 5, 2], [2, 6, 6, 6, 1]])
def test_mlp_gradient_check(act, sizes):
    """Backward agrees with central differences on every weight and on the input (float64)."""
    rng = np.random.default_rng(2)
    net = nn.MLP(sizes, rng, act=act, dtype=np.float64)
    x = rng.standard_normal((7, sizes[0]))
    R = rng.standard_normal((7, sizes[-1]))

    def loss():
        return float(np.sum(R * net.forward(x)[0]))

    _, cache = net.forward(x)
    dx, grads = net.backward(cache, R)
    assert_close(net.grad, numeric_grad(loss, net.flat), f"{act} weights")  # all at once: flat
    assert_close(dx, numeric_grad(loss, x), f"{act} input")
    assert grads["W0"] is not None


def test_mlp_sigmoid_output_gradient():
    rng = np.random.default_rng(3)
    net = nn.MLP([2, 4, 3], rng, out_act="sigmoid", dtype=np.float64)
    x, R = rng.standard_normal((6, 2)), rng.standard_normal((6, 3))
    _, cache = net.forward(x)
    net.backward(cache, R)
    assert_close(net.grad, numeric_grad(lambda: float(np.sum(R * net.forward(x)[0])), net.flat),
                 "sigmoid output")


def test_backward_options_skip_work_without_side_effects():
    """want_grads=False leaves grad alone (the forger step reads D's dx only)."""
    rng = np.random.default_rng(4)
    net = nn.MLP([2, 4, 1], rng, dtype=np.float64)
    x = rng.standard_normal((3, 2))
    _, cache = net.forward(x)
    net.grad[:] = 7.0
    dx, grads = net.backward(cache, np.ones((3, 1)), want_grads=False)
    assert grads is None and dx.shape == (3, 2) and (net.grad == 7.0).all()
    dx, grads = net.backward(cache, np.ones((3, 1)), want_dx=False)
    assert dx is None and not (net.grad == 7.0).any()


def test_init_is_seeded_and_scaled():
    """He for relu layers (std sqrt(2 / fan_in)), Xavier for the output layer
    (std sqrt(2 / (fan_in + fan_out))); biases 0; same seed, same weights."""
    a = nn.MLP([256, 256, 64], np.random.default_rng(5))
    b = nn.MLP([256, 256, 64], np.random.default_rng(5))
    c = nn.MLP([256, 256, 64], np.random.default_rng(6))
    assert np.array_equal(a.flat, b.flat) and not np.array_equal(a.flat, c.flat)
    W0, b0, W1, _ = a.params.values()
    assert W0.std() == pytest.approx(math.sqrt(2 / 256), rel=0.02)
    assert W1.std() == pytest.approx(math.sqrt(2 / (256 + 64)), rel=0.03)
    assert (b0 == 0).all()


def test_leaky_relu_init_gain():
    net = nn.MLP([400, 300, 1], np.random.default_rng(7), act="leaky_relu")
    gain = math.sqrt(2 / (1 + nn.LEAKY_SLOPE**2))
    assert net.params["W0"].std() == pytest.approx(gain / math.sqrt(400), rel=0.02)


def test_mlp_rejects_bad_sizes():
    with pytest.raises(ValueError):
        nn.MLP([3], np.random.default_rng(0))
    with pytest.raises(ValueError):
        nn.MLP([3, 0, 1], np.random.default_rng(0))


# ---------------------------------------------------------------- optimisers


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adam_two_steps_by_hand(dtype):
    """Adam, lr = 0.1, betas (0.5, 0.999), from p = [1, -2].

    Step 1, g = [0.2, -4]: m = 0.5 g = [0.1, -2], v = 0.001 g^2 = [4e-5, 0.016].
      Bias-corrected: m^ = m / (1 - 0.5) = g, v^ = v / (1 - 0.999) = g^2, so the
      step is lr m^ / sqrt(v^) = lr sign(g) = [0.1, -0.1]: p = [0.9, -1.9].
    Step 2, g = [-0.2, 2]: m = 0.5 m + 0.5 g = [-0.05, 0];
      v = 0.999 v + 0.001 g^2 = [7.996e-5, 0.019984].
      m^ = m / (1 - 0.25) = [-1/15, 0]; v^ = v / (1 - 0.999^2) = [0.04, 9.997...]
      (0.00007996 / 0.001999 = 0.04 exactly: both gradients were +-0.2).
      Step: 0.1 * (-1/15) / 0.2 = -1/30 on the first weight, 0 on the second:
      p = [0.9 + 1/30, -1.9] = [0.93333, -1.9].
    eps = 1e-8 moves these by less than 1e-6.
    """
    p = np.array([1.0, -2.0], dtype)
    opt = nn.Adam([p], lr=0.1, betas=(0.5, 0.999))
    opt.step([np.array([0.2, -4.0], dtype)])
    np.testing.assert_allclose(p, [0.9, -1.9], rtol=1e-5)
    np.testing.assert_allclose(opt.m[0], [0.1, -2.0], rtol=1e-6)
    np.testing.assert_allclose(opt.v[0], [4e-5, 0.016], rtol=1e-5)
    opt.step([np.array([-0.2, 2.0], dtype)])
    np.testing.assert_allclose(p, [0.9 + 1 / 30, -1.9], rtol=1e-5)
    assert p.dtype == dtype and opt.t == 2


def test_adam_accepts_a_dict_and_updates_views_in_place():
    net = nn.MLP([2, 3, 1], np.random.default_rng(0), dtype=np.float64)
    before = net.flat.copy()
    opt = nn.Adam(net.params, lr=0.01)
    net.grad[:] = 1.0
    opt.step(net.grads)
    np.testing.assert_allclose(net.flat, before - 0.01, rtol=1e-6)  # first step: lr * sign(g)


def test_sgd_with_and_without_momentum_by_hand():
    """g = 1 twice, lr = 0.1. Plain: p = 1 - 0.1 - 0.1 = 0.8.
    Momentum 0.9: v = 1, p = 0.9; then v = 0.9 * 1 + 1 = 1.9, p = 0.9 - 0.19 = 0.71."""
    plain, heavy = np.array([1.0]), np.array([1.0])
    o1, o2 = nn.SGD([plain], lr=0.1), nn.SGD([heavy], lr=0.1, momentum=0.9)
    for _ in range(2):
        o1.step([np.array([1.0])])
        o2.step([np.array([1.0])])
    assert plain[0] == pytest.approx(0.8) and heavy[0] == pytest.approx(0.71)


def test_adam_minimises_a_quadratic():
    """An MLP fits y = x0 - 2 x1 on a fixed batch: the loss drops by 100x."""
    rng = np.random.default_rng(8)
    net = nn.MLP([2, 16, 1], rng)
    x = rng.standard_normal((64, 2)).astype(np.float32)
    y = (x[:, :1] - 2 * x[:, 1:]).astype(np.float32)
    opt = nn.Adam([net.flat], lr=1e-2)

    def loss_and_grad():
        out, cache = net.forward(x)
        net.backward(cache, (out - y) / len(x), want_dx=False)
        return float(np.mean((out - y) ** 2) / 2)

    first = loss_and_grad()
    for _ in range(300):
        opt.step([net.grad])
        last = loss_and_grad()
    assert last < first / 100


# ---------------------------------------------------------------- sequence layers


def test_embedding_gradient_adds_repeated_rows():
    """ids [[2, 0, 2]]: row 2 is used twice, so dE[2] = dy[0] + dy[2]; row 1 is unused."""
    E = np.arange(12.0).reshape(4, 3)
    ids = np.array([[2, 0, 2]])
    np.testing.assert_array_equal(nn.embedding_fwd(E, ids), [[E[2], E[0], E[2]]])
    dy = np.random.default_rng(0).standard_normal((1, 3, 3))
    dE = np.zeros_like(E)
    nn.embedding_bwd(dE, ids, dy)
    np.testing.assert_allclose(dE[2], dy[0, 0] + dy[0, 2])
    np.testing.assert_allclose(dE[0], dy[0, 1])
    assert not dE[1].any() and not dE[3].any()


def test_layer_norm_known_answer_and_gradients():
    """[1, 2, 3]: mean 2, variance 2/3, so x_hat = [-1, 0, 1] * sqrt(3/2) (up to eps)."""
    y, _ = nn.layer_norm_fwd(np.array([[1.0, 2.0, 3.0]]), np.ones(3), np.zeros(3))
    np.testing.assert_allclose(y, [[-1.2247357, 0.0, 1.2247357]], rtol=1e-5)
    rng = np.random.default_rng(2)
    x, g, b = rng.standard_normal((4, 5)), rng.standard_normal(5), rng.standard_normal(5)
    R = rng.standard_normal((4, 5))

    def loss():
        return float(np.sum(R * nn.layer_norm_fwd(x, g, b)[0]))

    dx, dg, db = nn.layer_norm_bwd(nn.layer_norm_fwd(x, g, b)[1], g, R)
    assert_close(dx, numeric_grad(loss, x), "dx")
    assert_close(dg, numeric_grad(loss, g), "dg")
    assert_close(db, numeric_grad(loss, b), "db")


def attention_weights(rng, D=6):
    return (rng.standard_normal((D, 3 * D)) * 0.5, rng.standard_normal(3 * D) * 0.1,
            rng.standard_normal((D, D)) * 0.5, rng.standard_normal(D) * 0.1)


def test_attention_is_causal():
    """Changing position 3 changes outputs 3 and later, never 0..2."""
    rng = np.random.default_rng(3)
    W = attention_weights(rng)
    x = rng.standard_normal((2, 5, 6))
    y, _ = nn.causal_attention_fwd(x, *W, n_head=2)
    x2 = x.copy()
    x2[:, 3] += 1.0
    y2, _ = nn.causal_attention_fwd(x2, *W, n_head=2)
    np.testing.assert_allclose(y2[:, :3], y[:, :3], atol=1e-12)
    assert np.abs(y2[:, 3:] - y[:, 3:]).min() > 1e-6


def test_attention_of_one_position_is_its_own_value():
    """With T = 1 the softmax has one entry (weight 1): y = (x Wv + bv) Wo + bo."""
    rng = np.random.default_rng(4)
    Wqkv, bqkv, Wo, bo = attention_weights(rng)
    x = rng.standard_normal((3, 1, 6))
    y, _ = nn.causal_attention_fwd(x, Wqkv, bqkv, Wo, bo, n_head=3)
    v = x[:, 0] @ Wqkv[:, 12:] + bqkv[12:]
    np.testing.assert_allclose(y[:, 0], v @ Wo + bo, rtol=1e-10)


def test_attention_of_the_last_position_alone_is_the_last_row():
    rng = np.random.default_rng(8)
    W = attention_weights(rng)
    x = rng.standard_normal((2, 5, 6))
    full, _ = nn.causal_attention_fwd(x, *W, n_head=2)
    last, _ = nn.causal_attention_fwd(x, *W, n_head=2, last_only=True)
    assert last.shape == (2, 1, 6)
    np.testing.assert_allclose(last[:, 0], full[:, -1], rtol=1e-12)


def test_cached_attention_one_position_at_a_time_matches_the_whole_pass():
    rng = np.random.default_rng(9)
    W = attention_weights(rng)
    x = rng.standard_normal((1, 6, 6))
    full, _ = nn.causal_attention_fwd(x, *W, n_head=2)
    y, kv = nn.cached_attention_fwd(x[:, :3], *W, n_head=2, kv=None)  # the first three at once
    rows = [y]
    for t in range(3, 6):  # then one by one
        y, kv = nn.cached_attention_fwd(x[:, t : t + 1], *W, n_head=2, kv=kv)
        rows.append(y)
    np.testing.assert_allclose(np.concatenate(rows, axis=1), full, rtol=1e-12)
    assert kv[0].shape == (1, 2, 6, 3)


@pytest.mark.parametrize("n_head", [1, 2, 3])
def test_attention_gradients(n_head):
    rng = np.random.default_rng(5 + n_head)
    Wqkv, bqkv, Wo, bo = attention_weights(rng)
    x = rng.standard_normal((2, 4, 6))
    R = rng.standard_normal((2, 4, 6))

    def loss():
        return float(np.sum(R * nn.causal_attention_fwd(x, Wqkv, bqkv, Wo, bo, n_head)[0]))

    _, cache = nn.causal_attention_fwd(x, Wqkv, bqkv, Wo, bo, n_head)
    dx, grads = nn.causal_attention_bwd(cache, Wqkv, Wo, R)
    assert_close(dx, numeric_grad(loss, x), "dx")
    for name, w in (("Wqkv", Wqkv), ("bqkv", bqkv), ("Wo", Wo), ("bo", bo)):
        assert_close(grads[name], numeric_grad(loss, w), name)


def test_softmax_cross_entropy_known_answer_and_gradient():
    """logits [0, 0, ln 2] -> probs [1/4, 1/4, 1/2]; target 2 costs -ln(1/2) = ln 2."""
    loss, probs = nn.softmax_cross_entropy_fwd(np.array([[0.0, 0.0, math.log(2)]]), np.array([2]))
    assert loss == pytest.approx(math.log(2))
    np.testing.assert_allclose(probs, [[0.25, 0.25, 0.5]])
    rng = np.random.default_rng(6)
    z, y = rng.standard_normal((5, 7)) * 3, rng.integers(0, 7, 5)
    d = nn.softmax_cross_entropy_bwd(nn.softmax_cross_entropy_fwd(z, y)[1], y)
    assert_close(d, numeric_grad(lambda: nn.softmax_cross_entropy_fwd(z, y)[0], z), "dlogits")
    big, _ = nn.softmax_cross_entropy_fwd(np.array([[1000.0, 0.0]]), np.array([1]))
    assert big == pytest.approx(1000.0)  # no overflow
