from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "journeys"

    def ready(self):
        from journeys.framework_cache import connect_signals

        connect_signals(self)
