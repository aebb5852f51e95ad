"""The kinds of report, read from settings.REPORT_KINDS."""

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string


class UnknownReportKindError(LookupError):
    pass


@dataclass(frozen=True)
class ReportKind:
    name: str
    label: str
    subject: str  # "app_label.model"
    data: str  # dotted path: subject -> dict
    template: str
    access: str  # dotted path: (user, pk) -> subject, or 404

    @cached_property
    def subject_model(self):
        return apps.get_model(self.subject)

    def build_data(self, subject):
        return import_string(self.data)(subject)

    def subject_for(self, user, pk):
        """The subject if `user` may read its reports; raises Http404 otherwise."""
        return import_string(self.access)(user, pk)


def get_kind(name):
    try:
        entry = settings.REPORT_KINDS[name]
    except KeyError:
        raise UnknownReportKindError(name) from None
    return ReportKind(name=name, **entry)
