"""A bare Django "hello world" (no middleware, no database), the yardstick of bench/pages.py.

    gunicorn bench.hello_wsgi:application

It is served exactly as the portal is (gunicorn, the same workers), so the ratio between the
two is what the portal's own work costs.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-hello-world-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)
urlpatterns = [path("", hello)]
application = get_wsgi_application()
