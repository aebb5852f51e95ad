from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Build the fixed demo world (SPEC.md). Safe to run again: it updates the same rows."

    def handle(self, *args, **options):
        with transaction.atomic():
            for dotted in settings.DEMO_SEEDERS:
                import_string(dotted)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
