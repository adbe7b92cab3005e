import json

from django.core.management.base import BaseCommand

from articles.exporting import article_record, export_queryset


class Command(BaseCommand):
    help = "Write articles as JSON Lines on stdout (one article a line); they import back unchanged."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl"], default="jsonl")
        parser.add_argument("--status", choices=["published", "all"], default="published")

    def handle(self, *args, status="published", **options):
        for article in export_queryset(status).iterator(chunk_size=500):
            self.stdout.write(json.dumps(article_record(article), ensure_ascii=False))
