"""Write the language model's English text from the source files in sources/ (see SOURCES.md).

    python py/genlab/data/make_corpus.py      # rewrites english/train.txt and english/heldout.txt

Tatoeba's English sentences are taken as they are (the first column of
sources/tatoeba/cmn.txt). Each Gutenberg book loses its header, licence and
footer, its headings, contents and verse; its paragraphs are unwrapped and cut
into sentences. Quotes and dashes become the ones a keyboard types, exact
duplicates go, and the lines are split by document: whole books (HELDOUT_BOOKS)
and every HELDOUT_EVERY-th block of BLOCK Tatoeba sentences are held out.
A held-out line that shares a run of RUN words with the training text is
dropped, so the held-out score measures English, not recall. The everyday
sentences of english/everyday.txt are written by hand and never trained on:
a training line equal to one of them is dropped too. Stdlib only, deterministic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

HERE = Path(__file__).parent
SOURCES = HERE / "sources"
OUT = HERE / "english"
TATOEBA = SOURCES / "tatoeba" / "cmn.txt"
BOOKS = {  # Gutenberg ebook number -> title (files sources/gutenberg/<n>.txt)
    11: "Alice's Adventures in Wonderland", 45: "Anne of Green Gables", 47: "Anne of Avonlea",
    74: "The Adventures of Tom Sawyer", 113: "The Secret Garden", 120: "Treasure Island",
    271: "Black Beauty", 289: "The Wind in the Willows", 778: "Five Children and It",
    1448: "Heidi", 1874: "The Railway Children", 2781: "Just So Stories",
    14838: "The Tale of Peter Rabbit",
}
HELDOUT_BOOKS = (1874, 14838)  # read by no training step: The Railway Children, Peter Rabbit
BLOCK = 100  # Tatoeba sentences per block (the file is sorted by length: blocks mix lengths)
HELDOUT_EVERY = 10  # every 10th block of Tatoeba sentences is held out
LONG = 300  # characters: a quotation longer than this is cut into sentences anyway
RUN = 8  # a held-out line may share no run of 8 words with the training text

START = re.compile(r"^\*\*\* ?START OF|^\*END\*? ?THE SMALL PRINT", re.I)
END = re.compile(r"^\*\*\* ?END OF|^End of (the )?Project Gutenberg|^\*Project Gutenberg Etext", re.I)
ABBREV = re.compile(r"\b(Mr|Mrs|Dr|St|Mt|Capt|Col|Gen|Prof|Rev|Jr|Sr|No|vs)\.$", re.I)
SENTENCE_END = re.compile(r"""(?<=[.!?])["')\]]*\s+(?=["'(]?[A-Z0-9])""")
WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")


# ---------------------------------------------------------------- Tatoeba


def tatoeba_sentences(path: Path = TATOEBA) -> list[str]:
    """The English column of the Anki export (English, tab, Chinese, tab, attribution)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [normalise(line.split("\t")[0]) for line in lines if "\t" in line]


# ---------------------------------------------------------------- Gutenberg


def book_body(text: str) -> list[str]:
    """The lines between Project Gutenberg's header (and licence) and its footer."""
    lines = text.lstrip("\ufeff").splitlines()
    starts = [i for i, line in enumerate(lines[:400]) if START.search(line)]
    if not starts:
        raise ValueError("no Project Gutenberg start marker")
    body = lines[starts[-1] + 1:]
    end = next((i for i, line in enumerate(body) if END.search(line)), None)
    if end is None:
        raise ValueError("no Project Gutenberg end marker")
    return body[:end]


def paragraphs(lines: Sequence[str]) -> Iterator[list[str]]:
    """Blocks of non-blank lines."""
    block: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []


def is_prose(block: Sequence[str]) -> bool:
    """A paragraph of running text: not a heading, a contents entry, verse or a note."""
    text = " ".join(line.strip() for line in block)
    indented = sum(line.startswith((" ", "\t")) for line in block)
    return (indented * 2 <= len(block) and any(c.islower() for c in text) and not is_heading(text)
            and text[-1] in ".!?\"'’”)_" and not text.startswith(("[", "Produced by"))
            and len(text.split()) >= 3)


def is_heading(text: str) -> bool:
    """"CHAPTER XI. Who Stole the Tarts?", a table of contents, or a short title without quotes."""
    if re.match(r"(CHAPTER|Chapter|BOOK|PART)\b", text) or len(re.findall(r"\b[IVXL]{2,}\b", text)) >= 3:
        return True
    long_words = [w for w in re.findall(r"[A-Za-z]+", text) if len(w) > 3]
    return len(text.split()) <= 10 and '"' not in text and all(w[0].isupper() for w in long_words)


def book_sentences(text: str) -> list[str]:
    """The sentences of a Gutenberg book's prose, one per item, normalised."""
    out, single = [], quotes_single(text)
    for block in paragraphs(book_body(text)):
        if is_prose(block):
            para = normalise(" ".join(line.strip() for line in block), single)
            out += [s for s in split_sentences(para) if len(s.split()) >= 2]
    return out


def split_sentences(para: str) -> list[str]:
    """Cut after . ! ? (and closing quotes) before a capital, but not after Mr., Mrs., ...

    nor inside a quotation (an odd number of " so far), unless it runs past LONG characters.
    """
    out: list[str] = []
    for piece in SENTENCE_END.split(para):
        open_quote = out and out[-1].count('"') % 2 == 1 and len(out[-1]) < LONG
        if out and (ABBREV.search(out[-1]) or open_quote):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return [s.strip() for s in out if s.strip()]


# ---------------------------------------------------------------- normalising


def normalise(text: str, single_quoted: bool = False) -> str:
    """Keyboard punctuation: straight quotes, ' - ' for dashes, no _italics_ marks, single spaces.

    single_quoted (British books): dialogue in single quotes becomes double-quoted.
    An opening quote starts a word, a closing one follows punctuation; apostrophes stay.
    """
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u00a0", " ")
    if single_quoted:
        text = re.sub(r"(?:^|(?<=[\s(\[\u2014-]))['\u2018](?=[A-Za-z])", '"', text)
        text = re.sub(r"(?<=[,.!?;:\u2014-])['\u2019](?=[\s\u2014-]|$)", '"', text)
    text = text.replace("\u2018", "'").replace("\u2019", "'")
    text = re.sub(r"\s*(?:\u2014|--+)\s*", " - ", text).replace(". . .", "...")
    text = text.replace("_", "").lstrip("|")  # _italics_, Twain's "any_body", a drop capital's mark
    return re.sub(r"\s+", " ", text).strip()


def quotes_single(text: str) -> bool:
    """Does the book quote its dialogue in single quotes?"""
    return text.count("\u2018") + text.count(" '") > text.count("\u201c") + text.count('"')


# ---------------------------------------------------------------- split and overlap


def words(line: str) -> list[str]:
    """Lower-case words, apostrophes kept inside: "Don't stop!" -> ["don't", "stop"]."""
    return WORD.findall(line.lower())


def word_runs(line: str, n: int = RUN) -> set[tuple[str, ...]]:
    """Every run of n consecutive words of line (none if it has fewer than n)."""
    w = words(line)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def shares_run(lines: Iterable[str], train_runs: set[tuple[str, ...]], n: int = RUN) -> list[str]:
    """The lines that have a run of n words also found in train_runs."""
    return [line for line in lines if word_runs(line, n) & train_runs]


def split_documents() -> tuple[list[str], list[str]]:
    """(training lines, held-out lines) before the overlap filter, without duplicates."""
    train: list[str] = []
    held: list[str] = []
    tatoeba = dedupe(tatoeba_sentences())
    for b in range(0, len(tatoeba), BLOCK):
        (held if (b // BLOCK) % HELDOUT_EVERY == HELDOUT_EVERY - 1 else train).extend(tatoeba[b:b + BLOCK])
    for number in BOOKS:
        text = (SOURCES / "gutenberg" / f"{number}.txt").read_text(encoding="utf-8")
        (held if number in HELDOUT_BOOKS else train).extend(book_sentences(text))
    train = dedupe(train)
    seen = set(train)
    return train, [line for line in dedupe(held) if line not in seen]


def dedupe(lines: Iterable[str]) -> list[str]:
    """Lines in order, each kept once."""
    return list(dict.fromkeys(lines))


def build() -> tuple[list[str], list[str], dict]:
    """Training lines, held-out lines (overlap filtered) and counts for SOURCES.md."""
    train, held = split_documents()
    everyday = set(read(OUT / "everyday.txt"))
    train = [line for line in train if line not in everyday]
    train_runs = set().union(*(word_runs(line) for line in train))
    overlapping = set(shares_run(held, train_runs))
    kept = [line for line in held if line not in overlapping]
    stats = {"train_lines": len(train), "heldout_lines": len(kept), "dropped_overlap": len(overlapping),
             "train_bytes": sum(len(s.encode()) + 1 for s in train),
             "heldout_bytes": sum(len(s.encode()) + 1 for s in kept)}
    return train, kept, stats


def read(path: Path) -> list[str]:
    """A text file's non-empty lines."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def shares(train: Sequence[str], held: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Source -> (% of the training bytes, % of the held-out bytes), for SOURCES.md."""
    docs = {"Tatoeba": tatoeba_sentences()} | {
        title: book_sentences((SOURCES / "gutenberg" / f"{n}.txt").read_text(encoding="utf-8"))
        for n, title in BOOKS.items()}
    out, owner = {}, {}
    for name, lines in docs.items():
        for line in lines:
            owner.setdefault(line, name)  # a line in two documents counts for the first
    for part, lines in enumerate((train, held)):
        total = sum(len(line.encode()) + 1 for line in lines)
        for line in lines:
            name = owner[line]
            out.setdefault(name, [0.0, 0.0])[part] += 100 * (len(line.encode()) + 1) / total
    return {name: (round(a, 1), round(b, 1)) for name, (a, b) in out.items()}


def main() -> None:
    train, held, stats = build()
    OUT.mkdir(exist_ok=True)
    (OUT / "train.txt").write_text("\n".join(train) + "\n", encoding="utf-8")
    (OUT / "heldout.txt").write_text("\n".join(held) + "\n", encoding="utf-8")
    print(stats)
    for name, (a, b) in shares(train, held).items():
        print(f"{name}: {a}% of the training text, {b}% of the held-out text")


if __name__ == "__main__":
    main()
