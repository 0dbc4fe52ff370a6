"""Train GenLab's models from the shipped data and write their weight files.

    PYTHONPATH=py python -m genlab.train lm [--seed 0] [--out PATH]

``lm`` trains the tiny language model on data/corpus.txt and writes
data/lm.npz, recording the seed, the final training loss and the corpus's
sha256. The same seed gives the same weights on the same machine.
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

from . import lm  # noqa: E402  (numpy must load after the line above)


def train_lm(seed: int, out: Path, corpus: Path = lm.CORPUS,
             epochs: int | None = None) -> lm.TinyLM:
    """Fit the language model on corpus, save it to out, print progress."""
    sentences = lm.read_corpus(corpus)
    cfg, tcfg = lm.LMConfig(), lm.TrainConfig()
    if epochs is not None:
        tcfg.epochs = epochs
    n_tok = sum(len(s) for s in sentences)
    print(f"corpus: {len(sentences)} sentences, {n_tok} tokens  ({corpus})")
    print(f"model: {asdict(cfg)}\ntraining: {asdict(tcfg)}  seed {seed}")
    model = lm.fit(sentences, cfg, tcfg, seed, log=print)
    model.meta["corpus_sha256"] = lm.file_sha256(corpus)
    model.save(out)
    n_par = sum(p.size for p in model.params.values())
    print(f"vocab {len(model.vocab)}  parameters {n_par}  examples {model.meta['examples']}")
    print(f"final loss {model.meta['final_loss']:.4f}  in {model.meta['train_seconds']:.1f} s")
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB)")
    return model


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m genlab.train", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="model", required=True)
    p = sub.add_parser("lm", help="the tiny word-level language model")
    p.add_argument("--seed", type=int, default=0, help="seeds weight init and batch order")
    p.add_argument("--out", type=Path, default=lm.DEFAULT_WEIGHTS, help="where to write the .npz")
    p.add_argument("--corpus", type=Path, default=lm.CORPUS, help="one sentence per line")
    p.add_argument("--epochs", type=int, default=None, help="override TrainConfig.epochs")
    args = ap.parse_args(argv)
    start = time.perf_counter()
    if args.model == "lm":
        train_lm(args.seed, args.out, args.corpus, args.epochs)
    print(f"done in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
