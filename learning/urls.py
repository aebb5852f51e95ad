"""URLs of the learning programme (included at the site root by artsmark/urls.py)."""

from django.urls import path

from learning import views

app_name = "learning"
urlpatterns = [
    path("learning/", views.sessions, name="sessions"),
    path("learning/bookings/", views.my_bookings, name="my_bookings"),
    path("learning/sessions/<int:pk>/", views.session_detail, name="session"),
    path("learning/sessions/<int:pk>/book/", views.book, name="book"),
    path(
        "learning/bookings/<int:booking_pk>/cancel/",
        views.booking_cancel,
        name="booking_cancel",
    ),
    path("learning/organise/", views.manage, name="manage"),
    path("learning/organise/new/", views.session_create, name="session_create"),
    path("learning/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("learning/sessions/<int:pk>/bookings/", views.session_bookings, name="session_bookings"),
    path("learning/sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
]
