"""The permission matrix, written down from the access policy (``safeguard/audit/policy.py``) and each page's
declared policy, and reviewed by a person: who gets what status on every URL, for GET and for an empty POST.

Read it as the answer to "who may use this page?". It is data, not behaviour recorded from the code: a change
here is a change of who may see or do what, and is reviewed as one. ``test_permission_matrix.py`` walks every
URL and fails on any URL missing here, naming it.

Statuses: 200 the page (or the form again, with its errors); 302 done, or sent elsewhere (an empty POST that
succeeds is rolled back by the test); 400 the form again, with GOV.UK errors; 403 refused (logged); 404 not
there *for this child* (a sub-record of another child is never found through this one); 405 that method is
not used on this page; 409 a change that conflicts with the record's state.

Pages about one child (``CHILD_ROUTES``) are tried on two children:

- side A: a child held by ``socialworker`` in Child in Need North, whose named IRO is ``iro``;
- side B: a child held by ``otherworker`` in South.

A persona with no working relationship with the child gets 403 on every one of its pages, whatever the method
(``audit.views.child_record`` refuses before the page does anything). ``inspector`` reads every child but
changes none (``READ_ONLY``): 403 on every page that changes the record. Everyone else who may see the child
gets the page's own statuses, except where a page itself narrows who may act (``only``: e.g. only a manager
authorises an assessment), listed with the page. A page about a child that is not its record (emergency
access, the governance officer's pages) lists in ``unrelated`` who gets something else without a relationship.

Every persona is signed in with a recent confirmation of who they are (as straight after signing in): a bulk
export's step-up (``ui/accounts.py::step_up``) then lets through whoever may export (200) and refuses the rest
(403); without one it would send them to ``account/confirm/`` (302), tested in ``ui/tests/test_sign_in.py``.
"""

from dataclasses import dataclass, field

PERSONAS = (
    "frontdoor",
    "frontdoormanager",
    "socialworker",
    "teammanager",
    "headofservice",
    "director",
    "iro",
    "inspector",
    "analyst",
    "infogov",
    "partner",
    "admin",
    "otherworker",
)
EVERYONE = frozenset(PERSONAS)

# Who has a working relationship with each side's child (audit.policy): the allocated worker, their team
# (socialworker's team manager is teammanager), the head of service for the area, the named IRO, the director
# and the inspector. The front door reaches only children whose contact is before it; the analyst,
# information governance, the partner agency's officer and the administrator open no child's record (a subject
# access request gives ``infogov`` its own child only, never side A's or B's; partners are closed out of every
# record, sharing.policies.PARTNER_USERS).
RELATED = {
    "A": frozenset({"socialworker", "teammanager", "headofservice", "iro", "director", "inspector"}),
    "B": frozenset({"otherworker", "director", "inspector"}),
}
READ_ONLY = frozenset({"inspector"})
# A query code in the CIN census for 2025-26, for the page that explains one.
RETURN_QUERY_CODE = "1560Q"
REFUSED = (403, 403)
# Those who work the case but do not manage it: no allocating, management decisions or audits.
CASEWORKERS = frozenset({"socialworker", "otherworker", "iro"})
# Who see who has looked at a record they may open (audit.log_views.CHILD_LOG_ROLES), and who share a record
# they may change with a partner agency or revoke a share (sharing.policies.SHARING_ROLES): the managers.
MANAGERS = frozenset({"teammanager", "headofservice", "director"})
# Emergency access (restrictions.policies.EMERGENCY_ROLES): front door workers, team managers (the front
# door's manager is one) and heads of service. The Caldicott Guardian is the director (synth step).
EMERGENCY = frozenset({"frontdoor", "frontdoormanager", "teammanager", "headofservice"})
GOVERNANCE = {"infogov"}


@dataclass(frozen=True)
class ChildPage:
    """A page of one child's record. ``changes``: it changes the record (refused to read-only personas).
    ``allowed``: (GET, POST) for a persona who may use it. ``only``: personas (among those who may see the
    child) for whom the page itself answers differently, with their (GET, POST). ``unrelated``: the few
    pages about a child that are not the record and so are not refused by the relationship (emergency
    access, the governance officer's pages): personas without a relationship who get something else than
    ``refused``."""

    changes: bool
    allowed: tuple[int, int] | dict[str, tuple[int, int]]  # or per side, where the two rows differ in state
    only: dict[str, tuple[int, int] | dict[str, tuple[int, int]]] = field(default_factory=dict)
    refused: tuple[int, int] = REFUSED
    unrelated: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    """A page that is not one child's record: (GET, POST) per persona; everyone else gets ``others``."""

    allowed: dict[str, tuple[int, int]]
    others: tuple[int, int] = REFUSED


def each(personas, statuses: tuple[int, int]) -> dict[str, tuple[int, int]]:
    return dict.fromkeys(personas, statuses)


CHILD_ROUTES: dict[str, ChildPage] = {
    # Reading the record. A read page answers a POST as it answers a GET (nothing is changed).
    "children/<opaque:child_id>/": ChildPage(False, (200, 200)),
    "children/<opaque:child_id>/case-file/": ChildPage(False, (200, 200)),
    "children/<opaque:child_id>/chronology/": ChildPage(False, (200, 200)),
    # Changing the record: refused to the inspector. An empty POST gets the form again with its errors.
    "children/<opaque:child_id>/assessments/start/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/assessments/<int:assessment_id>/": ChildPage(False, (200, 200)),
    # Side A's assessment is submitted (editing it sends you to it), side B's in progress.
    "children/<opaque:child_id>/assessments/<int:assessment_id>/edit/": ChildPage(
        True, {"A": (302, 400), "B": (200, 400)}
    ),
    "children/<opaque:child_id>/assessments/<int:assessment_id>/submit/": ChildPage(
        True, {"A": (302, 400), "B": (200, 400)}
    ),
    # Authorising, returning and withdrawing an assessment are a manager's (casework.policies.may_authorise:
    # MANAGER_ROLES, the team manager and the head of service): not the worker, the IRO or the director.
    "children/<opaque:child_id>/assessments/<int:assessment_id>/authorise/": ChildPage(
        True, (403, 403), only={"teammanager": (200, 400), "headofservice": (200, 400)}
    ),
    "children/<opaque:child_id>/assessments/<int:assessment_id>/return/": ChildPage(
        True, (403, 403), only={"teammanager": (200, 400), "headofservice": (200, 400)}
    ),
    "children/<opaque:child_id>/assessments/<int:assessment_id>/withdraw/": ChildPage(
        True, (403, 403), only={"teammanager": (200, 400), "headofservice": (200, 400)}
    ),
    "children/<opaque:child_id>/deadlines/<int:deadline_id>/delay/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/cin-plans/start/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/cin-plans/<int:plan_id>/review/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/cin-plans/<int:plan_id>/end/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/strategy-discussions/new/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/s47/<int:enquiry_id>/conclude/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/s47/<int:enquiry_id>/initial-conference/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/cp-plans/<int:plan_id>/review-conference/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/cp-plans/<int:plan_id>/core-group/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/cp-plans/<int:plan_id>/end/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/visits/new/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/episodes/<int:episode_id>/close/": ChildPage(True, (200, 400)),
    # Reopening a case and deciding on a closure request are a manager's (may_authorise, may_decide_closure);
    # withdrawing one is its requester's or a manager's (may_withdraw_closure): socialworker did not ask for
    # the side A request, which the synthetic city made in someone else's name.
    "children/<opaque:child_id>/episodes/<int:episode_id>/reopen/": ChildPage(
        True, (403, 403), only={"teammanager": (302, 400), "headofservice": (302, 400)}
    ),
    "children/<opaque:child_id>/closure-requests/<int:request_id>/": ChildPage(False, (200, 200)),
    "children/<opaque:child_id>/closure-requests/<int:request_id>/review/": ChildPage(
        True, (403, 403), only={"teammanager": (302, 400), "headofservice": (302, 400)}
    ),
    "children/<opaque:child_id>/closure-requests/<int:request_id>/withdraw/": ChildPage(
        True, (403, 403), only={"teammanager": (302, 400), "headofservice": (302, 400)}
    ),
    "children/<opaque:child_id>/looked-after/": ChildPage(False, (200, 200)),
    "children/<opaque:child_id>/looked-after/start/": ChildPage(True, (200, 400)),
    # The side A and B children are not looked after: each looked-after form sends you to the looked-after
    # page (302), for every method, once the policy has let you in.
    "children/<opaque:child_id>/looked-after/placement/change/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/placement/details/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/legal-status/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/end/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/care-plan/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/placement-plan/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/reviews/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/health/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/education/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/missing/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/missing/<int:missing_id>/return/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/looked-after/missing/<int:missing_id>/interview/": ChildPage(
        True, (200, 400)
    ),
    "children/<opaque:child_id>/looked-after/outcomes/<int:year_end>/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/uasc/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/uasc/<int:uasc_id>/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/looked-after/deprivation-of-liberty/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/deprivation-of-liberty/<int:dolo_id>/": ChildPage(
        True, (200, 400)
    ),
    "children/<opaque:child_id>/looked-after/previous-permanence/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/adoption/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/looked-after/adoption/<int:adoption_id>/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/leaving-care/": ChildPage(False, (200, 200)),
    "children/<opaque:child_id>/leaving-care/start/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/leaving-care/update/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/leaving-care/end/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/leaving-care/needs-assessment/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/leaving-care/pathway-plan/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/leaving-care/pathway-plan/review/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/leaving-care/contacts/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/leaving-care/accommodation/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/leaving-care/activity/new/": ChildPage(True, (302, 302)),
    "children/<opaque:child_id>/notes/": ChildPage(False, (200, 200)),
    "children/<opaque:child_id>/notes/new/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/notes/<int:note_id>/": ChildPage(False, (200, 200)),
    # The note is final: editing it sends you to it, and saving over it is a conflict (409).
    "children/<opaque:child_id>/notes/<int:note_id>/edit/": ChildPage(True, (302, 409)),
    "children/<opaque:child_id>/notes/<int:note_id>/finalise/": ChildPage(True, (302, 302)),
    # A note is corrected by those who write on the record (casenotes.policies.may_write): not the
    # director or the IRO, who read it.
    "children/<opaque:child_id>/notes/<int:note_id>/correct/": ChildPage(
        True, (200, 400), only=each({"director", "iro"}, REFUSED)
    ),
    "children/<opaque:child_id>/documents/": ChildPage(False, (200, 200)),
    "children/<opaque:child_id>/documents/upload/": ChildPage(True, (200, 400)),
    "children/<opaque:child_id>/documents/<int:document_id>/download/": ChildPage(False, (200, 200)),
    # Allocating, recording management decisions and starting audits are managers' (team manager, head of
    # service, director), not caseworkers'.
    "allocation/children/<opaque:child_id>/allocate/": ChildPage(
        True, (200, 400), only=each(CASEWORKERS, REFUSED)
    ),
    # The form answers 200 with its errors on side A, 400 on side B (the two allocations differ in state).
    "allocation/children/<opaque:child_id>/allocations/<int:allocation_id>/change-reason/": ChildPage(
        True, {"A": (200, 200), "B": (200, 400)}, only=each(CASEWORKERS, REFUSED)
    ),
    "oversight/children/<opaque:child_id>/decisions/new/": ChildPage(
        True, (200, 400), only=each(CASEWORKERS, REFUSED)
    ),
    "oversight/children/<opaque:child_id>/decisions/<int:decision_id>/": ChildPage(False, (200, 200)),
    "oversight/children/<opaque:child_id>/audits/new/": ChildPage(
        True, (200, 400), only=each(CASEWORKERS, REFUSED)
    ),
    # A case audit is its auditor's to answer and complete (none of the personas here); managers set and
    # update its actions.
    "oversight/children/<opaque:child_id>/audits/<int:audit_id>/": ChildPage(False, (200, 403)),
    "oversight/children/<opaque:child_id>/audits/<int:audit_id>/complete/": ChildPage(False, (403, 403)),
    "oversight/children/<opaque:child_id>/audits/<int:audit_id>/actions/new/": ChildPage(
        False,
        (403, 403),
        only={"teammanager": (200, 400), "headofservice": (200, 400), "director": (200, 400)},
    ),
    "oversight/children/<opaque:child_id>/audit-actions/<int:action_id>/": ChildPage(
        False,
        (200, 403),
        only={"teammanager": (200, 400), "headofservice": (200, 400), "director": (200, 400)},
    ),
    # -- Access log (audit/log_views.py). Who has looked at this record: the managers, through @child_record.
    "access-log/children/<opaque:child_id>/": ChildPage(False, REFUSED, only=each(MANAGERS, (200, 200))),
    # The child's log for a subject access request, and its CSV: the information governance officer only, on
    # any child (the page names the child by local ID, it opens no record). The CSV is a bulk export (step-up:
    # the matrix runs with a recent confirmation, so 200).
    "access-log/children/<opaque:child_id>/subject-access/": ChildPage(
        False, REFUSED, unrelated=each(GOVERNANCE, (200, 200))
    ),
    "access-log/children/<opaque:child_id>/subject-access.csv": ChildPage(
        False, REFUSED, unrelated=each(GOVERNANCE, (200, 200))
    ),
    # -- Retention. The child's retention: anyone who may open the record. Reviewing it for disposal and
    # placing a hold: the information governance officer only (everyone else refused, related or not).
    "retention/children/<opaque:child_id>/": ChildPage(False, (200, 200)),
    "retention/reviews/<opaque:child_id>/": ChildPage(False, REFUSED, unrelated=each(GOVERNANCE, (200, 400))),
    "retention/reviews/<opaque:child_id>/hold/": ChildPage(
        False, REFUSED, unrelated=each(GOVERNANCE, (200, 400))
    ),
    # -- Emergency access (restrictions): only the emergency roles. One who may already open the record is sent
    # to it (302); one who may not gets the form (an empty POST is read as none sent: the form again, 200);
    # every other role is refused.
    "restricted-records/children/<opaque:child_id>/emergency-access/": ChildPage(
        False,
        REFUSED,
        only=each(EMERGENCY, (302, 302)),
        unrelated=each(EMERGENCY, (200, 200)),
    ),
    # -- Sharing with partner agencies. The child's shares page: anyone who may open the record reads it; only
    # a manager who may change the record shares it (an empty POST: the form's errors), others are refused.
    "shared/children/<opaque:child_id>/": ChildPage(False, (200, 403), only=each(MANAGERS, (200, 400))),
    # Revoking a share or time-limited access: managers who may change the record (an empty POST: the form
    # again, 200).
    "shared/children/<opaque:child_id>/<int:share_id>/revoke/": ChildPage(
        True, REFUSED, only=each(MANAGERS, (200, 200))
    ),
    "shared/children/<opaque:child_id>/staff/<int:staff_share_id>/revoke/": ChildPage(
        True, REFUSED, only=each(MANAGERS, (200, 200))
    ),
    # -- Education (frontdoor.education): anyone who may open the record reads the history; anyone who may
    # change it records a change (POST only: GET 405; an empty POST, the form's errors). Considering a
    # withdrawal flag is a manager's who may change the record (``may_consider_withdrawal``); the worker and
    # the IRO are refused before the note is read.
    "front-door/children/<opaque:child_id>/education/": ChildPage(False, (200, 405)),
    "front-door/children/<opaque:child_id>/education/record/": ChildPage(True, (405, 400)),
    "front-door/children/<opaque:child_id>/education/withdrawals/<int:withdrawal_id>/considered/": ChildPage(
        True, (405, 403), only=each(MANAGERS, (405, 400))
    ),
    # -- Serious incidents (incidents.policies): the child's incidents page lists those the reader may see
    # (to everyone who may open the record; read only, POST 405). Recording one is a manager's who may
    # change the record: the team manager, head of service and director (not the worker, nor the IRO).
    "serious-incidents/children/<opaque:child_id>/": ChildPage(False, (200, 405)),
    "serious-incidents/children/<opaque:child_id>/new/": ChildPage(
        True, REFUSED, only=each(MANAGERS, (200, 400))
    ),
}

OTHER_ROUTES: dict[str, Page] = {
    # Everyone signed in: their own home page, search (results scoped by the policy), their own deadlines
    # and supervision; sign-in sends a signed-in user home; sign-out asks "are you sure?" on GET (allauth,
    # ACCOUNT_LOGOUT_ON_GET = False) and signs out on POST.
    "": Page({}, others=(200, 200)),
    "sign-in/": Page({}, others=(302, 302)),
    "sign-out/": Page({}, others=(200, 302)),
    "children/search/": Page({}, others=(200, 400)),
    "casework/due/": Page({}, others=(200, 200)),
    "casework/closure-alerts/<int:alert_id>/": Page(
        {"headofservice": (200, 400), "director": (200, 400), "inspector": (200, 403)}
    ),
    "front-door/": Page(
        {
            "frontdoor": (200, 200),
            "frontdoormanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
        }
    ),
    "front-door/contacts/new/": Page({"frontdoor": (200, 400), "frontdoormanager": (200, 400)}),
    "front-door/contacts/new/child/": Page({"frontdoor": (200, 400), "frontdoormanager": (200, 400)}),
    "front-door/contacts/new/<opaque:child_id>/": Page(
        {"frontdoor": (200, 400), "frontdoormanager": (200, 400)}
    ),
    "front-door/contacts/<opaque:contact_id>/": Page(
        {
            "frontdoor": (200, 200),
            "frontdoormanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
        }
    ),
    "front-door/contacts/<opaque:contact_id>/acknowledge/": Page(
        {"frontdoor": (405, 400), "frontdoormanager": (405, 400)}, others=(405, 403)
    ),
    "front-door/contacts/<opaque:contact_id>/checks/": Page(
        {"frontdoor": (405, 400), "frontdoormanager": (405, 400)}, others=(405, 403)
    ),
    "front-door/checks/<int:check_id>/response/": Page(
        {"frontdoor": (200, 400), "frontdoormanager": (200, 400)}
    ),
    "front-door/contacts/<opaque:contact_id>/decision/": Page(
        {"frontdoormanager": (405, 400), "headofservice": (405, 400)}, others=(405, 403)
    ),
    "front-door/import/": Page({"frontdoor": (200, 400), "frontdoormanager": (200, 400)}),
    "front-door/dashboard/": Page(
        {"frontdoormanager": (200, 200), "headofservice": (200, 200), "director": (200, 200)}
    ),
    "allocation/unallocated/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "allocation/caseloads/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "allocation/caseloads/workers/<int:worker_id>/": Page(
        {
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "allocation/caseloads/workers/<int:worker_id>/end/": Page(
        {"teammanager": (200, 400), "headofservice": (200, 400), "director": (200, 400)}
    ),
    "oversight/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "oversight/areas/": Page({"headofservice": (200, 200), "director": (200, 200), "inspector": (200, 200)}),
    "oversight/approvals/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "oversight/closures/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "oversight/supervision/": Page({}, others=(200, 200)),
    "oversight/supervision/record/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
        }
    ),
    "oversight/supervision/record/<int:worker_id>/": Page(
        {"teammanager": (200, 400), "headofservice": (200, 400)}
    ),
    "oversight/supervision/<int:supervision_id>/": Page(
        {
            "socialworker": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "oversight/supervision/workers/<int:worker_id>/": Page(
        {
            "socialworker": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "oversight/audits/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "legal-exposure/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "legal-exposure/export.csv": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "legal-exposure/export.xlsx": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "workforce/": Page(
        {
            "frontdoormanager": (302, 302),
            "teammanager": (302, 302),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "workforce/areas/<int:area_id>/": Page(
        {"headofservice": (200, 200), "director": (200, 200), "inspector": (200, 200)}
    ),
    "workforce/teams/<int:team_id>/": Page(
        {
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "workforce/teams/<int:team_id>/posts/new/": Page({"headofservice": (200, 400), "director": (200, 400)}),
    "workforce/posts/<int:post_id>/starter/": Page({"headofservice": (200, 400), "director": (200, 400)}),
    "workforce/posts/<int:post_id>/leaver/": Page({"headofservice": (200, 400), "director": (200, 400)}),
    "workforce/posts/<int:post_id>/cut/": Page({"headofservice": (200, 400), "director": (200, 400)}),
    "leadership/measures/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "leadership/plan/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "inspector": (200, 200),
        }
    ),
    "leadership/plan/new/": Page({"headofservice": (200, 400), "director": (200, 400)}),
    "leadership/plan/<int:action_id>/": Page(
        {
            "frontdoormanager": (200, 403),
            "teammanager": (200, 403),
            "inspector": (200, 403),
            "headofservice": (200, 400),
            "director": (200, 400),
        }
    ),
    "leadership/plan/<int:action_id>/edit/": Page({"headofservice": (200, 400), "director": (200, 400)}),
    # Area populations and deprivation: read by whoever reads the measures and by the performance analyst;
    # entered and imported by the director and the analyst (an empty POST: the form's errors).
    "leadership/populations/": Page(
        each(
            {"frontdoormanager", "teammanager", "headofservice", "director", "inspector", "analyst"},
            (200, 200),
        )
    ),
    "leadership/populations/record/": Page(each({"director", "analyst"}, (200, 400))),
    "leadership/populations/import/": Page(each({"director", "analyst"}, (200, 400))),
    "returns/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "analyst": (200, 200),
        }
    ),
    "returns/import/": Page({"director": (200, 400), "analyst": (200, 400)}),
    "returns/import/confirm/": Page({"director": (400, 400), "analyst": (400, 400)}),
    "returns/annex-a/": Page({"director": (200, 200), "analyst": (200, 200)}),
    "returns/annex-a/download/": Page({"director": (200, 200), "analyst": (200, 200)}),
    "returns/<slug:collection>/<int:year>/": Page(
        {
            "frontdoormanager": (200, 200),
            "teammanager": (200, 200),
            "headofservice": (200, 200),
            "director": (200, 200),
            "analyst": (200, 200),
        }
    ),
    "returns/<slug:collection>/<int:year>/download/": Page({"director": (200, 200), "analyst": (200, 200)}),
    "returns/<slug:collection>/<int:year>/queries/<str:code>/": Page({"analyst": (200, 400)}),
    # -- Signing in (django-allauth, safeguard/ui/urls.py). Every persona on their own account, with a TOTP
    # authenticator and a recent confirmation of who they are (see test_permission_matrix.py).
    "sign-in/account-disabled/": Page({}, others=(200, 405)),
    "sign-in/two-factor/": Page({}, others=(302, 302)),
    "account/confirm/": Page({}, others=(200, 200)),
    "account/confirm/two-factor/": Page({}, others=(200, 200)),
    # No persona has a security key: allauth sends them to a way of confirming they have (account/confirm/).
    "account/confirm/security-key/": Page({}, others=(302, 302)),
    "account/password/": Page({}, others=(200, 200)),
    "account/security/": Page({}, others=(200, 405)),
    # An authenticator app is already set up: allauth sends you back to the security page.
    "account/security/authenticator-app/": Page({}, others=(302, 302)),
    "account/security/authenticator-app/remove/": Page({}, others=(200, 302)),
    # The personas have no recovery codes yet (the synthetic city gives them a TOTP authenticator only):
    # allauth answers 404 until they generate some (recovery-codes/new/; the POST generates them, 302).
    "account/security/recovery-codes/": Page({}, others=(404, 405)),
    "account/security/recovery-codes/new/": Page({}, others=(200, 302)),
    "account/security/recovery-codes/download/": Page({}, others=(404, 404)),
    "account/security/keys/": Page({}, others=(200, 405)),
    "account/security/keys/add/": Page({}, others=(200, 200)),
    # Filled with another user's security key: never found through one's own account.
    "account/security/keys/<int:pk>/remove/": Page({}, others=(404, 404)),
    "account/security/keys/<int:pk>/rename/": Page({}, others=(404, 404)),
    "account/sessions/": Page({}, others=(200, 302)),
    # -- Access log: a user's activity, for the information governance officer and the director. Finding a
    # child with no local child ID typed: the page again with its error (400).
    "access-log/": Page({"infogov": (200, 200), "director": (200, 200)}),
    "access-log/find-child/": Page({"infogov": (400, 400), "director": (400, 400)}),
    "access-log/users/<int:user_id>/": Page({"infogov": (200, 200), "director": (200, 200)}),
    # -- Restricted records: the register is the information governance officer's. Ending an access list
    # entry or a staff connection is POST only, and the view refuses (403, not 405) any other method.
    "restricted-records/": Page({"infogov": (200, 200)}),
    # The register's forms read an empty POST as no form sent (``Form(request.POST or None)``): the empty
    # form again, 200, as on emergency access, its review and revoking a share.
    "restricted-records/new/": Page({"infogov": (200, 200)}),
    # An empty POST names neither of the page's two forms: the page again (200).
    "restricted-records/<int:restriction_id>/": Page({"infogov": (200, 200)}),
    "restricted-records/access-list/<int:entry_id>/end/": Page({"infogov": (403, 302)}),
    "restricted-records/connections/new/": Page({"infogov": (200, 200)}),
    "restricted-records/connections/<int:connection_id>/end/": Page({"infogov": (403, 302)}),
    "restricted-records/accesses/": Page({"infogov": (200, 200)}),
    # Reviewing emergency access: the governance officer and the Caldicott Guardian (the director).
    "restricted-records/emergency-access/": Page({"infogov": (200, 200), "director": (200, 200)}),
    "restricted-records/emergency-access/<int:emergency_access_id>/": Page(
        {"infogov": (200, 200), "director": (200, 200)}
    ),
    # An alert (filled with the Caldicott Guardian's) is marked seen by its recipient only; a GET just sends
    # anyone home.
    "restricted-records/alerts/<int:alert_id>/seen/": Page({"director": (302, 302)}, others=(302, 403)),
    # -- Retention: the information governance officer's queue, approvals (an empty POST: errors) and holds.
    "retention/": Page({"infogov": (200, 200)}),
    "retention/approvals/": Page({"infogov": (200, 200)}),
    "retention/approvals/<int:review_id>/": Page({"infogov": (200, 400)}),
    "retention/holds/": Page({"infogov": (200, 400)}),
    "retention/holds/<int:hold_id>/lift/": Page({"infogov": (200, 400)}),
    # -- Subject access requests: information governance officers; the request is assigned to ``infogov``.
    "subject-access/": Page({"infogov": (200, 200)}),
    "subject-access/new/": Page({"infogov": (200, 400)}),
    "subject-access/<int:request_id>/": Page({"infogov": (200, 200)}),
    "subject-access/<int:request_id>/assign/": Page({"infogov": (200, 400)}),
    "subject-access/<int:request_id>/identity/": Page({"infogov": (200, 400)}),
    "subject-access/<int:request_id>/extend/": Page({"infogov": (200, 400)}),
    # POST only (require_POST before anything else: 405 to everyone on GET); an empty "to": 400.
    "subject-access/<int:request_id>/move/": Page({"infogov": (405, 400)}, others=(405, 403)),
    "subject-access/<int:request_id>/refuse/": Page({"infogov": (200, 400)}),
    "subject-access/<int:request_id>/close/": Page({"infogov": (200, 400)}),
    "subject-access/<int:request_id>/workspace/": Page({"infogov": (200, 200)}),
    # Redacting names one item of the export (?item=...): with none named, 404.
    "subject-access/<int:request_id>/workspace/redact/": Page({"infogov": (404, 404)}),
    "subject-access/<int:request_id>/redactions/<int:redaction_id>/withdraw/": Page({"infogov": (200, 400)}),
    # The disclosure package is a bulk export (step-up; recent confirmation here).
    "subject-access/<int:request_id>/disclose/": Page({"infogov": (200, 400)}),
    # -- Sharing, the partner's side: the shares for their agency, and one shared record (side A's share).
    "shared/": Page({"partner": (200, 200)}),
    "shared/<int:share_id>/": Page({"partner": (200, 200)}),
    # -- Serious incidents. The list: everyone, scoped to the incidents they may see (read only). One incident
    # (on side A's child; lead: headofservice; recorded by teammanager; a local practice review commissioned;
    # one access-list entry, for a worker who is no persona): those it names (incidents.policies: the director,
    # the area's head of service, the child's team manager, allocated worker and IRO, inspectors), read only;
    # everyone else refused, whatever else they may open. Recording its progress: the managers among them (an
    # empty POST: the form's errors; the practice review's fields are all optional, so it saves: 302).
    # Changing who sees it: the director and the head of service (who is the lead).
    "serious-incidents/": Page({}, others=(200, 405)),
    "serious-incidents/<int:incident_id>/": Page(
        each({"director", "headofservice", "teammanager", "socialworker", "iro", "inspector"}, (200, 405))
    ),
    "serious-incidents/<int:incident_id>/notifications/new/": Page(each(MANAGERS, (200, 400))),
    "serious-incidents/<int:incident_id>/rapid-review/": Page(each(MANAGERS, (200, 400))),
    "serious-incidents/<int:incident_id>/practice-review/": Page(each(MANAGERS, (200, 302))),
    "serious-incidents/<int:incident_id>/access/": Page(each({"director", "headofservice"}, (200, 400))),
    # Recorded in error: a senior manager's decision, the director's or the area's head of service's.
    "serious-incidents/<int:incident_id>/recorded-in-error/": Page(
        each({"director", "headofservice"}, (200, 400))
    ),
    "serious-incidents/access/<int:entry_id>/end/": Page(each({"director", "headofservice"}, (405, 302))),
    # -- Learning actions. The report: managers and inspectors, counts by their reach (the method is ignored).
    # One action (the incident's, owned by socialworker): those who may see the incident read it; its owner
    # and the managers record on it (an empty POST names no form: 400); the IRO and the inspector read only.
    # The incident's actions: those who may see it; only managers agree a new one.
    "learning-actions/": Page(
        each({"frontdoormanager", "teammanager", "headofservice", "director", "inspector"}, (200, 200))
    ),
    "learning-actions/<int:action_id>/": Page(
        {
            **each({"socialworker", "teammanager", "headofservice", "director"}, (200, 400)),
            **each({"iro", "inspector"}, (200, 403)),
        }
    ),
    "learning-actions/incidents/<int:incident_id>/": Page(
        {**each(MANAGERS, (200, 400)), **each({"socialworker", "iro", "inspector"}, (200, 403))}
    ),
}


def has_entry(route: str) -> bool:
    return route in CHILD_ROUTES or route in OTHER_ROUTES


def is_child_route(route: str) -> bool:
    return route in CHILD_ROUTES


def all_entries() -> list[str]:
    return [*CHILD_ROUTES, *OTHER_ROUTES]


def expected(route: str, persona: str, side: str | None, method: str) -> int:
    """The status ``persona`` must get from ``method`` on ``route`` (filled with side ``side``'s rows)."""
    index = 0 if method == "GET" else 1
    if route in CHILD_ROUTES:
        page = CHILD_ROUTES[route]
        if persona not in RELATED[side]:
            return page.unrelated.get(persona, page.refused)[index]
        if page.changes and persona in READ_ONLY:
            return page.refused[index]
        statuses = page.only.get(persona, page.allowed)
        if isinstance(statuses, dict):
            statuses = statuses[side]
        return statuses[index]
    page = OTHER_ROUTES[route]
    return page.allowed.get(persona, page.others)[index]


# Where the service answers differently from the table today, each with why; the test reports them as
# warnings and fails on any other difference. Remove an entry when the page is fixed.
KNOWN_DEVIATIONS: dict[tuple[str, str, str, str], tuple[int, str]] = {}
