from django.urls import include, path

from journeys import views

app_name = "journeys"
urlpatterns = [
    # Report requests and downloads (progress and regional reports).
    path("", include("journeys.report_urls")),
    # Reviews and decisions; delivery (activities, evidence, checkpoints); Statement of Impact.
    path("", include("journeys.review_urls")),
    path("", include("journeys.delivery_urls")),
    path("", include("journeys.impact_urls")),
    path("", include("journeys.deadline_urls")),  # due dates, extensions, overdue journeys
    path("", include("journeys.fees_urls")),
    path("schools/<int:school_pk>/register/", views.register, name="register"),
    path("journeys/<int:pk>/", views.journey_detail, name="detail"),
    path("journeys/<int:pk>/commitment/", views.commitment, name="commitment"),
    path(
        "journeys/<int:pk>/commitment/sections/<int:section_pk>/",
        views.section,
        name="section",
    ),
    path("journeys/<int:pk>/commitment/goals/", views.goals, name="goals"),
    path("journeys/<int:pk>/commitment/goals/add/", views.goal_add, name="goal_add"),
    path(
        "journeys/<int:pk>/commitment/goals/<int:goal_pk>/",
        views.goal_edit,
        name="goal_edit",
    ),
    path(
        "journeys/<int:pk>/commitment/goals/<int:goal_pk>/remove/",
        views.goal_delete,
        name="goal_delete",
    ),
    path(
        "journeys/<int:pk>/commitment/goals/<int:goal_pk>/move/",
        views.goal_move,
        name="goal_move",
    ),
    path(
        "journeys/<int:pk>/commitment/self-assessment/",
        views.self_assessment,
        name="self_assessment",
    ),
    path("journeys/<int:pk>/commitment/sign-off/", views.sign_off, name="sign_off"),
    path("journeys/<int:pk>/commitment/check/", views.check, name="check"),
    path(
        "journeys/<int:pk>/commitment/versions/<int:number>/",
        views.version,
        name="version",
    ),
    path(
        "bridge/<int:organisation_pk>/submissions/",
        views.area_submissions,
        name="area_submissions",
    ),
]
