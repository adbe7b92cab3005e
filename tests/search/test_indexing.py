"""The index as a projection of the database: kept in step after commit, by
one writer at a time across processes, checked and repaired, rebuilt aside."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from articles.models import Article, District, Event
from search import indexing
from search.index import IndexStore, forget_searchers
from search.models import GlossaryTerm, PendingIndexChange

ROOT = Path(__file__).resolve().parent.parent.parent


def make_article(**kwargs):
    values = {
        "title": "Zhangjiang opens a new antibody plant",
        "body": "A new antibody plant opened in Zhangjiang on Monday. 张江新建抗体药物工厂。",
        "raw": "raw",
        "language": "en",
        "status": Article.Status.PUBLISHED,
    }
    values.update(kwargs)
    return Article.objects.create(**values)


def indexed_ids():
    searcher = IndexStore().searcher()
    return sorted(int(f["id"]) for f in searcher.all_stored_fields())


@pytest.mark.django_db
def test_saved_published_article_is_searchable_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
        article.districts.add(District.objects.get(slug="pudong"))
    doc = IndexStore().searcher().document(id=str(article.pk))
    assert doc["title"] == article.title
    assert doc["district"] == "pudong"
    assert not PendingIndexChange.objects.filter(done=False).exists()


@pytest.mark.django_db
def test_hidden_drafts_duplicates_and_deleted_articles_leave_the_index(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a, b, c, d = (make_article(title=f"Article {i}") for i in range(4))
        make_article(title="Draft", status=Article.Status.DRAFT)
    assert indexed_ids() == [a.pk, b.pk, c.pk, d.pk]
    with django_capture_on_commit_callbacks(execute=True):
        a.status = Article.Status.HIDDEN
        a.save()
        b.status = Article.Status.DUPLICATE
        b.duplicate_of = c
        b.save()
        d.delete()
    assert indexed_ids() == [c.pk]


@pytest.mark.django_db
def test_tag_change_and_entity_rename_reach_the_index(django_capture_on_commit_callbacks):
    event = Event.objects.get(slug="shanghai-biopharma-industry-week")
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    with django_capture_on_commit_callbacks(execute=True):
        article.events.add(event)
    assert IndexStore().searcher().document(id=str(article.pk))["event"] == event.slug
    with django_capture_on_commit_callbacks(execute=True):
        event.name_en = "Shanghai International Biopharma Industry Week (renamed)"
        event.save()
    assert "(renamed)" in IndexStore().searcher().document(id=str(article.pk))["display"]


@pytest.mark.django_db
def test_bulk_work_commits_the_index_once(django_capture_on_commit_callbacks, monkeypatch):
    commits = []
    real = IndexStore.note_commit
    monkeypatch.setattr(IndexStore, "note_commit", lambda self, path=None: (commits.append(1), real(self, path)))
    with django_capture_on_commit_callbacks(execute=True):
        with indexing.deferred_indexing():
            for i in range(30):
                make_article(title=f"Bulk {i}")
    assert len(indexed_ids()) == 30
    assert len(commits) == 1


@pytest.mark.django_db
def test_check_index_lists_differences_and_repair_fixes_them(django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        kept = make_article(title="Kept")
        stale = make_article(title="Stale")
    # Changes the index never heard of: written behind the signals' back.
    missing = Article.objects.bulk_create([Article(title="Missing", body="b", raw="r", language="en",
                                                  status=Article.Status.PUBLISHED)])[0]
    Article.objects.filter(pk=stale.pk).update(title="Stale, edited", updated_at=stale.updated_at.replace(year=2030))
    Article.objects.filter(pk=kept.pk).update(status=Article.Status.HIDDEN)
    report = indexing.check()
    assert report.missing == [missing.pk]
    assert report.stale == [stale.pk]
    assert report.extra == [kept.pk]
    with pytest.raises(SystemExit) as info:
        call_command("check_index")
    assert info.value.code == 1
    assert f"missing 1: {missing.pk}" in capsys.readouterr().out
    call_command("check_index", "--repair")
    assert indexing.check().clean
    assert IndexStore().searcher().document(id=str(stale.pk))["title"] == "Stale, edited"


@pytest.mark.django_db
def test_searcher_is_reused_until_the_index_changes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    store = IndexStore()
    first = store.searcher()
    assert store.searcher() is first
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Another")
    second = store.searcher()
    assert second is not first
    assert store.searcher() is second


@pytest.mark.django_db
def test_a_rebuild_reuses_the_text_the_last_one_analysed(django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        articles = [make_article(title=f"Antibody plant {i}", body=f"张江新建抗体药物工厂 {i}。") for i in range(3)]
    call_command("rebuild_index")
    assert "texts analysed 6, reused from the last rebuild 0" in capsys.readouterr().out  # 3 titles, 3 bodies
    call_command("rebuild_index")
    assert "texts analysed 0, reused from the last rebuild 6" in capsys.readouterr().out
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=articles[0].pk).update(body="宝山美兰湖会议")
        indexing.enqueue([articles[0].pk])
    call_command("rebuild_index")
    assert "texts analysed 1, reused from the last rebuild 5" in capsys.readouterr().out
    searcher = IndexStore().searcher()
    assert [searcher.stored_fields(d)["id"] for d in searcher.document_numbers(chars="湖")] == [str(articles[0].pk)]
    call_command("rebuild_index", "--reanalyse")
    assert "texts analysed 6, reused from the last rebuild 0" in capsys.readouterr().out


@pytest.mark.django_db
def test_segments_are_plain_files_not_compound(django_capture_on_commit_callbacks):
    # A compound segment is copied into memory at every searcher open.
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    call_command("rebuild_index", "--procs", "2")
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Saved after the rebuild")
    files = [p.name for p in IndexStore().current_dir().iterdir()]
    assert not [name for name in files if name.endswith(".seg")], files
    assert len(indexed_ids()) == 2


@pytest.mark.django_db
def test_save_with_an_unusable_index_keeps_the_change_queued(django_capture_on_commit_callbacks):
    from whoosh.fields import ID, Schema
    from whoosh import index as whoosh_index

    store = IndexStore()
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    # The served generation was written by another version of the code.
    path = store.new_generation_dir()
    whoosh_index.create_in(str(path), Schema(id=ID(stored=True, unique=True)))
    store.swap_to(path)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Saved while the index is unusable")
    assert Article.objects.filter(pk=article.pk).exists()
    assert PendingIndexChange.objects.filter(article_id=article.pk, done=False).exists()
    call_command("rebuild_index")
    assert str(article.pk) in {f["id"] for f in IndexStore().searcher().all_stored_fields()}


@pytest.mark.django_db
def test_rebuild_swaps_in_a_new_generation(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = make_article()
    old = IndexStore().current_dir()
    Article.objects.filter(pk=a.pk).update(title="Changed behind the index's back")
    call_command("rebuild_index")
    new = IndexStore().current_dir()
    assert new != old and not old.exists()
    assert IndexStore().searcher().document(id=str(a.pk))["title"] == "Changed behind the index's back"
    assert indexing.check().clean


# ----------------------------------------------------------------- processes

def _env(index_root: Path):
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="biopharma_news.settings",
        BIOPHARMA_NEWS_DATA=str(index_root.parent),
        DATABASE_URL=f"sqlite:///{db['NAME']}",
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.fixture
def shared_index(tmp_path, settings):
    """An index where other processes (with the data folder tmp_path) find it."""
    forget_searchers()
    settings.SEARCH_BACKEND = {**settings.SEARCH_BACKEND, "PATH": tmp_path / "index"}
    return tmp_path / "index"


def _worker(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "tests.search.workers", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_several_processes_writing_at_once_lose_nothing(shared_index):
    env = _env(shared_index)
    workers = [_worker(env, "churn", seed, 25) for seed in range(4)]
    for proc in workers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    indexing.drain()  # anything still queued by a process that lost the race
    report = indexing.check()
    assert report.clean, report
    assert indexed_ids() == sorted(Article.objects.published().values_list("pk", flat=True))
    assert len(indexed_ids()) > 0


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_glossary_change_in_one_process_reaches_another(shared_index):
    word = "苏维达妥单抗"  # a made-up drug name: not in the segmenter's dictionary
    article = make_article(title="新药进展", body=f"本周,{word}完成首例患者给药。", language="zh-hans")
    indexing.drain()
    env = _env(shared_index)
    before = _worker(env, "search-count", word).communicate(timeout=120)[0].strip()
    assert before.startswith("terms=") and "|" in before  # split into pieces
    GlossaryTerm.objects.create(en="suvidatumab", zh_hans=word, zh_hant=word, category="modality")
    indexing.drain()
    after = _worker(env, "search-count", word).communicate(timeout=120)[0].strip()
    assert after == f"terms={word} count=1", after
    assert article.pk in indexed_ids()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has stopped; it only waits to be reaped


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("procs, articles", [(1, 12), (2, 40)])
def test_rebuild_killed_midway_leaves_the_old_index_serving_and_no_worker_behind(shared_index, procs, articles):
    for i in range(articles):
        make_article(title=f"Before rebuild {i}")
    indexing.drain()
    served = IndexStore().current_dir()
    proc = _worker(_env(shared_index), "rebuild-slowly", 2, procs)
    line = proc.stdout.readline()
    assert line.startswith("progress"), proc.stderr.read()
    workers = [int(pid) for pid in line.split("workers", 1)[1].split()] if "workers" in line else []
    assert len(workers) == (procs if procs > 1 else 0) and all(_running(pid) for pid in workers)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _running(pid)]
    forget_searchers()
    assert IndexStore().current_dir() == served
    assert len(indexed_ids()) == articles
    # The next rebuild starts clean and swaps in.
    call_command("rebuild_index", "--procs", str(procs))
    assert IndexStore().current_dir() != served
    assert len(indexed_ids()) == articles and indexing.check().clean


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_changes_saved_during_a_rebuild_are_in_the_swapped_index(shared_index):
    early = [make_article(title=f"Early {i}") for i in range(8)]
    indexing.drain()
    env = _env(shared_index)
    proc = _worker(env, "rebuild-slowly", 0.5)
    assert proc.stdout.readline().startswith("progress")
    # While the rebuild runs: a new article, an edit and a deletion.
    late = make_article(title="Saved during the rebuild")
    Article.objects.filter(pk=early[0].pk).first().delete()
    edited = Article.objects.get(pk=early[1].pk)
    edited.title = "Edited during the rebuild"
    edited.save()
    # Searches keep answering from the old generation meanwhile.
    assert len(indexed_ids()) >= 8
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    forget_searchers()
    ids = indexed_ids()
    assert late.pk in ids and early[0].pk not in ids
    assert IndexStore().searcher().document(id=str(edited.pk))["title"] == "Edited during the rebuild"
    assert indexing.check().clean


@pytest.mark.django_db
def test_rebuild_if_stale_only_rebuilds_an_outdated_index(django_capture_on_commit_callbacks, capsys):
    from search.state import GLOSSARY, bump

    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    call_command("rebuild_index")
    served = IndexStore().current_dir()
    call_command("rebuild_index", "--if-stale")
    assert "up to date" in capsys.readouterr().out
    assert IndexStore().current_dir() == served
    bump(GLOSSARY)  # other user words: documents must be segmented again
    call_command("rebuild_index", "--if-stale")
    assert IndexStore().current_dir() != served
    assert indexing.check().clean


@pytest.mark.django_db
def test_searches_read_the_shared_version_at_most_once_a_second(settings, django_assert_num_queries):
    from search import query as search_query
    from search.models import SearchState
    from search.state import GLOSSARY, bump

    settings.SEARCH_BACKEND = {**settings.SEARCH_BACKEND, "VERSION_CHECK_SECONDS": 60}
    search_query._version_memo[:] = [0.0, -1, None]
    first = search_query._analyzer_version()
    with django_assert_num_queries(0):
        assert search_query._analyzer_version() == first
    # another process's edit: seen once the minute is up
    SearchState.objects.update_or_create(key=GLOSSARY, defaults={"value": "elsewhere"})
    assert search_query._analyzer_version() == first
    search_query._version_memo[0] -= 61
    assert search_query._analyzer_version().endswith(".welsewhere")
    # this process's own edit: seen at once
    token = bump(GLOSSARY)
    assert search_query._analyzer_version().endswith(f".w{token}")
