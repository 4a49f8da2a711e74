"""Who may see and prepare the statutory returns (ADR 11).

- **Performance analysts** prepare the returns: they see every child's census facts in the validation
  report, download the returns, and record the explanations of queries. They open no case record: a
  failure names the child and what is wrong, and the worker or manager who holds the case puts it right.
- **The director** sees and downloads the whole council's returns.
- **Heads of service and team managers** see the validation report for the children they may see (their
  area's, their team's), so that they can put their records right; they download nothing, as a return
  file holds every child in the council.
"""

from safeguard.audit.policy import worker_for
from safeguard.organisation.models import Role

WHOLE_RETURN = {Role.PERFORMANCE_ANALYST, Role.DIRECTOR}
OWN_CHILDREN = {Role.HEAD_OF_SERVICE, Role.TEAM_MANAGER}
EXPLAINERS = {Role.PERFORMANCE_ANALYST}


def _role(user) -> str | None:
    worker = worker_for(user)
    return worker.role if worker is not None else None


def may_see_reports(user) -> bool:
    return _role(user) in WHOLE_RETURN | OWN_CHILDREN


def sees_whole_return(user) -> bool:
    return _role(user) in WHOLE_RETURN


def may_download(user) -> bool:
    return _role(user) in WHOLE_RETURN


def may_explain(user) -> bool:
    return _role(user) in EXPLAINERS


def opens_records(user) -> bool:
    """Whether a failure links to the record: not for analysts, whom the record pages would refuse."""
    return _role(user) != Role.PERFORMANCE_ANALYST


def may_import(user) -> bool:
    """Whether the user may import a council's old CIN census or SSDA903 files (ADR 12): analysts and the
    director, who see the whole return; the import writes every child's history."""
    return _role(user) in WHOLE_RETURN
