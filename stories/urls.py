from django.urls import path

from . import views

app_name = "stories"
urlpatterns = [
    path("secteurs/", views.sector_list, name="sectors"),
    path("secteurs/<slug:slug>/", views.sector_detail, name="sector"),
    path("reussites/", views.story_list, name="stories"),
    path("reussites/<slug:slug>/", views.story_detail, name="story"),
    path("parc-d-innovation/", views.innovation_park, name="innovation"),
]
