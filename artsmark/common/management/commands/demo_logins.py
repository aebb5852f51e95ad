from django.conf import settings
from django.core.management.base import BaseCommand

from artsmark.schools.demo import DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo logins and their password."

    def handle(self, *args, **options):
        self.stdout.write(f"Demo logins (password for each: {settings.DEMO_PASSWORD}):")
        for email, _, who in DEMO_USERS:
            self.stdout.write(f"  {email:<30} {who}")
