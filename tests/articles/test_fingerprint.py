"""Content fingerprints, MinHash signatures, LSH keys and the near-duplicate decision.

Run: .venv/bin/python -m pytest tests/articles/test_fingerprint.py -p no:django -q
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from articles.ingest.fingerprint import (
    DupInfo,
    content_fingerprint,
    is_near_duplicate,
    lsh_keys,
    minhash_signature,
    normalise_for_fingerprint,
    signature_similarity,
    titles_match,
)
from articles.ingest.folding import s2t, t2s

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path("/work/shared/seeds")

# Two different English articles about the same event (they share its vocabulary).
EN_A = """On October 16th, the opening event of the 2023 Shanghai International Biopharmaceutical Industry Week was held at the Zhangjiang Science Hall in Shanghai.

At the event site, discussions were held among participants on topics such as innovation internationalization and industrial internationalization, industrial agglomeration development, and the establishment of ecological service systems.

Professor Lu Bai from the School of Pharmacy at Tsinghua University analyzed the ecological system construction of the biopharmaceutical industry by deeply integrating the innovation chain and talent chain. He takes original new drugs as an example, and cross-border cooperation and collaborative innovation in different fields bring new changes in research models, methods, and tools.

Wu Xiaobin, Global President and Chief Operating Officer of BeiGene, proposed that building a global large-scale pharmaceutical company cannot do without pioneering new drugs and the best in class innovation. By laying out a global innovation ecosystem in key node cities represented by Shanghai, it not only benefits the development of the enterprise itself, but also deepens industrial cooperation.

Regarding the topic of empowering the innovation chain of the industry chain through the capital chain, Song Kun, the general manager of E Fund Asset Management, introduced his experiences and thoughts on becoming a professional ecosystem service provider, and praised the investment promotion partnership plan released in the first half of this year."""

EN_B = """The 2023 Shanghai International Biopharmaceutical Industry Week opened on Monday at the Zhangjiang Science Hall, with about 40 parallel events planned over five days across the city.

Organisers said more than a thousand guests from universities, hospitals, drug makers and investment firms had registered, and that the week would again serve as a platform for international cooperation in the biopharmaceutical industry.

A new action plan for synthetic biology, gene therapy and medical robots was released at the opening ceremony, together with a plan for manufacturing space that should help innovative companies move from laboratories to factories more quickly.

Officials from the municipal economy and information technology commission said the industry had grown from less than five billion yuan of output thirty years ago to nearly two hundred billion yuan today, and that the city expects the industry to reach one trillion yuan by 2025.

Several multinational companies announced new research centres, and local start-ups signed financing agreements with investment funds during the afternoon sessions."""

JUNK = (
    "Disclaimer: The content of this article is sourced from the internet. The copyright of the text, images, "
    "and other materials belongs to the original author. Share this article. Contact us."
)

ZH = """3月31日，2023杭州生物医药前沿创新论坛在杭州市临平区顺利举行，本次论坛聚焦生物医药前沿创新，为行业高质量发展出谋划策。

此次论坛由临平区国家级经济技术开发区管理委员会、浙江大学基础医学院、浙江大学基础医学创新研究院主办，共吸引来自杭州、上海等地区的160名与会代表参会。

会议伊始，临平区国家级经济技术开发区创业创新局副局长致开幕词，她指出，当前临平区生物医药产业初具规模，拥有浙江省唯一的生物医药高新园区，辖区内有近500家医药企业。生物医药是临平区两大地标性战略新兴产业之一，预计到2025年，临平区会形成800亿级生物医药产业集群。

此次会议中，复旦大学药学院教授分享了中国生物医药产业创新发展面临的挑战。他认为，要推动中国生物医药行业的发展，首先要把重心放在重人才、重质量上，高校层面要重基础、重深度、重需求、重速度。

科学家、企业家与投资人如何助力中国医药源头创新？针对该问题，与会嘉宾在圆桌论坛环节展开热烈讨论。"""

TITLE_ZH = "为生物医药高质量发展出谋划策 杭州生物医药前沿创新论坛闭幕"
TITLE_EN = "Industry Week opens at Zhangjiang Science Hall"


def info(title, body, *, places=(), districts=(), events=()):
    return DupInfo(
        title=title, body=body, places=frozenset(places), districts=frozenset(districts), events=frozenset(events),
        signature=minhash_signature(body),
    )


# ---------------------------------------------------------------------------------------------
# normalisation and exact fingerprints


def test_normalise_for_fingerprint():
    assert normalise_for_fingerprint("Ｈello,  World！ 浦東新區。") == "helloworld浦东新区"
    assert normalise_for_fingerprint(" a - b\n\nc ") == "abc"


def test_content_fingerprint_folds_script_case_and_spacing():
    fp = content_fingerprint(TITLE_ZH, ZH)
    assert len(fp) == 40 and int(fp, 16) >= 0
    assert content_fingerprint(s2t(TITLE_ZH), s2t(ZH)) == fp  # the traditional twin
    assert content_fingerprint(TITLE_ZH.replace(" ", ""), ZH.replace("\n\n", "\n")) == fp
    assert content_fingerprint(TITLE_EN.upper(), EN_A) == content_fingerprint(TITLE_EN, EN_A)
    # The title is part of the identity: different titles over one body are different articles.
    assert content_fingerprint("Another title", EN_A) != content_fingerprint(TITLE_EN, EN_A)
    assert content_fingerprint(TITLE_EN, EN_A + " More.") != content_fingerprint(TITLE_EN, EN_A)


# ---------------------------------------------------------------------------------------------
# signatures




def test_signature_shape():
    sig = minhash_signature(EN_A)
    assert len(sig) == 64 and all(isinstance(v, int) and 0 <= v <= 0xFFFFFFFF for v in sig)
    assert len(minhash_signature(EN_A, num_perm=128)) == 128
    assert minhash_signature("") == (0xFFFFFFFF,) * 64
    assert len(minhash_signature("short")) == 64  # fewer tokens than a shingle: still a signature


FIXED_TEXT = "Shanghai International Biopharma Industry Week opens at Zhangjiang Science Hall in Pudong"
FIXED_SIGNATURE_HEAD = (2875173109, 3119122203, 22438014, 2625722567, 607993762, 914919500, 591502950, 2121499905)


def test_signature_is_deterministic():
    sig = minhash_signature(FIXED_TEXT)
    assert sig[:8] == FIXED_SIGNATURE_HEAD
    assert minhash_signature(FIXED_TEXT) == sig
    # ... in another process with another hash seed too (no use of Python's hash()).
    code = (
        "from articles.ingest.fingerprint import minhash_signature, lsh_keys;"
        f"s = minhash_signature({FIXED_TEXT!r}); print(list(s)); print(lsh_keys(s))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    lines = out.stdout.strip().splitlines()
    assert eval(lines[0]) == list(sig)
    assert eval(lines[1]) == lsh_keys(sig)


def test_twin_scripts_have_the_same_signature():
    assert minhash_signature(ZH) == minhash_signature(s2t(ZH))
    assert signature_similarity(minhash_signature(ZH), minhash_signature(s2t(ZH))) == 1.0


def test_similarity_estimates():
    a = minhash_signature(EN_A)
    assert signature_similarity(a, a) == 1.0
    assert signature_similarity(a, minhash_signature(EN_A + "\n\n" + JUNK)) >= 0.75
    assert signature_similarity(a, minhash_signature(EN_B)) <= 0.2
    assert signature_similarity(minhash_signature(ZH), a) <= 0.05
    assert signature_similarity(a, a[:10]) == 0.0  # different lengths do not compare


def test_lsh_keys():
    sig = minhash_signature(EN_A)
    keys = lsh_keys(sig)
    assert len(keys) == 16 and len(set(keys)) == 16
    assert all(k.startswith(f"{i:02d}:") for i, k in enumerate(keys))
    assert len(lsh_keys(sig, bands=8)) == 8
    with pytest.raises(ValueError):
        lsh_keys(sig, bands=7)
    # A near duplicate shares a band; an unrelated article about the same event does not.
    assert set(keys) & set(lsh_keys(minhash_signature(EN_A + "\n\n" + JUNK)))
    assert not set(keys) & set(lsh_keys(minhash_signature(EN_B)))
    assert set(lsh_keys(minhash_signature(ZH))) == set(lsh_keys(minhash_signature(s2t(ZH))))


# ---------------------------------------------------------------------------------------------
# the near-duplicate decision


def test_traditional_twin_is_a_duplicate():
    new = info(s2t(TITLE_ZH), s2t(ZH), districts=["linping"], events=["hangzhou-forum"])
    old = info(TITLE_ZH, ZH, districts=["linping"], events=["hangzhou-forum"])
    assert is_near_duplicate(new, old)


def test_same_body_with_junk_around_it_is_a_duplicate():
    new = info(TITLE_EN + " – PR Newswire", EN_A + "\n\n" + JUNK, places=["zhangjiang-science-hall"], districts=["pudong"])
    old = info(TITLE_EN, EN_A, places=["zhangjiang-science-hall"], districts=["pudong"])
    assert is_near_duplicate(new, old)
    assert is_near_duplicate(old, new)
    # Title spacing does not matter either.
    assert titles_match("为生物医药高质量发展出谋划策杭州生物医药前沿创新论坛闭幕", TITLE_ZH)


def test_two_articles_about_the_same_event_are_not_duplicates():
    tags = dict(places=["zhangjiang-science-hall"], districts=["pudong"], events=["industry-week"])
    assert not is_near_duplicate(info(TITLE_EN, EN_B, **tags), info(TITLE_EN, EN_A, **tags))


def test_titles_match():
    title = "Striving Together – International Biopharma Industry Week Shanghai 2022 Kicks Off"
    assert titles_match(title, title + " – PR Newswire")  # a site suffix
    assert titles_match("【澎湃新闻】为生物医药高质量发展出谋划策", "为生物医药高质量发展出谋划策")  # a site prefix
    assert titles_match("上海國際生物醫藥產業周即將舉辦", "上海国际生物医药产业周即将举办")  # script
    assert titles_match("Industry Week OPENS in  Shanghai", "Industry Week opens in Shanghai")
    assert not titles_match("Industry Week opens in Shanghai", "Industry Week opens in Shanghai again")
    assert not titles_match("Industry Week opens", "Day two: Industry Week opens")
    assert not titles_match("", "Industry Week opens")
    # a conversion with Taiwan vocabulary (OpenCC s2twp writes 釋出 for 发布) is the same title ...
    assert titles_match("上海閔行區釋出生物醫藥產業扶持政策", "上海闵行区发布生物医药产业扶持政策")
    # ... but within one script a changed word is another title
    assert not titles_match("上海闵行区发布生物医药产业扶持政策", "上海闵行区发布生物医药产业投资政策")


def test_same_body_different_titles_is_not_a_duplicate():
    assert not titles_match("Industry Week opens in Shanghai", "Meilan Lake conference opens in Baoshan")
    new = info("Industry Week opens in Shanghai", EN_A)
    old = info("Biopharma leaders gather at Zhangjiang", EN_A)
    assert not is_near_duplicate(new, old)


def test_different_places_or_districts_are_never_merged():
    assert not is_near_duplicate(info(TITLE_EN, EN_A, districts=["pudong"]), info(TITLE_EN, EN_A, districts=["baoshan"]))
    assert not is_near_duplicate(
        info(TITLE_EN, EN_A, places=["zhangjiang-science-hall"], districts=["pudong"]),
        info(TITLE_EN, EN_A, districts=["pudong"]),
    )
    assert is_near_duplicate(info(TITLE_EN, EN_A, districts=["pudong"]), info(TITLE_EN, EN_A, districts=["pudong"]))


def test_short_article_quoting_a_long_one_is_not_a_duplicate():
    short = EN_A.split("\n\n")[0] + "\n\n" + EN_A.split("\n\n")[1]
    assert not is_near_duplicate(info(TITLE_EN, short), info(TITLE_EN, EN_A))
    assert not is_near_duplicate(info(TITLE_EN, EN_A), info(TITLE_EN, short))


def test_seed_through_both_scripts():
    path = SEEDS / "002_d8ad025b4a4bc9f8.txt"
    if not path.exists():
        pytest.skip("seeds not available")
    lines = path.read_text(encoding="utf-8").split("\n")
    title, body = lines[2], "\n\n".join(line for line in lines[18:49] if line.strip())
    simplified = info(t2s(title), t2s(body), events=["shanghai-biopharma-industry-week"])
    original = info(title, body, events=["shanghai-biopharma-industry-week"])
    assert is_near_duplicate(simplified, original)
    assert content_fingerprint(title, body) == content_fingerprint(t2s(title), t2s(body))


def test_speed_report(capsys):
    """Measures (does not assert) the signature time of a 4,000-character text."""
    texts = {"en": (EN_A + "\n\n" + EN_B) * 2, "zh": ZH * 10}
    with capsys.disabled():
        for lang, text in texts.items():
            text = text[:4000]
            minhash_signature(text)
            n = 200
            start = time.process_time()
            for _ in range(n):
                minhash_signature(text)
            per = (time.process_time() - start) / n
            print(f"\n[minhash] {lang} {len(text)} chars: {per * 1000:.3f} ms/signature")
