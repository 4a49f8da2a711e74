"""Subject access requests: a person asks for everything the council holds about them.

The law (DOMAIN.md §7):

- UK GDPR art. 15 gives a person the right to a copy of their personal data; art. 12(3) says the council
  answers "without undue delay and in any event within one month of receipt", extendable "by two further
  months where necessary, taking into account the complexity and number of the requests", provided the
  requester is told of the extension, with the reasons, within the first month. No fee (art. 12(5)).
- The month runs from the day of receipt (or, if the council had to ask for proof of identity or authority,
  from the day that arrived) "until the corresponding calendar date in the next month"; if the next month
  has no such date, the last day of that month; if the date falls on a weekend or bank holiday, the next
  working day (ICO, Right of access guidance, "How long do we have to comply?").
- Exemptions are applied item by item, never wholesale (``RedactionReason``): DPA 2018 Sch. 2 and 3.

Nothing here changes the records disclosed: a ``Redaction`` points at an item of the export by its key and
is applied when the package is built (``safeguard.sar.package``).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.core.calendar import add_calendar_months, is_working_day, next_working_day
from safeguard.core.models import Recorded
from safeguard.organisation.models import Worker
from safeguard.people.models import Child

# UK GDPR art. 12(3): one month, and at most two further months for a complex request.
RESPONSE_MONTHS = 1
EXTENSION_MONTHS = 2


def response_due(clock_starts_on: datetime.date, months: int = RESPONSE_MONTHS) -> datetime.date:
    """The day a response is due, ``months`` calendar months after the clock starts.

    ICO, Right of access, "How long do we have to comply?": count from the day of receipt (whether or not it
    is a working day) to the corresponding calendar date in the next month; where that month is shorter and
    has no corresponding date, the last day of that month (31 January -> 28 February, or 29 in a leap year);
    where the date falls on a weekend or a public holiday, the next working day (bank holidays of England and
    Wales and the council's own closures, ``safeguard.core.calendar``).
    """
    corresponding = add_calendar_months(clock_starts_on, months)
    return corresponding if is_working_day(corresponding) else next_working_day(corresponding)


class RequesterKind(models.TextChoices):
    SUBJECT = "subject", "The person themself"
    PARENT = "parent", "A parent or carer with parental responsibility, for a child"
    REPRESENTATIVE = "representative", "A solicitor, advocate or other representative with written authority"


class SarStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_PROGRESS = "in_progress", "In progress"
    READY_FOR_REVIEW = "ready_for_review", "Ready for review"
    DISCLOSED = "disclosed", "Disclosed"
    CLOSED = "closed", "Closed"
    REFUSED = "refused", "Refused"


# While a request is open the officer assigned to it reaches the child's record (``policies.SAR_REACH``);
# once disclosed, closed or refused they no longer do.
OPEN_STATUSES = (SarStatus.RECEIVED, SarStatus.IN_PROGRESS, SarStatus.READY_FOR_REVIEW)
FINISHED_STATUSES = (SarStatus.DISCLOSED, SarStatus.CLOSED, SarStatus.REFUSED)


class SubjectAccessRequestQuerySet(models.QuerySet):
    def open(self) -> "SubjectAccessRequestQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date) -> "SubjectAccessRequestQuerySet":
        """Open requests whose (extended, if extended) due date has passed."""
        return self.open().filter(
            Q(extended_due_on__isnull=True, due_on__lt=today) | Q(extended_due_on__lt=today)
        )


class SubjectAccessRequest(Recorded):
    """One request for a copy of everything held about one person on the children's social care record."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="subject_access_requests")
    requester_kind = models.CharField("who asked", max_length=20, choices=RequesterKind.choices)
    requester_name = models.CharField(
        max_length=200, blank=True, help_text="Empty when the person asked themself"
    )
    requester_authority = models.TextField(
        blank=True, help_text="For someone asking on the person's behalf: the authority they showed"
    )
    received_on = models.DateField()
    identity_requested = models.BooleanField(
        default=False,
        help_text="Proof of identity or authority had to be asked for after the request arrived: the month "
        "then runs from when it arrived (ICO)",
    )
    identity_checked_on = models.DateField(null=True, blank=True)
    clock_starts_on = models.DateField(null=True, blank=True, help_text="Empty while waiting for proof")
    due_on = models.DateField(null=True, blank=True)
    extended_due_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extension_told_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=SarStatus.choices, default=SarStatus.RECEIVED)
    assigned_to = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="subject_access_requests"
    )
    outcome_reason = models.TextField(blank=True, help_text="Why the request was refused, or how it closed")
    finished_on = models.DateField(null=True, blank=True)

    objects = SubjectAccessRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status__in=OPEN_STATUSES), name="sar_open_due_idx"),
            models.Index(fields=["assigned_to", "status"], name="sar_assigned_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SarStatus.values), name="sar_status_valid"),
            models.CheckConstraint(
                condition=Q(requester_kind__in=RequesterKind.values), name="sar_requester_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True)
                | (Q(due_on__isnull=False) & ~Q(extension_reason="") & Q(extension_told_on__isnull=False)),
                name="sar_extension_has_reason_and_notice",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(outcome_reason=""), name="sar_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Subject access request {self.pk} received {self.received_on}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def deadline(self) -> datetime.date | None:
        """The date the response is due: the extended date if the request was extended (art. 12(3))."""
        return self.extended_due_on or self.due_on

    def is_overdue(self, today: datetime.date) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < today

    @property
    def latest_extended_due(self) -> datetime.date | None:
        """The furthest an extension can take the due date: two further months, i.e. three from the clock's
        start, counted as the first month is (UK GDPR art. 12(3); ICO)."""
        if self.clock_starts_on is None:
            return None
        return response_due(self.clock_starts_on, RESPONSE_MONTHS + EXTENSION_MONTHS)


class RedactionReason(models.TextChoices):
    """Why something is withheld. Each is an exemption the council must be able to name if challenged."""

    THIRD_PARTY = "third_party", "Third-party information (DPA 2018 Sch. 2 Pt. 3 para. 16)"
    SERIOUS_HARM = "serious_harm", "Serious harm: social work data (DPA 2018 Sch. 3 Pt. 3 para. 10)"
    EXPECTATIONS = (
        "expectations",
        ("Against the person's expectations and wishes, asked by a parent (DPA 2018 Sch. 3 Pt. 3 para. 9)"),
    )
    COURT = "court", "Social work data processed by a court (DPA 2018 Sch. 3 Pt. 3 para. 8)"
    LEGAL_PRIVILEGE = "legal_privilege", "Legal professional privilege (DPA 2018 Sch. 2 Pt. 4 para. 19)"
    CRIME = "crime", "Prevention or detection of crime (DPA 2018 Sch. 2 Pt. 1 para. 2)"
    ADOPTION = "adoption", "Adoption records and reports (DPA 2018 Sch. 4 para. 3)"
    NOT_PERSONAL_DATA = "not_personal_data", "Not the requester's personal data (UK GDPR art. 15)"


# The item key and field of a run of text withheld wherever it appears in the package.
EVERYWHERE = "*"


class Redaction(models.Model):
    """Something withheld from the package: a whole item, one field of it, or an exact run of text in a field
    (or in every field of every item: ``item_key`` and ``field`` both ``EVERYWHERE``).

    ``item_key`` names the item as the export does (``"casenotes.casenote:12"``); ``field`` empty means the
    whole item; ``text`` empty means the whole field. A redaction is never deleted: one made in error is
    withdrawn, with a reason, and stays on the record of how the request was handled.
    """

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.PROTECT, related_name="redactions")
    item_key = models.CharField(max_length=120)
    field = models.CharField(max_length=100, blank=True)
    text = models.TextField(blank=True)
    reason = models.CharField(max_length=30, choices=RedactionReason.choices)
    explanation = models.TextField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["item_key", "field", "pk"]
        indexes = [models.Index(fields=["request", "item_key"], name="sar_redaction_item_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=RedactionReason.values), name="sar_redaction_reason"
            ),
            models.CheckConstraint(condition=~Q(explanation=""), name="sar_redaction_explained"),
            models.CheckConstraint(condition=Q(text="") | ~Q(field=""), name="sar_redaction_text_in_field"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="sar_redaction_withdrawal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Redaction of {self.item_key} {self.field} ({self.get_reason_display()})"

    @property
    def scope(self) -> str:
        if self.item_key == EVERYWHERE:
            return "text wherever it appears"
        if not self.field:
            return "whole item"
        if not self.text:
            return f"field {self.field}"
        return f"text in {self.field}"


class Disclosure(models.Model):
    """One package sent to the requester: what was in it, what was withheld, when, by whom, to whom.

    ``items`` lists every item in the package with its fingerprint (SHA-256 of what it said when
    disclosed, so a later change to the record shows), ``redactions`` the redactions applied, ``documents``
    the documents included, and ``package_sha256`` identifies the file sent.
    """

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.PROTECT, related_name="disclosures")
    disclosed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField(auto_now_add=True)
    sent_to = models.CharField(max_length=300)
    method = models.CharField(max_length=200, help_text="How it was sent: secure email, post, in person")
    items = models.JSONField(default=list)
    redactions = models.JSONField(default=list)
    documents = models.JSONField(default=list)
    file_name = models.CharField(max_length=200)
    package_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-disclosed_at", "-pk"]

    def __str__(self) -> str:
        return f"Disclosure {self.pk} for request {self.request_id} on {self.disclosed_at:%Y-%m-%d}"
