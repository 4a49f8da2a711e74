"""Forms for case notes and documents. They check only the shape of what was typed; the rules live in the
services, whose ``ValidationError`` is put back on the form (:func:`add_service_errors`) so the page shows it
the GOV.UK way, with what the user typed kept."""

from django import forms

from safeguard.casenotes.files import ACCEPT, ALLOWED_TEXT, describe_size, max_bytes
from safeguard.casenotes.models import CaseNote, CaseNoteSubject, DocumentKind
from safeguard.casenotes.services import TEXT_LIMIT
from safeguard.ui.forms import GovukDateField


class NoteForm(forms.Form):
    """Write or change a draft. ``version`` is the draft's version when the page was read."""

    subject = forms.ChoiceField(
        label="What is the note about?",
        choices=CaseNoteSubject.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the note is about"},
    )
    occurred_on = GovukDateField(
        label="Date of the event",
        error_name="The date of the event",
        not_in_future=True,
        help_text="When what the note records happened. For example, 27 3 2026",
    )
    text = forms.CharField(
        label="Note",
        required=False,
        max_length=TEXT_LIMIT,
        help_text="What was seen, heard, said and done, and what happens next. You can save a draft and finish it later.",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "true"}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_note(cls, note: CaseNote) -> "NoteForm":
        return cls(
            initial={
                "subject": note.subject,
                "occurred_on": note.occurred_on,
                "text": note.text,
                "version": note.version,
            }
        )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"subject": data["subject"], "occurred_on": data["occurred_on"], "text": data["text"]}


class FinaliseForm(forms.Form):
    """No questions: the button finalises the draft as it was shown. Carries the version that was shown."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class CorrectionForm(NoteForm):
    """Correct a finalised note: the note as it should read, and why. ``corrects`` is the version the user
    read, so a correction made by someone else meanwhile is not silently corrected again."""

    reason = forms.CharField(
        label="Why is the note being corrected?",
        help_text="For example, the wrong date was recorded. The note as it was stays on the record, with this reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the note is being corrected"},
    )
    corrects = forms.IntegerField(widget=forms.HiddenInput)

    field_order = ["subject", "occurred_on", "text", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = True
        self.fields["text"].error_messages["required"] = "Write the note as it should read"
        self.fields["text"].help_text = "The whole note as it should read, with the mistake put right."

    @classmethod
    def for_note(cls, note: CaseNote) -> "CorrectionForm":
        return cls(
            initial={
                "subject": note.subject,
                "occurred_on": note.occurred_on,
                "text": note.text,
                "corrects": note.pk,
            }
        )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What the document is, for example ‘Letter from the school, March 2026’",
        error_messages={"required": "Enter a title for the document"},
    )
    kind = forms.ChoiceField(
        label="What kind of document is it?",
        choices=DocumentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of document it is"},
    )
    note = forms.TypedChoiceField(
        label="Case note it belongs with (optional)", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, notes: list[CaseNote] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "file"
        ].help_text = (
            f"{ALLOWED_TEXT[:1].upper()}{ALLOWED_TEXT[1:]}, smaller than {describe_size(max_bytes())}"
        )
        self.fields["note"].choices = [("", "None")] + [
            (
                note.thread_id,
                f"{note.occurred_on:%-d %b %Y}: {note.get_subject_display()}"
                + (" (draft)" if note.is_draft else ""),
            )
            for note in notes
        ]
