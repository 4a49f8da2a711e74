"""Base models shared by every app: who created and changed a row, statutory reference codes, calendar overrides.

``core`` imports no other Safeguard app.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q


class Recorded(models.Model):
    """A row that knows when it was recorded and last changed, and by whom.

    The full history of a change lives in ``audit.AuditEvent``, which the service that made the change writes;
    these columns are for showing "recorded by" on a page without a join into the audit log.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    modified_at = models.DateTimeField(auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class ReferenceCodeQuerySet(models.QuerySet):
    def of(self, code_set: str) -> "ReferenceCodeQuerySet":
        return self.filter(code_set=code_set)

    def valid_on(self, day: datetime.date) -> "ReferenceCodeQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class ReferenceCode(models.Model):
    """One code of a statutory code list (ethnicity, disability, referral source...), valid for a span of dates.

    Code lists change by collection year (ReferralSource 5D and ReasonForClosure RC9 arrived in 2022-23; Sex
    M/F/U replaced GenderCurrent in 2024-25), so each code carries the dates it is valid for and the document
    that defines it. The lists themselves are loaded from ``safeguard/core/data/reference_codes.csv``.
    """

    code_set = models.CharField(max_length=40)
    code = models.CharField(max_length=10)
    label = models.CharField(max_length=200)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300, help_text="The specification or statute that defines the code.")
    sort_order = models.PositiveSmallIntegerField(default=0)

    objects = ReferenceCodeQuerySet.as_manager()

    class Meta:
        ordering = ["code_set", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_set", "code", "valid_from"], name="unique_code_per_validity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label}"


class CalendarOverride(models.Model):
    """A local change to the working-day calendar: a day the council closes, or a bank holiday it works.

    The England and Wales bank holidays come from the ``holidays`` package; this table covers what it cannot
    know (a council closure day between Christmas and New Year, a newly announced one-off bank holiday
    before the package is upgraded).
    """

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {'working day' if self.is_working_day else 'not a working day'} ({self.reason})"
