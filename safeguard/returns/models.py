"""What the returns keep of their own: the explanations given for queries, and what imports did (ADR 12).

A query (a rule whose code ends in Q) flags something unusual that may be right; the DfE's collection system
accepts it with an explanation. The explanation belongs to the rule, the year and the child, so it is kept
and shown again every time the return is validated, until the data changes so that the query no longer
fires. Everything else in a return is a view of the records and is not stored here.
"""

from django.conf import settings
from django.db import models

from safeguard.core.models import Recorded


class QueryExplanation(Recorded):
    collection = models.CharField(max_length=20, help_text="cin_census or ssda903")
    year = models.PositiveSmallIntegerField(help_text="The year the collection ends (31 March)")
    code = models.CharField(max_length=8, help_text="The query's rule code, e.g. 8670Q")
    la_child_id = models.CharField(
        max_length=20, blank=True, help_text="The child's LAchildID; blank for a query about the whole return"
    )
    explanation = models.TextField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "year", "code", "la_child_id"], name="one_explanation_per_query"
            ),
            models.CheckConstraint(condition=models.Q(code__endswith="Q"), name="explanation_for_a_query"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.la_child_id or '(return)'} {self.year}"


class ImportBatch(Recorded):
    """One file (or, for the SSDA903, one folder of files) a council imported from its old system
    (``returns.imports``, ADR 12). Every record the import created is listed in ``ImportedRecord``, so that
    what came from which file can always be found; ``created_by`` and ``created_at`` say who and when."""

    collection = models.CharField(max_length=20, help_text="cin_census or ssda903")
    year = models.PositiveSmallIntegerField(help_text="The year the collection ends (31 March)")
    file_name = models.CharField(max_length=300)
    sha256 = models.CharField(
        max_length=64, help_text="The SHA-256 of the file's bytes (of every file, sorted)"
    )
    children_created = models.PositiveIntegerField(default=0)
    children_matched = models.PositiveIntegerField(default=0)
    records_created = models.PositiveIntegerField(default=0)
    records_matched = models.PositiveIntegerField(default=0)
    notes = models.PositiveIntegerField(default=0, help_text="How many oddities the reader noted")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "sha256"], name="one_import_per_file"),
        ]

    def __str__(self) -> str:
        return f"{self.collection} {self.year} import of {self.file_name}"


class ImportedChild(models.Model):
    """The child a council's own local child ID (LAchildID in the CIN census, CHILD in the SSDA903) was
    imported as. The census has no names, so this is how a second import, or the other return, finds the
    same child."""

    la_child_id = models.CharField(max_length=20, unique=True, help_text="As the council's file had it")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="children")

    def __str__(self) -> str:
        return f"{self.la_child_id} -> {self.child_id}"


class ImportedRecord(models.Model):
    """A record an import created: its model (``casework.cinepisode``), its key, and the line of the file."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    model = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    line = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["model", "object_id"], name="imported_record_idx")]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id} (batch {self.batch_id})"


class StagedImport(models.Model):
    """A file checked on the import page and waiting for the analyst to confirm it (``returns.import_views``).
    It is kept here, not in the session, because a large city's census is tens of megabytes and the session
    is read on every request. Only the uploader's latest is kept: confirming, or checking another file,
    deletes it, and one left unconfirmed is deleted with the uploader's next check."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    collection = models.CharField(max_length=20, help_text="cin_census or ssda903")
    name = models.CharField(max_length=300)
    sha256 = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    team = models.ForeignKey(
        "organisation.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    files = models.BinaryField(help_text="The uploaded file or files, as a zip archive")

    def __str__(self) -> str:
        return f"{self.collection} {self.name} staged by {self.created_by_id}"
