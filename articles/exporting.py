"""Articles as the export's JSON records (CONTRACTS.md), which import back unchanged."""
from articles.models import Article


def article_record(article: Article) -> dict:
    cities = sorted(c.name_en for c in article.cities.all())
    stamp = article.first_published_at
    return {
        "id": article.pk,
        "title": article.title,
        "language": article.language,
        "date": article.date.isoformat() if article.date else None,
        "year": article.year,
        "city": cities[0] if cities else None,
        "cities": cities,
        "districts": sorted(d.name_en for d in article.districts.all()),
        "places": sorted(p.name_en for p in article.places.all()),
        "events": sorted(e.name_en for e in article.events.all()),
        "source": article.source.name_en if article.source_id else None,
        "source_url": article.source_url,
        "status": article.status,
        "duplicate_of": article.duplicate_of_id,
        "first_published_at": stamp.strftime("%Y-%m-%dT%H:%M:%SZ") if stamp else None,
        "body": article.body,
    }


def export_queryset(status="published"):
    qs = Article.objects.all() if status == "all" else Article.objects.filter(status=status)
    return qs.order_by("id").select_related("source").prefetch_related("cities", "districts", "places", "events")
