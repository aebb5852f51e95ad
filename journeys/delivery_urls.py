"""URLs of the delivery pages (included by journeys/urls.py)."""

from django.urls import path

from journeys import delivery_views as views

_BASE = "journeys/<int:pk>/delivery/"

urlpatterns = [
    path(_BASE, views.delivery, name="delivery"),
    path(f"{_BASE}activities/", views.activities, name="activities"),
    path(f"{_BASE}activities/add/", views.activity_add, name="activity_add"),
    path(f"{_BASE}activities/<int:activity_pk>/", views.activity_edit, name="activity_edit"),
    path(
        f"{_BASE}activities/<int:activity_pk>/remove/",
        views.activity_delete,
        name="activity_delete",
    ),
    path(f"{_BASE}evidence/", views.evidence, name="evidence"),
    path(f"{_BASE}evidence/add/", views.evidence_add, name="evidence_add"),
    path(f"{_BASE}evidence/arts-award/", views.evidence_arts_award, name="evidence_arts_award"),
    path(f"{_BASE}evidence/<int:item_pk>/", views.evidence_edit, name="evidence_edit"),
    path(f"{_BASE}evidence/<int:item_pk>/remove/", views.evidence_delete, name="evidence_delete"),
    path(f"{_BASE}evidence/<int:item_pk>/file/", views.evidence_file, name="evidence_file"),
    path(f"{_BASE}checkpoints/", views.checkpoints, name="checkpoints"),
    path(f"{_BASE}checkpoints/add/", views.checkpoint_add, name="checkpoint_add"),
]
