"""Partner directory vocabularies and the listing's moderation states."""

from django.db import models


class OfferType(models.TextChoices):
    CPD = "cpd", "CPD for teachers"
    WORKSHOPS = "workshops", "Workshops"
    PERFORMANCES = "performances", "Performances and visits"
    RESIDENCIES = "residencies", "Residencies"
    ARTS_AWARD = "arts-award", "Arts Award support"
    CAREERS = "careers", "Careers and skills"
    DIGITAL = "digital", "Digital and technology"
    SEND = "send", "SEND and alternative provision expertise"
    FUNDRAISING = "fundraising", "Fundraising support"


class Cost(models.TextChoices):
    FREE = "free", "Free"
    SUBSIDISED = "subsidised", "Subsidised"
    PAID = "paid", "Paid"


# Which framework strands an offer type contributes to, so that a school's goals (tagged
# with strands) can be matched with offers (tagged with offer types).
OFFER_TYPE_STRANDS = {
    OfferType.CPD: ["cpd", "leadership"],
    OfferType.WORKSHOPS: ["cyp-engagement", "range-of-offer", "curriculum"],
    OfferType.PERFORMANCES: ["range-of-offer", "cyp-engagement"],
    OfferType.RESIDENCIES: ["curriculum", "cyp-engagement", "values-ethos"],
    OfferType.ARTS_AWARD: ["cyp-engagement", "range-of-offer"],
    OfferType.CAREERS: ["curriculum", "range-of-offer"],
    OfferType.DIGITAL: ["curriculum", "range-of-offer"],
    OfferType.SEND: ["equality-diversity"],
    OfferType.FUNDRAISING: ["leadership", "values-ethos"],
}


class ListingStatus(models.TextChoices):
    """The moderation state of an organisation's working copy of its listing."""

    DRAFT = "draft", "Draft"
    PENDING = "pending", "Waiting for moderation"
    PUBLISHED = "published", "Published"
    RETURNED = "returned", "Returned with comments"


# (from, to) pairs that moderation may make; services/moderation.py is the only door.
LISTING_TRANSITIONS = {
    (ListingStatus.DRAFT, ListingStatus.PENDING),
    (ListingStatus.RETURNED, ListingStatus.PENDING),
    (ListingStatus.PENDING, ListingStatus.PUBLISHED),
    (ListingStatus.PENDING, ListingStatus.RETURNED),
    # Editing an approved listing starts a new draft revision; the public copy stays.
    (ListingStatus.PUBLISHED, ListingStatus.DRAFT),
    (ListingStatus.RETURNED, ListingStatus.DRAFT),
}


class RevisionStatus(models.TextChoices):
    PENDING = "pending", "Waiting for moderation"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"
    SUPERSEDED = "superseded", "Replaced by a later version"


class MembershipRole(models.TextChoices):
    ADMIN = "admin", "Administrator"
    MEMBER = "member", "Member"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted: a partnership"
    CLOSED = "closed", "Closed"
