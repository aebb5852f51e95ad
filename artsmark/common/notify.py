from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string


def send_templated_email(*, template, to, context):
    """Send `templates/<template>_subject.txt` and `<template>.txt` to each address.

    Called from `transaction.on_commit` so that nobody is told of a change that rolled back.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    return send_mail(
        subject=f"[Artsmark] {subject}",
        message=body,
        from_email=None,
        recipient_list=recipients,
    )
