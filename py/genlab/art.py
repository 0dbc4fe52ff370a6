"""Seeded abstract art: one seed, one picture, the same bytes on every machine.

``render(ArtConfig(seed=42, ...))`` returns an (H, W, 4) uint8 RGBA image.
Everything random comes from the seed, through three separate streams
(SeedSequence.spawn): *pick* chooses the style and palette when they are
"auto", *scene* places everything the picture shows, *grain* dithers each
pixel. Scene draws never depend on the image size, so a 64 px thumbnail is
the same picture as the 1024 px one; and the pick stream is separate, so
fixing the style by hand keeps the seed's composition.

Bit-for-bit across platforms (CPython with SIMD numpy, and numpy compiled to
WebAssembly): only operations whose IEEE results are exactly defined are used.
float64 + - * /, sqrt, floor, min/max and comparisons are correctly rounded
everywhere; integer arithmetic and fancy indexing are exact. There is no
sin/cos/exp (libm and SIMD versions differ in the last bit), no matmul, no
float reduction (its summation order differs), and numpy's Generator is used
only for random() and integers(), which are pure integer arithmetic on PCG64.
Angles come from normalised random vectors, waves from triangle waves, noise
from value noise on random lattices with smoothstep interpolation.

Colour: most styles paint a *tone* (position along the palette, 0..1) and a
*shade* (light, 0.5 = the palette's own colour) per pixel; a look-up table of
TONES x SHADES RGBA colours turns them into bytes in one gather. The shapes
style blends translucent RGB directly.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

STYLES = {  # name -> what it paints
    "flow": "flow-field strokes",
    "shapes": "layered translucent shapes",
    "terrain": "warped noise terrain",
    "waves": "paper-cut ripples",
    "ridges": "noise mountain ridges",
}
PALETTES = {  # name -> five colours, dark to light
    "ember": ("#1a0b0c", "#5e1a1d", "#b53a2b", "#f08a24", "#ffd98a"),
    "ocean": ("#04151f", "#0b3954", "#087e8b", "#5ec2b7", "#e3f6f1"),
    "forest": ("#0f160e", "#2d4a22", "#5f7f3a", "#b5b86b", "#f3eec8"),
    "candy": ("#2b1838", "#8c3f8f", "#f05d8c", "#ffb07c", "#fff1c1"),
    "dusk": ("#0d1b2a", "#3a3f6b", "#8e5e8f", "#e08d79", "#f7d6a0"),
    "ink": ("#121212", "#3d3d3d", "#7a7a7a", "#bdbdbd", "#f4f1ea"),
}
SYMMETRIES = {  # name -> what it does
    "none": "no symmetry",
    "mirror": "mirror symmetry",
    "4fold": "4-fold symmetry",
    "radial": "6-fold radial symmetry",
}
AUTO = "auto"
MIN_COMPLEXITY, MAX_COMPLEXITY = 1, 10
MIN_SIZE, MAX_SIZE = 16, 1024
TONES, SHADES = 256, 64  # look-up table: positions along the palette x levels of light


@dataclass(frozen=True)
class ArtConfig:
    seed: int = 42  # the picture's identity, 0 .. 2**32 - 1
    style: str = AUTO  # a key of STYLES, or "auto": the seed picks
    palette: str = AUTO  # a key of PALETTES, or "auto": the seed picks
    complexity: int = 5  # MIN_COMPLEXITY (sparse) .. MAX_COMPLEXITY (busy)
    symmetry: str = "none"  # a key of SYMMETRIES
    size: int = 512  # side of the square image in pixels, MIN_SIZE .. MAX_SIZE


def check(cfg: ArtConfig) -> ArtConfig:
    """cfg if every field is in range, else ValueError naming the field and its range."""
    for name, lo, hi in (("seed", 0, 2**32 - 1), ("complexity", MIN_COMPLEXITY, MAX_COMPLEXITY),
                         ("size", MIN_SIZE, MAX_SIZE)):
        value = getattr(cfg, name)
        if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or not lo <= value <= hi:
            raise ValueError(f"{name} must be a whole number from {lo} to {hi}, not {value!r}")
    for name, table in (("style", (AUTO, *STYLES)), ("palette", (AUTO, *PALETTES)), ("symmetry", SYMMETRIES)):
        if getattr(cfg, name) not in table:
            raise ValueError(f"{name} must be one of {', '.join(table)}, not {getattr(cfg, name)!r}")
    return cfg


def streams(seed: int) -> tuple[np.random.Generator, np.random.Generator, np.random.Generator]:
    """(pick, scene, grain): independent generators of one seed."""
    return tuple(np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(3))


def resolve(cfg: ArtConfig) -> ArtConfig:
    """cfg with "auto" style and palette replaced by the seed's picks."""
    pick = streams(cfg.seed)[0]
    style = list(STYLES)[int(pick.integers(len(STYLES)))]  # both drawn always: one never shifts the other
    palette = list(PALETTES)[int(pick.integers(len(PALETTES)))]
    return ArtConfig(cfg.seed, style if cfg.style == AUTO else cfg.style,
                     palette if cfg.palette == AUTO else cfg.palette,
                     cfg.complexity, cfg.symmetry, cfg.size)


def render(cfg: ArtConfig) -> np.ndarray:
    """The picture of cfg: (size, size, 4) uint8 RGBA, alpha 255."""
    cfg = resolve(check(cfg))
    _, scene, grain = streams(cfg.seed)
    n = cfg.size
    if cfg.style == "shapes":
        rgb = _shapes(scene, n, cfg.complexity, _colors(cfg.palette))  # (n, n, 3) float in [0, 1]
        pixels = _quantise_rgb(rgb, grain)  # (n, n) uint32, RGBA bytes
    else:
        tone, shade = PAINTERS[cfg.style](scene, n, cfg.complexity)  # (n, n) each, in [0, 1]
        pixels = _quantise_tones(tone, shade, _table(cfg.palette), grain)  # (n, n) uint32
    if cfg.symmetry != "none":
        pixels = symmetrise(pixels, cfg.symmetry)
    return pixels.view(np.uint8).reshape(n, n, 4)


# ------------------------------------------------------------------ colour

def _colors(palette: str) -> np.ndarray:
    """(5, 3) float64 in [0, 1]: the palette's colours."""
    return np.array([[int(h[i:i + 2], 16) for i in (1, 3, 5)] for h in PALETTES[palette]], np.float64) / 255


@functools.cache
def _table(palette: str) -> np.ndarray:
    """(TONES * SHADES,) uint32: RGBA bytes of tone t (row) at shade s (column), t * SHADES + s."""
    c = _colors(palette)  # (K, 3)
    pos = np.arange(TONES) / (TONES - 1) * (len(c) - 1)  # (TONES,) along the palette
    i = np.minimum(np.floor(pos).astype(np.intp), len(c) - 2)
    f = (pos - i)[:, None]
    tone = c[i] + (c[i + 1] - c[i]) * f  # (TONES, 3)
    s = (np.arange(SHADES) / (SHADES - 1))[None, :, None]  # (1, SHADES, 1)
    dark = tone[:, None] * (0.25 + 1.5 * s)  # s < 0.5: towards black
    light = tone[:, None] + (1 - tone[:, None]) * (s - 0.5) * 0.9  # s > 0.5: towards white
    rgb = np.where(s < 0.5, dark, light)  # (TONES, SHADES, 3)
    rgba = np.full((TONES, SHADES, 4), 255, np.uint8)
    rgba[..., :3] = np.floor(np.clip(rgb, 0, 1) * 255 + 0.5)
    return rgba.reshape(-1, 4).view(np.uint32).ravel()


def _dither(grain: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Two (n, n) float64 fields of uniform noise in [0, 1): each pixel's rounding offset."""
    raw = np.frombuffer(grain.bytes(2 * n * n), np.uint8).reshape(2, n, n)
    return (raw[0] + 0.5) / 256, (raw[1] + 0.5) / 256


def _quantise_tones(tone: np.ndarray, shade: np.ndarray, table: np.ndarray, grain) -> np.ndarray:
    """Tone and shade (n, n) in [0, 1] -> (n, n) uint32 RGBA, dithered so gradients don't band."""
    d1, d2 = _dither(grain, tone.shape[0])
    t = np.clip(np.floor(tone * (TONES - 1) + d1), 0, TONES - 1)
    s = np.clip(np.floor(shade * (SHADES - 1) + d2), 0, SHADES - 1)
    return table[(t * SHADES + s).astype(np.intp)]


def _quantise_rgb(rgb: np.ndarray, grain) -> np.ndarray:
    """(n, n, 3) float RGB in [0, 1] -> (n, n) uint32 RGBA, dithered."""
    n = rgb.shape[0]
    d1, _ = _dither(grain, n)
    out = np.full((n, n, 4), 255, np.uint8)
    out[..., :3] = np.clip(np.floor(rgb * 255 + d1[..., None]), 0, 255)
    return out.view(np.uint32)[..., 0]


# ------------------------------------------------------------------ noise

def _coords(n: int) -> np.ndarray:
    """(n,) pixel centres in [0, 1]."""
    return (np.arange(n) + 0.5) / n


def _smooth(f: np.ndarray) -> np.ndarray:
    return f * f * (3 - 2 * f)  # smoothstep: zero slope at both ends, so lattice cells join smoothly


def _tri(v: np.ndarray) -> np.ndarray:
    """Triangle wave of period 1 in [0, 1]: 0 at whole numbers, 1 halfway. Needs no sin."""
    return 1 - np.abs(2 * (v - np.floor(v)) - 1)


def _lattice(rng: np.random.Generator, freq: int) -> tuple[np.ndarray, float, float]:
    """A random lattice for value noise of freq cells per unit over coordinates -0.5 .. 1.5."""
    values = rng.random((2 * freq + 3, 2 * freq + 3))  # (L, L)
    ox, oy = rng.random(2)  # shifts the lattice so octaves don't share grid lines
    return values, ox, oy


def _interp_axis(values: np.ndarray, coord: np.ndarray, axis: int) -> np.ndarray:
    """Smooth interpolation of values along axis at lattice coordinates coord (m,)."""
    i = np.floor(coord).astype(np.intp)
    s = _smooth(coord - i)
    lo = np.take(values, i, axis=axis)
    hi = np.take(values, i + 1, axis=axis)
    shape = [1, 1]
    shape[axis] = -1
    return lo + (hi - lo) * s.reshape(shape)


def fbm(rng: np.random.Generator, xs: np.ndarray, ys: np.ndarray, octaves: int, freq: int) -> np.ndarray:
    """Fractal value noise on the grid ys x xs (coordinates in -0.5 .. 1.5): (len(ys), len(xs)) in [0, 1].

    Each octave doubles the frequency and halves the amplitude. The grid is
    separable, so each octave costs two small interpolations and about four
    full-image operations.
    """
    total, weight, amp = None, 0.0, 1.0
    for o in range(octaves):
        f = freq * 2**o
        values, ox, oy = _lattice(rng, f)
        rows = _interp_axis(values * amp, (xs + 0.5) * f + ox, axis=1)  # (L, W)
        layer = _interp_axis(rows, (ys + 0.5) * f + oy, axis=0)  # (H, W)
        total = layer if total is None else total + layer
        weight += amp
        amp *= 0.5
    return total / weight


def fbm_1d(rng: np.random.Generator, xs: np.ndarray, octaves: int, freq: int) -> np.ndarray:
    """Fractal value noise along a line (coordinates in -0.5 .. 1.5): (len(xs),) in [0, 1]."""
    total, weight, amp = np.zeros(len(xs)), 0.0, 1.0
    for o in range(octaves):
        f = freq * 2**o
        values = rng.random((1, 2 * f + 3))  # (1, L) a lattice along the line
        total += _interp_axis(values * amp, (xs + 0.5) * f + rng.random(), axis=1)[0]
        weight += amp
        amp *= 0.5
    return total / weight


def _bilinear(field: np.ndarray, gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """field (R, C, ...) sampled at grid coordinates gx, gy (any equal shape P), clamped: (*P, ...)."""
    r, c = field.shape[:2]
    gx = np.clip(gx, 0, c - 1.000001)
    gy = np.clip(gy, 0, r - 1.000001)
    ix, iy = np.floor(gx), np.floor(gy)
    extra = (1,) * (field.ndim - 2)  # weights broadcast over the field's trailing axes
    fx, fy = (gx - ix).reshape(*gx.shape, *extra), (gy - iy).reshape(*gy.shape, *extra)
    flat = (iy * c + ix).astype(np.intp)
    f = field.reshape(r * c, *field.shape[2:])
    top = f[flat] + (f[flat + 1] - f[flat]) * fx
    bottom = f[flat + c] + (f[flat + c + 1] - f[flat + c]) * fx
    return top + (bottom - top) * fy


def _unit(rng: np.random.Generator, k: int = 1) -> np.ndarray:
    """(k, 2) random unit vectors, from normalised uniform points (no cos/sin needed)."""
    v = rng.random((k, 2)) * 2 - 1
    return v / np.sqrt(v[:, :1] ** 2 + v[:, 1:] ** 2 + 1e-12)


# ------------------------------------------------------------------ styles: tone and shade

FLOW_GRID = 64  # the flow field's resolution, whatever the picture's size
FLOW_STEPS, FLOW_STEP = 36, 1 / 128  # a stroke: at most 36 steps of 1/128 of the picture's side
STROKE_RADII = (0.0060, 0.0032, 0.0012)  # thick, medium and thin strokes, in picture widths


def _flow(rng: np.random.Generator, n: int, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Strokes that follow a smooth swirling field, thick ones under thin ones, on a soft ground.

    Strokes are traced in 0..1 coordinates on a fixed grid, so every size
    traces the same paths; only drawing them depends on the size.
    """
    field, potential = _flow_field(rng)  # (g, g, 2), (g, g)
    count = 40 + 120 * c  # strokes
    start = rng.random((count, 2)) * 1.1 - 0.05  # (P, 2), a little outside too
    width = rng.integers(0, 3, count)  # (P,) 0 thick, 1 medium, 2 thin
    reach = 0.35 + 0.65 * rng.random(count)  # (P,) where along its path each stroke stops
    light_ground = rng.random() < 0.3  # dark strokes on a light ground, or the reverse
    near = _bilinear(potential, start[:, 0] * (FLOW_GRID - 1), start[:, 1] * (FLOW_GRID - 1))
    tone = 0.3 + 0.7 * np.clip((near - 0.3) * 2.5 + (rng.random(count) - 0.5) * 0.3, 0, 1)  # neighbours match
    tone = tone * 0.75 if light_ground else tone
    path = _trace(field, start)  # (S + 1, P, 2)
    rank = 1 + width * count + np.arange(count)  # thick strokes get the lowest ranks: underneath
    keys = _draw_strokes(path, _stroke_keys(rank, tone, reach, path.shape[0] - 1, _substeps(n)), width, n)
    ground = fbm(rng, _coords(n), _coords(n), 2, 1)  # (n, n) a soft, slow field
    base = (0.92 + 0.08 * ground, 0.55 + 0.1 * ground) if light_ground else (0.04 + 0.12 * ground, 0.4 + 0.1 * ground)
    on = keys > 0
    return (np.where(on, ((keys >> 8) & 255) / 255, base[0]),  # tone and shade from the key's bytes
            np.where(on, (keys & 255) / 255, base[1]))


def _flow_field(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Unit directions (g, g, 2) along the contours of fractal noise (its curl), and the noise (g, g)."""
    grid = np.arange(FLOW_GRID) / (FLOW_GRID - 1)
    potential = fbm(rng, grid, grid, 3, 2)  # (g, g)
    p = np.pad(potential, 1, mode="edge")
    v = np.stack([p[2:, 1:-1] - p[:-2, 1:-1], p[1:-1, :-2] - p[1:-1, 2:]], axis=-1)  # (g, g, 2) curl
    v = v + _unit(rng)[0] * (rng.random() * 0.02)  # a steady wind straightens some fields
    return v / (np.sqrt(v[..., :1] * v[..., :1] + v[..., 1:] * v[..., 1:]) + 1e-12), potential


def _trace(field: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Paths (S + 1, P, 2) from start (P, 2) through field, by the midpoint rule (smooth curves)."""
    path = np.empty((FLOW_STEPS + 1, *start.shape))
    path[0] = start
    g = FLOW_GRID - 1
    for s in range(FLOW_STEPS):
        p = path[s]
        mid = p + _bilinear(field, p[:, 0] * g, p[:, 1] * g) * (FLOW_STEP / 2)  # (P, 2)
        path[s + 1] = p + _bilinear(field, mid[:, 0] * g, mid[:, 1] * g) * FLOW_STEP
    return path


def _substeps(n: int) -> int:
    """Points drawn per step so that consecutive ones are under a pixel apart."""
    return max(1, int(math.ceil(FLOW_STEP * n / 0.7)))


def _stroke_keys(rank, tone, reach, steps: int, sub: int) -> np.ndarray:
    """Keys (S, k, P) uint32 of every drawn point: rank << 16 | tone << 8 | shade; 0 past a stroke's end.

    The highest key wins a pixel, so later (higher-ranked) strokes cover
    earlier ones whatever order the pixels are written in.
    """
    along = (np.arange(steps)[:, None] + np.arange(sub)[None, :] / sub)[:, :, None] / steps  # (S, k, 1)
    shade = np.floor((0.3 + 0.5 * along + 0.2 * (1 - along) * (tone > 0.6)) * 255)  # (S, k, P) lit heads
    key = (rank.astype(np.uint32) << 16) | (np.floor(tone * 255).astype(np.uint32) << 8)  # (P,)
    key = key | np.minimum(shade, 255).astype(np.uint32)
    return np.where(along <= reach, key, np.uint32(0))


def _draw_strokes(path: np.ndarray, keys: np.ndarray, width: np.ndarray, n: int) -> np.ndarray:
    """(n, n) uint32 keys: the points of path (S + 1, P, 2), sub-stepped, widened by class."""
    sub = keys.shape[1]
    q = (np.arange(sub) / sub)[None, :, None, None]  # (1, k, 1, 1)
    pts = path[:-1, None] + (path[1:, None] - path[:-1, None]) * q  # (S, k, P, 2)
    x, y = pts[..., 0], pts[..., 1]
    keep = (keys > 0) & (x >= 0) & (x < 1) & (y >= 0) & (y < 1)
    flat = (np.floor(y[keep] * n) * n + np.floor(x[keep] * n)).astype(np.intp)
    klass, kept = np.broadcast_to(width, keep.shape)[keep], keys[keep]
    radii = [round(r * n) for r in STROKE_RADII]  # in pixels; 0 is one pixel wide
    grow = (radii[0] - radii[1], radii[1] - radii[2], radii[2])  # widenings after each class lands
    img = np.zeros(n * n, np.uint32)  # flat, for np.maximum.at
    for k in range(3):
        np.maximum.at(img, flat[klass == k], kept[klass == k])
        for _ in range(grow[k]):
            img = _dilate(img.reshape(n, n)).reshape(-1)
    return img.reshape(n, n)


def _dilate(img: np.ndarray) -> np.ndarray:
    """3 x 3 maximum filter of a (n, n) array: strokes one pixel wider on each side."""
    v = img.copy()
    np.maximum(v[1:], img[:-1], out=v[1:])
    np.maximum(v[:-1], img[1:], out=v[:-1])
    out = v.copy()
    np.maximum(out[:, 1:], v[:, :-1], out=out[:, 1:])
    np.maximum(out[:, :-1], v[:, 1:], out=out[:, :-1])
    return out


def _terrain(rng: np.random.Generator, n: int, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Fractal noise pushed around by two more noise fields (domain warping), in contour bands.

    The height is computed separably on a grid with a margin, then read at the
    warped positions by bilinear interpolation.
    """
    octaves = 2 + (c + 1) // 2  # 2..7
    warp = 0.08 + 0.012 * c  # how far the warp pushes, in picture widths
    margin = int(math.ceil(warp * n)) + 2
    xs = _coords(n)
    padded = (np.arange(-margin, n + margin) + 0.5) / n  # (n + 2m,)
    height = fbm(rng, padded, padded, octaves, 2)  # (n + 2m, n + 2m)
    wx = fbm(rng, xs, xs, 2, 1) - 0.5  # (n, n) the push, right / left
    wy = fbm(rng, xs, xs, 2, 1) - 0.5
    gx = np.arange(n)[None, :] + margin + wx * (2 * warp * n)
    gy = np.arange(n)[:, None] + margin + wy * (2 * warp * n)
    z = _bilinear(height, gx, gy)  # (n, n)
    z = np.clip((z - 0.5) * 1.8 + 0.5, 0, 0.999)  # spread fractal noise, which clusters near 0.5
    bands = 5 + c
    level = z * bands
    terrace = np.floor(level)
    tone = (terrace + 0.15 + 0.7 * (level - terrace)) / bands  # steps with a gentle slope on each
    dzx = np.zeros_like(z)
    dzy = np.zeros_like(z)
    dzx[:, 1:] = level[:, 1:] - level[:, :-1]  # per pixel, in bands
    dzy[1:] = level[1:] - level[:-1]
    frac = level - terrace
    near = np.minimum(frac, 1 - frac) / (np.abs(dzx) + np.abs(dzy) + 1e-6)  # pixels to the nearest contour
    line = np.clip(1.2 - near, 0, 1)  # about one pixel wide at any size
    light = np.clip(0.55 + (dzy - dzx) * (n / (4.0 * bands)), 0.2, 0.9)  # lit from the top left
    return tone, light * (1 - 0.6 * line)


def _waves(rng: np.random.Generator, n: int, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Ripples from a few points: crisp rings of the summed distances, colours from their differences."""
    k = 2 + c // 3  # sources
    xs = _coords(n)
    centres = rng.random((k, 2)) * 1.2 - 0.1
    weights = 0.5 + rng.random(k)
    signs = np.where(rng.random(k) < 0.35, -1.0, 1.0)
    signs[0] = 1.0
    total = np.zeros((n, n))
    beat = np.zeros((n, n))
    for (cx, cy), w, sign in zip(centres, weights, signs, strict=True):
        d = np.sqrt((xs[None, :] - cx) ** 2 + (xs[:, None] - cy) ** 2)  # (n, n)
        total += sign * w * d  # equal sums: ovals; equal differences: hyperbolas
        beat += w * d
    wobble = fbm(rng, xs, xs, 3, 2)  # (n, n) bends the rings a little
    freq = (5 + 4 * rng.random() + 0.8 * c) / k  # rings per unit of summed distance
    level = total * freq + wobble * 0.8  # (n, n) ring number, fractional
    ring = np.floor(level)
    frac = level - ring
    colour_of = (rng.random() * 5 + 0.35) * ring  # each ring its own step along the palette
    tone = 0.1 + 0.88 * _tri(colour_of * 0.1 + beat * 0.3)
    edge = np.minimum(frac, 1 - frac) * (n / (freq * k * 1.5))  # roughly pixels to the ring's edge
    shade = 0.28 + 0.3 * frac + 0.1 * _tri(beat * 3) - 0.2 * np.clip(1 - edge, 0, 1)
    return tone, shade


def _ridges(rng: np.random.Generator, n: int, c: int) -> tuple[np.ndarray, np.ndarray]:
    """Mountain ranges one behind the other under a sky with a sun, far ones paler (aerial perspective)."""
    layers = 3 + (c + 1) // 2  # 3..8
    xs = _coords(n)
    y = xs[:, None]  # (n, 1) rows, 0 at the top
    sky = 0.72 + 0.25 * rng.random()
    tone = np.empty((n, n))
    tone[:] = (sky - 0.25 * (1 - xs))[:, None]  # (n, n) the sky darkens upwards
    shade = np.empty((n, n))
    shade[:] = (0.55 + 0.15 * xs)[:, None]
    sun = rng.random(3)
    sx, sy, r = 0.15 + 0.7 * sun[0], 0.12 + 0.3 * sun[1], 0.05 + 0.07 * sun[2]
    d = np.sqrt((xs[None, :] - sx) ** 2 + (y - sy) ** 2)
    cover = np.clip((r - d) * n + 0.5, 0, 1)  # the sun's disc, antialiased
    tone += (0.99 - tone) * cover
    shade += (0.8 - shade) * cover
    for i in range(layers):
        depth = (i + 1) / layers  # 1 = nearest
        rough = fbm_1d(rng, xs, 3 + c // 3, 2 + i)  # (n,)
        ridge = np.abs(rough - 0.5) * 2 if rng.random() < 0.5 else rough  # sharp peaks or round hills
        top = 0.35 + 0.5 * depth - (0.12 + 0.2 * (1 - depth)) * ridge  # (n,) ridge height, nearer is lower
        below = (y - top[None, :]) * n  # (n, n) pixels under the ridge
        cover = np.clip(below + 0.5, 0, 1)
        tone += ((sky - 0.15) * (1 - depth) * (1 - depth) + 0.03 - tone) * cover  # far layers take the sky's tone
        layer_shade = np.clip(0.5 + 0.25 * (1 - depth) - below * (0.35 / n), 0.1, 1)  # darker further down
        shade += (layer_shade - shade) * cover
    return tone, shade


PAINTERS = {"flow": _flow, "terrain": _terrain, "waves": _waves, "ridges": _ridges}


# ------------------------------------------------------------------ styles: RGB

def _shapes(rng: np.random.Generator, n: int, c: int, colors: np.ndarray) -> np.ndarray:
    """Translucent discs, rings and bars, big ones first, over a two-colour ground: (n, n, 3)."""
    xs = _coords(n)
    top, bottom = colors[rng.integers(0, 2)], colors[rng.integers(0, 5)]
    rgb = np.empty((n, n, 3))
    rgb[:] = (top + (bottom - top) * (xs[:, None] * 0.6))[:, None, :]  # the ground: a vertical gradient
    count = 4 + 4 * c
    kinds = rng.integers(0, 3, count)  # 0 disc, 1 ring, 2 bar
    centres = rng.random((count, 2)) * 1.1 - 0.05
    sizes = (0.04 + 0.3 * rng.random(count) ** 2) * (1 - 0.6 * np.arange(count) / count)  # smaller later
    axes = _unit(rng, count)  # (count, 2) bar directions
    aspect = 0.08 + 0.3 * rng.random(count)  # bar thickness / length; ring thickness / radius
    alpha = 0.3 + 0.55 * rng.random(count)
    paint = rng.integers(1, 5, count)  # palette colour of each shape
    for i in range(count):
        cx, cy = centres[i]
        reach = sizes[i] * (1.6 if kinds[i] == 2 else 1.0) + 2 / n
        x0, x1 = _span(cx, reach, n)
        y0, y1 = _span(cy, reach, n)
        if x0 >= x1 or y0 >= y1:
            continue
        dx, dy = xs[x0:x1][None, :] - cx, xs[y0:y1][:, None] - cy  # (1, w), (h, 1)
        if kinds[i] == 2:
            ux, uy = axes[i]
            along = dx * ux + dy * uy
            across = dx * -uy + dy * ux
            dist = np.maximum(np.abs(along) - sizes[i] * 1.5, np.abs(across) - sizes[i] * aspect[i])
        else:
            dist = np.sqrt(dx * dx + dy * dy) - sizes[i]  # (h, w) signed distance to the circle
            if kinds[i] == 1:
                dist = np.abs(dist + sizes[i] * aspect[i]) - sizes[i] * aspect[i]
        cover = np.clip(0.5 - dist * n, 0, 1) * alpha[i]  # (h, w) antialiased, translucent
        patch = rgb[y0:y1, x0:x1]
        patch += cover[..., None] * (colors[paint[i]] - patch)  # over-blend, in place
    return rgb


def _span(centre: float, reach: float, n: int) -> tuple[int, int]:
    """Pixel range [lo, hi) covering centre +- reach, clipped to the image."""
    return max(0, int(math.floor((centre - reach) * n))), min(n, int(math.ceil((centre + reach) * n)))


# ------------------------------------------------------------------ symmetry

def symmetrise(pixels: np.ndarray, symmetry: str) -> np.ndarray:
    """(n, n) uint32 RGBA -> the same, each pixel copied from its place in the fundamental region.

    mirror and 4fold copy whole pixels; radial reads between pixels (bilinear
    interpolation of the four neighbours, rounded), since a 30-degree wedge
    does not fall on the pixel grid.
    """
    n = pixels.shape[0]
    index, fx, fy = _fold(n, symmetry)
    flat = pixels.ravel()
    if fx is None:
        return flat[index]
    c00, c01, c10, c11 = (flat[index + o].view(np.uint8).reshape(n, n, 4).astype(np.float64)
                          for o in (0, 1, n, n + 1))  # (n, n, 4) the four neighbours
    top = c00 + (c01 - c00) * fx
    bottom = c10 + (c11 - c10) * fx
    out = np.floor(top + (bottom - top) * fy + 0.5).astype(np.uint8)  # (n, n, 4)
    return out.view(np.uint32)[..., 0]


def kaleidoscope(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points (x, y) folded into the wedge 0..30 degrees by mirrors: the same for all 12 images
    of a point under the symmetries of a regular hexagon (rotations by 60 degrees, reflections).

    Mirrors about both axes leave the quarter 0..90 degrees; then the mirrors at
    60 and 30 degrees each halve what is left. Reflection needs only products
    and sums, so the result is exactly the same on every machine.
    """
    x, y = np.abs(x), np.abs(y)
    for cx, cy in ((0.5, math.sqrt(3) / 2), (math.sqrt(3) / 2, 0.5)):  # unit vectors at 60 and 30 degrees
        flip = x * cy - y * cx < 0  # anticlockwise of the mirror: reflect across it
        along = x * cx + y * cy  # the point's projection on the mirror
        x, y = np.where(flip, 2 * along * cx - x, x), np.where(flip, 2 * along * cy - y, y)
    return x, y


@functools.lru_cache(maxsize=4)  # a thumbnail size and a picture size at a time; 20 MB at 1024 radial
def _fold(n: int, symmetry: str) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(index, fx, fy): the flat index (n, n) of the pixel each pixel copies, and for radial
    the bilinear weights (n, n, 1) towards its right and lower neighbours.

    mirror: the left half, reflected. 4fold: one eighth, reflected about both
    axes and the diagonal (the symmetries of a square). radial: a 30-degree
    wedge reflected around the centre six times, as in a kaleidoscope; only
    reflections are used, so no angle is ever computed.
    """
    j = np.arange(n)
    half = np.minimum(j, n - 1 - j)  # distance from the nearer edge, in pixels
    if symmetry == "mirror":
        return (j[:, None] * n + half[None, :]).astype(np.intp), None, None
    if symmetry == "4fold":
        row, col = np.maximum(half[:, None], half[None, :]), np.minimum(half[:, None], half[None, :])
        return (row * n + col).astype(np.intp), None, None
    centre = (j + 0.5) / n * 2 - 1  # (n,) pixel centres in -1 .. 1
    x, y = kaleidoscope(centre[None, :] * np.ones((n, 1)), -centre[:, None] * np.ones((1, n)))  # y up
    x = np.where(x > 1, 2 - x, x)  # the corners reach past the edge: fold back in
    gx = np.clip((x + 1) * 0.5 * n - 0.5, 0, n - 1.000001)  # in pixels, between pixel centres
    gy = np.clip((1 - y) * 0.5 * n - 0.5, 0, n - 1.000001)
    ix, iy = np.floor(gx), np.floor(gy)
    index = (iy * n + ix).astype(np.intp)
    return index, (gx - ix)[..., None], (gy - iy)[..., None]
