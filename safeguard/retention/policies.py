"""Who reviews records for disposal and places legal holds: the information governance officer only.

Retention is the council's data protection function (UK GDPR art. 5(1)(e), storage limitation; arts. 37-39),
not casework: a social worker or manager sees a child's retention on the record, but does not decide disposal.
The information governance officer opens no case record by role (``organisation.Role.INFORMATION_GOVERNANCE``),
so the retention pages show them the identity and the dates they need to review a record, and no more; each
look is written to the access log (Caldicott principles 2 and 3, 2020: justify and minimise).
"""

from safeguard.audit.policy import worker_for
from safeguard.organisation.models import Role

REVIEWER_ROLES = {Role.INFORMATION_GOVERNANCE}
REFUSAL = "Only an information governance officer reviews records for disposal and places legal holds"


def may_review(user) -> bool:
    worker = worker_for(user)
    return worker is not None and user.is_active and worker.role in REVIEWER_ROLES
