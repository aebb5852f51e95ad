"""Reads for the review pages: the queue, one review with its diff, the journey page panel.

Each function runs a fixed number of queries whatever the number of submissions, goals or
answers.
"""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Q, When
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from artsmark.common import vocab
from artsmark.schools.access import is_member, reviews_school
from artsmark.schools.models import BridgeMembership, LocalAuthority
from journeys import diff
from journeys.enums import (
    COMMITMENT_EDITABLE_STAGES,
    IMPACT_EDITABLE_STAGES,
    IN_REVIEW_STAGES,
    ReviewDecision,
    ReviewKind,
    Stage,
)
from journeys.models import CommitmentVersion, FeedbackRequest, Invoice, Review

PAGE_SIZE = 25
GENERAL, GOALS, SELF_ASSESSMENT = "general", "goals", "self-assessment"
PART_TITLES = {
    GENERAL: "The statement as a whole",
    GOALS: "Goals",
    SELF_ASSESSMENT: "Self-assessment",
}


def person(user):
    if user is None:
        return "Someone"
    return user.full_name or user.email


# --- URLs -------------------------------------------------------------------------------------


def review_url(review):
    """Where a review is read and decided: ours for commitments, the assessment for impact."""
    if review.kind == ReviewKind.COMMITMENT:
        return reverse("journeys:review", kwargs={"review_pk": review.pk})
    try:
        return reverse("journeys:assess", kwargs={"review_pk": review.pk})
    except NoReverseMatch:
        return reverse("journeys:detail", kwargs={"pk": review.journey_id})


def overdue_days(due_on, today=None):
    today = today or timezone.localdate()
    return (today - due_on).days if due_on < today else 0


# --- The queue --------------------------------------------------------------------------------


def _is_small_number(text):
    # str.isdigit() alone lets "²" through, which int() refuses.
    return text.isascii() and text.isdigit() and len(text) < 10


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filters, read leniently from a query string: a value we do not know is
    ignored (the list is shown unfiltered on that facet), never an error page."""

    stage: str = ""
    local_authority: int | None = None
    phase: str = ""
    reviewer: str = ""  # "", "none" or a user pk as text
    overdue: bool = False

    @classmethod
    def from_params(cls, params):
        stage = params.get("stage", "")
        local_authority = params.get("local_authority", "")
        reviewer = params.get("reviewer", "")
        return cls(
            stage=stage if stage in IN_REVIEW_STAGES else "",
            local_authority=int(local_authority) if _is_small_number(local_authority) else None,
            phase=params.get("phase", "").replace("\x00", "")[:100],
            reviewer=reviewer if reviewer == "none" or _is_small_number(reviewer) else "",
            overdue=params.get("overdue", "") == "yes",
        )

    @property
    def is_filtered(self):
        return bool(
            self.stage or self.local_authority or self.phase or self.reviewer or self.overdue
        )


def open_reviews_in_area(*, organisation):
    """Undecided reviews of journeys at schools in the organisation's local authorities."""
    return Review.objects.filter(
        decision="",
        journey__school__local_authority_id__in=organisation.local_authorities.values("pk"),
    )


def _filtered(queryset, filters, *, leave_out="", today):
    if filters.stage and leave_out != "stage":
        queryset = queryset.filter(journey__stage=filters.stage)
    if filters.local_authority and leave_out != "local_authority":
        queryset = queryset.filter(journey__school__local_authority_id=filters.local_authority)
    if filters.phase and leave_out != "phase":
        queryset = queryset.filter(journey__school__phase=filters.phase)
    if filters.reviewer and leave_out != "reviewer":
        if filters.reviewer == "none":
            queryset = queryset.filter(assigned_to__isnull=True)
        else:
            queryset = queryset.filter(assigned_to_id=int(filters.reviewer))
    if filters.overdue and leave_out != "overdue":
        queryset = queryset.filter(due_on__lt=today)
    return queryset


_FACET_KEYS = ("stage", "local_authority", "phase", "reviewer", "overdue")


def _matches(row, filters, leave_out):
    """Whether a facet row passes every filter except `leave_out` (as _filtered does)."""
    wanted = {
        "stage": filters.stage,
        "local_authority": filters.local_authority,
        "phase": filters.phase,
        "reviewer": filters.reviewer,
        "overdue": filters.overdue,
    }
    for key in _FACET_KEYS:
        value = wanted[key]
        if key == leave_out or not value:
            continue
        if key == "reviewer":
            if row["reviewer"] != (None if value == "none" else int(value)):
                return False
        elif row[key] != value:
            return False
    return True


def _facet_rows(base, today):
    """The open reviews counted by every facet value at once: one grouped query.

    A row per combination that occurs (so at most one per open review in the area), from
    which each facet's counts are summed with every other filter applied.
    """
    return list(
        base.order_by()
        .annotate(
            overdue=Case(When(due_on__lt=today, then=True), default=False),
            stage=F("journey__stage"),
            local_authority=F("journey__school__local_authority_id"),
            phase=F("journey__school__phase"),
            reviewer=F("assigned_to_id"),
        )
        .values(*_FACET_KEYS)
        .annotate(n=Count("pk"))
    )


def _counts(rows, filters, facet):
    counts = {}
    for row in rows:
        if _matches(row, filters, leave_out=facet):
            counts[row[facet]] = counts.get(row[facet], 0) + row["n"]
    return counts


def _facets(base, filters, organisation, today):
    """Options of each filter with the number of submissions each would show.

    A facet's counts apply every other filter but its own.
    """
    rows = _facet_rows(base, today)
    stage_counts = _counts(rows, filters, "stage")
    la_counts = _counts(rows, filters, "local_authority")
    phase_counts = _counts(rows, filters, "phase")
    reviewer_counts = _counts(rows, filters, "reviewer")
    by_overdue = _counts(rows, filters, "overdue")
    overdue = {"all": sum(by_overdue.values()), "overdue": by_overdue.get(True, 0)}
    authorities = LocalAuthority.objects.filter(bridge_organisations=organisation).order_by("name")
    reviewers = (
        BridgeMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    phases = sorted({*phase_counts, *([filters.phase] if filters.phase else [])} - {""})
    return {
        "stage": [
            {"value": stage.value, "label": stage.label, "count": stage_counts.get(stage.value, 0)}
            for stage in (Stage(s) for s in IN_REVIEW_STAGES)
        ],
        "local_authority": [
            {"value": str(la.pk), "label": la.name, "count": la_counts.get(la.pk, 0)}
            for la in authorities
        ],
        "phase": [
            {"value": phase, "label": phase, "count": phase_counts.get(phase, 0)}
            for phase in phases
        ],
        "reviewer": [
            {"value": "none", "label": "Not assigned", "count": reviewer_counts.get(None, 0)},
            *(
                {
                    "value": str(m.user_id),
                    "label": person(m.user),
                    "count": reviewer_counts.get(m.user_id, 0),
                }
                for m in reviewers
            ),
        ],
        "overdue": {"all": overdue["all"], "overdue": overdue["overdue"]},
    }


def _queue_row(review, today):
    school = review.journey.school
    return {
        "review": review,
        "school": school,
        "local_authority": school.local_authority.name,
        "phase": school.phase,
        "stage_label": review.journey.get_stage_display(),
        "kind_label": review.get_kind_display(),
        "overdue_days": overdue_days(review.due_on, today),
        "assigned_to": person(review.assigned_to) if review.assigned_to_id else "",
        "url": review_url(review),
        "unpaid": getattr(review, "unpaid", False),
    }


def _unpaid_invoice():
    """True for a review whose journey's registration invoice is unpaid (not assessable)."""
    return Exists(Invoice.objects.filter(journey_id=OuterRef("journey_id"), paid_on__isnull=True))


def review_queue(*, organisation, params, page_number=1):
    """The organisation's queue: filtered, sorted by due date, paginated, with counts."""
    today = timezone.localdate()
    filters = QueueFilters.from_params(params)
    base = open_reviews_in_area(organisation=organisation)
    rows = (
        _filtered(base, filters, today=today)
        .select_related("journey__school__local_authority", "assigned_to")
        .annotate(unpaid=_unpaid_invoice())
        .order_by("due_on", "submitted_at", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(page_number)
    page.object_list = [_queue_row(review, today) for review in page.object_list]
    return {
        "organisation": organisation,
        "filters": filters,
        "facets": _facets(base, filters, organisation, today),
        "page": page,
        "open_feedback_count": open_feedback_requests(organisation=organisation).count(),
    }


def waiting_counts(*, organisation):
    today = timezone.localdate()
    return open_reviews_in_area(organisation=organisation).aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )


# --- Informal feedback ------------------------------------------------------------------------


def open_feedback_requests(*, organisation):
    return FeedbackRequest.objects.filter(
        answered_at__isnull=True,
        journey__school__local_authority_id__in=organisation.local_authorities.values("pk"),
    )


def feedback_requests_page(*, organisation):
    """Open requests (oldest first) and the last few answered, in the organisation's area."""
    in_area = FeedbackRequest.objects.filter(
        journey__school__local_authority_id__in=organisation.local_authorities.values("pk")
    ).select_related("journey__school__local_authority", "requested_by", "answered_by")
    return {
        "organisation": organisation,
        "open_requests": list(
            in_area.filter(answered_at__isnull=True).order_by("created_at", "pk")
        ),
        "answered": list(in_area.filter(answered_at__isnull=False).order_by("-answered_at")[:10]),
    }


# --- One review: the submitted version, its comments and what changed ------------------------


def _labels(vocabulary, slugs):
    return ", ".join(vocab.label(vocabulary, slug) for slug in slugs or [])


GOAL_FIELDS = [
    ("description", "Why it matters"),
    ("actions", "Actions"),
    ("success_measure", "Success measure"),
    ("baseline", "Baseline"),
    ("timescale", "Timescale"),
    ("lead_name", "Who leads"),
    ("quality_principles", "Quality Principles"),
    ("strands", "Strands"),
    ("art_forms", "Art forms"),
]
_GOAL_VOCABULARIES = {
    "quality_principles": vocab.QUALITY_PRINCIPLES,
    "strands": vocab.STRANDS,
    "art_forms": vocab.ART_FORMS,
}


def _goal_value(goal, field):
    if field in _GOAL_VOCABULARIES:
        return _labels(_GOAL_VOCABULARIES[field], goal.get(field))
    return goal.get(field) or ""


def _compared(old, new, compare):
    """One value, and (when comparing) whether it changed and the word-level diff."""
    old, new = old or "", new or ""
    if not compare:
        return {"text": new, "changed": False, "diff": None}
    changed = diff.has_changed(old, new)
    return {
        "text": new,
        "changed": changed,
        "diff": diff.render_diff(old, new) if changed else None,
    }


def _sections(content, previous, comments):
    old_answers = (previous or {}).get("answers", {})
    compare = previous is not None
    sections = []
    for section in content.get("sections", []):
        questions = [
            {
                "slug": q["slug"],
                "title": q["title"],
                "words": q.get("words"),
                "word_limit": q.get("word_limit"),
                **_compared(old_answers.get(q["slug"], ""), q.get("text", ""), compare),
            }
            for q in section.get("questions", [])
        ]
        sections.append(
            {
                "slug": section["slug"],
                "title": section["title"],
                "questions": questions,
                "changed": any(q["changed"] for q in questions),
                "comment": comments.get(section["slug"]),
            }
        )
    return sections


def _match_goals(goals, old_goals):
    by_pk = {g.get("pk"): g for g in old_goals}
    by_title = {g.get("title"): g for g in old_goals}
    used, pairs = set(), []
    for goal in goals:
        old = by_pk.get(goal.get("pk"))
        if old is None or id(old) in used:
            old = by_title.get(goal.get("title"))
        if old is not None and id(old) in used:
            old = None
        if old is not None:
            used.add(id(old))
        pairs.append((old, goal))
    removed = [g for g in old_goals if id(g) not in used]
    return pairs, removed


def _goal_rows(content, previous):
    compare = previous is not None
    pairs, removed = _match_goals(content.get("goals", []), (previous or {}).get("goals", []))
    rows = []
    for old, goal in pairs:
        added = compare and old is None
        fields = [
            {
                "label": label,
                **_compared(
                    _goal_value(old, field) if old else "",
                    _goal_value(goal, field),
                    compare and not added,
                ),
            }
            for field, label in GOAL_FIELDS
        ]
        title = _compared(old.get("title") if old else "", goal.get("title"), compare and not added)
        rows.append(
            {
                "title": title,
                "fields": fields,
                "added": added,
                "changed": added or title["changed"] or any(f["changed"] for f in fields),
            }
        )
    removed_rows = (
        [
            {
                "title": goal.get("title", ""),
                "fields": [
                    {"label": label, "text": _goal_value(goal, field)}
                    for field, label in GOAL_FIELDS
                ],
            }
            for goal in removed
        ]
        if compare
        else []
    )
    return rows, removed_rows


def _assessment_rows(content, previous):
    compare = previous is not None
    old_ratings = {r.get("principle"): r for r in (previous or {}).get("principle_ratings", [])}
    old_strands = {s.get("strand"): s for s in (previous or {}).get("strand_assessments", [])}
    principles = []
    for rating in content.get("principle_ratings", []):
        old = old_ratings.get(rating.get("principle"), {})
        principles.append(
            {
                "title": rating.get("title")
                or vocab.label(vocab.QUALITY_PRINCIPLES, rating.get("principle")),
                "level": _compared(old.get("level_label"), rating.get("level_label"), compare),
                "evidence": _compared(old.get("evidence"), rating.get("evidence"), compare),
            }
        )
    strands = []
    for strand in content.get("strand_assessments", []):
        old = old_strands.get(strand.get("strand"), {})
        strands.append(
            {
                "title": strand.get("title") or vocab.label(vocab.STRANDS, strand.get("strand")),
                "level": _compared(old.get("level_label"), strand.get("level_label"), compare),
                "note": _compared(old.get("note"), strand.get("note"), compare),
            }
        )
    changed = any(
        row[key]["changed"]
        for rows, keys in ((principles, ("level", "evidence")), (strands, ("level", "note")))
        for row in rows
        for key in keys
    )
    return {"principles": principles, "strands": strands, "changed": changed}


def returned_before(*, review):
    """The latest returned review of the same statement before this one, or None."""
    return (
        Review.objects.filter(
            journey_id=review.journey_id,
            kind=review.kind,
            decision=ReviewDecision.RETURNED,
            version_number__lt=review.version_number,
        )
        .select_related("decided_by")
        .order_by("-version_number")
        .first()
    )


def comment_parts(content):
    """The parts a reviewer may comment on: each section, goals, self-assessment, general."""
    parts = {section["slug"]: section["title"] for section in content.get("sections", [])}
    return {
        **parts,
        GOALS: PART_TITLES[GOALS],
        SELF_ASSESSMENT: PART_TITLES[SELF_ASSESSMENT],
        GENERAL: PART_TITLES[GENERAL],
    }


def version_content(*, journey_id, number):
    return (
        CommitmentVersion.objects.filter(journey_id=journey_id, number=number)
        .values_list("content", flat=True)
        .first()
    ) or {}


def assignable_reviewers(*, school):
    """Reviewers of the Bridge Organisations covering the school (for a lead to assign)."""
    memberships = (
        BridgeMembership.objects.filter(organisation__local_authorities=school.local_authority_id)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    seen, people = set(), []
    for membership in memberships:
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            people.append(membership.user)
    return people


def review_page_data(*, review, user):
    """Everything the review page shows, in a fixed number of queries."""
    from journeys.services.fees import payment_outstanding
    from journeys.services.reviews import is_organisation_lead

    journey = review.journey
    content = version_content(journey_id=journey.pk, number=review.version_number)
    comments = {c.part: c for c in review.comments.select_related("author")}
    previous_review = returned_before(review=review)
    previous = (
        version_content(journey_id=journey.pk, number=previous_review.version_number)
        if previous_review
        else None
    )
    goals, removed_goals = _goal_rows(content, previous)
    assessment = _assessment_rows(content, previous)
    is_reviewer = user.is_superuser or reviews_school(user, journey.school)
    can_act = is_reviewer and not review.is_decided
    can_assign_others = can_act and (
        user.is_superuser or is_organisation_lead(user, journey.school)
    )
    parts = comment_parts(content)
    return {
        "review": review,
        "journey": journey,
        "content": content,
        "sections": _sections(content, previous, comments),
        "goals": goals,
        "removed_goals": removed_goals,
        "goals_changed": any(g["changed"] for g in goals) or bool(removed_goals),
        "goals_comment": comments.get(GOALS),
        "assessment": assessment,
        "assessment_comment": comments.get(SELF_ASSESSMENT),
        "general_comment": comments.get(GENERAL),
        "comments": [
            {"part": part, "title": parts.get(part, part), "comment": comment}
            for part, comment in comments.items()
        ],
        "previous_review": previous_review,
        "compared": previous is not None,
        "is_reviewer": is_reviewer,
        "can_act": can_act,
        "can_assign_others": can_assign_others,
        "reviewers": assignable_reviewers(school=journey.school) if can_assign_others else [],
        "overdue_days": 0 if review.is_decided else overdue_days(review.due_on),
        "decided_by": person(review.decided_by) if review.is_decided else "",
        "unpaid_invoice": None if review.is_decided else payment_outstanding(journey),
    }


# --- What the school reads beside its draft ---------------------------------------------------


def returned_feedback(*, journey):
    """The latest decided review of the Statement of Commitment while the school redrafts it.

    None unless the statement is back with the school. Two queries (the review, its comments),
    cached on the journey so that a page showing it in several places asks once.
    """
    cached = getattr(journey, "_returned_feedback", False)
    if cached is not False:
        return cached
    result = None
    if journey.stage == Stage.COMMITMENT_RETURNED:
        review = (
            Review.objects.filter(journey=journey, kind=ReviewKind.COMMITMENT)
            .exclude(decision="")
            .select_related("decided_by")
            .prefetch_related("comments")
            .order_by("-version_number")
            .first()
        )
        if review is not None and review.decision == ReviewDecision.RETURNED:
            result = {
                "review": review,
                "decided_by": person(review.decided_by),
                "comments": {c.part: c for c in review.comments.all()},
            }
    journey._returned_feedback = result
    return result


# --- The journey page's review panel ----------------------------------------------------------


def _feedback_kind(stage):
    if stage in COMMITMENT_EDITABLE_STAGES:
        return ReviewKind.COMMITMENT
    if stage in IMPACT_EDITABLE_STAGES:
        return ReviewKind.IMPACT
    return None


def journey_page_extra(*, journey, user):
    """What the journey page shows of the review part (a fixed number of queries)."""
    reviews = list(journey.reviews.select_related("decided_by", "assigned_to").order_by("-pk")[:2])
    open_review = next((r for r in reviews if not r.is_decided), None)
    decided = next((r for r in reviews if r.is_decided), None)
    is_reviewer = user.is_superuser or reviews_school(user, journey.school)
    member = is_member(user, journey.school)
    requests = list(journey.feedback_requests.select_related("requested_by", "answered_by")[:5])
    kind = _feedback_kind(journey.stage)
    has_open_request = any(r.answered_at is None for r in requests)
    return {
        "review_panel": {
            "open_review": open_review,
            "open_review_url": review_url(open_review) if open_review else "",
            "open_overdue_days": overdue_days(open_review.due_on) if open_review else 0,
            "decided": decided,
            "decided_by": person(decided.decided_by) if decided else "",
            "decided_url": review_url(decided)
            if decided and decided.decision != ReviewDecision.WITHDRAWN
            else "",
            "is_reviewer": is_reviewer,
            "is_member": member,
            "feedback_requests": requests,
            "can_request_feedback": (member or user.is_superuser)
            and kind is not None
            and not has_open_request,
            "feedback_kind_label": kind.label if kind else "",
            "can_withdraw": is_reviewer and journey.is_open,
        }
    }
