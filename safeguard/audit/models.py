"""The two logs that prove what happened to a child's record, and that can never be rewritten.

``AccessEvent``: every view, search or export of case data, and every refusal.
``AuditEvent``: every change, written by the service that made it, in the same transaction.

Both are append-only: the application cannot update or delete a row (``save`` of an existing row, ``delete``
and the queryset's ``update``/``delete`` all raise), and on PostgreSQL a trigger refuses UPDATE and DELETE
from any client (migration 0002). Caldicott principle 8 (2020) makes a person's access log disclosable to
them, and UK GDPR art. 5(2) asks the council to be able to show its processing was lawful.
"""

from django.conf import settings
from django.db import models

from safeguard.people.models import Child


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a row of an append-only log."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be changed")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows cannot be deleted")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows cannot be deleted")


class AccessAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    DOWNLOAD = "download", "Downloaded"


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused"


class AccessEvent(AppendOnly):
    """One look at case data: who, what, when, on what basis, and whether it was allowed."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=AccessAction.choices)
    outcome = models.CharField(max_length=10, choices=AccessOutcome.choices)
    basis = models.CharField(
        max_length=60, blank=True, help_text="The relationship that allowed it, or why it was refused."
    )
    # What was looked at: a page name for a view, the search terms for a search, a file name for an export.
    subject = models.CharField(max_length=300, blank=True)
    result_count = models.PositiveIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["child", "at"], name="access_child_at_idx"),
            models.Index(fields=["user", "at"], name="access_user_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AccessAction.values), name="access_action_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=AccessOutcome.values), name="access_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.child_id or self.subject} {self.outcome}"


class AuditEvent(AppendOnly):
    """One change to the record: what changed, from what to what, by whom, and why."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty only for changes made by the system itself (a data load, a scheduled job).",
    )
    action = models.CharField(max_length=60, help_text='"<entity>.<verb>", e.g. "child.created"')
    entity_type = models.CharField(max_length=60)
    entity_id = models.CharField(max_length=40)
    child = models.ForeignKey(Child, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [before, after]}")
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["entity_type", "entity_id"], name="audit_entity_idx"),
            models.Index(fields=["child", "at"], name="audit_child_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.entity_type}:{self.entity_id}"
