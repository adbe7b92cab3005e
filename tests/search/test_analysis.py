"""The analyzer: folding, offsets, positions, terms, and the Whoosh protocol.

No Django here: run with ``-p no:django``.
"""

from __future__ import annotations

import pickle
import re
import time
from pathlib import Path

import pytest

from search import analysis, segmenter
from search.analysis import (
    PROTECTED_NAMES,
    BilingualTokenizer,
    CharTokenizer,
    Tok,
    analyze,
    bilingual_analyzer,
    char_analyzer,
    char_terms,
    fold,
    query_terms,
    query_words,
)
from search.segmenter import set_user_words

SEEDS = Path("/work/shared/seeds")

ENGLISH = (
    "Shanghai, Nov. 14, 2022 /PRNewswire/ - Innovent's PD-1 inhibitor sintilimab and "
    "Hengrui's PD-L1 antibody were approved; CAR-T, IL-6, GLP-1, HER2, mRNA vaccines, "
    "ADCs and COVID-19 boosters. The 18A programme targets Claudin 18.2 under the "
    '"1+5+X" plan. Anti-PD-1 R&D is well-known; first-in-class drugs win.'
)
SIMPLIFIED = "上海浦东新区张江生物医药产业发展迅速，信迪利单抗获批。恒瑞医药发布PD-1抑制剂卡瑞利珠单抗。马克思主义。"
TRADITIONAL = "上海浦東新區張江藥谷：信達生物的信迪利單抗（PD-1抑制劑）獲批上市，恆瑞醫藥與百濟神州也在張江設立研發中心。"
FULLWIDTH = "ＰＤ－１抑制剂，ＨＥＲ２阳性；ＣＡＲ－Ｔ疗法（２０２３年）：１８Ａ　ＧＬＰ－１"
NFKC_CHANGING = (
    "①ﬁnancing… ＰＤ－１ ㈱公司 Ⅲ期临床 2-8℃ café e\u0301clair ｶﾞ ™ ¼ 𝐇𝐄𝐑𝟐 ﬀ 丽 \u2f00"
)
MIXED = "恆瑞醫藥 (Jiangsu Hengrui) 的ＰＤ－１單抗 camrelizumab 於 2019 年獲批；Ⅲ期 trial…张江 Zhangjiang ①"
SAMPLES = [ENGLISH, SIMPLIFIED, TRADITIONAL, FULLWIDTH, NFKC_CHANGING, MIXED]


@pytest.fixture
def restore_segmenter():
    saved = segmenter._current
    yield
    segmenter._current = saved


def _seed_texts() -> list[str]:
    if not SEEDS.is_dir():
        return []
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def _terms(text: str, **kw) -> list[str]:
    return [t.text for t in analyze(text, **kw)]


def _check_tokens(original: str, toks: list[Tok]) -> None:
    """Every token's original[start:end] is its surface; positions sane."""
    last = -1
    for t in toks:
        assert 0 <= t.start < t.end <= len(original), t
        surface = original[t.start : t.end]
        assert surface.strip() == surface and surface, t
        if t.kind == "cjk":
            # the surface, folded on its own (NFKC + t2s), is the term; or,
            # for an NFKC expansion such as ㈱ -> (株), contains it
            folded = fold(surface)[0]
            assert folded == t.text or (len(folded) > len(surface) and t.text in folded), (t, surface)
        else:
            assert t.text in _terms(surface), (t, surface)
        assert t.pos >= last, "positions never decrease"
        last = t.pos


# -- offsets and positions ----------------------------------------------------------------


@pytest.mark.parametrize("text", SAMPLES, ids=["en", "zh-hans", "zh-hant", "fullwidth", "nfkc", "mixed"])
def test_every_token_maps_back_to_its_original_surface(text):
    _check_tokens(text, analyze(text))
    _check_tokens(text, analyze(text, for_query=True))
    _check_tokens(text, char_terms(text))


def test_offsets_hold_on_the_seed_articles():
    texts = _seed_texts()
    if not texts:
        pytest.skip("no seeds in /work/shared/seeds")
    for text in texts:
        _check_tokens(text, analyze(text))
        _check_tokens(text, char_terms(text))


@pytest.mark.parametrize("text", SAMPLES + ["浦东新区生物医药"])
def test_main_path_positions_are_consecutive_and_in_the_index_form(text):
    main = analyze(text, for_query=True)
    assert [t.pos for t in main] == list(range(len(main)))
    index = set(analyze(text))
    assert set(main) <= index  # the query form is the main path of the index form


def test_subwords_share_positions_with_the_main_path():
    toks = analyze("上海浦东新区生物医药")
    by_pos: dict[int, set[str]] = {}
    for t in toks:
        by_pos.setdefault(t.pos, set()).add(t.text)
    assert by_pos[0] == {"上海浦东新区", "上海"}
    assert by_pos[1] == {"浦东"}
    assert by_pos[2] == {"新区"}
    assert by_pos[3] == {"生物医药", "生物"}
    assert by_pos[4] == {"医药"}


def test_a_phrase_query_lines_up_with_the_document_positions():
    doc = analyze("浦东新区生物医药")
    for phrase in ("浦东新区", "浦东新区生物医药", "生物医药", "新区生物"):
        terms = query_terms(phrase)
        positions = {(t.text, t.pos) for t in doc}
        starts = [p for (txt, p) in positions if txt == terms[0]]
        assert any(
            all((term, p + k) in positions for k, term in enumerate(terms)) for p in starts
        ), phrase


def test_phrase_matches_even_where_the_document_segments_a_longer_word():
    # 浦东新区 alone is one dictionary word; inside 上海浦东新区 it is not.
    assert [w for w, _, _ in segmenter.segment_exact("上海浦东新区")] == ["上海浦东新区"]
    assert query_terms("浦东新区") == ["浦东", "新区"]
    doc = {(t.text, t.pos) for t in analyze("位于上海浦东新区的园区")}
    assert any(("浦东", p) in doc and ("新区", p + 1) in doc for _, p in doc)


def test_stop_words_take_no_position():
    toks = analyze("inhibitor of the PD-1")
    assert [(t.text, t.pos) for t in toks] == [("inhibitor", 0), ("pd-1", 1)]


# -- terms ------------------------------------------------------------------------------------


def test_traditional_and_simplified_give_the_same_terms():
    assert _terms("恆瑞醫藥") == _terms("恒瑞医药")
    assert _terms("恆瑞醫藥", for_query=True) == _terms("恒瑞医药", for_query=True)
    assert _terms(TRADITIONAL.replace("張江", "张江")) == _terms(TRADITIONAL)
    assert query_terms("醫藥") == ["医药"]


def test_codes_are_kept_whole_and_lower_cased():
    assert query_terms("PD-1") == ["pd-1"]
    assert query_terms("PD-L1") == ["pd-l1"]
    assert query_terms("PD-1") != query_terms("PD-L1")
    for code in ("IL-6", "CAR-T", "GLP-1", "HER2", "mRNA", "18A", "COVID-19", "R&D"):
        assert query_terms(code) == [code.lower()], code
    assert query_terms("Claudin 18.2") == ["claudin", "18.2"]
    assert query_terms("ADC") == ["adc"]
    assert query_terms("ADCs") == ["adc"]  # all-caps plural: stemmed like any word
    assert query_terms("1+5+X") == ["1", "5", "x"]
    assert query_terms("anti-PD-1") == ["anti", "pd-1"]
    assert query_terms("car-t") == query_terms("CAR-T")  # case never changes a code


def test_codes_survive_full_width_and_nfkc_forms():
    assert query_terms("ＰＤ－１") == ["pd-1"]
    assert query_terms("ＨＥＲ２") == ["her2"]
    assert query_terms("①") == ["1"]
    assert query_terms("ﬁnancing") == query_terms("financing")


def test_codes_next_to_chinese_are_split_from_it():
    assert _terms("PD-1抑制剂", for_query=True) == ["pd-1", "抑制剂"]
    assert _terms("2023年", for_query=True) == ["2023", "年"]


def test_english_words_stemmed_and_stop_words_dropped():
    assert query_terms("Vaccines") == ["vaccin"]
    assert query_terms("vaccine") == query_terms("vaccines") == query_terms("VACCINES")
    assert query_terms("the vaccines of China") == ["vaccin", "china"]
    assert query_terms("the of and") == []
    # all-caps acronyms are never stop words
    assert query_terms("WHO") == ["who"]
    assert query_terms("US FDA") == ["us", "fda"]


def test_hyphenated_english_words_are_split():
    assert query_terms("well-known") == ["well", "known"]
    assert query_terms("first-in-class") == ["first", "class"]


def test_possessive_s_is_dropped():
    assert query_terms("China's") == ["china"]
    assert query_terms("Hengrui’s drug") == ["hengrui", "drug"]


def test_marx_is_one_token_so_highlights_cover_all_three_characters():
    toks = analyze("马克思", for_query=True)
    assert [(t.text, t.start, t.end) for t in toks] == [("马克思", 0, 3)]
    # the index form adds search mode's sub-word 马克 at the same position
    assert {(t.text, t.pos, t.start, t.end) for t in analyze("马克思")} == {
        ("马克思", 0, 0, 3),
        ("马克", 0, 0, 2),
    }
    # inside 马克思主义 the main path is 马克思 | 主义
    assert query_terms("马克思主义") == ["马克思", "主义"]
    assert ("马克思", 0, 3) in {(t.text, t.start, t.end) for t in analyze("马克思主义")}

    from whoosh import highlight

    html = highlight.highlight(
        "马克思主义与马克思",
        frozenset(query_terms("马克思")),
        bilingual_analyzer(),
        highlight.WholeFragmenter(),
        highlight.HtmlFormatter(tagname="b", classname="m"),
    )
    assert html.count(">马克思</b>") == 2, html


def test_user_words_segment_as_one_token(restore_segmenter):
    assert query_terms("信迪利单抗") == ["信", "迪", "利", "单抗"]
    set_user_words(["信迪利单抗", "张江"], version="test-analysis-1")
    assert query_terms("信迪利單抗") == ["信迪利单抗"]
    toks = analyze("在張江")
    assert ("张江", 1, 3) in {(t.text, t.start, t.end) for t in toks}


def test_query_words_give_each_exact_word_with_its_pieces():
    got = query_words("上海浦東新區生物醫藥 PD-1 vaccines")
    assert [(w.term, w.pieces) for w in got] == [
        ("上海浦东新区", ("上海", "浦东", "新区")),
        ("生物医药", ("生物", "医药")),
        ("pd-1", ("pd-1",)),
        ("vaccin", ("vaccin",)),
    ]
    text = "上海浦東新區生物醫藥 PD-1 vaccines"
    assert [text[w.start : w.end] for w in got] == ["上海浦東新區", "生物醫藥", "PD-1", "vaccines"]


# -- character terms -------------------------------------------------------------------------


def test_char_terms_give_adjacent_characters():
    toks = char_terms("大灯")
    assert [(t.text, t.pos, t.start, t.end) for t in toks] == [("大", 0, 0, 1), ("灯", 1, 1, 2)]


def test_char_terms_fold_and_keep_latin_tokens_whole():
    text = "大燈 PD-1 the vaccines"
    toks = char_terms(text)
    assert [(t.text, t.pos) for t in toks] == [("大", 0), ("灯", 1), ("pd-1", 2), ("vaccin", 3)]
    assert [text[t.start : t.end] for t in toks] == ["大", "燈", "PD-1", "vaccines"]


# -- folding -----------------------------------------------------------------------------------


def test_fold_returns_a_map_with_one_entry_past_the_end():
    for text in SAMPLES + ["", "abc", "醫藥"]:
        folded, starts = fold(text)
        assert len(starts) == len(folded) + 1
        assert starts[-1] == len(text)
        assert starts == sorted(starts)


def test_fold_is_nfkc_then_t2s():
    import unicodedata

    import opencc

    t2s = opencc.OpenCC("t2s")
    for text in SAMPLES:
        assert fold(text)[0] == t2s.convert(unicodedata.normalize("NFKC", text)), text


def test_fold_maps_expanding_and_composing_characters():
    text = "aﬁb…c㈱d"
    folded, starts = fold(text)
    assert folded == "afib...c(株)d"
    assert [text[starts[i]] for i in range(len(folded))] == list("aﬁﬁb………c㈱㈱㈱d")
    folded, starts = fold("e\u0301x")
    assert folded == "éx" and starts == [0, 2, 3]


def test_protected_names_survive_t2s_in_both_scripts():
    assert isinstance(PROTECTED_NAMES, tuple) and "乾县" in PROTECTED_NAMES
    import opencc

    assert opencc.OpenCC("t2s").convert("乾县") == "干县"  # what we protect against
    assert fold("乾县和乾縣")[0] == "乾县和乾县"
    assert fold("乾坤")[0] == "乾坤"  # OpenCC's own phrase handling is unaffected
    assert query_terms("乾縣") == query_terms("乾县")


def test_t2s_length_change_falls_back_to_per_run_conversion(monkeypatch):
    real = analysis._converter()

    class Lengthening:
        def convert(self, s: str) -> str:
            return real.convert(s).replace("医药", "医药药")

    monkeypatch.setattr(analysis, "_t2s", Lengthening())
    text = "①恆瑞醫藥，ﬁ張江。PD-1"
    folded, starts = fold(text)
    assert "医药药" in folded and len(starts) == len(folded) + 1
    for t in analyze(text) + char_terms(text):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start : t.end].strip()
    surfaces = {t.text: text[t.start : t.end] for t in analyze(text)}
    assert surfaces["pd-1"] == "PD-1"
    assert surfaces["张"] == "張"


# -- robustness --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["", " ", "，。！？、……", "🙂🧬💊", "\x00\x01\x1f\x7f", "\ud800", "a\udfffb醫", "\U0010fc00\U0010fc00乾县",
     "\u0301\u0301", "-", "&&&", "'s", "ﾞ"],
)
def test_odd_input_does_not_crash(text):
    for fn in (analyze, char_terms):
        toks = fn(text)
        for t in toks:
            assert 0 <= t.start < t.end <= len(text)
    analyze(text, for_query=True)
    query_terms(text)
    query_words(text)
    fold(text)


def test_lone_surrogate_is_dropped_and_neighbours_keep_offsets():
    text = "x\ud800醫藥"
    toks = analyze(text)
    assert [(t.text, text[t.start : t.end]) for t in toks] == [("x", "x"), ("医药", "醫藥")]


def test_a_5000_character_query_does_not_blow_up():
    q = ("恒瑞医药 PD-1 抑制剂 vaccines 上海浦东新区，" * 250)[:5000]
    started = time.perf_counter()
    toks = analyze(q, for_query=True)
    assert time.perf_counter() - started < 2.0
    assert 1000 < len(toks) < 5000
    assert [t.pos for t in toks] == list(range(len(toks)))


def test_throughput_smoke():
    """Guards against pathological slow paths (not a benchmark)."""
    text = (SIMPLIFIED + ENGLISH + TRADITIONAL + NFKC_CHANGING) * 100
    analyze(text)
    started = time.perf_counter()
    analysis._analyze_raw(text)
    elapsed = time.perf_counter() - started
    assert len(text.encode()) / elapsed > 200_000  # bytes/s; measured ~2-3 MB/s


# -- the Whoosh protocol ---------------------------------------------------------------------


def test_tokenizer_honours_positions_chars_and_start_offsets():
    tk = BilingualTokenizer()
    text = "恆瑞醫藥 PD-1"
    seen = []
    ids = set()
    for t in tk(text, positions=True, chars=True, start_pos=10, start_char=100):
        ids.add(id(t))
        seen.append((t.text, t.pos, t.startchar, t.endchar))
    assert len(ids) == 1  # one Token object reused, as Whoosh does
    assert ("医药", 11, 102, 104) in seen
    assert ("pd-1", 12, 105, 109) in seen
    assert all(p >= 10 for _, p, _, _ in seen)


def test_tokenizer_query_mode_is_the_main_path():
    tk = BilingualTokenizer()
    assert [t.text for t in tk("上海浦东新区", mode="query")] == ["上海", "浦东", "新区"]
    assert "上海浦东新区" in [t.text for t in tk("上海浦东新区", mode="index")]


def test_tokenizer_keeps_stopped_tokens_when_asked():
    tk = BilingualTokenizer()
    got = [(t.text, t.stopped, t.pos) for t in tk("the vaccines", positions=True, removestops=False)]
    assert got == [("the", True, 0), ("vaccin", False, 0)]
    assert [t.text for t in tk("the vaccines")] == ["vaccin"]


def test_tokenizer_keeporiginal_and_tokenize_false():
    tk = BilingualTokenizer()
    assert [t.original for t in tk("醫藥 Vaccines", keeporiginal=True)] == ["醫藥", "Vaccines"]
    whole = list(tk("醫藥 PD-1*", tokenize=False, positions=True, chars=True, start_pos=3, start_char=5))
    assert len(whole) == 1
    assert (whole[0].text, whole[0].pos, whole[0].startchar, whole[0].endchar) == ("医药 pd-1*", 3, 5, 13)


def test_char_tokenizer_protocol():
    tk = CharTokenizer()
    got = [(t.text, t.pos, t.startchar, t.endchar) for t in tk("大燈", positions=True, chars=True, start_char=7)]
    assert got == [("大", 0, 7, 8), ("灯", 1, 8, 9)]


def test_analyzers_pickle_small_and_compare_by_version():
    analyze(TRADITIONAL + NFKC_CHANGING)  # build the per-process objects first
    for an in (bilingual_analyzer(), char_analyzer()):
        data = pickle.dumps(an)
        assert len(data) < 400
        assert b"opencc" not in data.lower() and b"rjieba" not in data.lower()
        back = pickle.loads(data)
        assert back == an
        assert [t.text for t in back("醫藥")] == [t.text for t in an("醫藥")]
    assert bilingual_analyzer() != char_analyzer()
    other = BilingualTokenizer()
    other.version = -1
    assert other != BilingualTokenizer()


def test_whoosh_index_phrase_queries_and_highlights(tmp_path, restore_segmenter):
    from whoosh import highlight
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in, open_dir
    from whoosh.qparser import QueryParser
    from whoosh.query import Phrase

    schema = Schema(
        id=ID(stored=True, unique=True),
        body=TEXT(analyzer=bilingual_analyzer(), stored=True, phrase=True),
        chars=TEXT(analyzer=char_analyzer(), phrase=True),
    )
    ix = create_in(str(tmp_path), schema)
    simplified = "北京生物医药产业报告：疫苗 vaccines 与 mRNA 技术。汽车大灯。新区规划。"
    with ix.writer() as w:
        w.add_document(id="hant", body=TRADITIONAL, chars=TRADITIONAL)
        w.add_document(id="hans", body=simplified, chars=simplified)

    ix = open_dir(str(tmp_path))  # the schema (and analyzers) round-trip through pickle
    assert ix.schema == schema
    with ix.searcher() as s:
        qp = QueryParser("body", ix.schema)

        def ids(q):
            return sorted(hit["id"] for hit in s.search(q))

        assert ids(qp.parse('"浦东新区"')) == ["hant"]
        assert ids(qp.parse('"信迪利单抗"')) == ["hant"]
        assert ids(qp.parse('"浦東新區"')) == ["hant"]
        assert ids(Phrase("body", query_terms("信迪利单抗"))) == ["hant"]
        assert ids(Phrase("body", query_terms("浦东新区"))) == ["hant"]
        assert ids(Phrase("body", query_terms("新区浦东"))) == []  # order matters
        assert ids(qp.parse("恒瑞医药")) == ["hant"]
        assert ids(qp.parse('"PD-1 抑制剂"')) == ["hant"]
        assert ids(qp.parse("Vaccine")) == ["hans"]
        assert ids(QueryParser("chars", ix.schema).parse('"灯"')) == ["hans"]
        assert ids(QueryParser("chars", ix.schema).parse('"浦东新"')) == ["hant"]

        # Whoosh's highlighter re-tokenizes the stored original with the field's analyzer
        results = s.search(qp.parse('"张江"'))
        results.formatter = highlight.HtmlFormatter(tagname="b", classname="m")
        html = results[0].highlights("body")
        assert re.search(r'<b class="m[^"]*">張江</b>', html), html
        assert "张" not in html  # the original script, not the folded one

    # the module-level highlight() with the same analyzer and a gazetteer word
    set_user_words(["张江"], version="test-highlight")
    html = highlight.highlight(
        TRADITIONAL,
        frozenset(query_terms("张江")),
        bilingual_analyzer(),
        highlight.ContextFragmenter(),
        highlight.HtmlFormatter(tagname="b", classname="m"),
    )
    assert html.count(">張江</b>") == 2, html


def test_the_rebuilds_index_streams_are_the_analyzers_tokens():
    # search.bulk_writer indexes what index_streams returns; the engine and
    # the incremental writer use _analyze_raw and _char_raw: they must agree.
    texts = SAMPLES + _seed_texts() + [
        "", "   ", "the of and", "x\ud800醫藥", "aﬁb…c㈱d" * 3, "乾县和乾縣 ① ② ⅢⅣ", "PD-1/PD-L1、CAR-T和GLP-1",
        "恆瑞醫藥" * 50 + " Zhangjiang " * 20,
    ]
    for text in texts:
        raw = analysis._analyze_raw(text)
        chars = analysis._char_raw(text)
        words, positions, char_terms_ = analysis.index_streams(text)
        assert words == [t[0] for t in raw], text[:60]
        assert positions == [t[1] for t in raw], text[:60]
        assert char_terms_ == [t[0] for t in chars], text[:60]
        assert [t[1] for t in chars] == list(range(len(chars))), text[:60]
