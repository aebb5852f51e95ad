"""URLs of the review pages (included by journeys/urls.py)."""

urlpatterns = []
