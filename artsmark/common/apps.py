from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "artsmark.common"
    label = "common"
