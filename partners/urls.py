from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    # The public directory.
    path("directory/", views.directory, name="directory"),
    path("directory/<str:pk>/", views.listing_detail, name="listing"),
    path("directory/<str:organisation_pk>/offers/<str:pk>/", views.offer_detail, name="offer"),
    path("directory/<str:pk>/enquire/", views.send_enquiry, name="send_enquiry"),
    # Partner staff.
    path("partner-organisations/", views.my_organisations, name="my_organisations"),
    path("partner-organisations/new/", views.create_organisation, name="create_organisation"),
    path("partner-organisations/join/", views.find_organisation, name="find_organisation"),
    path("partner-organisations/<str:pk>/", views.manage, name="manage"),
    path("partner-organisations/<str:pk>/join/", views.join_organisation, name="join_organisation"),
    path("partner-organisations/<str:pk>/edit/", views.edit_listing, name="edit_listing"),
    path("partner-organisations/<str:pk>/offers/new/", views.add_offer, name="add_offer"),
    path(
        "partner-organisations/<str:pk>/offers/<str:offer_pk>/edit/",
        views.edit_offer,
        name="edit_offer",
    ),
    path(
        "partner-organisations/<str:pk>/offers/<str:offer_pk>/delete/",
        views.delete_offer,
        name="delete_offer",
    ),
    path("partner-organisations/<str:pk>/submit/", views.submit_listing, name="submit_listing"),
    path("partner-organisations/<str:pk>/staff/", views.staff, name="staff"),
    path(
        "partner-organisations/<str:pk>/staff/<str:membership_pk>/approve/",
        views.approve_member,
        name="approve_member",
    ),
    path(
        "partner-organisations/<str:pk>/staff/<str:membership_pk>/decline/",
        views.decline_member,
        name="decline_member",
    ),
    path("partner-organisations/<str:pk>/enquiries/", views.inbox, name="inbox"),
    # Moderation by reviewers.
    path("moderation/partners/", views.moderation_queue, name="moderation_queue"),
    path("moderation/partners/<str:pk>/", views.moderate, name="moderate"),
    path(
        "moderation/partners/<str:pk>/artsmark-partner/",
        views.set_artsmark_partner,
        name="set_artsmark_partner",
    ),
    # Enquiries.
    path("enquiries/", views.my_enquiries, name="my_enquiries"),
    path("enquiries/<str:pk>/", views.enquiry_detail, name="enquiry"),
    path("enquiries/<str:pk>/close/", views.close_enquiry, name="close_enquiry"),
    path("enquiries/<str:pk>/accept/", views.accept_enquiry, name="accept_enquiry"),
    # Matching a journey's plan.
    path("journeys/<str:journey_pk>/partners/", views.matching, name="matching"),
]
