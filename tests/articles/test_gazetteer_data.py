"""Integrity of the gazetteer data file (articles/data/gazetteer.json).

Pure Python + json (OpenCC only for the script checks); no Django needed:
    .venv/bin/python -m pytest tests/articles/test_gazetteer_data.py -p no:django -q
"""

import json
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest

GAZETTEER = Path(__file__).resolve().parents[2] / "articles" / "data" / "gazetteer.json"

NAME_KEYS = ("name_en", "name_zh_hans", "name_zh_hant")
KEYS = {
    "cities": {"slug", *NAME_KEYS, "aliases"},
    "districts": {"slug", "city", *NAME_KEYS, "aliases"},
    "places": {"slug", "district", "kind", *NAME_KEYS, "aliases"},
    "events": {"slug", "city", *NAME_KEYS, "aliases"},
    "sources": {"slug", *NAME_KEYS, "aliases", "domains", "signatures"},
}
PLACE_KINDS = {"park", "landmark", "venue", "zone"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOMAIN_RE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Traditional-script strings whose simplified counterpart is deliberately absent: regional
# vocabulary, not a script variant (Taiwan writes 人工智慧 for mainland 人工智能).
SCRIPT_EXCEPTIONS = {"世界人工智慧大會"}
# Traditional spellings real coverage uses that OpenCC's s2t/s2tw/s2twp/s2hk do not produce.
TRADITIONAL_VARIANTS = {"上海國際生物醫藥產業週"}
TRADITIONAL_CONFIGS = ("s2t", "s2tw", "s2twp", "s2hk")

SHANGHAI_DISTRICTS = {
    "Huangpu District", "Xuhui District", "Changning District", "Jing'an District", "Putuo District",
    "Hongkou District", "Yangpu District", "Minhang District", "Baoshan District", "Jiading District",
    "Pudong New Area", "Jinshan District", "Songjiang District", "Qingpu District", "Fengxian District",
    "Chongming District",
}
SEED_DISTRICTS = {"Pudong New Area", "Baoshan District", "Linping District"}
SEED_EVENTS = {
    "Shanghai International Biopharma Industry Week",
    "Meilan Lake Biopharma Innovation Conference",
    "Hangzhou Biopharma Frontier Innovation Forum",
}
SEED_SOURCES = {"The Paper", "PR Newswire", "Shanghai Daily", "The Beijing News"}

# Words that can never identify an outlet on their own.
GENERIC_SIGNATURES = {
    "news", "reporter", "source", "photo", "editor", "staff", "daily", "press", "wire",
    "记者", "記者", "来源", "來源", "编辑", "編輯", "新闻", "新聞", "报道", "報道", "摄影", "攝影",
}


@pytest.fixture(autouse=True)
def index_dir():
    """Shadows the suite-wide autouse fixture of the same name (tests/conftest.py): this module
    needs neither Django settings nor a search index, so it also runs with `-p no:django`."""
    return None


@lru_cache(maxsize=1)
def load():
    with GAZETTEER.open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=None)
def converter(config):
    opencc = pytest.importorskip("opencc")
    return opencc.OpenCC(config)


def t2s(text):
    return converter("t2s").convert(text)


def entity_strings(entity):
    return [entity[k] for k in NAME_KEYS] + list(entity["aliases"])


def fold(text):
    """Comparison key used here: NFKC, folded to simplified script, case-insensitive."""
    return t2s(unicodedata.normalize("NFKC", text)).casefold().strip()


def all_entities():
    for kind, entities in load().items():
        for entity in entities:
            yield kind, entity


def by_name(kind):
    return {e["name_en"]: e for e in load()[kind]}


def test_file_is_utf8_json_with_the_five_lists():
    raw = GAZETTEER.read_bytes()
    raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert set(load()) == set(KEYS)
    for kind in KEYS:
        assert isinstance(load()[kind], list) and load()[kind], kind


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_every_entity_has_exactly_the_contract_keys(kind):
    for entity in load()[kind]:
        assert set(entity) == KEYS[kind], (kind, entity.get("slug"), set(entity) ^ KEYS[kind])
        for key in ("aliases", "domains", "signatures"):
            if key in KEYS[kind]:
                assert isinstance(entity[key], list), (entity["slug"], key)
                assert all(isinstance(v, str) for v in entity[key]), (entity["slug"], key)


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_slugs_are_well_formed_and_unique(kind):
    slugs = [e["slug"] for e in load()[kind]]
    for slug in slugs:
        assert SLUG_RE.match(slug), slug
    assert len(slugs) == len(set(slugs)), sorted(s for s in slugs if slugs.count(s) > 1)


@pytest.mark.parametrize("kind", sorted(KEYS))
def test_english_names_are_unique(kind):
    names = [e["name_en"].casefold() for e in load()[kind]]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)


def test_names_exist_in_all_three_scripts_and_are_trimmed():
    for kind, entity in all_entities():
        for key in NAME_KEYS:
            value = entity[key]
            assert isinstance(value, str) and value.strip(), (kind, entity["slug"], key)
            assert value == value.strip(), (kind, entity["slug"], key)
        assert not CJK_RE.search(entity["name_en"]), (kind, entity["slug"])
        for value in entity["aliases"] + entity.get("signatures", []):
            assert value == value.strip() and "  " not in value, (entity["slug"], value)


def test_references_point_to_existing_entities():
    data = load()
    cities = {c["slug"] for c in data["cities"]}
    districts = {d["slug"]: d for d in data["districts"]}
    for district in data["districts"]:
        assert district["city"] in cities, district["slug"]
    for place in data["places"]:
        assert place["district"] in districts, place["slug"]
        assert districts[place["district"]]["city"] in cities, place["slug"]
        assert place["kind"] in PLACE_KINDS, (place["slug"], place["kind"])
    for event in data["events"]:
        assert event["city"] is None or event["city"] in cities, event["slug"]


def test_aliases_are_long_enough_and_not_repeated():
    for kind, entity in all_entities():
        own_names = {entity[k] for k in NAME_KEYS}
        seen = set()
        for alias in entity["aliases"]:
            assert len(alias) >= 2, (kind, entity["slug"], alias)
            assert alias not in own_names, (kind, entity["slug"], "alias repeats a name", alias)
            assert alias not in seen, (kind, entity["slug"], "duplicate alias", alias)
            seen.add(alias)


def test_no_string_belongs_to_two_entities():
    """A name or alias (case-insensitive, script-folded) identifies one entity across all lists,
    and no slug is another entity's name or alias."""
    owners = defaultdict(set)
    for kind, entity in all_entities():
        for value in entity_strings(entity):
            owners[fold(value)].add((kind, entity["slug"]))
    clashes = {key: sorted(who) for key, who in owners.items() if len(who) > 1}
    assert not clashes, clashes
    for kind, entity in all_entities():
        who = owners.get(fold(entity["slug"]), set()) | owners.get(fold(entity["slug"].replace("-", " ")), set())
        assert who <= {(kind, entity["slug"])}, (kind, entity["slug"], sorted(who))


def test_traditional_names_fold_to_the_simplified_names():
    mismatches = []
    for kind, entity in all_entities():
        hans, hant = entity["name_zh_hans"], entity["name_zh_hant"]
        if CJK_RE.search(hans + hant) and hant not in SCRIPT_EXCEPTIONS and t2s(hant) != hans:
            mismatches.append((kind, entity["slug"], hans, hant, t2s(hant)))
    assert not mismatches, mismatches


def test_traditional_forms_are_wholly_traditional():
    """No simplified character left in a traditional name or alias: each is what some OpenCC
    traditional config makes of its simplified form (so 宝山區 or 發佈/發布 slips are caught)."""
    problems = []
    for kind, entity in all_entities():
        candidates = [entity["name_zh_hant"]] + [
            v for v in entity["aliases"] + entity.get("signatures", []) if CJK_RE.search(v) and t2s(v) != v]
        for value in candidates:
            if value in SCRIPT_EXCEPTIONS or value in TRADITIONAL_VARIANTS or not CJK_RE.search(value):
                continue
            simplified = t2s(value)
            forms = {converter(c).convert(simplified) for c in TRADITIONAL_CONFIGS}
            if value not in forms:
                problems.append((kind, entity["slug"], value, sorted(forms)))
    assert not problems, problems


def test_chinese_aliases_exist_in_both_scripts():
    """Every traditional alias has its simplified form among the entity's names/aliases, and every
    simplified alias that differs in traditional script has a traditional partner."""
    problems = []
    for kind, entity in all_entities():
        for field in ("aliases", "signatures"):
            if field not in entity:
                continue
            pool = entity_strings(entity) + entity.get("signatures", [])
            for value in entity[field]:
                if not CJK_RE.search(value) or value in SCRIPT_EXCEPTIONS:
                    continue
                simplified = t2s(value)
                if simplified != value:
                    if simplified not in pool:
                        problems.append((entity["slug"], value, "has no simplified form", simplified))
                elif converter("s2t").convert(value) != value:
                    if not any(other != value and t2s(other) == value for other in pool):
                        problems.append((entity["slug"], value, "has no traditional form"))
    assert not problems, problems


def test_shanghai_has_its_sixteen_districts():
    shanghai = [d for d in load()["districts"] if d["city"] == "shanghai"]
    assert len(shanghai) == 16
    assert {d["name_en"] for d in shanghai} == SHANGHAI_DISTRICTS


def test_minimum_counts():
    data = load()
    assert len(data["events"]) >= 12
    assert len(data["sources"]) >= 25


def test_the_seeds_entities_exist_with_their_english_names():
    districts, events, sources = by_name("districts"), by_name("events"), by_name("sources")
    assert SEED_DISTRICTS <= set(districts)
    assert SEED_EVENTS <= set(events)
    assert SEED_SOURCES <= set(sources)
    assert districts["Pudong New Area"]["city"] == "shanghai"
    assert districts["Baoshan District"]["city"] == "shanghai"
    assert districts["Linping District"]["city"] == "hangzhou"
    assert events["Shanghai International Biopharma Industry Week"]["city"] == "shanghai"
    assert events["Meilan Lake Biopharma Innovation Conference"]["city"] == "shanghai"
    assert events["Hangzhou Biopharma Frontier Innovation Forum"]["city"] == "hangzhou"


@pytest.mark.parametrize(("kind", "name", "must_have"), [
    ("districts", "Pudong New Area", {"Pudong", "浦东", "浦東", "Pudong District"}),
    ("districts", "Baoshan District", {"Baoshan", "宝山", "寶山"}),
    ("districts", "Linping District", {"Linping", "临平", "臨平"}),
    ("events", "Shanghai International Biopharma Industry Week", {
        "Shanghai International Biopharmaceutical Industry Week", "International Biopharma Industry Week Shanghai",
        "IBIWS", "上海国际生物医药产业周", "上海國際生物醫藥產業周", "上海國際生物醫藥產業週"}),
    ("events", "Meilan Lake Biopharma Innovation Conference", {"美兰湖生物医药创新大会", "美蘭湖生物醫藥創新大會"}),
    ("events", "Hangzhou Biopharma Frontier Innovation Forum", {"杭州生物医药前沿创新论坛", "杭州生物醫藥前沿創新論壇"}),
    ("sources", "The Paper", {"澎湃新闻", "澎湃新聞", "Pengpai News"}),
    ("sources", "The Beijing News", {"新京报", "新京報"}),
    ("places", "Zhangjiang Science Hall", {"张江科学会堂", "張江科學會堂"}),
])
def test_seed_variant_names_are_known(kind, name, must_have):
    entity = by_name(kind)[name]
    assert must_have <= set(entity_strings(entity)), must_have - set(entity_strings(entity))


@pytest.mark.parametrize(("source", "domain", "signature"), [
    ("The Paper", "thepaper.cn", "Pengpai News Reporter"),
    ("PR Newswire", "prnewswire.com", "/PRNewswire/"),
    ("PR Newswire", "prnewswire.com", "Cision"),
    ("Shanghai Daily", "shine.cn", "Ti Gong"),
    ("The Beijing News", "bjnews.com.cn", "新京报贝壳财经"),
])
def test_seed_sources_are_recognisable(source, domain, signature):
    entity = by_name("sources")[source]
    assert domain in entity["domains"]
    assert signature in entity["signatures"]


def test_places_the_tagging_rule_relies_on():
    places, districts = {p["slug"]: p for p in load()["places"]}, {d["slug"]: d for d in load()["districts"]}
    assert places["zhangjiang-science-hall"]["district"] == "pudong"
    assert places["lingang-special-area"]["district"] == "pudong"  # Lingang belongs to Pudong
    assert places["life-science-blue-bay"]["district"] == "pudong"
    assert places["meilan-lake"]["district"] == "baoshan"
    assert districts["huangpu"]["name_zh_hans"] == "黄浦区"
    assert districts["huangpu-guangzhou"]["name_zh_hans"] == "黄埔区"
    assert districts["huangpu-guangzhou"]["city"] == "guangzhou"


def test_source_domains_and_signatures_are_distinctive():
    domain_owner, signature_owner = {}, {}
    entity_owner = {}
    for kind, entity in all_entities():
        for value in entity_strings(entity):
            entity_owner[fold(value)] = entity["slug"]
    for source in load()["sources"]:
        for domain in source["domains"]:
            assert DOMAIN_RE.match(domain), (source["slug"], domain)
            assert domain not in domain_owner, (domain, source["slug"], domain_owner.get(domain))
            domain_owner[domain] = source["slug"]
        for signature in source["signatures"]:
            assert len(signature) >= 4 or (CJK_RE.search(signature) and len(signature) >= 3), signature
            assert signature.casefold() not in GENERIC_SIGNATURES, signature
            key = fold(signature)
            assert signature_owner.get(key, source["slug"]) == source["slug"], (
                signature, source["slug"], signature_owner.get(key))
            signature_owner[key] = source["slug"]
            assert entity_owner.get(key, source["slug"]) == source["slug"], (signature, entity_owner[key])
    # a domain must not be claimed by two outlets through a parent domain either
    for domain, owner in domain_owner.items():
        parts = domain.split(".")
        for i in range(1, len(parts) - 1):
            parent = ".".join(parts[i:])
            assert domain_owner.get(parent, owner) == owner, (domain, parent)
