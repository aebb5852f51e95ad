from django.contrib import admin
from django.urls import include, path

from artsmark.common import views as common_views

handler404 = "artsmark.common.views.page_not_found"
handler500 = "artsmark.common.views.server_error"

urlpatterns = [
    path("", common_views.landing, name="landing"),
    path("home/", common_views.home, name="home"),
    path("accessibility/", common_views.accessibility, name="accessibility"),
    path("favicon.ico", common_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("artsmark.schools.urls")),
    path("", include("journeys.urls")),
    path("", include("partners.urls")),
    path("", include("learning.urls")),
    path("", include("insight.urls")),
]
