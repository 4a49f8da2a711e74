"""What the returns keep of their own: the explanations given for queries.

A query (a rule whose code ends in Q) flags something unusual that may be right; the DfE's collection system
accepts it with an explanation. The explanation belongs to the rule, the year and the child, so it is kept
and shown again every time the return is validated, until the data changes so that the query no longer
fires. Everything else in a return is a view of the records and is not stored here.
"""

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
