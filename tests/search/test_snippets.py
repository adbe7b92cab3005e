"""Highlighted titles and snippets: escaped HTML whose only tags are <mark>,
marks on whole original characters in either script, a ~200-character window."""
import re

import pytest

from search.snippets import SNIPPET_CHARS, Highlighter, sequence_of
from tests.search.conftest import ids

MARK = re.compile(r"<mark>(.*?)</mark>")
ANY_TAG = re.compile(r"<[^>]*>")


def marked(html_text):
    return MARK.findall(html_text)


def only_mark_tags(html_text):
    return {t for t in ANY_TAG.findall(html_text)} <= {"<mark>", "</mark>"}


def hl(*forms):
    return Highlighter(sequence_of(f) for f in forms)


def test_marks_whole_words_in_either_script():
    h = hl("马克思")
    assert h.title_html("马克思主义研究") == "<mark>马克思</mark>主义研究"
    assert h.title_html("馬克思主義研究") == "<mark>馬克思</mark>主義研究"


def test_marks_a_character_run_inside_a_longer_word():
    assert hl("灯").title_html("汽车大灯很亮") == "汽车大<mark>灯</mark>很亮"
    assert hl("海沧").title_html("大海与沧浪") == "大海与沧浪"


def test_marks_english_words_through_the_analyzer():
    h = hl("vaccine")
    # the same stems the index holds: what matched is what is marked
    assert marked(h.title_html("Vaccines and a VACCINE, not a vacuum")) == ["Vaccines", "VACCINE"]
    assert marked(hl("PD-1").title_html("PD-1 and PD-L1")) == ["PD-1"]


def test_marks_a_phrase_as_one_run_across_stop_words():
    h = hl("Industry Week Shanghai")
    assert marked(h.title_html("The Industry Week of Shanghai opened")) == ["Industry Week of Shanghai"]


def test_marks_land_on_original_characters_after_nfkc():
    # full-width letters fold to pd-1; the mark covers the original characters
    assert hl("PD-1").title_html("新药ＰＤ－１获批") == "新药<mark>ＰＤ－１</mark>获批"


def test_adjacent_matches_merge_into_one_mark():
    h = hl("张江", "科学会堂")
    assert h.title_html("张江科学会堂") == "<mark>张江科学会堂</mark>"


def test_text_is_escaped_and_only_mark_tags_appear():
    h = hl("script")
    out = h.title_html('<script>alert("x")</script> & script')
    assert only_mark_tags(out)
    assert "&lt;" in out and "&amp;" in out
    assert marked(out) == ["script", "script", "script"]


def test_snippet_is_a_window_around_the_best_match():
    body = ("Filler sentence about nothing in particular. " * 20
            + "The vaccine plant in Zhangjiang opened on Monday. "
            + "More filler text follows here. " * 20)
    out = hl("vaccine", "Zhangjiang").snippet_html(body)
    plain = MARK.sub(r"\1", out)
    assert marked(out) == ["vaccine", "Zhangjiang"]
    assert out.startswith("…") and out.endswith("…")
    assert len(plain) <= SNIPPET_CHARS + 30
    assert only_mark_tags(out)


def test_snippet_prefers_the_window_with_more_distinct_words():
    body = ("vaccine " + "filler " * 60 + "vaccine and Zhangjiang together " + "filler " * 60)
    out = hl("vaccine", "Zhangjiang").snippet_html(body)
    assert "Zhangjiang" in marked(out)


def test_snippet_without_a_match_starts_at_the_beginning():
    body = "First words of the article. " + "More words. " * 50
    out = hl("absent").snippet_html(body)
    assert out.startswith("First words of the article.")
    assert out.endswith("…")
    assert hl("absent").snippet_html("Short body.") == "Short body."


def test_snippet_collapses_white_space_and_never_cuts_a_mark():
    body = "x" * 180 + "\n\n马克思主义" + "y" * 300
    out = hl("马克思").snippet_html(body)
    assert "<mark>马克思</mark>" in out
    assert "\n" not in out


@pytest.mark.django_db
def test_search_results_carry_highlighted_titles_and_snippets(make_articles, search):
    en, trad = make_articles(
        {"title": "Zhangjiang <b>lab</b> & more",
         "body": "Intro. " * 60 + "A new lab opened in Zhangjiang on Monday. " + "Outro. " * 60,
         "date": "2023-06-01"},
        {"title": "新實驗室", "body": "新實驗室落戶張江。", "date": "2023-06-02"},
    )
    result = search("张江")
    by_id = {h.id: h for h in result.hits}
    assert set(by_id) == {en.id, trad.id}
    assert by_id[en.id].title_html == "<mark>Zhangjiang</mark> &lt;b&gt;lab&lt;/b&gt; &amp; more"
    assert marked(by_id[en.id].snippet_html) == ["Zhangjiang"]
    assert len(by_id[en.id].snippet_html) < 300
    assert by_id[trad.id].snippet_html == "新實驗室落戶<mark>張江</mark>。"
    for hit in result.hits:
        assert only_mark_tags(hit.title_html) and only_mark_tags(hit.snippet_html)


@pytest.mark.django_db
def test_excluded_words_are_not_marked(make_articles, search):
    article, = make_articles({"title": "Vaccine plant", "body": "A vaccine plant, no antibodies.", "date": "2023-01-01"})
    result = search("vaccine -covid")
    assert ids(result) == [article.id]
    assert marked(result.hits[0].snippet_html) == ["vaccine"]


def test_long_bodies_are_analysed_in_chunks_without_losing_matches():
    from search.snippets import CHUNK_CHARS

    filler = "Nothing to see in this sentence at all. "
    body = filler * 30 + "The gene therapy plant opened. " + filler * 200
    assert len(body) > 5 * CHUNK_CHARS
    h = hl("gene therapy", "plant")
    spans = h.matches_early(body)
    assert [body[a:b] for a, b, _ in spans] == ["gene therapy", "plant"]
    assert [body[a:b] for a, b, _ in h.matches(body)] == ["gene therapy", "plant"]
    # a phrase across a chunk's edge is still found whole
    for shift in range(0, 120, 7):
        body = "x " * ((CHUNK_CHARS - shift) // 2) + "gene therapy " + "y " * 2000
        assert [body[a:b] for a, b, _ in h.matches_early(body)] == ["gene therapy"], shift
    out = h.snippet_html(filler * 30 + "The gene therapy plant opened. " + filler * 200)
    assert marked(out) == ["gene therapy", "plant"]


def test_a_long_bodys_snippet_window_is_read_whole_past_a_chunk_edge():
    from search.snippets import CHUNK_CHARS, SNIPPET_CHARS

    h = hl("gene therapy", "vaccine")
    for shift in range(20, 160, 13):
        # the first match near a chunk's end, more of the query inside its window but past the cut
        body = "x " * ((CHUNK_CHARS - shift) // 2) + "gene therapy, then " + "y " * 30 + "a vaccine. " + "z " * 3000
        first = body.index("gene")
        assert body.index("vaccine") + len("vaccine") < first + SNIPPET_CHARS
        assert [body[a:b] for a, b, _ in h.matches_early(body)] == ["gene therapy", "vaccine"], shift
        assert marked(h.snippet_html(body)) == ["gene therapy", "vaccine"], shift


def test_char_spans_are_char_terms_as_tuples():
    from search.analysis import char_spans, char_terms

    for text in ("馬克思主義 PD-1抑制剂, and ＰＤ－１ ﬁne 上海。浦東", "", "Vaccines for adults"):
        assert char_spans(text) == [(t.text, t.start, t.end) for t in char_terms(text)]


def _reference_matches(highlighter, text):
    """The highlighter's matches as char_terms() gives them, token by token
    (how matches were found before the character stream)."""
    from search.analysis import char_terms

    toks = char_terms(text)
    texts = [t.text for t in toks]
    found = []
    for i, term in enumerate(texts):
        for seq_id, seq in highlighter.by_first.get(term, ()):
            n = len(seq)
            if texts[i:i + n] == list(seq):
                found.append((toks[i].start, toks[i + n - 1].end, seq_id))
    from search.snippets import _merge

    return _merge([(a, b, frozenset([i])) for a, b, i in found])


def test_matches_are_those_of_the_token_by_token_reading():
    import random

    rng = random.Random(5)
    pieces = ["馬克思", "主義", "马克思", "PD-1", "PD-L1", "抑制剂", "ＰＤ－１", "ﬁne", "上海", "浦東新區", "浦东", "新区",
              "the", "vaccines", "Vaccine", "VACCINE", "gene", "therapy", "海", "沧", "，", "。", " ", "\n", "e\u0301",
              "乾县", "於梨华", "㈱", "Zhangjiang", "张江", "張江", "of", "and", "18.2", "mRNA", "大灯", "灯"]
    h = hl("马克思", "PD-1", "vaccine", "gene therapy", "浦东新区", "海沧", "灯", "Zhangjiang", "张江", "the vaccine",
           "乾县", "mrna")
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert h.matches(text) == _reference_matches(h, text), text


def test_char_stream_spells_char_terms_with_their_offsets():
    import random

    from search.analysis import char_stream, char_terms, term_symbols

    rng = random.Random(11)
    pieces = ["PD-1", "the", "of", "Vaccines", "上海", "浦東", "，", " ", "-", "_", "18.2", "China's", "R&D", "anti-PD-1",
              "ﬁ", "㈱", "abc", "e\u0301", "x", "well-known", "乾县", "ＰＤ－１", "\n"]
    texts = ["", "Vaccines for adults", "馬克思主義 PD-1抑制剂, and ＰＤ－１ ﬁne 上海。浦東 the vaccines"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(500)]
    for text in texts:
        stream, toks = char_stream(text), char_terms(text)
        assert stream.text == term_symbols([t.text for t in toks]), text
        order = list(range(len(toks)))
        rng.shuffle(order)
        assert [stream.span(i) for i in order] == [(toks[i].start, toks[i].end) for i in order], text
