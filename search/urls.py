from django.urls import path

from search import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("api/search", views.api_search, name="api-search"),
]
