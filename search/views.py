"""Thin views: parameters in, the query engine's answer out."""
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.views.decorators.http import require_GET

from search.api import result_to_dict
from search.params import canonical_query_string, query_from_querydict
from search.query import run_search


@require_GET
def search_page(request):
    query = query_from_querydict(request.GET)
    result = run_search(query)
    context = {"query": query, "result": result, "canonical": canonical_query_string(query)}
    try:
        return render(request, "search/page.html", context)
    except TemplateDoesNotExist:
        # The page's template comes with a later issue; until then answer plainly.
        return HttpResponse(f"{result.total} results", content_type="text/plain; charset=utf-8")


@require_GET
def api_search(request):
    result = run_search(query_from_querydict(request.GET))
    return JsonResponse(
        result_to_dict(result),
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
