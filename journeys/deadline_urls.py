"""URLs of the deadline pages (included by journeys/urls.py)."""

from django.urls import path

from journeys import deadline_views as views

urlpatterns = [
    path("journeys/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path(
        "bridge/<int:organisation_pk>/deadlines/",
        views.bridge_deadlines,
        name="bridge_deadlines",
    ),
    path(
        "extensions/<int:extension_pk>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
]
