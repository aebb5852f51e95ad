"""URLs of the impact pages (included by journeys/urls.py)."""

urlpatterns = []
