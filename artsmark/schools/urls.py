from django.urls import path

from artsmark.schools import views

app_name = "schools"
urlpatterns = [
    path("schools/find/", views.find_school, name="find"),
    path("schools/<int:pk>/", views.school_detail, name="detail"),
    path("schools/<int:pk>/join/", views.join_school, name="join"),
    path("schools/<int:pk>/invite/", views.invite, name="invite"),
    path(
        "schools/<int:school_pk>/members/<int:pk>/approve/",
        views.approve_member,
        name="approve_member",
    ),
    path(
        "schools/<int:school_pk>/members/<int:pk>/decline/",
        views.decline_member,
        name="decline_member",
    ),
    path(
        "schools/<int:school_pk>/members/<int:pk>/remove/",
        views.remove_member,
        name="remove_member",
    ),
    path(
        "schools/<int:school_pk>/members/<int:pk>/make-lead/",
        views.make_lead,
        name="make_lead",
    ),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("bridge/<int:pk>/", views.bridge_area, name="bridge_area"),
]
