from django.urls import path

from insight import views

app_name = "insight"
BRIDGE = "bridge/<int:organisation_pk>/dashboard/"
ENGLAND = "dashboard/england/"

urlpatterns = [
    path(BRIDGE, views.dashboard, name="dashboard"),
    path(f"{BRIDGE}export/journeys.csv", views.export_journeys, name="dashboard_export_journeys"),
    path(f"{BRIDGE}export/schools.csv", views.export_schools, name="dashboard_export_schools"),
    path(f"{BRIDGE}export/partners.csv", views.export_partners, name="dashboard_export_partners"),
    path(ENGLAND, views.england_dashboard, name="england"),
    path(
        f"{ENGLAND}export/journeys.csv",
        views.england_export_journeys,
        name="england_export_journeys",
    ),
    path(
        f"{ENGLAND}export/schools.csv", views.england_export_schools, name="england_export_schools"
    ),
    path(
        f"{ENGLAND}export/partners.csv",
        views.england_export_partners,
        name="england_export_partners",
    ),
    path("awarded-schools/", views.awarded_schools, name="awarded_schools"),
]
