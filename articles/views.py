from django.shortcuts import get_object_or_404, render

from articles.models import Article


def article_detail(request, pk):
    article = get_object_or_404(Article.objects.published().select_related("source"), pk=pk)
    return render(request, "articles/detail.html", {"article": article})
