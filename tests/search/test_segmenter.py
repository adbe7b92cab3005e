"""Segmenter: rjieba with HMM off, user words, search-mode lattice.

No Django here: run with ``-p no:django``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from search import segmenter
from search.segmenter import (
    segment_exact,
    segment_search,
    set_user_words,
    user_words_version,
)

SEEDS = Path("/work/shared/seeds")


@pytest.fixture
def restore_segmenter():
    """Tests that load user words put the process's segmenter back after."""
    saved = segmenter._current
    yield
    segmenter._current = saved


def _chinese_paragraphs() -> list[str]:
    """Lines of the Chinese seeds, folded to simplified (as the analyzer
    does before segmenting)."""
    if not SEEDS.is_dir():
        return []
    import opencc

    t2s = opencc.OpenCC("t2s")
    paras = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        if han < len(text) // 4:
            continue
        for line in t2s.convert(text).splitlines():
            if sum(1 for c in line if "\u4e00" <= c <= "\u9fff") >= 8:
                paras.append(line)
    return paras


# -- the two jieba modes ------------------------------------------------------------


def test_exact_mode_tiles_text_with_offsets():
    text = "上海浦东新区张江生物医药产业发展迅速"
    toks = segment_exact(text)
    assert "".join(w for w, _, _ in toks) == text
    for w, s, e in toks:
        assert text[s:e] == w
    assert ("上海浦东新区", 0, 6) in toks


def test_search_mode_emits_subwords_before_the_word_in_jiebas_order():
    toks = segment_search("生物医药产业")
    words = [w for w, _, _ in toks]
    assert words[:3] == ["生物", "医药", "生物医药"]
    assert "产业" in words
    for w, s, e in toks:
        assert "生物医药产业"[s:e] == w


def test_offsets_count_python_characters_for_astral_ideographs():
    text = "𠀀生物医药"
    for w, s, e in segment_exact(text) + segment_search(text):
        assert text[s:e] == w


def test_hmm_is_off_unknown_names_fall_apart_into_characters():
    # With the HMM on jieba would guess a word here; off, it must not.
    words = [w for w, _, _ in segment_exact("信迪利单抗")]
    assert words == ["信", "迪", "利", "单抗"]


# -- user words -------------------------------------------------------------------------


def test_user_words_segment_as_one_word(restore_segmenter):
    set_user_words(["信迪利单抗", "张江"], version="t-1")
    assert user_words_version() == "t-1"
    assert [w for w, _, _ in segment_exact("信迪利单抗在张江")] == ["信迪利单抗", "在", "张江"]
    # search mode still emits the dictionary sub-word before the user word
    assert [w for w, _, _ in segment_search("信迪利单抗")] == ["单抗", "信迪利单抗"]


def test_user_words_are_idempotent_per_version_and_replaced_by_a_new_one(restore_segmenter):
    set_user_words(["信迪利单抗"], version="t-2")
    first = segmenter.current()
    set_user_words(["完全不同的词"], version="t-2")  # same version: no-op
    assert segmenter.current() is first
    assert [w for w, _, _ in segment_exact("信迪利单抗")] == ["信迪利单抗"]

    set_user_words(["张江"], version="t-3")  # new version replaces the list
    assert [w for w, _, _ in segment_exact("信迪利单抗")] == ["信", "迪", "利", "单抗"]
    assert [w for w, _, _ in segment_exact("张江")] == ["张江"]


def test_user_words_leave_rjieba_module_functions_alone(restore_segmenter):
    import rjieba

    set_user_words(["信迪利单抗"], version="t-4")
    assert not rjieba.has_word("信迪利单抗")
    assert rjieba.cut("信迪利单抗", False) == ["信", "迪", "利", "单抗"]


def test_user_words_that_can_never_match_are_ignored(restore_segmenter):
    set_user_words(["PD-1", "张 江", "", "药", "  百济神州 ", None], version="t-5")  # type: ignore[list-item]
    assert segmenter.current().words == frozenset({"百济神州"})


def test_version_must_be_a_string(restore_segmenter):
    with pytest.raises(TypeError):
        set_user_words(["张江"], version=3)  # type: ignore[arg-type]


# -- lattice ------------------------------------------------------------------------------


def test_lattice_tiles_a_word_by_its_subwords():
    entries, npos, main = segmenter.current().lattice("上海浦东新区")
    assert npos == 3
    assert [e[0] for e in main] == ["上海", "浦东", "新区"]
    assert [e[3] for e in main] == [0, 1, 2]
    assert entries[0] == ("上海浦东新区", 0, 6, 0)  # the whole word first, at the first piece
    positions = [e[3] for e in entries]
    assert positions == sorted(positions)


def test_lattice_of_a_word_that_cannot_be_tiled_is_atomic():
    entries, npos, main = segmenter.current().lattice("抑制剂")  # 抑制 and 制剂 overlap
    assert npos == 1
    assert main == (("抑制剂", 0, 3, 0),)
    assert {e[0] for e in entries} == {"抑制剂", "抑制", "制剂"}
    assert all(e[3] == 0 for e in entries)


def test_lattice_has_no_duplicate_term_at_one_position():
    entries, npos, main = segmenter.current().lattice("哈哈哈哈")
    assert [e[0] for e in main] == ["哈哈", "哈哈"] and npos == 2
    keys = [(e[0], e[3]) for e in entries]
    assert len(keys) == len(set(keys))


def test_lattice_prefers_fewest_pieces():
    _entries, npos, main = segmenter.current().lattice("马克思主义")
    assert [e[0] for e in main] == ["马克思", "主义"]
    assert npos == 2


def test_lattice_keeps_subwords_that_are_not_pieces_at_the_piece_they_start_in():
    entries, _npos, main = segmenter.current().lattice("中华人民共和国国务院")
    pieces = [e[0] for e in main]
    assert "".join(pieces) == "中华人民共和国国务院"
    texts = [e[0] for e in entries]
    assert "华人" in texts  # a search-mode sub-word that is not on the main path
    huaren = entries[texts.index("华人")]
    assert huaren[3] == 0  # starts inside the first piece 中华


def test_lattice_subwords_equal_rjieba_search_mode():
    seg = segmenter.current()
    text = "中华人民共和国国务院批准上海浦东新区生物医药产业园区建设哈哈哈哈"
    expected = seg.search(text)
    got = []
    for w, s, _e in seg.exact(text):
        got.extend((sub, s + a, s + b) for sub, a, b in seg.subwords(w))
        got.append((w, s, s + len(w)))
    assert got == expected


def test_subwords_match_search_mode_on_real_paragraphs():
    paras = _chinese_paragraphs()
    if not paras:
        pytest.skip("no Chinese seeds in /work/shared/seeds")
    seg = segmenter.current()
    for text in paras:
        got = []
        for w, s, _e in seg.exact(text):
            got.extend((sub, s + a, s + b) for sub, a, b in seg.subwords(w))
            got.append((w, s, s + len(w)))
        assert got == seg.search(text)


# -- agreement with real jieba (loads jieba's dictionary once: ~0.5 s) ------------------


@pytest.fixture(scope="module")
def jieba_tokenizer():
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()  # a private instance; never enable_paddle()
    tok.initialize()
    return tok


def test_agrees_with_jieba_on_real_paragraphs(jieba_tokenizer, restore_segmenter):
    """One test for every paragraph and both modes, so jieba loads once."""
    paras = _chinese_paragraphs()
    if not paras:
        pytest.skip("no Chinese seeds in /work/shared/seeds")
    paras.append("上海浦东新区张江生物医药产业发展迅速，信迪利单抗获批，马克思主义，恒瑞医药PD-1抑制剂")
    segmenter._current = segmenter.Segmenter()  # no user words, like jieba's default dictionary
    checked = 0
    for text in paras:
        assert segment_search(text) == list(jieba_tokenizer.tokenize(text, mode="search", HMM=False))
        assert segment_exact(text) == list(jieba_tokenizer.tokenize(text, mode="default", HMM=False))
        checked += 1
    assert checked >= 10

    # with user words added to both, they still agree
    words = ["张江", "信迪利单抗", "临平区", "杭州生物医药前沿创新论坛", "上海国际生物医药产业周"]
    for word in words:
        jieba_tokenizer.add_word(word)
    set_user_words(words, version="t-jieba")
    for text in paras:
        assert segment_search(text) == list(jieba_tokenizer.tokenize(text, mode="search", HMM=False))
