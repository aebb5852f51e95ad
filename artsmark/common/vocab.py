"""Shared vocabularies that several apps tag things with.

Journeys' frameworks (versioned data) name their Quality Principles and strands with these
slugs, and partner offers use the same slugs, so a school's goals and a partner's offers
can be matched without either app importing the other's models.
"""

QUALITY_PRINCIPLES = [
    ("excellence", "Striving for excellence and innovation"),
    ("authentic", "Being authentic"),
    ("inspiring", "Being exciting, inspiring and engaging"),
    ("inclusive", "Ensuring a positive and inclusive experience"),
    ("involving", "Actively involving children and young people"),
    ("progression", "Enabling personal progression"),
    ("belonging", "Developing belonging and ownership"),
]

STRANDS = [
    ("values-ethos", "Values and ethos"),
    ("leadership", "Leadership"),
    ("cyp-engagement", "Children and young people's engagement"),
    ("curriculum", "Curriculum design"),
    ("range-of-offer", "Range of offer"),
    ("cpd", "CPD"),
    ("partnerships", "Partnerships"),
    ("equality-diversity", "Equality and diversity"),
]

# Kinds of learning-programme session. Frameworks (journeys) name the kinds a school must have
# attended before it submits; the learning app runs the sessions.
SESSION_KINDS = [
    ("development_day", "Development day"),
    ("module", "Module"),
    ("partner_training", "Partner training"),
]

ART_FORMS = [
    ("music", "Music"),
    ("theatre", "Theatre and drama"),
    ("dance", "Dance"),
    ("visual-arts", "Visual arts"),
    ("craft-design", "Craft and design"),
    ("literature", "Literature and creative writing"),
    ("film-media", "Film and digital media"),
    ("photography", "Photography"),
    ("heritage", "Museums and heritage"),
    ("libraries", "Libraries and reading"),
    ("combined-arts", "Combined arts and festivals"),
    ("circus-outdoor", "Circus and outdoor arts"),
]

KEY_STAGES = [
    ("eyfs", "Early years (EYFS)"),
    ("ks1", "Key stage 1"),
    ("ks2", "Key stage 2"),
    ("ks3", "Key stage 3"),
    ("ks4", "Key stage 4"),
    ("ks5", "Key stage 5 (16 to 19)"),
]

# Which key stages a GIAS phase of education teaches; phases not listed (special schools,
# "Not applicable") can teach any.
PHASE_KEY_STAGES = {
    "Nursery": ["eyfs"],
    "Primary": ["eyfs", "ks1", "ks2"],
    "Middle deemed primary": ["ks2", "ks3"],
    "Middle deemed secondary": ["ks2", "ks3"],
    "Secondary": ["ks3", "ks4", "ks5"],
    "16 plus": ["ks5"],
    "All-through": ["eyfs", "ks1", "ks2", "ks3", "ks4", "ks5"],
}


def key_stages_for_phase(phase):
    return PHASE_KEY_STAGES.get(phase, [code for code, _ in KEY_STAGES])


def label(vocabulary, slug):
    return dict(vocabulary).get(slug, slug)
