"""`manage.py import_gias FILE`: create and update schools from a GIAS establishment CSV."""

from django.core.management.base import BaseCommand, CommandError

from artsmark.schools.services.gias import GiasFileError, import_gias_file


class Command(BaseCommand):
    help = (
        "Create or update schools (by URN) from DfE's Get Information About Schools "
        "establishment CSV, as downloaded. Never deletes a school; running it twice "
        "changes nothing the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the GIAS establishment CSV (e.g. edubasealldata.csv)")

    def handle(self, *args, **options):
        progress = self.stdout if options["verbosity"] >= 1 else None
        try:
            report = import_gias_file(path=options["file"], stdout=progress)
        except GiasFileError as error:
            raise CommandError(str(error)) from error
        for skipped in report.skipped:
            self.stdout.write(str(skipped))
        for authority in report.new_local_authorities:
            self.stdout.write(f"New local authority: {authority}")
        if report.closed:
            self.stdout.write(f"{report.closed:,} schools are now closed.")
        self.stdout.write(self.style.SUCCESS(report.summary()))
