from django.urls import path

from . import views

app_name = "leads"
urlpatterns = [
    path("contact/", views.general_contact, name="contact"),
    path("contact/terrain/<slug:slug>/", views.plot_contact, name="plot"),
    path("contact/parc/<slug:slug>/", views.park_contact, name="park"),
    path("contact/projet/", views.project_contact, name="project"),
    path("contact/merci/", views.thanks, name="thanks"),
    path("confidentialite/", views.privacy, name="privacy"),
]
