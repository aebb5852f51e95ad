"""URLs of the impact pages (included by journeys/urls.py)."""

from django.urls import path

from journeys import impact_views

urlpatterns = [
    path("journeys/<int:pk>/impact/", impact_views.impact, name="impact"),
    path(
        "journeys/<int:pk>/impact/goals/<int:goal_pk>/",
        impact_views.reflection,
        name="impact_reflection",
    ),
    path(
        "journeys/<int:pk>/impact/self-assessment/",
        impact_views.final_assessment,
        name="impact_assessment",
    ),
    path("journeys/<int:pk>/impact/evidence/", impact_views.evidence, name="impact_evidence"),
    path("journeys/<int:pk>/impact/level/", impact_views.level, name="impact_level"),
    path("journeys/<int:pk>/impact/check/", impact_views.check, name="impact_check"),
    path(
        "journeys/<int:pk>/impact/versions/<int:number>/",
        impact_views.version,
        name="impact_version",
    ),
    path(
        "journeys/<int:pk>/impact/certificate/",
        impact_views.request_certificate,
        name="impact_certificate",
    ),
    # The review queue links here by name ("journeys:assess", review_pk=...).
    path("reviews/<int:review_pk>/assess/", impact_views.assess, name="assess"),
]
