"""A child's case notes and documents, under ``children/<child_id>/`` (mounted in config/urls.py)."""

from django.urls import path

from safeguard.casenotes import views

app_name = "casenotes"
urlpatterns = [
    path("<opaque:child_id>/notes/", views.notes, name="notes"),
    path("<opaque:child_id>/notes/new/", views.new_note, name="new_note"),
    path("<opaque:child_id>/notes/<int:note_id>/", views.note, name="note"),
    path("<opaque:child_id>/notes/<int:note_id>/edit/", views.edit_note, name="edit_note"),
    path("<opaque:child_id>/notes/<int:note_id>/finalise/", views.finalise_note, name="finalise_note"),
    path("<opaque:child_id>/notes/<int:note_id>/correct/", views.correct_note, name="correct_note"),
    path("<opaque:child_id>/documents/", views.documents, name="documents"),
    path("<opaque:child_id>/documents/upload/", views.upload_document, name="upload_document"),
    path("<opaque:child_id>/documents/<int:document_id>/download/", views.download, name="download"),
]
