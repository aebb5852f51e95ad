from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "artsmark.schools"
    label = "schools"
    verbose_name = "Schools and Bridge Organisations"
