"""Section 7: seeded abstract art, the same bytes for the same knobs on every platform."""
from __future__ import annotations

import hashlib
from dataclasses import asdict

import numpy as np

from .. import art
from . import checks

ART_MAX_STRIP = 16  # thumbnails per art_strip call
ART_MAX_THUMB = 128  # a thumbnail's largest side
DEFAULTS = asdict(art.ArtConfig())  # the page's starting knobs (art-settings.js holds the same)


def _art_config(seed, style, palette, complexity, symmetry, size, max_size: int) -> art.ArtConfig:
    return art.ArtConfig(
        seed=checks.seed(seed),
        style=checks.choice("style", style, (art.AUTO, *art.STYLES)),
        palette=checks.choice("palette", palette, (art.AUTO, *art.PALETTES)),
        complexity=checks.integer("complexity", complexity, art.MIN_COMPLEXITY, art.MAX_COMPLEXITY),
        symmetry=checks.choice("symmetry", symmetry, tuple(art.SYMMETRIES)),
        size=checks.integer("size", size, art.MIN_SIZE, max_size))


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
            "defaults": dict(DEFAULTS), "max_strip": ART_MAX_STRIP, "max_thumb": ART_MAX_THUMB}


def art_render(seed: int = 42, style: str = "auto", palette: str = "auto", complexity: int = 5,
               symmetry: str = "none", size: int = 512) -> dict:
    """One picture: {image: (size, size, 4) uint8 RGBA, sha256: of its bytes, and the knobs
    used (seed, style, palette, complexity, symmetry, size), "auto" replaced by the seed's picks}.
    The defaults are DEFAULTS (a test holds them equal).
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


FUNCTIONS = (art_presets, art_render, art_strip)
