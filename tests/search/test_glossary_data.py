"""Checks on the bilingual biopharma glossary data file (pure Python, no Django).

Run: .venv/bin/python -m pytest tests/search/test_glossary_data.py -p no:django -q
"""
import json
import re
from collections import Counter
from pathlib import Path

import opencc
import pytest

GLOSSARY = Path(__file__).resolve().parents[2] / "search" / "data" / "glossary.json"

REQUIRED_KEYS = ("en", "zh_hans", "zh_hant", "en_aliases", "zh_aliases", "category")
CATEGORIES = {
    "modality", "target", "disease", "regulatory",
    "development", "industry", "technology", "organisation",
}
# zh_hans terms whose traditional form does not convert back with OpenCC t2s.
# Empty today; add a term here (with a comment saying why) rather than bending the data.
T2S_EXCEPTIONS: set[str] = set()

HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture(scope="module")
def rows():
    return json.loads(GLOSSARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def t2s():
    return opencc.OpenCC("t2s")


def test_loads_as_a_list_of_objects(rows):
    assert isinstance(rows, list)
    assert all(isinstance(r, dict) for r in rows)


def test_has_at_least_300_concepts(rows):
    assert len(rows) >= 300


def test_required_keys_present_and_non_empty(rows):
    for r in rows:
        missing = [k for k in REQUIRED_KEYS if k not in r]
        assert not missing, (r, missing)
        for k in ("en", "zh_hans", "zh_hant", "category"):
            assert isinstance(r[k], str) and r[k].strip(), (r, k)
            assert r[k] == r[k].strip(), (r, k)
        for k in ("en_aliases", "zh_aliases"):
            assert isinstance(r[k], list), (r, k)
            for a in r[k]:
                assert isinstance(a, str) and a.strip() and a == a.strip(), (r, k, a)


def test_no_unknown_keys(rows):
    for r in rows:
        assert set(r) <= set(REQUIRED_KEYS), r


def test_categories_valid(rows):
    bad = [(r["en"], r["category"]) for r in rows if r["category"] not in CATEGORIES]
    assert not bad


def test_every_category_used(rows):
    assert {r["category"] for r in rows} == CATEGORIES


def test_chinese_forms_are_chinese_and_english_forms_are_not(rows):
    for r in rows:
        for z in (r["zh_hans"], r["zh_hant"], *r["zh_aliases"]):
            assert HAN.search(z), (r["en"], z)
            # the segmenter loads these as user words: no whitespace inside
            assert not re.search(r"\s", z), (r["en"], z)
        for e in (r["en"], *r["en_aliases"]):
            assert not HAN.search(e), (r["en"], e)


def test_traditional_converts_back_to_simplified(rows, t2s):
    bad = [
        (r["zh_hans"], r["zh_hant"], t2s.convert(r["zh_hant"]))
        for r in rows
        if r["zh_hans"] not in T2S_EXCEPTIONS and t2s.convert(r["zh_hant"]) != r["zh_hans"]
    ]
    assert not bad


def test_zh_hans_is_simplified(rows, t2s):
    bad = [r["zh_hans"] for r in rows
           if r["zh_hans"] not in T2S_EXCEPTIONS and t2s.convert(r["zh_hans"]) != r["zh_hans"]]
    assert not bad


def test_no_duplicate_english_terms(rows):
    dup = [k for k, n in Counter(r["en"].casefold() for r in rows).items() if n > 1]
    assert not dup


def test_no_duplicate_simplified_terms(rows):
    dup = [k for k, n in Counter(r["zh_hans"].casefold() for r in rows).items() if n > 1]
    assert not dup


def test_no_duplicate_traditional_terms(rows):
    dup = [k for k, n in Counter(r["zh_hant"] for r in rows).items() if n > 1]
    assert not dup


def test_aliases_do_not_collide_with_other_terms(rows, t2s):
    owner = {}
    for i, r in enumerate(rows):
        owner.setdefault(r["en"].casefold(), i)
        owner.setdefault(r["zh_hans"], i)
        owner.setdefault(r["zh_hant"], i)
    bad = []
    for i, r in enumerate(rows):
        forms = {a.casefold() for a in r["en_aliases"]}
        forms |= set(r["zh_aliases"]) | {t2s.convert(a) for a in r["zh_aliases"]}
        for f in forms:
            if owner.get(f, i) != i:
                bad.append((r["en"], f, rows[owner[f]]["en"]))
    assert not bad


def test_aliases_not_shared_between_entries(rows, t2s):
    seen = {}
    bad = []
    for r in rows:
        forms = {a.casefold() for a in r["en_aliases"]} | {t2s.convert(a) for a in r["zh_aliases"]}
        for f in forms:
            if f in seen and seen[f] != r["en"]:
                bad.append((f, seen[f], r["en"]))
            seen.setdefault(f, r["en"])
    assert not bad


def test_aliases_do_not_repeat_own_terms(rows):
    for r in rows:
        own = {r["en"].casefold()}
        assert not own & {a.casefold() for a in r["en_aliases"]}, r["en"]
        assert len({a.casefold() for a in r["en_aliases"]}) == len(r["en_aliases"]), r["en"]
        own_zh = {r["zh_hans"], r["zh_hant"]}
        assert not own_zh & set(r["zh_aliases"]), r["en"]
        assert len(set(r["zh_aliases"])) == len(r["zh_aliases"]), r["en"]


def test_english_lower_case_except_acronyms_and_names(rows):
    # a word starting with a capital must be an acronym/code (contains another
    # capital or a digit) or belong to a proper name; flag plain capitalised words
    # in the headword when the whole term has no other capital, e.g. "Vaccine".
    bad = [r["en"] for r in rows
           if r["en"][:1].isupper() and r["en"][1:].islower() and " " not in r["en"]
           and r["category"] not in {"organisation", "industry"}]
    assert not bad


@pytest.mark.parametrize("en, zh_hans", [
    ("gene therapy", "基因治疗"),
    ("vaccine", "疫苗"),
    ("synthetic biology", "合成生物"),
    ("innovative drug", "创新药"),
    ("clinical trial", "临床试验"),
    ("monoclonal antibody", "单克隆抗体"),
    ("antibody-drug conjugate", "抗体偶联药物"),
    ("rare disease", "罕见病"),
    ("STAR Market", "科创板"),
    ("NMPA", "国家药监局"),
])
def test_known_pairs_present(rows, en, zh_hans):
    by_en = {r["en"]: r for r in rows}
    assert en in by_en, en
    assert by_en[en]["zh_hans"] == zh_hans


def test_known_aliases_present(rows):
    by_en = {r["en"]: r for r in rows}
    assert "ADC" in by_en["antibody-drug conjugate"]["en_aliases"]
    assert "mAb" in by_en["monoclonal antibody"]["en_aliases"]
    assert "vaccines" in by_en["vaccine"]["en_aliases"]
    assert "醫療器材" in by_en["medical device"]["zh_aliases"]
