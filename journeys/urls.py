from django.urls import include, path

app_name = "journeys"
urlpatterns = [
    # Report requests and downloads (progress and regional reports).
    path("", include("journeys.report_urls")),
]
