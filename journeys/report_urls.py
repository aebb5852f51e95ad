"""URLs for requesting and downloading reports (filled in by the reports work)."""

urlpatterns = []
