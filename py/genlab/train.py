"""Train GenLab's models from the shipped data and write their weight files.

    PYTHONPATH=py python -m genlab.train lm [--seed 0] [--out PATH] [--quick]
    PYTHONPATH=py python -m genlab.train diffusion-2d [--seed 0] [--out PATH]
    PYTHONPATH=py python -m genlab.train diffusion-digits [--seed 0] [--out PATH]

``lm`` learns the byte-level BPE and trains the tiny language model on
data/english/train.txt (real English, made by data/make_corpus.py), writing
data/bpe.json and data/lm.npz with the seed, the bits per byte on
data/english/heldout.txt (whole books and blocks of sentences it never saw)
and on data/english/everyday.txt (sentences written for the purpose), and the
corpus's sha256. With no option it makes the shipped files again (seed 0,
lm.LMConfig and lm.TrainConfig as they stand: about 35 minutes of one core).
``--set d_model=128 --set steps=4000`` changes a field of lm.LMConfig or
lm.TrainConfig; ``--quick`` (QUICK_LM, a few seconds) is a tiny setting that
checks the whole path, for tests.
``diffusion-2d`` trains the class-conditional denoiser of the plane (prompts: the shapes of api.SHAPES_2D) and ``diffusion-digits`` the one of the
UCI digits (prompts 0..9), each writing data/diffusion_*.npz with its
moving-average weights. The same seed gives the same weights on the same
machine.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import asdict
from pathlib import Path

# The matrices here are small: BLAS threads cost more than they save (about
# 5x slower on 2 cores) and make runs less reproducible. Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from . import bpe, diffusion, gan, lm  # noqa: E402  (numpy must load after the line above)

SHAPES_2D = diffusion.SHAPES_2D
DIFFUSION = {  # name -> (config, training steps)
    # H 64 keeps 20 sampling steps of 1,000 points near 0.2 s in WebAssembly. The cosine
    # schedule and 20,000 steps brought samples 2-3x closer to the shapes than the
    # linear schedule with 12,000 steps at H 128 (mean nearest-real distance 0.014-0.020
    # against 0.008 for real points themselves, DDPM, 20 steps).
    "diffusion-2d": (diffusion.DiffusionConfig(
        dim=2, n_classes=len(SHAPES_2D), hidden=64, depth=3, T=100, schedule="cosine",
        lr=2e-3, batch=256, p_uncond=0.15, ema=0.995, clip=1.5), 20_000),
    "diffusion-digits": (diffusion.DiffusionConfig(
        dim=64, n_classes=10, hidden=256, depth=3, T=100, schedule="cosine",
        lr=1e-3, batch=128, p_uncond=0.15, ema=0.999, clip=1.0), 20_000),
}


TRAIN_TEXT, HELDOUT_TEXT, EVERYDAY_TEXT = lm.CORPUS, lm.HELDOUT, lm.EVERYDAY
# A tiny model trained in seconds: the same path as the shipped one, for tests (not for the page).
QUICK_LM = ("vocab_size=300", "n_ctx=16", "d_model=16", "n_head=2", "n_layer=1", "d_ff=32",
            "steps=40", "batch=4", "warmup=5", "log_every=20")


def lm_configs(settings: list[str]) -> tuple[lm.LMConfig, lm.TrainConfig]:
    """lm.LMConfig and lm.TrainConfig with "field=value" settings applied (ints, floats or text)."""
    cfg, tcfg = lm.LMConfig(), lm.TrainConfig()
    for item in settings:
        key, _, value = item.partition("=")
        target = cfg if hasattr(cfg, key) else tcfg if hasattr(tcfg, key) else None
        if target is None or not value:
            raise SystemExit(f"--set {item}: expected FIELD=VALUE, a field of LMConfig or TrainConfig")
        setattr(target, key, type(getattr(target, key))(value))
    return cfg, tcfg


def train_lm(seed: int, out: Path, tokenizer: Path, corpus: Path = TRAIN_TEXT, heldout: Path = HELDOUT_TEXT,
             settings: tuple[str, ...] = ()) -> lm.TinyLM:
    """Learn the BPE and fit the language model on the training text, score it, save both.

    Neither the tokenizer nor the network sees the held-out or everyday lines.
    Their bits per byte, and a unigram baseline's, go in the meta.
    """
    train_lines, held, everyday = (lm.read_lines(p) for p in (corpus, heldout, EVERYDAY_TEXT))
    cfg, tcfg = lm_configs(list(settings))
    start = time.perf_counter()
    tok = bpe.train("\n".join(train_lines), cfg.vocab_size)
    print(f"corpus: {len(train_lines)} training lines ({corpus}), {len(held)} held out ({heldout})")
    print(f"tokenizer: {len(tok)} tokens in {time.perf_counter() - start:.1f} s")
    print(f"model: {asdict(cfg)}\ntraining: {asdict(tcfg)}  seed {seed}", flush=True)
    model = lm.fit(tok, train_lines, cfg, tcfg, seed, log=lambda s: print(s, flush=True))
    model.meta |= {
        "corpus_sha256": lm.file_sha256(corpus),
        "heldout_bits_per_byte": round(lm.bits_per_byte(model, held), 4),
        "everyday_bits_per_byte": round(lm.bits_per_byte(model, everyday), 4),
        "unigram_bits_per_byte": round(lm.unigram_bits_per_byte(tok, train_lines, held), 4),
        "params": int(sum(p.size for p in model.params.values())),
    }
    model.save(out, tokenizer)
    m = model.meta
    print(f"held out: {m['heldout_bits_per_byte']:.3f} bits per byte, everyday {m['everyday_bits_per_byte']:.3f} "
          f"(unigram baseline {m['unigram_bits_per_byte']:.3f})")
    print(f"parameters {m['params']}  in {m['train_seconds']:.0f} s; wrote {out} "
          f"({out.stat().st_size / 1024:.0f} KB) and {tokenizer}")
    return model


def shapes_data(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n points (n, 2) of shapes picked at random, and their class (n,)."""
    c = rng.integers(0, len(SHAPES_2D), n)  # (n,)
    x = np.empty((n, 2), np.float32)
    for k, shape in enumerate(SHAPES_2D):
        x[c == k] = gan.sample_target(shape, int(np.sum(c == k)), rng)
    return x, c


def digits_data():
    """data(n, rng) drawing n of the 1,797 real digits (with replacement)."""
    x, y = diffusion.load_digits()
    def data(n: int, rng: np.random.Generator):
        i = rng.integers(0, len(x), n)  # (n,)
        return x[i], y[i]
    return data


def train_diffusion(name: str, seed: int, out: Path, steps: int | None = None) -> diffusion.Diffusion:
    """Fit one of DIFFUSION's models and save its moving-average weights to out."""
    cfg, default_steps = DIFFUSION[name]
    cfg = diffusion.DiffusionConfig(**{**asdict(cfg), "seed": seed})
    steps = steps or default_steps
    data = shapes_data if name == "diffusion-2d" else digits_data()
    model, curve, start = diffusion.Diffusion(cfg), [], time.perf_counter()
    print(f"model: {asdict(cfg)}  parameters {model.net.flat.size}  steps {steps}")
    while model.step < steps:
        losses, reason = model.train(min(1000, steps - model.step), data)
        if reason:
            raise SystemExit(f"training diverged: {reason}")
        curve.append(float(losses.mean()))
        print(f"step {model.step:6d}  loss {curve[-1]:.4f}  {time.perf_counter() - start:6.1f} s",
              flush=True)
    meta = {"seed": seed, "train_steps": steps, "final_loss": round(curve[-1], 5),
            "train_seconds": round(time.perf_counter() - start, 1),
            "loss_per_1000_steps": [round(v, 5) for v in curve]}
    model.save(out, meta)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
    return model


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m genlab.train", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="model", required=True)
    p = sub.add_parser("lm", help="the tiny language model and its tokenizer")
    p.add_argument("--seed", type=int, default=0, help="seeds weight init and batch order")
    p.add_argument("--out", type=Path, default=lm.DEFAULT_WEIGHTS, help="where to write the .npz")
    p.add_argument("--tokenizer", type=Path, default=lm.DEFAULT_TOKENIZER, help="the BPE's .json")
    p.add_argument("--corpus", type=Path, default=TRAIN_TEXT, help="training text, one line each")
    p.add_argument("--heldout", type=Path, default=HELDOUT_TEXT, help="held-out text, one line each")
    p.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help="a field of LMConfig or TrainConfig, e.g. arch=mlp, d_model=128, steps=4000")
    p.add_argument("--quick", action="store_true", help="a tiny model in seconds (QUICK_LM), to check the path")
    for name in DIFFUSION:
        p = sub.add_parser(name, help=f"the {name[10:]} denoiser")
        p.add_argument("--seed", type=int, default=0, help="seeds weight init and training noise")
        p.add_argument("--out", type=Path, default=lm.DATA / f"{name.replace('-', '_')}.npz")
        p.add_argument("--steps", type=int, default=None, help="override the training steps")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    if args.model == "lm":
        settings = (QUICK_LM if args.quick else ()) + tuple(args.set)
        train_lm(args.seed, args.out, args.tokenizer, args.corpus, args.heldout, settings)
    else:
        train_diffusion(args.model, args.seed, args.out, args.steps)
    print(f"done in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
