from django.contrib.contenttypes.models import ContentType

from artsmark.common.models import ActivityEntry


def record_activity(*, subject, actor, verb, from_state="", to_state="", note=""):
    """Append one entry to the activity log of `subject`."""
    return ActivityEntry.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        actor=actor if actor is not None and actor.is_authenticated else None,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def activity_for(subject):
    """The log of `subject`, oldest first, with actors fetched in the same query."""
    return ActivityEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("actor")
