import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.models import Article
from search.index import IndexBusy
from search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the database aside, then swap it in (searches keep answering meanwhile)."

    def add_arguments(self, parser):
        parser.add_argument("--procs", type=int, default=None, help="Indexing processes (default: 2 for big corpora).")
        parser.add_argument(
            "--if-stale", action="store_true",
            help="Only rebuild when the served index was built with other fields or user words.",
        )
        parser.add_argument(
            "--reanalyse", action="store_true",
            help="Segment every text again instead of reusing what the last rebuild stored for unchanged text.",
        )

    def handle(self, *args, procs=None, if_stale=False, reanalyse=False, **options):
        if if_stale:
            from search.index import IndexStore
            from search.state import analyzer_version

            if not IndexStore().is_stale(analyzer_version()):
                self.stdout.write("the index is up to date")
                return
        total = Article.objects.published().count()
        if procs is None:
            procs = 2 if total >= 5000 else 1
        if procs < 1:
            raise CommandError("--procs must be at least 1", returncode=2)
        stats = {}
        with tqdm(total=total, desc="indexing", unit=" articles", file=sys.stderr, disable=None) as bar:
            try:
                count = rebuild(procs=procs, progress=bar.update, stats=stats, reuse=not reanalyse)
            except IndexBusy as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"indexed {count} published articles")
        if stats.get("reused") or stats.get("analysed"):
            self.stdout.write(f"texts analysed {stats['analysed']}, reused from the last rebuild {stats['reused']}")
