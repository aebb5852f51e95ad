"""URLs for requesting, following and downloading reports (progress and regional)."""

from django.urls import path

from journeys import report_views

urlpatterns = [
    path(
        "journeys/<int:pk>/reports/progress/",
        report_views.request_progress_report,
        name="request_progress_report",
    ),
    path("bridge/<int:pk>/reports/", report_views.regional_reports, name="regional_reports"),
    path(
        "bridge/<int:pk>/reports/request/",
        report_views.request_regional_report,
        name="request_regional_report",
    ),
    path("reports/<int:pk>/status/", report_views.report_status, name="report_status"),
    path("reports/<int:pk>/download/", report_views.report_download, name="report_download"),
]
