"""Build a complete, submittable Statement of Commitment through the services."""

from django.utils import timezone

from journeys.services import commitment

ANSWER = (
    "Our school serves a diverse community and arts and culture help our pupils find their "
    "voice. We want every child to perform, make and visit."
)


def complete_statement(*, journey, lead, goals=2):
    framework = journey.framework
    for section in framework.sections.prefetch_related("questions"):
        commitment.save_section(
            journey=journey,
            section=section,
            answers={q.slug: ANSWER for q in section.questions.all()},
            based_on_version=0,
            actor=lead,
            completed=True,
        )
    titles = ["Every pupil performs to an audience", "Artists in every classroom"]
    for index in range(goals):
        commitment.add_goal(
            journey=journey,
            actor=lead,
            title=titles[index] if index < len(titles) else f"Goal {index + 1}",
            quality_principles=["involving"],
            strands=["cyp-engagement"],
            art_forms=["theatre"],
            actions="A pupil arts council plans a performance each term.",
            success_measure="Share of pupils who perform.",
            baseline="35%",
        )
    commitment.save_self_assessment(
        journey=journey,
        actor=lead,
        ratings={p.slug: ("secure", "Evidence.") for p in framework.quality_principles.all()},
        strands={s.slug: ("silver", "") for s in framework.strands.all()},
    )
    sign_off(journey=journey, lead=lead)
    # The learning programme: the framework's required sessions attended (a test helper may
    # reach into learning; journeys' own code never does).
    from learning.tests.factories import attended_session

    for kind in framework.required_session_kinds:
        attended_session(school=journey.school, user=lead, kind=kind)
    return journey


def sign_off(*, journey, lead):
    """Record today's sign-off by the headteacher and the chair of governors."""
    today = timezone.localdate()
    commitment.record_sign_off(
        journey=journey,
        actor=lead,
        headteacher_name="Dr Jane Evans",
        headteacher_signed_on=today,
        chair_name="Mr Raj Patel",
        chair_signed_on=today,
    )


def pay_invoice(*, journey, staff=None):
    """Record the payment of the journey's registration invoice, as platform staff would, so
    that it can be assessed. Nothing to do for a journey with nothing to pay."""
    from artsmark.accounts.models import User
    from journeys.services import fees

    invoice = fees.payment_outstanding(journey)
    if invoice is None:
        return None
    staff = staff or User.objects.filter(is_superuser=True).order_by("pk").first()
    if staff is None:
        staff = User.objects.create_superuser(email="finance@example.test", password=None)
    return fees.record_payment(
        invoice=invoice, paid_on=invoice.issued_on, reference=f"BACS {invoice.number}", actor=staff
    )
