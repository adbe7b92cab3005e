import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles.importing import import_paths, summary


class Command(BaseCommand):
    help = "Import articles from text, HTML and JSON Lines files or folders (recursively)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--draft", action="store_true", help="Store new articles as drafts, not published.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")
        parser.add_argument("--workers", type=int, default=None, help="Pipeline processes (default: up to 2).")
        parser.add_argument(
            "--no-index", action="store_true",
            help="Leave the search index changes queued (apply later with check_index --repair or rebuild_index).",
        )

    def handle(self, *args, paths=(), draft=False, dry_run=False, workers=None, no_index=False, **options):
        if workers is not None and workers < 1:
            raise CommandError("--workers must be at least 1", returncode=2)
        counts = {}
        bar = tqdm(desc="importing", unit=" articles", file=sys.stderr, disable=None)
        try:
            for outcome in import_paths(paths, draft=draft, dry_run=dry_run, workers=workers, index=not no_index):
                counts[outcome.status] = counts.get(outcome.status, 0) + 1
                self.stdout.write(outcome.line())
                bar.update(1)
        finally:
            bar.close()
        self.stdout.write(summary(counts))
        if counts.get("rejected"):
            sys.exit(1)

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse exits 2 on a usage error; keep that (CONTRACTS.md).
        return super().create_parser(prog_name, subcommand, **kwargs)
