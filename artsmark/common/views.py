from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.module_loading import import_string
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import requires_csrf_token

LANDING_CACHE_KEY = "landing-page-first-visit"


def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    if request.COOKIES:
        return render(request, "common/landing.html")
    # A first visit (no cookies: no session, no messages, no CSRF token) sees the same page as
    # every other first visit, so its HTML is kept in the cache (Redis) for a few minutes.
    html = cache.get(LANDING_CACHE_KEY)
    if html is None:
        html = loader.render_to_string("common/landing.html", request=request)
        cache.set(LANDING_CACHE_KEY, html, settings.LANDING_CACHE_SECONDS)
    return HttpResponse(html)


@login_required
def home(request):
    """Each role's panel, one after another: a user with several roles sees each.

    The page leads with the user's work: panels marked `role` (a school's journey, a review
    queue, a partner's organisation) come first, in settings order; the rest follow; a
    `fallback` panel (such as "find your school") comes last when the user has a role.
    """
    panels = []
    for dotted in settings.HOME_PANELS:
        panels.extend(import_string(dotted)(request.user))
    has_role = any(panel.get("role") for panel in panels)

    def rank(panel):
        if panel.get("role"):
            return 0
        return 2 if panel.get("fallback") and has_role else 1

    panels.sort(key=rank)
    return render(request, "common/home.html", {"panels": panels})


def accessibility(request):
    return render(request, "common/accessibility.html")


@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links to (pages link the static copy)."""
    icon = Path(settings.BASE_DIR) / "static" / "img" / "favicon.ico"
    return FileResponse(icon.open("rb"), content_type="image/x-icon")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    # Rendered without the request's context processors: when the database is the problem,
    # the page must still render (its stylesheets are static links).
    return HttpResponseServerError(loader.render_to_string("500.html"))
