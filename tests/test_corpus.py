"""The language model's English text: made from the sources by data/make_corpus.py, split by
document, and a held-out score that measures English rather than recall (issue 23)."""
from __future__ import annotations

import importlib.util
import re

import pytest

from genlab import lm

DATA = lm.DATA
_spec = importlib.util.spec_from_file_location("make_corpus", DATA / "make_corpus.py")
make_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_corpus)


@pytest.fixture(scope="module")
def texts():
    return {name: make_corpus.read(make_corpus.OUT / f"{name}.txt") for name in ("train", "heldout", "everyday")}


@pytest.fixture(scope="module")
def train_runs(texts):
    return set().union(*(make_corpus.word_runs(line) for line in texts["train"]))


def test_word_runs_known_answer():
    """Nine words give two runs of eight; case and punctuation do not count; apostrophes stay."""
    runs = make_corpus.word_runs("Don't go: the cat sat on the mat, Tom said!")
    assert runs == {("don't", "go", "the", "cat", "sat", "on", "the", "mat"),
                    ("go", "the", "cat", "sat", "on", "the", "mat", "tom"),
                    ("the", "cat", "sat", "on", "the", "mat", "tom", "said")}
    assert make_corpus.word_runs("Only seven words are in this line.") == set()


def test_no_held_out_line_shares_an_eight_word_run_with_training_text(texts, train_runs):
    shared = make_corpus.shares_run(texts["heldout"], train_runs)
    assert not shared, shared[:5]
    assert not set(texts["heldout"]) & set(texts["train"])
    assert len(texts["heldout"]) > 3000  # the filter dropped a few lines, not the held-out text


def test_everyday_sentences_are_never_trained_on(texts, train_runs):
    assert 60 <= len(texts["everyday"]) <= 100
    assert not set(texts["everyday"]) & set(texts["train"])
    assert not make_corpus.shares_run(texts["everyday"], train_runs)


def test_the_split_is_by_document(texts):
    """Held out: whole books and whole blocks of Tatoeba sentences, none of them in training."""
    held, train = set(texts["heldout"]), set(texts["train"])
    tatoeba = make_corpus.dedupe(make_corpus.tatoeba_sentences())
    blocks = [tatoeba[b:b + make_corpus.BLOCK] for b in range(0, len(tatoeba), make_corpus.BLOCK)]
    trained = set()
    for k, block in enumerate(blocks):
        held_block = k % make_corpus.HELDOUT_EVERY == make_corpus.HELDOUT_EVERY - 1
        assert sum(line in (held if held_block else train) for line in block) >= 0.9 * len(block), k
        trained |= set() if held_block else set(block)  # (the other 10% at most: dropped as overlap)
    books = {number: make_corpus.book_sentences(
        (make_corpus.SOURCES / "gutenberg" / f"{number}.txt").read_text(encoding="utf-8"))
        for number in make_corpus.BOOKS}
    assert all(len(sentences) > 50 for sentences in books.values())
    trained = trained.union(*(books[n] for n in books if n not in make_corpus.HELDOUT_BOOKS))
    for number, sentences in books.items():
        if number in make_corpus.HELDOUT_BOOKS:  # in training only where another document has it ("Oh!")
            assert set(sentences) & train <= trained, make_corpus.BOOKS[number]
        else:
            assert not set(sentences) & held, make_corpus.BOOKS[number]


def test_the_files_are_what_the_script_makes(texts):
    train, held, _ = make_corpus.build()
    assert (train, held) == (texts["train"], texts["heldout"])


def test_books_lose_every_header_footer_and_licence(texts):
    text = "\n".join(texts["train"] + texts["heldout"])
    for phrase in ("Gutenberg", "SMALL PRINT", "eBook", "Etext", "Produced by", "CHAPTER"):
        assert phrase not in text, phrase
    assert "\u2019" not in text and "\u201c" not in text and "_" not in text


@pytest.mark.parametrize("raw, clean", [
    ("\u2018I\u2019m late,\u2019 said the Rabbit.", '"I\'m late," said the Rabbit.'),  # single-quoted dialogue
    ("It was _very_ odd--quite\u2014odd.", "It was very odd - quite - odd."),
    ("Wait . . . what?", "Wait ... what?"),
])
def test_normalise_types_what_a_keyboard_types(raw, clean):
    assert make_corpus.normalise(raw, single_quoted=True) == clean


def test_sentences_split_outside_quotes_and_after_names():
    para = 'Mr. Smith came in. "Stop! Who is there?" she said. It was late.'
    assert make_corpus.split_sentences(para) == [
        "Mr. Smith came in.", '"Stop! Who is there?" she said.', "It was late."]


def test_every_source_is_cleared_and_credited():
    """Each book's metadata says public domain in the USA; every Tatoeba line carries its CC BY
    2.0 FR attribution; SOURCES.md and the third-party notices name every source."""
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    notices = " ".join((DATA.parents[2] / "web" / "THIRD-PARTY-NOTICES.txt").read_text(encoding="utf-8").split())
    for number, title in make_corpus.BOOKS.items():
        meta = (make_corpus.SOURCES / "gutenberg" / f"{number}.yaml").read_text(encoding="utf-8")
        assert re.search(r"^rights: Public domain in the USA\.$", meta, re.M), title
        assert f"sources/gutenberg/{number}.txt" in sources and title in notices
    lines = make_corpus.TATOEBA.read_text(encoding="utf-8").splitlines()
    assert all(line.split("\t")[2].startswith("CC-BY 2.") and "Attribution: tatoeba.org #" in line
               for line in lines)  # (one line's licence reads "CC-BY 2.cc.convert(0 (France)")
    assert "sources/tatoeba/cmn.txt" in sources and "tatoeba.org" in notices
