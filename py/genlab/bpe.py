"""Byte-level byte-pair encoding (BPE): text -> token ids -> the same text, byte for byte.

The idea of GPT-2's tokenizer, at toy size. Text is first cut into
word-like chunks (``SPLIT``: a word with its leading space, a number, a run of
punctuation, whitespace), each chunk is turned into its UTF-8 bytes, and the
bytes are glued back together pair by pair by the learned *merges*:

    " cats" -> bytes  [" ", c, a, t, s] -> merges -> [" cat", "s"]

Ids 0..255 are the 256 single bytes, so every string tokenizes (there is no
unknown token) and decoding the bytes gives back the exact text. Id 256 + r
is the r-th merge, learned by ``train``: repeatedly count every adjacent pair
of tokens in the corpus's chunks and merge the most frequent one. Special
tokens (``<bos>``) come after the merges and never come out of ``encode``.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

# GPT-2's split, written for Python's re (no \p{L}): contractions, a word with an
# optional leading space, a number, punctuation, spaces not before a word, any
# other whitespace, and (last resort) any single character.
SPLIT = re.compile(
    r"'(?:[sdmt]|ll|ve|re)| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+|[\s\S]")
N_BYTES = 256
SPECIALS = ("<bos>",)


def chunks(text: str) -> list[str]:
    """Cut text into the pieces merges never cross; "".join(chunks(t)) == t."""
    return SPLIT.findall(text)


class BPE:
    """merges[r] = (a, b): ids a and b next to each other become id 256 + r."""

    def __init__(self, merges: Sequence[tuple[int, int]]):
        self.merges = [(int(a), int(b)) for a, b in merges]
        self.ranks = {pair: r for r, pair in enumerate(self.merges)}  # (a, b) -> rank
        self.pieces = [bytes([i]) for i in range(N_BYTES)]  # id -> bytes
        for a, b in self.merges:
            self.pieces.append(self.pieces[a] + self.pieces[b])
        self.special_ids = tuple(range(len(self.pieces), len(self.pieces) + len(SPECIALS)))
        self.bos_id = self.special_ids[0]
        self._cache: dict[str, tuple[int, ...]] = {}

    def __len__(self) -> int:
        """Vocabulary size V: bytes, merges and special tokens."""
        return len(self.pieces) + len(SPECIALS)

    def encode_chunk(self, chunk: str) -> tuple[int, ...]:
        """One chunk's ids: start from bytes, apply the lowest-ranked merge until none applies."""
        if chunk in self._cache:
            return self._cache[chunk]
        ids = list(chunk.encode("utf-8"))
        while len(ids) > 1:
            pairs = [(self.ranks.get(p, len(self.ranks)), i) for i, p in enumerate(zip(ids, ids[1:]))]
            rank, i = min(pairs)
            if rank == len(self.ranks):
                break  # no pair of this chunk was ever merged
            ids = merge_pair(ids, self.merges[rank], N_BYTES + rank)
        if len(self._cache) < 50_000:
            self._cache[chunk] = tuple(ids)
        return tuple(ids)

    def encode(self, text: str) -> list[int]:
        """Text -> ids (list of int); never produces a special token."""
        return [i for c in chunks(text) for i in self.encode_chunk(c)]

    def piece_bytes(self, i: int) -> bytes:
        """The bytes of token i (special tokens: their name)."""
        if i >= len(self.pieces):
            return SPECIALS[i - len(self.pieces)].encode()
        return self.pieces[i]

    def decode(self, ids: Sequence[int]) -> str:
        """Ids -> text. Special tokens are left out; broken UTF-8 shows as U+FFFD."""
        data = b"".join(self.pieces[i] for i in ids if i < len(self.pieces))
        return data.decode("utf-8", errors="replace")

    def decode_bytes(self, ids: Sequence[int]) -> bytes:
        """Ids -> the exact bytes (special tokens left out)."""
        return b"".join(self.pieces[i] for i in ids if i < len(self.pieces))

    def piece(self, i: int) -> str:
        """Display text of token i: its text, or \\x.. escapes for part of a character."""
        return self.piece_bytes(i).decode("utf-8", errors="backslashreplace")

    def save(self, path: Path) -> None:
        """A small JSON file: the merges and the specials."""
        doc = {"kind": "byte-level BPE", "split": SPLIT.pattern, "specials": list(SPECIALS),
               "merges": self.merges}
        Path(path).write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> BPE:
        """Read a file written by save."""
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
        if doc["split"] != SPLIT.pattern or tuple(doc["specials"]) != SPECIALS:
            raise ValueError(f"{path}: written with another split pattern or other specials")
        return cls([tuple(m) for m in doc["merges"]])


def merge_pair(ids: Sequence[int], pair: tuple[int, int], new: int) -> list[int]:
    """Replace every non-overlapping (a, b) in ids, left to right, by new."""
    out, i, a, b = [], 0, pair[0], pair[1]
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == a and ids[i + 1] == b:
            out.append(new)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def train(text: str, vocab_size: int, log: Callable[[str], None] | None = None) -> BPE:
    """Learn vocab_size - 256 - len(SPECIALS) merges from text.

    Works on the distinct chunks with their counts (a word seen 5,000 times
    is one entry), and after each merge recounts only the chunks that held
    the merged pair. Ties between equally frequent pairs go to the smaller
    pair of ids, so training is deterministic.
    """
    n_merges = vocab_size - N_BYTES - len(SPECIALS)
    if n_merges < 0:
        raise ValueError(f"vocab_size must be at least {N_BYTES + len(SPECIALS)}")
    counts = Counter(chunks(text))
    words = [list(w.encode("utf-8")) for w in counts]  # distinct chunks as ids
    freq = list(counts.values())
    pairs: Counter = Counter()  # (a, b) -> weighted count
    where: dict[tuple[int, int], set[int]] = defaultdict(set)  # (a, b) -> chunk indices
    for w, (ids, f) in enumerate(zip(words, freq)):
        for p in zip(ids, ids[1:]):
            pairs[p] += f
            where[p].add(w)
    merges: list[tuple[int, int]] = []
    for r in range(n_merges):
        best = max(pairs.items(), key=lambda kv: (kv[1], -kv[0][0], -kv[0][1]), default=None)
        if best is None or best[1] < 2:
            break  # nothing repeats: the corpus is used up
        pair, new = best[0], N_BYTES + r
        merges.append(pair)
        for w in list(where[pair]):
            ids, f = words[w], freq[w]
            for p in zip(ids, ids[1:]):
                pairs[p] -= f
            ids = words[w] = merge_pair(ids, pair, new)
            for p in zip(ids, ids[1:]):
                pairs[p] += f
                where[p].add(w)
        del pairs[pair], where[pair]
        pairs = +pairs if r % 256 == 0 else pairs  # drop counts that fell to 0
        if log and (r + 1) % 500 == 0:
            log(f"merge {r + 1}/{n_merges}: count {best[1]}")
    return BPE(merges)
