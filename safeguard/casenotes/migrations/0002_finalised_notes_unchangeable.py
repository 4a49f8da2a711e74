"""On PostgreSQL, refuse from any client (not just from Django) to change what a finalised case note says,
or to delete it; and to change which file a document is, or to delete it.

A finalised or superseded note may only move from final to superseded (when a correction is added) and have
its modified_at/modified_by/version bookkeeping touched; every other column is as it was finalised. A draft
may change freely. SQLite (the demo database) relies on the guards in ``safeguard.casenotes.models``, as the
audit logs do (``audit/migrations/0002``).
"""

from django.db import migrations

NOTE_FUNCTION = """
CREATE OR REPLACE FUNCTION safeguard_case_note_keep_final() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'case note %: a finalised case note cannot be deleted', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND (
        NEW.text IS DISTINCT FROM OLD.text
        OR NEW.occurred_on IS DISTINCT FROM OLD.occurred_on
        OR NEW.subject IS DISTINCT FROM OLD.subject
        OR NEW.child_id IS DISTINCT FROM OLD.child_id
        OR NEW.thread_id IS DISTINCT FROM OLD.thread_id
        OR NEW.version_number IS DISTINCT FROM OLD.version_number
        OR NEW.author_id IS DISTINCT FROM OLD.author_id
        OR NEW.finalised_at IS DISTINCT FROM OLD.finalised_at
        OR NEW.finalised_by_id IS DISTINCT FROM OLD.finalised_by_id
        OR NEW.corrects_id IS DISTINCT FROM OLD.corrects_id
        OR NEW.correction_reason IS DISTINCT FROM OLD.correction_reason
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.created_by_id IS DISTINCT FROM OLD.created_by_id
        OR NOT (NEW.status = OLD.status OR (OLD.status = 'final' AND NEW.status = 'superseded'))
    ) THEN
        RAISE EXCEPTION 'case note %: a finalised case note cannot be changed, only corrected', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION safeguard_document_keep_file() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'document %: documents cannot be deleted', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.sha256 IS DISTINCT FROM OLD.sha256
        OR NEW.stored_name IS DISTINCT FROM OLD.stored_name
        OR NEW.size IS DISTINCT FROM OLD.size
        OR NEW.content_type IS DISTINCT FROM OLD.content_type
        OR NEW.original_name IS DISTINCT FROM OLD.original_name
        OR NEW.child_id IS DISTINCT FROM OLD.child_id
        OR NEW.created_at IS DISTINCT FROM OLD.created_at
        OR NEW.created_by_id IS DISTINCT FROM OLD.created_by_id
    THEN
        RAISE EXCEPTION 'document %: the stored file of a document cannot be changed', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(NOTE_FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER casenotes_casenote_keep_final BEFORE UPDATE OR DELETE ON casenotes_casenote "
        "FOR EACH ROW EXECUTE FUNCTION safeguard_case_note_keep_final();"
    )
    schema_editor.execute(DOCUMENT_FUNCTION, params=None)
    schema_editor.execute(
        "CREATE TRIGGER casenotes_document_keep_file BEFORE UPDATE OR DELETE ON casenotes_document "
        "FOR EACH ROW EXECUTE FUNCTION safeguard_document_keep_file();"
    )


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS casenotes_casenote_keep_final ON casenotes_casenote;")
    schema_editor.execute("DROP FUNCTION IF EXISTS safeguard_case_note_keep_final();")
    schema_editor.execute("DROP TRIGGER IF EXISTS casenotes_document_keep_file ON casenotes_document;")
    schema_editor.execute("DROP FUNCTION IF EXISTS safeguard_document_keep_file();")


class Migration(migrations.Migration):
    dependencies = [("casenotes", "0001_initial")]
    operations = [migrations.RunPython(add_triggers, remove_triggers)]
