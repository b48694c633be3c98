from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("alertes/", views.subscribe, name="subscribe"),
    path("alertes/confirmer/<str:token>/", views.confirm, name="confirm"),
    path("alertes/desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
