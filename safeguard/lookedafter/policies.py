"""Who may do what for children looked after and care leavers. Whether a user may see or change a child's
record at all is decided by the one access policy (``safeguard.audit.policy``); recording is casework's
``may_record``. This module adds the relationship leaving care brings: a young person's personal adviser
(CPPCR 2010 reg 44; Children Act 1989 s23B(2), s23C(3)) reaches their record while the care leaver record
is open, whether or not they are allocated to the case."""

from safeguard.audit.policy import Reach
from safeguard.casework.policies import may_record
from safeguard.organisation.models import Worker

PERSONAL_ADVISER = "personal adviser"

__all__ = ["PERSONAL_ADVISER", "PERSONAL_ADVISER_REACH", "may_record"]


def _advised_children(worker: Worker):
    from safeguard.lookedafter.models import CareLeaver

    return CareLeaver.objects.open().filter(personal_adviser=worker).values("child_id")


PERSONAL_ADVISER_REACH = Reach(basis=PERSONAL_ADVISER, children=_advised_children)
