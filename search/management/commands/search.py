"""`manage.py search QUERY [filters…] --format json|text` (CONTRACTS.md, "Commands").

`--format json` prints exactly one JSON object on stdout and nothing else.
Exit 0 whenever the query ran (zero hits included); 2 on a usage error.
"""
import json
import re

from django.core.management.base import BaseCommand

from search.api import result_to_dict
from search.params import query_from_options
from search.query import run_search

_MARK = re.compile(r"</?mark>")


class Command(BaseCommand):
    help = "Search the published articles, as the site and /api/search do."

    def add_arguments(self, parser):
        parser.add_argument("query", nargs="?", default="", help="the query; may be empty (lists everything)")
        for name in ("year", "city", "district", "place", "event", "language", "source"):
            parser.add_argument(f"--{name}", action="append", default=[], metavar=name.upper(),
                                help=f"filter by {name} (repeat to OR values)")
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="published on or after")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="published on or before")
        parser.add_argument("--since", metavar="ISO-DATETIME", help="first published after this moment")
        parser.add_argument("--sort", choices=["relevance", "date"], default="relevance")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument("--per-page", dest="per_page", type=int, default=10)
        parser.add_argument("--lang", choices=["en", "zh-hans", "zh-hant"], default="en",
                            help="language of facet labels")
        parser.add_argument("--format", choices=["json", "text"], default="text")

    def handle(self, *args, **options):
        result = run_search(query_from_options(options))
        data = result_to_dict(result)
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(self.as_text(data))

    @staticmethod
    def as_text(data) -> str:
        lines = []
        shown = f"“{data['query']}”" if data["query"] else "everything"
        lines.append(f"{data['total']} result{'s' if data['total'] != 1 else ''} for {shown} "
                     f"(page {data['page']} of {max(data['pages'], 1)}, sorted by {data['sort']})")
        for message in data["messages"]:
            lines.append(f"! {message}")
        if data["did_you_mean"]:
            lines.append(f"Did you mean: {data['did_you_mean']}")
        reading = data["reading"]
        extra = []
        if reading["variants"]:
            extra.append("variants: " + ", ".join(reading["variants"]))
        if reading["expansions"]:
            extra.append("also: " + ", ".join(reading["expansions"]))
        extra.extend(reading["notes"])
        if extra:
            lines.append("Read as: " + "; ".join(extra))
        lines.append("")
        first = (data["page"] - 1) * data["per_page"]
        for n, hit in enumerate(data["results"], start=first + 1):
            when = hit["date"] or (str(hit["year"]) if hit["year"] else "undated")
            meta = ", ".join(x for x in [hit["language"], hit["source"], hit["city"], *hit["districts"]] if x)
            lines.append(f"{n}. {_plain(hit['title_html'])}")
            lines.append(f"   {when} · {meta} · score {hit['score']} · {hit['url']}")
            if hit["snippet_html"]:
                lines.append(f"   {_plain(hit['snippet_html'], marks='[]')}")
        facets = data["facets"]
        for key in ("year", "language", "city", "district", "event", "source"):
            values = [v for v in facets.get(key, []) if v["count"] or v["selected"]]
            if values:
                shown = ", ".join(f"{'*' if v['selected'] else ''}{v['label']} ({v['count']})" for v in values[:12])
                lines.append(f"{key}: {shown}")
        return "\n".join(lines)


def _plain(html_text: str, marks: str = "") -> str:
    import html

    if marks:
        html_text = html_text.replace("<mark>", marks[0]).replace("</mark>", marks[1])
    return html.unescape(_MARK.sub("", html_text))
