"""The record that a database holds a synthetic local authority, and how it was made.

One row per ``safeguard synth`` run. The demo reads it to say "this is synthetic data"; ``synth --if-empty``
reads it to know there is nothing to do. Nothing in the product depends on it.
"""

from django.db import models


class SyntheticDataset(models.Model):
    """One generated synthetic local authority: the options that reproduce it, and what it cost to make.

    The same ``seed``, ``children``, ``years`` and ``today`` (and the same code) give the same people,
    identifiers, organisation and allocations.
    """

    seed = models.BigIntegerField()
    children = models.PositiveIntegerField(help_text="The under-18 population asked for (--children).")
    years = models.PositiveSmallIntegerField(help_text="Years of history generated (--years).")
    today = models.DateField(help_text="The date the data was generated as of (--today).")
    la_code = models.CharField(max_length=3)
    la_name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    duration_seconds = models.FloatField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="Rows created, by model and step.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Synthetic {self.la_name}: {self.children} children, seed {self.seed}, as of {self.today}"
