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
    # Any text reaches the views, which answer the same page to every bad link.
    path("selection/<str:token>/", views.shortlist, name="shortlist"),
    path("selection/<str:token>/fiche.pdf", views.shortlist_pdf, name="shortlist-pdf"),
]
