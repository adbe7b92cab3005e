"""`manage.py search`: one JSON object on stdout, readable text, exit codes."""
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CONTRACT_KEYS = {"query", "total", "page", "per_page", "sort", "results", "facets", "did_you_mean", "reading",
                 "messages"}


def run(*args) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def articles(make_articles):
    return make_articles(
        {"title": "Zhangjiang vaccine plant", "body": "A vaccine plant opened in Zhangjiang.", "date": "2023-10-16",
         "places": ["zhangjiang-science-hall"], "source": "the-paper"},
        {"title": "张江疫苗工厂投产", "body": "张江的疫苗工厂今天投产。", "date": "2022-11-14", "districts": ["pudong"]},
        {"title": "Baoshan summit", "body": "Leaders met in Baoshan.", "year": 2024, "districts": ["baoshan"]},
    )


def test_json_is_exactly_one_object_with_the_contract_keys(articles):
    text = run("张江", "--format", "json")
    data = json.loads(text)  # the whole of stdout is one JSON document
    assert isinstance(data, dict)
    assert CONTRACT_KEYS <= set(data)
    assert data["total"] == 2
    assert "张江" in text  # ensure_ascii=False


def test_filters_and_options(articles):
    a, b, c = articles
    data = json.loads(run("", "--district", "浦東", "--district", "Baoshan", "--sort", "date", "--format", "json"))
    assert [r["id"] for r in data["results"]] == [c.id, a.id, b.id]
    data = json.loads(run("", "--year", "2023", "--year", "2024", "--language", "en", "--per-page", "1",
                          "--page", "2", "--format", "json"))
    assert data["total"] == 2 and data["page"] == 2 and len(data["results"]) == 1
    data = json.loads(run("", "--from", "2023-01-01", "--to", "2023-12-31", "--format", "json"))
    assert [r["id"] for r in data["results"]] == [a.id]
    data = json.loads(run("", "--since", "2000-01-01T00:00:00Z", "--source", "澎湃新闻", "--format", "json"))
    assert [r["id"] for r in data["results"]] == [a.id]
    data = json.loads(run("vaccine", "--lang", "zh-hans", "--format", "json"))
    assert {v["value"]: v["label"] for v in data["facets"]["district"]}["pudong"] == "浦东新区"


def test_zero_hits_and_bad_values_still_answer(articles):
    data = json.loads(run("nothingmatcheshere", "--format", "json"))
    assert data["total"] == 0 and data["results"] == []
    data = json.loads(run("vaccine", "--city", "Atlantis", "--year", "abc", "--page", "-3", "--format", "json"))
    assert len(data["messages"]) == 3 and data["total"] == 2


def test_empty_query_lists_everything(articles):
    data = json.loads(run("", "--format", "json"))
    assert data["total"] == 3
    assert [r["date"] or r["year"] for r in data["results"]] == [2024, "2023-10-16", "2022-11-14"]


def test_text_format_is_readable(articles):
    text = run("张江", "--format", "text")
    assert text.startswith("2 results for “张江”")
    assert "[张江]" in text or "[Zhangjiang]" in text
    assert "/articles/" in text
    assert "year:" in text


def test_usage_errors_raise_in_process(articles):
    with pytest.raises(CommandError):
        run("x", "--sort", "sideways")
    with pytest.raises(CommandError):
        run("x", "--format", "xml")
    with pytest.raises(CommandError):
        run("x", "--page", "two")


def _manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_exit_codes_from_the_command_line(tmp_path):
    env = {**os.environ, "BIOPHARMA_NEWS_DATA": str(tmp_path / "data"), "PYTHONWARNINGS": "ignore"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    assert _manage(env, "migrate", "-v", "0").returncode == 0
    done = _manage(env, "search", "", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["total"] == 0 and CONTRACT_KEYS <= set(data)
    done = _manage(env, "search", "no such words", "--city", "Atlantis", "--format", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["messages"]
    for bad in (["x", "--sort", "foo"], ["x", "--format", "xml"], ["x", "--page", "two"], ["x", "--colour"]):
        done = _manage(env, "search", *bad)
        assert done.returncode == 2, (bad, done.stderr)
        assert done.stdout == ""
