"""Tests for genlab.bpe: the byte-level BPE tokenizer (training, encoding, round trips)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from genlab import bpe, lm

TEXT = "the cat sat on the mat. the cat ate the rat. the hat is on the cat.\n" * 3


@pytest.fixture(scope="module")
def shipped() -> bpe.BPE:
    return lm.load_default().bpe


def test_chunks_cover_the_text_and_keep_the_leading_space_with_the_word():
    assert bpe.chunks("Hello, world! It's  42") == ["Hello", ",", " world", "!", " It", "'s", " ", " 42"]
    for text in ["", " ", "a\tb\n\nc", "x_y__z", "é\u0301 ñ", "😀😀 a"]:
        assert "".join(bpe.chunks(text)) == text


def test_merge_pair_replaces_non_overlapping_pairs_left_to_right():
    """(1, 1) in [1, 1, 1, 2, 1, 1]: positions 0-1 merge, 2 stays (its partner was used), 4-5 merge."""
    assert bpe.merge_pair([1, 1, 1, 2, 1, 1], (1, 1), 9) == [9, 1, 2, 9]


def test_training_merges_the_most_frequent_pair_first():
    """In "aaab aaab ab", the pair (a, a) occurs 4 times (twice per "aaab"), (a, b) 3 times."""
    tok = bpe.train("aaab aaab ab", 256 + 1 + 1)
    assert tok.merges == [(ord("a"), ord("a"))]
    assert tok.piece(256) == "aa"


def test_training_is_deterministic_and_learns_frequent_words():
    a, b = bpe.train(TEXT, 300), bpe.train(TEXT, 300)
    assert a.merges == b.merges
    assert a.encode(" cat") == [a.pieces.index(b" cat")]  # a frequent word is one token
    assert len(a.encode(TEXT)) < len(TEXT.encode()) / 3


def test_ids_bytes_and_specials():
    tok = bpe.train(TEXT, 270)
    assert len(tok) == 270 and tok.special_ids == (269,) and tok.bos_id == 269
    assert tok.encode("A") == [65]  # a lone byte is its own id
    assert tok.piece_bytes(tok.bos_id) == b"<bos>"
    assert tok.bos_id not in tok.encode(TEXT + "<bos>")  # typed "<bos>" is just text
    with pytest.raises(ValueError, match="vocab_size must be at least"):
        bpe.train(TEXT, 100)


def test_piece_shows_part_of_a_character_as_escapes():
    tok = bpe.train(TEXT, 270)
    ids = tok.encode("é")  # two UTF-8 bytes, never merged in TEXT
    assert [tok.piece(i) for i in ids] == ["\\xc3", "\\xa9"]
    assert tok.decode(ids) == "é"


def test_save_load_round_trip(tmp_path):
    tok = bpe.train(TEXT, 300)
    tok.save(tmp_path / "t.json")
    back = bpe.BPE.load(tmp_path / "t.json")
    assert back.merges == tok.merges and back.encode(TEXT) == tok.encode(TEXT)


def test_shipped_tokenizer_has_a_few_thousand_tokens_and_no_unknown(shipped):
    assert 2048 <= len(shipped) <= 4096
    assert shipped.encode(" weather") == [shipped.pieces.index(b" weather")]
    word = shipped.encode(" flibbertigibbet")  # never seen: split into pieces, not <unk>
    assert len(word) > 1 and shipped.decode(word) == " flibbertigibbet"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_round_trip_any_unicode_string(shipped, text):
    ids = shipped.encode(text)
    assert shipped.decode_bytes(ids) == text.encode("utf-8")
    assert shipped.decode(ids) == text
    assert all(0 <= i < len(shipped.pieces) for i in ids)  # never a special token


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["😀", "👩‍👩‍👧", "مرحبا", "שלום", "\u202e", "\x00", "\x1b[0m", "\t",
                                 "\r\n", "e\u0301", "漢字", " ", "  ", "'s", "Hello", "\ufeff",
                                 "\U0010ffff", "\ud7ff"]), max_size=20))
def test_round_trip_emoji_rtl_and_control_characters(shipped, parts):
    text = "".join(parts)
    assert shipped.decode_bytes(shipped.encode(text)) == text.encode("utf-8")


def test_round_trip_the_corpus(shipped):
    whole = lm.CORPUS.read_text(encoding="utf-8")
    text = whole[len(whole) // 2 :][:20_000]  # from a book (the text starts with Tatoeba's shortest lines)
    ids = shipped.encode(text)
    assert shipped.decode(ids) == text
    assert len(text.encode()) / len(ids) > 3  # whole words: over 3 bytes per token
    assert np.all(np.asarray(ids) < len(shipped.pieces))


def test_shipped_tokenizer_is_the_one_learned_from_the_training_lines(shipped):
    """train.py learns the BPE from the training text alone (data/english/train.txt, its lines
    joined); doing it again gives the same merges, so the shipped file is reproducible and never
    saw the held-out or everyday text."""
    assert bpe.train("\n".join(lm.read_lines(lm.CORPUS)), len(shipped)).merges == shipped.merges
