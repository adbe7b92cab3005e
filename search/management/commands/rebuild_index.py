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

    def handle(self, *args, procs=None, **options):
        total = Article.objects.published().count()
        if procs is None:
            procs = 2 if total >= 5000 else 1
        if procs < 1:
            raise CommandError("--procs must be at least 1", returncode=2)
        with tqdm(total=total, desc="indexing", unit=" articles", file=sys.stderr, disable=None) as bar:
            try:
                count = rebuild(procs=procs, progress=bar.update)
            except IndexBusy as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(f"indexed {count} published articles")
