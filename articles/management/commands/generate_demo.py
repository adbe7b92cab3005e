"""`manage.py generate_demo --count N [--seed S] --out DIR`: a deterministic demo corpus for import and benchmarks."""
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.demo import DemoError, generate_corpus


def _integer(value, name: str, *, positive: bool = False) -> int:
    if isinstance(value, bool):
        raise CommandError(f"--{name} must be an integer, not {value!r}", returncode=2)
    if isinstance(value, int):
        number = value
    else:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise CommandError(f"--{name} must be an integer, not {value!r}", returncode=2) from None
    if positive and number <= 0:
        raise CommandError(f"--{name} must be at least 1, not {number}", returncode=2)
    return number


class Command(BaseCommand):
    help = (
        "Write a realistic, deterministic demo corpus (English, simplified and traditional Chinese news in text, "
        "HTML and JSON Lines files, with junk and ~1% planted reposts) that import_articles reads. "
        "DIR/manifest.json lists the reposts and each item's expected facts."
    )
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        # Parsed here rather than by argparse so that a bad value is a CommandError with exit status 2 from
        # call_command too, not only from the command line.
        parser.add_argument("--count", help="number of articles to write (reposts included)")
        parser.add_argument("--seed", default="1", help="the same seed writes byte-identical files (default 1)")
        parser.add_argument("--out", help="output folder: new, empty, or an earlier demo corpus (replaced)")
        parser.add_argument("--workers", default=None,
                            help="processes to use (default: 2 for large corpora; the output does not depend on it)")
        parser.add_argument("--gazetteer", default=None, help="gazetteer JSON (default articles/data/gazetteer.json)")

    def handle(self, *args, **options):
        if options.get("count") is None:
            raise CommandError("--count N is required", returncode=2)
        if not options.get("out"):
            raise CommandError("--out DIR is required", returncode=2)
        count = _integer(options["count"], "count", positive=True)
        seed = _integer(options["seed"], "seed")
        workers = _integer(options["workers"], "workers", positive=True) if options.get("workers") is not None else None
        out = Path(options["out"])

        from tqdm import tqdm

        started = time.monotonic()
        bar = tqdm(total=count, unit="article", file=sys.stderr, disable=None, desc="generate_demo")
        try:
            manifest = generate_corpus(count=count, seed=seed, out_dir=out, progress=bar.update, workers=workers,
                                       gazetteer=options.get("gazetteer"))
        except DemoError as exc:
            raise CommandError(str(exc), returncode=2) from None
        finally:
            bar.close()
        self.stdout.write(f"{manifest.summary()} in {time.monotonic() - started:.1f}s")
