"""The SSDA903's checks, one per DfE rule, registered with ``rules.check("ssda903", code, ...)``, in modules
that follow the DfE's numbering (the rules' numbers group them loosely by subject):

- ``items`` (101-199): each item's own validity: dates, codes, items coded together or left blank;
- ``episodes`` (202-336): episodes of care, their order and the codes that go together;
- ``statuses`` (344-393): legal statuses, placements and ages;
- ``reviews`` (398-531): reviews, adoption, missing episodes and the cohorts;
- ``later`` (542-635) and ``leaving`` (700-3001): the later rules, deprivation of liberty and care leavers;
- ``integrity``: comparisons with last year's return, and social worker episodes (INT, SW, EPI, NoE).
"""

from safeguard.returns.ssda903.checks import (  # noqa: F401
    episodes,
    integrity,
    items,
    later,
    leaving,
    reviews,
    statuses,
)
