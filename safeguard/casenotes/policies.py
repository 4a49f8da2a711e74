"""Who may do what with case notes and documents.

Whether a user may see or change a child's record at all is the one access policy's question
(``safeguard.audit.policy``, through ``casework.policies.may_record``). On top of it:

- a draft is its author's work in progress: only its author sees it, changes it and finalises it (a case
  note records what its author saw and did, so no one else writes in their name);
- a finalised note is corrected by its author, or by a manager (a team manager or head of service) who may
  change the child's record: Working Together 2023 ch.3 makes managers answerable for the record's quality.
"""

from safeguard.audit.policy import worker_for
from safeguard.casenotes.models import CaseNote
from safeguard.casework.policies import MANAGER_ROLES, may_record


def may_write(user, child) -> bool:
    """Write case notes and upload documents for ``child``."""
    return may_record(user, child)


def may_see_version(user, note: CaseNote) -> bool:
    """Finalised and superseded versions are the record, seen by anyone who sees the child's record; a draft
    is seen by its author only."""
    return not note.is_draft or note.author_id == user.pk


def may_edit_draft(user, note: CaseNote) -> bool:
    return note.is_draft and note.author_id == user.pk and may_record(user, note.child)


def may_correct(user, note: CaseNote) -> bool:
    """Correct a finalised note: its original author, the author of the version being corrected, or a manager."""
    if not may_record(user, note.child):
        return False
    if user.pk in (note.author_id, note.thread.created_by_id):
        return True
    worker = worker_for(user)
    return worker is not None and worker.role in MANAGER_ROLES
