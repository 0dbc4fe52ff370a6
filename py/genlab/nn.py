"""Multi-layer perceptrons with hand-written forward and backward passes.

An MLP is a stack of layers, each a linear map followed by an activation:

    x (B, I) -> linear -> act -> ... -> linear -> out_act -> y (B, O)

Every layer's forward and backward sit side by side below. A forward returns
what the backward needs; a backward takes that and dL/d(output) and returns
dL/d(input) (and writes the weights' gradients).

Each activation's backward is written with the activation's *output* h
(relu: h > 0 exactly where z > 0; tanh: 1 - h^2; sigmoid: h (1 - h)), so the
cache of a whole MLP is just the list of its layer outputs.

All the weights of one MLP live in one flat vector ``flat`` and all their
gradients in ``grad``; ``W0, b0, W1, ...`` are views into them. An optimiser
then updates a whole network with a handful of numpy calls, which matters in
WebAssembly, where each call costs a few microseconds whatever its size.

dtype: float32 by default: half the memory, and natively (OpenBLAS) its
matmuls are about 2x faster (a whole GAN step about 1.2x). In WebAssembly
numpy has no BLAS and float32 and float64 run at the same speed, and ``@``
beats ``np.dot`` for our small shapes. Gradient checks use float64.
Shapes: B batch, I inputs, O outputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

LEAKY_SLOPE = 0.2  # leaky relu's slope for z < 0 (DCGAN's choice)


# ---------------------------------------------------------------- layers


def linear_fwd(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """x (B, I) @ W (I, O) + b (O,) -> (B, O)."""
    y = x @ W  # (B, O); @ beats np.dot in WebAssembly (no BLAS there)
    y += b  # in place: no second (B, O) temporary
    return y


def linear_bwd(x: np.ndarray, W: np.ndarray, dy: np.ndarray, dW: np.ndarray | None = None,
               db: np.ndarray | None = None, want_dx: bool = True) -> np.ndarray | None:
    """From dy (B, O): write dW (I, O) and db (O,) if given; return dx (B, I) if wanted."""
    if dW is not None:
        np.matmul(x.T, dy, out=dW)  # (I, O): sum over the batch of x_i dy_o
        np.sum(dy, axis=0, out=db)  # (O,)
    return dy @ W.T if want_dx else None  # (B, I)


def identity_fwd(z: np.ndarray) -> np.ndarray:
    """y = z (the last layer of a regression or a logit)."""
    return z


def identity_bwd(h: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """dz = dh."""
    return dh


def relu_fwd(z: np.ndarray) -> np.ndarray:
    """max(z, 0), elementwise."""
    return np.maximum(z, 0)


def relu_bwd(h: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """Gradient passes where the unit was on (h > 0), is 0 elsewhere."""
    return dh * (h > 0)


def leaky_relu_fwd(z: np.ndarray) -> np.ndarray:
    """z for z > 0, LEAKY_SLOPE z otherwise: max(z, a z) since 0 < a < 1."""
    return np.maximum(z, LEAKY_SLOPE * z)  # half the cost of np.where in WebAssembly


def leaky_relu_bwd(h: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """Slope 1 where h > 0 (exactly where z > 0), LEAKY_SLOPE elsewhere."""
    return np.where(h > 0, dh, LEAKY_SLOPE * dh)


def tanh_fwd(z: np.ndarray) -> np.ndarray:
    """tanh(z), elementwise (about 10x slower than relu in WebAssembly)."""
    return np.tanh(z)


def tanh_bwd(h: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """d tanh(z)/dz = 1 - tanh(z)^2 = 1 - h^2."""
    return dh * (1 - h * h)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-z) without overflow: with e = exp(-|z|) <= 1, it is 1/(1+e) or e/(1+e)."""
    e = np.exp(-np.abs(z))  # in (0, 1]
    return np.where(z >= 0, 1, e) / (1 + e)


def sigmoid_bwd(h: np.ndarray, dh: np.ndarray) -> np.ndarray:
    """d sigmoid(z)/dz = s (1 - s) with s = h."""
    return dh * h * (1 - h)


ACTIVATIONS = {  # name -> (forward, backward written with the output)
    "identity": (identity_fwd, identity_bwd),
    "relu": (relu_fwd, relu_bwd),
    "leaky_relu": (leaky_relu_fwd, leaky_relu_bwd),
    "tanh": (tanh_fwd, tanh_bwd),
    "sigmoid": (sigmoid, sigmoid_bwd),
}
GAIN = {"relu": math.sqrt(2), "leaky_relu": math.sqrt(2 / (1 + LEAKY_SLOPE**2))}  # He init


# ---------------------------------------------------------------- sequence layers
# The language model's layers. Shapes: B batch, T positions, D model width,
# V vocabulary, nh heads of width hd = D / nh. Each backward takes the cache
# its forward returned and dL/d(output); weight gradients are returned
# (embedding: added into a given array, since rows repeat).


def embedding_fwd(E: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Rows of E (V, D) picked by integer ids (...) -> (..., D)."""
    return E[ids]


def embedding_bwd(dE: np.ndarray, ids: np.ndarray, dy: np.ndarray) -> None:
    """Add each row of dy (..., D) into dE (V, D) at its id; repeated ids add up."""
    np.add.at(dE, ids.ravel(), dy.reshape(ids.size, dE.shape[1]))  # (N, D) rows into (V, D)


LN_EPS = 1e-5  # keeps 1 / std finite when a row is constant


def layer_norm_fwd(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Each row of x (N, D) to mean 0 and variance 1, then times g (D,) plus b (D,)."""
    mu = x.mean(axis=-1, keepdims=True)  # (N, 1)
    rstd = 1.0 / np.sqrt(x.var(axis=-1, keepdims=True) + LN_EPS)  # (N, 1)
    xhat = (x - mu) * rstd  # (N, D)
    return xhat * g + b, (xhat, rstd)


def layer_norm_bwd(cache: tuple, g: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, ...]:
    """dy (N, D) -> dx (N, D), dg (D,), db (D,).

    With xhat = (x - mu) / std and dxhat = dy g, the mean and the std depend
    on every entry of the row, which gives
    dx = (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) / std.
    """
    xhat, rstd = cache
    dxhat = dy * g  # (N, D)
    dx = dxhat - dxhat.mean(axis=-1, keepdims=True)
    dx -= xhat * (dxhat * xhat).mean(axis=-1, keepdims=True)
    return dx * rstd, (dy * xhat).sum(axis=0), dy.sum(axis=0)


def softmax(z: np.ndarray) -> np.ndarray:
    """exp(z) / sum exp(z) along the last axis, the max subtracted first."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def causal_attention_fwd(x: np.ndarray, Wqkv: np.ndarray, bqkv: np.ndarray, Wo: np.ndarray,
                         bo: np.ndarray, n_head: int, last_only: bool = False) -> tuple[np.ndarray, tuple]:
    """Multi-head causal self-attention: each position mixes the values of itself and earlier ones.

    x (B, T, D); Wqkv (D, 3D), bqkv (3D,) make queries, keys and values;
    Wo (D, D), bo (D,) mix the heads' outputs. Position t attends to s <= t
    with weights softmax_s(q_t . k_s / sqrt(hd)). Returns y (B, T, D) and the
    cache; last_only: y (B, 1, D) of the last position alone (no backward).
    """
    B, T, D = x.shape
    qkv = linear_fwd(x.reshape(B * T, D), Wqkv, bqkv)  # (B*T, 3D)
    q, k, v = qkv.reshape(B, T, 3, n_head, D // n_head).transpose(2, 0, 3, 1, 4)  # 3 x (B, nh, T, hd)
    if last_only:
        q = q[:, :, -1:]  # (B, nh, 1, hd): the last position sees every other, no mask
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(D // n_head)  # (B, nh, Tq, T)
    if not last_only:
        scores += np.triu(np.full((T, T), -np.inf, x.dtype), 1)  # no peeking at later positions
    P = softmax(scores)  # (B, nh, Tq, T), rows sum to 1
    Tq = q.shape[2]
    o = (P @ v).transpose(0, 2, 1, 3).reshape(B * Tq, D)  # (B*Tq, D): heads side by side
    y = linear_fwd(o, Wo, bo).reshape(B, Tq, D)
    return y, (x, q, k, v, P, o, n_head)


def cached_attention_fwd(x: np.ndarray, Wqkv: np.ndarray, bqkv: np.ndarray, Wo: np.ndarray,
                         bo: np.ndarray, n_head: int, kv: tuple | None) -> tuple[np.ndarray, tuple]:
    """causal_attention_fwd for new positions x (B, Tn, D) that follow the cached ones.

    kv: (keys, values) (B, nh, Tc, hd) of the Tc earlier positions, or None.
    Returns y (B, Tn, D) and the keys and values of all Tc + Tn positions, so
    generating a token costs one row, not the whole window (no backward: inference only).
    """
    B, Tn, D = x.shape
    qkv = linear_fwd(x.reshape(B * Tn, D), Wqkv, bqkv)  # (B*Tn, 3D)
    q, k, v = qkv.reshape(B, Tn, 3, n_head, D // n_head).transpose(2, 0, 3, 1, 4)  # 3 x (B, nh, Tn, hd)
    if kv is not None:
        k, v = np.concatenate([kv[0], k], axis=2), np.concatenate([kv[1], v], axis=2)  # (B, nh, T, hd)
    T = k.shape[2]
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(D // n_head)  # (B, nh, Tn, T)
    scores += np.triu(np.full((Tn, T), -np.inf, x.dtype), T - Tn + 1)  # new row i sees up to Tc + i
    o = (softmax(scores) @ v).transpose(0, 2, 1, 3).reshape(B * Tn, D)  # (B*Tn, D)
    return linear_fwd(o, Wo, bo).reshape(B, Tn, D), (k, v)


def causal_attention_bwd(cache: tuple, Wqkv: np.ndarray, Wo: np.ndarray,
                         dy: np.ndarray) -> tuple[np.ndarray, dict]:
    """dy (B, T, D) -> dx (B, T, D) and {"Wqkv", "bqkv", "Wo", "bo"} gradients.

    Softmax backward row by row: dscores = P (dP - sum_s dP P). Masked
    entries have P = 0, so no gradient flows to later positions.
    """
    x, q, k, v, P, o, n_head = cache
    B, T, D = x.shape
    dWo, dbo = np.empty_like(Wo), np.empty(Wo.shape[1], Wo.dtype)
    do = linear_bwd(o, Wo, dy.reshape(B * T, D), dWo, dbo)  # (B*T, D)
    do = do.reshape(B, T, n_head, D // n_head).transpose(0, 2, 1, 3)  # (B, nh, T, hd)
    dP = do @ v.transpose(0, 1, 3, 2)  # (B, nh, T, T)
    dv = P.transpose(0, 1, 3, 2) @ do  # (B, nh, T, hd)
    dscores = P * (dP - (dP * P).sum(axis=-1, keepdims=True))  # (B, nh, T, T)
    dscores /= math.sqrt(D // n_head)
    dq = dscores @ k  # (B, nh, T, hd)
    dk = dscores.transpose(0, 1, 3, 2) @ q  # (B, nh, T, hd)
    dqkv = np.stack([dq, dk, dv]).transpose(1, 3, 0, 2, 4).reshape(B * T, 3 * D)  # (B*T, 3D)
    dWqkv, dbqkv = np.empty_like(Wqkv), np.empty(Wqkv.shape[1], Wqkv.dtype)
    dx = linear_bwd(x.reshape(B * T, D), Wqkv, dqkv, dWqkv, dbqkv).reshape(B, T, D)
    return dx, {"Wqkv": dWqkv, "bqkv": dbqkv, "Wo": dWo, "bo": dbo}


def softmax_cross_entropy_fwd(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean of -log softmax(logits)[y] over rows. logits (N, V), y (N,) int -> (loss, probs (N, V))."""
    z = logits - logits.max(axis=1, keepdims=True)  # (N, V), the max is 0: exp cannot overflow
    e = np.exp(z)  # (N, V)
    total = e.sum(axis=1)  # (N,), >= 1
    loss = np.mean(np.log(total) - z[np.arange(len(y)), y])  # -log(e_y / total)
    return float(loss), e / total[:, None]


def softmax_cross_entropy_bwd(probs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """d loss / d logits = (softmax - one_hot(y)) / N. (N, V)."""
    d = probs.copy()  # (N, V)
    d[np.arange(len(y)), y] -= 1.0
    d /= len(y)
    return d


# ---------------------------------------------------------------- network


def carve(flat: np.ndarray, sizes: Sequence[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Views (W (I, O), b (O,)) into consecutive slices of flat, one per layer."""
    layers, at = [], 0
    for i, o in zip(sizes[:-1], sizes[1:]):
        W = flat[at : at + i * o].reshape(i, o)  # (I, O) view
        b = flat[at + i * o : at + i * o + o]  # (O,) view
        layers.append((W, b))
        at += i * o + o
    return layers


def named(layers: list[tuple[np.ndarray, np.ndarray]]) -> dict[str, np.ndarray]:
    """[(W, b), ...] -> {"W0": W, "b0": b, "W1": ...}."""
    return {f"{k}{i}": a for i, layer in enumerate(layers) for k, a in zip("Wb", layer)}


def n_params(sizes: Sequence[int]) -> int:
    """Weights and biases of an MLP with these layer sizes."""
    return sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:]))


class MLP:
    """Layer sizes [I, H1, ..., O]; ``act`` after every hidden layer, ``out_act`` at the end.

    Initialisation (rng): W ~ N(0, gain^2 / fan_in) with the He gain sqrt(2)
    for relu (sqrt(2 / (1 + a^2)) for leaky relu), and Xavier/Glorot
    N(0, 2 / (fan_in + fan_out)) for tanh, sigmoid and the output layer;
    biases 0. Both keep the size of the signal about the same from layer to
    layer at the start.
    """

    def __init__(self, sizes: Sequence[int], rng: np.random.Generator, act: str = "relu",
                 out_act: str = "identity", dtype=np.float32):
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"an MLP needs at least two positive layer sizes, got {sizes}")
        self.sizes, self.dtype = list(sizes), np.dtype(dtype)
        self.acts = [ACTIVATIONS[act]] * (len(sizes) - 2) + [ACTIVATIONS[out_act]]
        self.flat = np.zeros(n_params(sizes), self.dtype)  # every weight, in one vector
        self.grad = np.zeros_like(self.flat)  # dL/dflat, same layout; backward overwrites it
        self.layers = carve(self.flat, sizes)  # [(W, b)] views into flat
        self.grad_layers = carve(self.grad, sizes)  # [(dW, db)] views into grad
        names = [act] * (len(sizes) - 2) + [out_act]
        for (W, _), name in zip(self.layers, names):
            W[...] = init_weight(W.shape, name, rng)

    @property
    def params(self) -> dict[str, np.ndarray]:
        """{"W0": (I, H1), "b0": (H1,), "W1": ...}: views into flat."""
        return named(self.layers)

    @property
    def grads(self) -> dict[str, np.ndarray]:
        """Same names as params: views into grad."""
        return named(self.grad_layers)

    def forward(self, x: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
        """x (B, I) -> y (B, O), and the cache: the input and every layer's output."""
        hs = [np.asarray(x, self.dtype)]
        for (W, b), (act, _) in zip(self.layers, self.acts):
            hs.append(act(linear_fwd(hs[-1], W, b)))  # (B, H_next)
        return hs[-1], hs

    def backward(self, cache: list[np.ndarray], dy: np.ndarray, want_dx: bool = True,
                 want_grads: bool = True) -> tuple[np.ndarray | None, dict | None]:
        """dy = dL/dy (B, O) -> (dL/dx (B, I), grads), each None when not wanted.

        grads are views into ``grad``, overwritten by the next backward. The
        generator step needs only the discriminator's dx (want_grads=False);
        a network's own update needs no dx at its input (want_dx=False).
        """
        dh = dy
        for i in reversed(range(len(self.layers))):
            dz = self.acts[i][1](cache[i + 1], dh)  # (B, O_i)
            dW, db = self.grad_layers[i] if want_grads else (None, None)
            dh = linear_bwd(cache[i], self.layers[i][0], dz, dW, db, want_dx or i > 0)  # (B, I_i)
        return dh, (self.grads if want_grads else None)


def init_weight(shape: tuple[int, int], act: str, rng: np.random.Generator) -> np.ndarray:
    """He (relu family) or Xavier (everything else) normal weights of this shape."""
    fan_in, fan_out = shape
    std = GAIN[act] / math.sqrt(fan_in) if act in GAIN else math.sqrt(2 / (fan_in + fan_out))
    return rng.standard_normal(shape) * std  # (I, O)


# ---------------------------------------------------------------- optimisers


def _arrays(params) -> list[np.ndarray]:
    """A dict's values or a list, as a list of arrays."""
    return list(params.values()) if isinstance(params, dict) else list(params)


class Adam:
    """Adam (Kingma & Ba, 2015), updating a list (or dict) of arrays in place.

    m <- b1 m + (1 - b1) g            running mean of gradients
    v <- b2 v + (1 - b2) g^2          running mean of squared gradients
    p <- p - lr_t m / (sqrt(v) + eps) with lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)

    lr_t folds both bias corrections into the step size (section 2 of the
    paper, "eps hat"). Each update is fused into in-place passes through one
    scratch array per parameter array: no temporaries.
    """

    def __init__(self, params, lr: float, betas=(0.9, 0.999), eps: float = 1e-8):
        self.params = _arrays(params)
        self.lr, self.betas, self.eps, self.t = lr, betas, eps, 0
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.scratch = [np.empty_like(p) for p in self.params]

    def step(self, grads) -> None:
        """One update of every parameter array from its gradient (same order or keys)."""
        self.t += 1
        b1, b2 = self.betas
        lr_t = self.lr * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for p, g, m, v, s in zip(self.params, _arrays(grads), self.m, self.v, self.scratch):
            m *= b1
            m += np.multiply(g, 1 - b1, out=s)  # m = b1 m + (1 - b1) g
            v *= b2
            np.multiply(g, g, out=s)
            v += np.multiply(s, 1 - b2, out=s)  # v = b2 v + (1 - b2) g^2
            np.sqrt(v, out=s)
            s += self.eps
            np.divide(m, s, out=s)
            p -= np.multiply(s, lr_t, out=s)  # p -= lr_t m / (sqrt(v) + eps)

    def state(self) -> list[np.ndarray]:
        """Arrays that, with t, are the optimiser's whole state (for snapshots)."""
        return self.m + self.v


class SGD:
    """Stochastic gradient descent, optionally with (heavy-ball) momentum, in place.

    With momentum mu: v <- mu v + g, p <- p - lr v (PyTorch's form);
    with mu = 0 this is p <- p - lr g.
    """

    def __init__(self, params, lr: float, momentum: float = 0.0):
        self.params, self.lr, self.momentum, self.t = _arrays(params), lr, momentum, 0
        self.v = [np.zeros_like(p) for p in self.params]
        self.scratch = [np.empty_like(p) for p in self.params]

    def step(self, grads) -> None:
        """One update of every parameter array from its gradient (same order or keys)."""
        self.t += 1
        for p, g, v, s in zip(self.params, _arrays(grads), self.v, self.scratch):
            if self.momentum:
                v *= self.momentum
                v += g  # v = mu v + g
                g = v
            p -= np.multiply(g, self.lr, out=s)

    def state(self) -> list[np.ndarray]:
        """Arrays that, with t, are the optimiser's whole state (for snapshots)."""
        return self.v
