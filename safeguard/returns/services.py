"""Writes of the returns app: a query's explanation recorded or changed."""

import io
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from safeguard.audit.services import audit_event_record
from safeguard.core.years import CollectionYear
from safeguard.returns import policies
from safeguard.returns.models import QueryExplanation, StagedImport
from safeguard.returns.rules import rules_for

EXPLANATION_MAX = 2000


def query_explain(
    *,
    by,
    collection: str,
    year: CollectionYear,
    code: str,
    la_child_id: str,
    explanation: str,
    version: int | None,
) -> QueryExplanation:
    """Record why a query stands (or change the reason given). ``version`` is the one the user read (None
    for a new explanation), so that two analysts editing at once do not overwrite each other."""
    if not policies.may_explain(by):
        raise PermissionDenied("Only performance analysts record the explanations of queries")
    rule = rules_for(collection, year).get(code)
    if rule is None or not rule.is_query:
        raise ValidationError(
            {"code": f"{code} is not a query of the {year} rules: errors must be put right"}
        )
    explanation = explanation.strip()
    if not explanation:
        raise ValidationError({"explanation": "Enter why the data is right as it is"})
    if len(explanation) > EXPLANATION_MAX:
        raise ValidationError({"explanation": f"Keep the explanation to {EXPLANATION_MAX} characters"})
    with transaction.atomic():
        key = dict(collection=collection, year=year.end_year, code=code, la_child_id=la_child_id)
        existing = QueryExplanation.objects.select_for_update().filter(**key).first()
        if existing is None:
            if version is not None:
                raise ValidationError(
                    {"explanation": "The explanation was removed by someone else: enter it again"}
                )
            saved = QueryExplanation.objects.create(
                **key, explanation=explanation, created_by=by, modified_by=by
            )
            before = ""
        else:
            if version != existing.version:
                raise ValidationError(
                    {
                        "explanation": f"Someone else changed the explanation meanwhile; it now reads: {existing.explanation}"
                    }
                )
            before = existing.explanation
            QueryExplanation.objects.filter(pk=existing.pk).update(
                explanation=explanation, modified_by=by, version=F("version") + 1
            )
            saved = QueryExplanation.objects.get(pk=existing.pk)
        audit_event_record(
            actor=by,
            action="query_explanation.recorded",
            entity=saved,
            changes={"explanation": [before, explanation]},
        )
    return saved


def import_stage(*, user, collection: str, name: str, sha256: str, files: dict[str, bytes], year, team):
    """Keep a checked file (or the SSDA903's files) until the analyst confirms the import. Only the latest
    is kept for each user: an earlier one, confirmed or not, is deleted."""
    if not policies.may_import(user):
        raise PermissionDenied("Only performance analysts and the director import returns")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file_name, content in files.items():
            archive.writestr(file_name, content)
    with transaction.atomic():
        StagedImport.objects.filter(created_by=user).delete()
        return StagedImport.objects.create(
            created_by=user,
            collection=collection,
            name=name[:300],
            sha256=sha256,
            year=year.end_year if year else None,
            team=team,
            files=buffer.getvalue(),
        )


def import_unstage(*, user) -> None:
    """The staged file has been imported (or abandoned): it is not kept."""
    StagedImport.objects.filter(created_by=user).delete()
