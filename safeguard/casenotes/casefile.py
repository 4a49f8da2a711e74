"""The case notes and documents section of a child's case file (``casework.casefile``).

It shows the latest finalised notes, the current user's own drafts for the child, how many documents there
are, and the ways in. A fixed number of queries (the notes, the drafts, the count, and the access check
that decides whether to offer writing), whatever the length of the child's history.
"""

import datetime

from safeguard.casenotes.models import Document
from safeguard.casenotes.policies import may_write
from safeguard.casenotes.selectors import drafts, finalised_notes
from safeguard.casework.casefile import Section
from safeguard.people.models import Child

LATEST = 5


def case_notes_context(child: Child, today: datetime.date, user) -> dict:
    return {
        "child": child,
        "latest": list(finalised_notes(child=child)[:LATEST]),
        "drafts": list(drafts(child=child, user=user)),
        "documents": Document.objects.filter(child=child).count(),
        "may_write": may_write(user, child),
    }


CASE_NOTES_SECTION = Section(
    key="case_notes",
    title="Case notes and documents",
    template="casenotes/_case_file_section.html",
    context=case_notes_context,
    order=80,
)
