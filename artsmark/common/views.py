from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.csrf import requires_csrf_token


def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "common/landing.html")


@login_required
def home(request):
    """Each role's panel, one after another: a user with several roles sees each."""
    panels = []
    for dotted in settings.HOME_PANELS:
        panels.extend(import_string(dotted)(request.user))
    return render(request, "common/home.html", {"panels": panels})


def accessibility(request):
    return render(request, "common/accessibility.html")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "500.html", status=500)
