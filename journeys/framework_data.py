"""The default Artsmark framework (version 1), loaded by a data migration.

Written for this portal in the spirit of the programme; admins change it in Django admin by
publishing a new version. Plain data only: the migration must not import models.
"""

from artsmark.common import vocab

SCALE = [
    (
        "development",
        "Area for development",
        "This is not yet a consistent part of the school's arts and cultural offer.",
    ),
    (
        "secure",
        "Secure",
        "This happens reliably across the school and staff can point to examples.",
    ),
    (
        "embedded",
        "Embedded",
        "This is part of the school's culture, led by staff and pupils alike, and reviewed.",
    ),
]

PRINCIPLE_DESCRIPTIONS = {
    "excellence": "Children and young people experience work of high quality and are "
    "encouraged to take creative risks and try new ways of working.",
    "authentic": "Activities are real and meaningful: pupils work with practising artists, "
    "real venues and genuine materials.",
    "inspiring": "Experiences are exciting and engaging, spark curiosity and motivate "
    "children and young people to take part.",
    "inclusive": "Every child can take part and feels safe, welcome and valued, whatever "
    "their background or needs.",
    "involving": "Pupils help shape what happens: they plan, choose, lead and reflect.",
    "progression": "Pupils build skills, knowledge and confidence over time and can see "
    "their next steps, including routes into further study and careers.",
    "belonging": "Pupils feel the arts and culture are for them and take ownership of the "
    "school's creative life.",
}

STRAND_DESCRIPTORS = {
    "values-ethos": (
        "The school's vision names arts and culture and staff can explain why they matter.",
        "Arts and culture shape the school's values and are visible across school life.",
        "Arts and culture are at the heart of the school's identity and its community's life.",
    ),
    "leadership": (
        "A named lead coordinates arts and cultural provision with support from senior leaders.",
        "Senior leaders and governors plan, fund and monitor arts and culture strategically.",
        "Leaders champion arts and culture beyond the school and support other schools.",
    ),
    "cyp-engagement": (
        "Pupils are consulted about arts activities and some take on roles.",
        "Pupils shape the offer through an arts council or similar group, and lead activities.",
        "Pupils co-design and lead provision and evaluate its impact with staff and partners.",
    ),
    "curriculum": (
        "Arts subjects are taught regularly with a planned sequence in at least two art forms.",
        "A broad, progressive arts curriculum links with other subjects across key stages.",
        "The curriculum is creative throughout and is shared as a model with other schools.",
    ),
    "range-of-offer": (
        "Pupils take part in a range of arts activities in and beyond the school day.",
        "A wide offer across art forms reaches every pupil, including Arts Award opportunities.",
        "An extensive, pupil-led offer reaches every pupil and the wider community.",
    ),
    "cpd": (
        "Some staff have had arts-related training in the last two years.",
        "A planned programme of arts CPD reaches most staff and is shared across the school.",
        "Staff lead CPD for others and arts expertise is developed systematically.",
    ),
    "partnerships": (
        "The school works with at least one cultural organisation or artist.",
        "Long-term partnerships with cultural organisations are planned against school goals.",
        "Partnerships are strategic, two-way and shape the partners' work as well as the school's.",
    ),
    "equality-diversity": (
        "The school checks that all pupils can take part in arts activities.",
        "Provision reflects diverse cultures and removes barriers for disadvantaged pupils.",
        "Equality, diversity and inclusion drive the whole arts offer and are evaluated.",
    ),
}

# (slug, title, guidance, [(slug, title, guidance, word limit, required)])
SECTIONS = [
    (
        "context",
        "School context and priorities",
        (
            "Tell us about your school and the priorities in your school development plan that "
            "arts and culture can help with."
        ),
        [
            (
                "school-context",
                "Describe your school and its community",
                (
                    "Include the number and ages of pupils, anything distinctive about your "
                    "setting and the community you serve."
                ),
                250,
                True,
            ),
            (
                "development-priorities",
                "Which school development priorities will Artsmark support?",
                (
                    "Name two or three priorities from your school development plan and say how "
                    "arts and culture can contribute."
                ),
                300,
                True,
            ),
        ],
    ),
    (
        "where-now",
        "Where you are now",
        "An honest picture of your arts and cultural provision today.",
        [
            (
                "current-provision",
                "What arts and cultural provision do you offer now?",
                "Think about the curriculum, clubs, trips, performances and visiting artists.",
                400,
                True,
            ),
            (
                "strengths-gaps",
                "What are your strengths and what is missing?",
                "Use your self-assessment against the Quality Principles to help you.",
                300,
                True,
            ),
        ],
    ),
    (
        "where-next",
        "Where you want to be",
        "Your ambition for arts and culture at the end of your Artsmark journey.",
        [
            (
                "ambition",
                "What will arts and culture look like in your school in two years?",
                "Describe the change you want pupils, staff and families to notice.",
                300,
                True,
            ),
        ],
    ),
    (
        "how-get-there",
        "How you will get there",
        "The approach behind your goals.",
        [
            (
                "approach",
                "How will you achieve your ambition?",
                (
                    "Summarise the main actions, resources and people involved. Your goals give "
                    "the detail."
                ),
                400,
                True,
            ),
            (
                "resources",
                "What resources and support will you need?",
                "Include budget, time, training and any funding you will apply for.",
                200,
                False,
            ),
        ],
    ),
    (
        "how-know",
        "How you will know",
        "How you will measure and evidence progress.",
        [
            (
                "measures",
                "How will you know you have made a difference?",
                "Name the measures you will use and how you will collect evidence.",
                300,
                True,
            ),
        ],
    ),
    (
        "pupil-voice",
        "Pupil voice",
        "How children and young people shape your plan.",
        [
            (
                "pupil-involvement",
                "How have pupils been involved in writing this plan, and how will they lead it?",
                "For example a pupil arts council, surveys, or pupils as arts ambassadors.",
                250,
                True,
            ),
        ],
    ),
    (
        "partnerships",
        "Partnerships",
        "The cultural organisations and artists you work with or plan to.",
        [
            (
                "partners",
                "Which partners will you work with, and why?",
                "Include current partners and the kinds of partner you are looking for.",
                250,
                True,
            ),
        ],
    ),
    (
        "edi",
        "Equality, diversity and inclusion",
        "Making sure every child benefits.",
        [
            (
                "inclusion",
                "How will your plan reach every pupil, including those facing barriers?",
                "Think about pupils with SEND, disadvantaged pupils and under-represented groups.",
                300,
                True,
            ),
        ],
    ),
    (
        "staff-development",
        "Staff development",
        "Building your staff's confidence and skills in the arts.",
        [
            (
                "cpd-plan",
                "What professional development will staff take part in?",
                "Include training, networks and how learning will be shared across the school.",
                250,
                True,
            ),
        ],
    ),
]


def strands():
    """(slug, title, silver, gold, platinum) for every strand, in vocab order."""
    return [(slug, title, *STRAND_DESCRIPTORS[slug]) for slug, title in vocab.STRANDS]


def principles():
    return [(slug, title, PRINCIPLE_DESCRIPTIONS[slug]) for slug, title in vocab.QUALITY_PRINCIPLES]


def load_default_framework(apps):
    """Create framework version 1 as the current one, if there is no framework yet.

    Takes a migration's `apps` registry so that the data migration uses historical models.
    """
    framework_model = apps.get_model("journeys", "Framework")
    if framework_model.objects.exists():
        return None
    framework = framework_model.objects.create(
        name="Artsmark framework", version=1, is_current=True
    )
    for order, (slug, label, description) in enumerate(SCALE):
        framework.scale_levels.create(order=order, slug=slug, label=label, description=description)
    for order, (slug, title, description) in enumerate(principles()):
        framework.quality_principles.create(
            order=order, slug=slug, title=title, description=description
        )
    for order, (slug, title, silver, gold, platinum) in enumerate(strands()):
        framework.strands.create(
            order=order, slug=slug, title=title, silver=silver, gold=gold, platinum=platinum
        )
    for order, (slug, title, guidance, questions) in enumerate(SECTIONS):
        section = framework.sections.create(order=order, slug=slug, title=title, guidance=guidance)
        for q_order, (q_slug, q_title, q_guidance, limit, required) in enumerate(questions):
            section.questions.create(
                order=q_order,
                slug=q_slug,
                title=q_title,
                guidance=q_guidance,
                word_limit=limit,
                required=required,
            )
    return framework
