import factory

from journeys.enums import Stage
from journeys.models import Framework, Goal, Journey


class JourneyFactory(factory.django.DjangoModelFactory):
    """A journey on the current (migration-seeded) framework, at any stage.

    Setting `stage` directly is for building test data only; the portal moves stages
    through services/stages.py.
    """

    class Meta:
        model = Journey

    school = factory.SubFactory("artsmark.schools.tests.factories.SchoolFactory")
    framework = factory.LazyFunction(Framework.objects.current)
    stage = Stage.COMMITMENT_DRAFT


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    journey = factory.SubFactory(JourneyFactory)
    order = factory.Sequence(lambda n: n)
    title = factory.Sequence(lambda n: f"Goal {n}: more pupils perform to an audience")
    description = "Why this goal matters to our pupils."
    quality_principles = factory.LazyFunction(lambda: ["involving", "belonging"])
    strands = factory.LazyFunction(lambda: ["cyp-engagement"])
    art_forms = factory.LazyFunction(lambda: ["theatre"])
    actions = "Termly performances; a pupil arts council plans them."
    success_measure = "Share of pupils who perform to an audience each year."
    baseline = "35% of pupils in 2024"
    timescale = "By July 2026"
    lead_name = "Music lead"
