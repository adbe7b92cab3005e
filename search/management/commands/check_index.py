import sys

from django.core.management.base import BaseCommand

from search.indexing import check, repair


class Command(BaseCommand):
    help = "List published articles missing from the index, stale in it, or extra in it; --repair fixes them."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true")

    def handle(self, *args, **options):
        report = check()
        self._print(report)
        if options["repair"] and not report.clean:
            repair(report)
            report = check()
            self.stdout.write("after repair:")
            self._print(report)
        if not report.clean:
            sys.exit(1)

    def _print(self, report):
        for name in ("missing", "stale", "extra"):
            ids = getattr(report, name)
            self.stdout.write(f"{name} {len(ids)}" + (": " + " ".join(map(str, ids[:200])) if ids else ""))
