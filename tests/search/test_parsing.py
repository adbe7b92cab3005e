"""The query string -> clauses: operators, phrases and every repair of bad input.

parse() is pure (no database, no index), so these run fast.
"""
import random

import pytest

from search.parsing import MAX_QUERY_CHARS, MAX_WORDS, Clause, parse


def texts(groups):
    return [[c.text for c in g] for g in groups]


def test_words_combine_with_and():
    parsed = parse("vaccine Zhangjiang 张江")
    assert texts(parsed.groups) == [["vaccine"], ["Zhangjiang"], ["张江"]]
    assert parsed.excluded == [] and parsed.messages == []


def test_or_between_words_widens_one_group():
    parsed = parse("vaccine OR 疫苗 Pudong")
    assert texts(parsed.groups) == [["vaccine", "疫苗"], ["Pudong"]]
    assert texts(parse("a OR b OR c").groups) == [["a", "b", "c"]]
    assert texts(parse("a | b").groups) == [["a", "b"]]


def test_lowercase_or_is_an_ordinary_word():
    assert texts(parse("black or white").groups) == [["black"], ["or"], ["white"]]


def test_minus_excludes_a_word_and_not_works_too():
    parsed = parse("vaccine -covid NOT flu")
    assert texts(parsed.groups) == [["vaccine"]]
    assert [c.text for c in parsed.excluded] == ["covid", "flu"]
    assert all(c.negated for c in parsed.excluded)


def test_hyphenated_codes_are_not_exclusions():
    parsed = parse("PD-1 CAR-T")
    assert texts(parsed.groups) == [["PD-1"], ["CAR-T"]]
    assert parsed.excluded == []


def test_quoted_text_is_one_phrase_in_any_quote_style():
    for query in ['"浦东新区"', "“浦东新区”", "「浦东新区」", "『浦东新区』"]:
        parsed = parse(query)
        assert parsed.groups == [[Clause("浦东新区", phrase=True)]], query
        assert parsed.messages == []
    assert parse('"industry week" Shanghai').groups == [
        [Clause("industry week", phrase=True)], [Clause("Shanghai")]]


def test_title_restricts_a_word_or_a_phrase():
    parsed = parse('title:vaccine title:"gene therapy" 标题:疫苗 -title:flu')
    assert parsed.groups == [
        [Clause("vaccine", field="title")],
        [Clause("gene therapy", phrase=True, field="title")],
        [Clause("疫苗", field="title")],
    ]
    assert parsed.excluded == [Clause("flu", field="title", negated=True)]


def test_unbalanced_quote_is_closed_with_a_message():
    parsed = parse('"gene therapy')
    assert parsed.groups == [[Clause("gene therapy", phrase=True)]]
    assert any("unbalanced quote" in m for m in parsed.messages)


@pytest.mark.parametrize("query", ["OR vaccine", "vaccine OR", "vaccine OR OR flu", "OR"])
def test_lone_or_is_dropped_with_a_message(query):
    parsed = parse(query)
    assert any("OR" in m for m in parsed.messages)
    assert all(c.text != "OR" for c in parsed.clauses())


def test_lone_minus_and_empty_title_are_dropped_with_messages():
    parsed = parse("vaccine - flu")
    assert texts(parsed.groups) == [["vaccine"], ["flu"]]
    assert any("lone “-”" in m for m in parsed.messages)
    parsed = parse("vaccine title:")
    assert texts(parsed.groups) == [["vaccine"]]
    assert any("title:" in m for m in parsed.messages)
    assert parse("title:").is_empty


def test_wildcards_are_removed_never_expanded():
    parsed = parse("vacc* te?t")
    assert texts(parsed.groups) == [["vacc"], ["tet"]]
    assert any("Wildcards" in m for m in parsed.messages)
    flood = parse("*" * 300 + " " + "? " * 100)
    assert flood.is_empty
    assert any("Wildcards" in m for m in flood.messages)


def test_a_trailing_question_mark_is_punctuation_not_a_wildcard():
    parsed = parse("什么是PD-1？")
    assert texts(parsed.groups) == [["什么是PD-1"]]
    assert parsed.messages == []


def test_control_characters_and_unpaired_surrogates_are_removed():
    parsed = parse("vac\x00cine\x07 \ud800疫苗\udfff")
    assert texts(parsed.groups) == [["vaccine"], ["疫苗"]]
    assert any("control characters" in m for m in parsed.messages)


def test_a_5000_character_query_is_cut_with_a_message():
    parsed = parse("vaccine " * 700)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert any("too long" in m for m in parsed.messages)
    parsed = parse("x" * 5000)
    assert len(parsed.text) <= MAX_QUERY_CHARS
    assert any("too long" in m for m in parsed.messages)


def test_too_many_words_are_cut_with_a_message():
    parsed = parse(" ".join(f"w{i}" for i in range(60)))
    assert len(parsed.clauses()) == MAX_WORDS
    assert any("too many words" in m for m in parsed.messages)


def test_full_width_input_is_normalised():
    parsed = parse("ＰＤ－１　ｔｉｔｌｅ：疫苗")
    assert parsed.groups == [[Clause("PD-1")], [Clause("疫苗", field="title")]]


def test_repeated_words_count_once():
    assert texts(parse("vaccine vaccine 疫苗 vaccine").groups) == [["vaccine"], ["疫苗"]]


def test_empty_and_blank_queries_are_empty():
    for query in ["", "   ", None, "\t\n"]:
        assert parse(query).is_empty
        assert parse(query).messages == []


def test_no_string_makes_the_parser_raise():
    rng = random.Random(20261123)
    alphabet = list('abc XYZ-"“”「」:title OR NOT|*?\\\x00\x1f\u200b\ud800\udc00张江醫藥()[]{}^~!+') + ["title:", " OR ", "-"]
    for _ in range(2000):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        parsed = parse(query)
        assert len(parsed.text) <= MAX_QUERY_CHARS
        for clause in parsed.clauses():
            assert clause.text and clause.text == clause.text.strip()
