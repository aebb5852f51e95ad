from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

# The demo world's people are made up: the notifications its events would send (a journey
# moved on, an enquiry answered) go nowhere, rather than filling `make run`'s console or, with
# EMAIL_HOST set, being sent to example.org addresses.
QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Build the fixed demo world (SPEC.md). Safe to run again: it updates the same rows."

    def handle(self, *args, **options):
        with override_settings(EMAIL_BACKEND=QUIET_EMAIL), transaction.atomic():
            for dotted in settings.DEMO_SEEDERS:
                import_string(dotted)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
