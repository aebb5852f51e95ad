from django.conf import settings


def portal(request):
    return {"DEMO_MODE": settings.DEBUG, "SITE_NAME": "Artsmark Journeys"}
