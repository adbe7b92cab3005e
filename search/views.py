"""Thin views: parameters in, the query engine's answer out. The page view
renders the whole page, or only the partial htmx asked for."""
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from search.api import result_to_dict
from search.links import facet_groups, page_links, sort_links
from search.params import canonical_query_string, query_from_querydict
from search.query import run_search


@require_GET
@vary_on_headers("HX-Request")
def search_page(request):
    query = query_from_querydict(request.GET)
    result = run_search(query)
    context = {
        "query": query,
        "result": result,
        "canonical": canonical_query_string(query),
        "facet_groups": facet_groups(query, result),
        "page_links": page_links(query, result),
        "sort_links": sort_links(query),
    }
    template = "search/page.html#results" if request.htmx else "search/page.html"
    return render(request, template, context)


@require_GET
def api_search(request):
    result = run_search(query_from_querydict(request.GET))
    return JsonResponse(
        result_to_dict(result),
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
