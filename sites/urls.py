from django.urls import path

from . import views

app_name = "sites"
urlpatterns = [
    path("recherche/", views.search, name="search"),
    path(
        "recherche/suggestions/<slug:kind>/",
        views.search_suggestions,
        name="search-suggestions",
    ),
    path("comparer/", views.compare, name="compare"),
    path("terrains/<slug:slug>/", views.plot_detail, name="plot"),
    path("terrains/<slug:slug>/fiche.pdf", views.plot_sheet_pdf, name="plot-sheet"),
    path(
        "terrains/<slug:slug>/vignette.svg", views.plot_thumbnail, name="plot-thumbnail"
    ),
    path("terrains/<slug:slug>/partage.png", views.plot_card, name="plot-card"),
    path("parcs/<slug:slug>/", views.park_detail, name="park"),
    path("parcs/<slug:slug>/vignette.svg", views.park_thumbnail, name="park-thumbnail"),
    path("parcs/<slug:slug>/partage.png", views.park_card, name="park-card"),
    path(
        "organisations/<slug:slug>/",
        views.organisation_detail,
        name="organisation",
    ),
]
