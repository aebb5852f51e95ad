"""URLs of the review pages (included by journeys/urls.py)."""

from django.urls import path

from journeys import review_views as views

urlpatterns = [
    path("bridge/<int:organisation_pk>/reviews/", views.review_queue, name="review_queue"),
    path(
        "bridge/<int:organisation_pk>/feedback/",
        views.feedback_requests,
        name="feedback_requests",
    ),
    path("reviews/<int:review_pk>/", views.review_detail, name="review"),
    path("reviews/<int:review_pk>/comments/", views.review_comment, name="review_comment"),
    path("reviews/<int:review_pk>/assign/", views.review_assign, name="review_assign"),
    path("reviews/<int:review_pk>/decide/", views.review_decide, name="review_decide"),
    path("journeys/<int:pk>/feedback/request/", views.feedback_request, name="feedback_request"),
    path("feedback/<int:feedback_pk>/answer/", views.feedback_answer, name="feedback_answer"),
    path("journeys/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
