"""Programs that other processes run against the test database, for the
multi-process indexing tests: `python -m tests.search.workers COMMAND …`."""
import os
import random
import sys
import time


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "biopharma_news.settings")
    import django

    django.setup()


def churn(seed: int, rounds: int):
    """Save, publish, hide and delete articles in a random order, each change in
    its own transaction, as several curators and importers would."""
    from django.db import transaction

    from articles.models import Article, District

    rng = random.Random(seed)
    pudong = District.objects.get(slug="pudong")
    mine = []
    for n in range(rounds):
        action = rng.choice(["create", "create", "publish", "hide", "edit", "delete"])
        with transaction.atomic():
            if action == "create" or not mine:
                article = Article.objects.create(
                    title=f"Worker {seed} article {n} about Zhangjiang biopharma",
                    body=f"Body {n} from worker {seed}. 张江科学城生物医药企业 {n}.",
                    raw="raw", language="en",
                    status=rng.choice([Article.Status.PUBLISHED, Article.Status.DRAFT]),
                )
                article.districts.add(pudong)
                mine.append(article.pk)
                continue
            pk = rng.choice(mine)
            article = Article.objects.filter(pk=pk).first()
            if article is None:
                continue
            if action == "publish":
                article.status = Article.Status.PUBLISHED
                article.save()
            elif action == "hide":
                article.status = Article.Status.HIDDEN
                article.save()
            elif action == "edit":
                article.title = article.title + " (updated)"
                article.save()
            elif action == "delete":
                article.delete()
                mine.remove(pk)
        time.sleep(rng.random() * 0.01)


def search_count(word: str):
    """Print how many indexed documents contain the analyzer's terms for `word`
    in their bodies, using this process's own segmenter state."""
    from search.index import IndexStore
    from search.vocabulary import ensure_user_words

    ensure_user_words()
    from whoosh.query import Term

    from search.analysis import query_terms

    terms = query_terms(word)
    searcher = IndexStore().searcher()
    count = len(list(searcher.docs_for_query(Term("body", terms[0])))) if len(terms) == 1 else 0
    print(f"terms={'|'.join(terms)} count={count}")


def rebuild_slowly(delay: float, procs: int = 1):
    """A rebuild that sleeps between batches, so a test can act while it runs.
    Progress lines name the rebuild's worker processes."""
    import multiprocessing

    from search import indexing

    def progress(n):
        workers = " ".join(str(p.pid) for p in multiprocessing.active_children())
        print(f"progress {n} workers {workers}".rstrip(), flush=True)
        time.sleep(delay)

    indexing.BATCH = 2
    indexing.rebuild(procs=procs, progress=progress)
    print("done", flush=True)


if __name__ == "__main__":
    setup()
    command, *args = sys.argv[1:]
    if command == "churn":
        churn(int(args[0]), int(args[1]))
    elif command == "search-count":
        search_count(args[0])
    elif command == "rebuild-slowly":
        rebuild_slowly(float(args[0]), *(int(a) for a in args[1:]))
    else:
        raise SystemExit(f"unknown command {command}")
