"""The page where an analyst imports a council's old CIN census file, SSDA903 files or Ofsted Annex A workbook
(ADR 12).

Two steps: upload the file, and read what importing it would do (a dry run: every child created or
matched, every child rejected with the reason, every oddity the reader noted); then confirm, and the
records are written, all or nothing. Between the two the file is kept as a ``StagedImport`` (found by its
SHA-256, so that what is confirmed is exactly what was checked); not in the session, which every request
reads. A file that cannot be read gets a clear message and changes nothing.
"""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from safeguard.audit.models import AccessAction
from safeguard.audit.policy import Decision
from safeguard.audit.services import access_event_record
from safeguard.audit.views import policy, refuse
from safeguard.core.years import FIRST_YEAR, CollectionYear
from safeguard.organisation.models import Team
from safeguard.returns import policies
from safeguard.returns.imports import annex_a
from safeguard.returns.imports.cin_census import default_team, import_cin_census
from safeguard.returns.imports.common import Unreadable
from safeguard.returns.imports.ssda903 import import_ssda903
from safeguard.returns.selectors import staged_import
from safeguard.returns.services import import_stage, import_unstage

REFUSAL = "Only performance analysts and the director import returns"
POLICY = (
    "performance analysts and the director: importing a council's old CIN census, SSDA903 or Ofsted Annex A "
    "into the records"
)
MAX_BYTES = 50 * 1024 * 1024  # a large city's census is some 30 MB
# The staged Annex A workbook's as-of date, kept beside it in the staged archive (``StagedImport`` has a year,
# not a day): what is confirmed is what was checked.
AS_OF_ENTRY = ".as-of"


class CinImportForm(forms.Form):
    file = forms.FileField(
        label="Upload the CIN census file",
        help_text="The XML file your old system made for the Department for Education",
        error_messages={"required": "Select the CIN census XML file", "empty": "The selected file is empty"},
    )
    year = forms.CharField(
        label="Collection year (optional)",
        help_text="Only if the file does not say: the year it ends, for example 2025 for 2024-25",
        required=False,
        max_length=9,
    )
    team = forms.ModelChoiceField(
        label="Team the episodes are recorded against",
        help_text="The census does not say which team held each episode",
        queryset=Team.objects.select_related("area"),
        required=False,
        empty_label=None,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_BYTES // 2**20} MB")
        return upload

    def clean_year(self):
        text = self.cleaned_data["year"].strip()
        if not text:
            return None
        try:
            year = CollectionYear.parse(text)
        except ValueError:
            raise forms.ValidationError(
                "Enter the year the collection ends, like 2025 (for 2024-25)"
            ) from None
        if year.end_year < FIRST_YEAR:
            raise forms.ValidationError(
                f"Safeguard holds the DfE rules from {CollectionYear(FIRST_YEAR)} only"
            )
        return year


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(each, initial) for each in data] or [single(None, initial)]
        return [single(data, initial)]


class Ssda903ImportForm(forms.Form):
    files = MultipleFileField(
        label="Upload the SSDA903 CSV files",
        help_text="Every table's file together (choose them all at once); each is recognised by its column headers",
        error_messages={"required": "Select the SSDA903 CSV files", "empty": "A selected file is empty"},
    )
    year = forms.CharField(
        label="Collection year",
        help_text="The year it ends, for example 2025 for 2024-25 (CSV files do not say)",
        max_length=9,
        error_messages={"required": "Enter the collection year"},
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if sum(upload.size for upload in uploads) > MAX_BYTES:
            raise forms.ValidationError(
                f"The selected files must be smaller than {MAX_BYTES // 2**20} MB together"
            )
        return uploads

    clean_year = CinImportForm.clean_year


class AnnexAImportForm(forms.Form):
    workbook = forms.FileField(
        label="Upload the Annex A workbook",
        help_text="The .xlsx workbook of Ofsted's lists your old system made",
        error_messages={"required": "Select the Annex A workbook", "empty": "The selected file is empty"},
    )
    as_of = forms.DateField(
        label="The date the lists were made as of (optional)",
        help_text="Only if the workbook's title does not say: for example 30/06/2026",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        error_messages={"invalid": "Enter the date as day/month/year, like 30/06/2026"},
    )
    team = forms.ModelChoiceField(
        label="Team the contacts are recorded against",
        help_text="Annex A does not say which team received each contact",
        queryset=Team.objects.select_related("area"),
        required=False,
        empty_label=None,
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_BYTES // 2**20} MB")
        return upload


def _render(request, form, *, report=None, problem="", status=200, lac_form=None, annex_form=None):
    if report is not None:  # the report names children, and says which are held: logged as a view
        access_event_record(
            request=request,
            action=AccessAction.VIEW,
            decision=Decision(True, "statutory returns"),
            subject=f"{report.title} {report.year} import {'check' if report.dry_run else ''} {report.file_name}"[
                :200
            ],
            result_count=len(report.children),
        )
    context = {
        "form": form if form is not None else CinImportForm(initial={"team": default_team()}),
        "lac_form": lac_form if lac_form is not None else Ssda903ImportForm(),
        "annex_form": annex_form
        if annex_form is not None
        else AnnexAImportForm(initial={"team": annex_a.default_team()}),
        "report": report,
        "problem": problem,
    }
    return render(request, "returns/import.html", context, status=status)


@policy(POLICY)
def import_file(request):
    if not policies.may_import(request.user):
        return refuse(request, REFUSAL, subject="returns import")
    if request.method != "POST":
        return _render(request, None)
    if request.POST.get("kind") == "ssda903":
        return _check_ssda903(request)
    if request.POST.get("kind") == "annex_a":
        return _check_annex_a(request)
    form = CinImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    team = form.cleaned_data["team"]
    year = form.cleaned_data["year"]
    try:
        report = import_cin_census(
            data=data, file_name=upload.name, imported_by=request.user, year=year, team=team, dry_run=True
        )
    except Unreadable as error:
        form.add_error("file", str(error))
        return _render(request, form, status=400)
    except PermissionDenied as error:
        return refuse(request, str(error), subject="returns import")
    if not report.refused:
        import_stage(
            user=request.user,
            collection="cin_census",
            name=upload.name,
            sha256=report.sha256,
            files={upload.name: data},
            year=year,
            team=team,
        )
    return _render(request, form, report=report, status=200 if not report.refused else 400)


def _check_ssda903(request):
    form = Ssda903ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, None, lac_form=form, status=400)
    data = {upload.name: upload.read() for upload in form.cleaned_data["files"]}
    year = form.cleaned_data["year"]
    name = ", ".join(sorted(data))
    try:
        report = import_ssda903(data=data, name=name, imported_by=request.user, year=year, dry_run=True)
    except Unreadable as error:
        form.add_error("files", str(error))
        return _render(request, None, lac_form=form, status=400)
    except PermissionDenied as error:
        return refuse(request, str(error), subject="returns import")
    if not report.refused:
        import_stage(
            user=request.user,
            collection="ssda903",
            name=name,
            sha256=report.sha256,
            files=data,
            year=year,
            team=None,
        )
    return _render(request, None, lac_form=form, report=report, status=200 if not report.refused else 400)


def _check_annex_a(request):
    form = AnnexAImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, None, annex_form=form, status=400)
    upload = form.cleaned_data["workbook"]
    data = upload.read()
    as_of, team = form.cleaned_data["as_of"], form.cleaned_data["team"]
    try:
        report = annex_a.import_annex_a(
            data=data, file_name=upload.name, imported_by=request.user, as_of=as_of, team=team, dry_run=True
        )
    except Unreadable as error:
        form.add_error("workbook", str(error))
        return _render(request, None, annex_form=form, status=400)
    except PermissionDenied as error:
        return refuse(request, str(error), subject="returns import")
    if not report.refused:
        staged = {upload.name: data}
        if as_of:
            staged[AS_OF_ENTRY] = as_of.isoformat().encode()
        import_stage(
            user=request.user,
            collection=annex_a.COLLECTION,
            name=upload.name,
            sha256=report.sha256,
            files=staged,
            year=report.year,
            team=team,
        )
    return _render(request, None, annex_form=form, report=report, status=200 if not report.refused else 400)


@policy(POLICY)
def import_confirm(request):
    if not policies.may_import(request.user):
        return refuse(request, REFUSAL, subject="returns import")
    found = staged_import(request.user, request.POST.get("sha256", "")) if request.method == "POST" else None
    form = CinImportForm(initial={"team": default_team()})
    if found is None:
        return _render(
            request, form, problem="Upload the file again: nothing is waiting to be imported", status=400
        )
    staged, files = found
    year = CollectionYear(staged.year) if staged.year else None
    try:
        if staged.collection == "ssda903":
            report = import_ssda903(data=files, name=staged.name, imported_by=request.user, year=year)
        elif staged.collection == annex_a.COLLECTION:
            as_of = files.pop(AS_OF_ENTRY, None)
            ((file_name, data),) = files.items()
            report = annex_a.import_annex_a(
                data=data,
                file_name=file_name,
                imported_by=request.user,
                as_of=datetime.date.fromisoformat(as_of.decode()) if as_of else None,
                team=staged.team,
            )
        else:
            ((file_name, data),) = files.items()
            report = import_cin_census(
                data=data, file_name=file_name, imported_by=request.user, year=year, team=staged.team
            )
    except Unreadable as error:
        return _render(request, form, problem=str(error), status=400)
    except PermissionDenied as error:
        return refuse(request, str(error), subject="returns import")
    import_unstage(user=request.user)
    return _render(request, form, report=report, status=200 if report.imported else 400)
