"""The CIN census's checks, one per DfE rule, registered with ``rules.check("cin_census", code, ...)``.

- ``child``: identifiers and characteristics, and the rules about the whole return (duplicates, shares);
- ``episodes``: the CIN episode (referral, closure, no further action), its assessments and CIN plans;
- ``protection``: section 47 enquiries, initial conferences and child protection plans, and where they meet
  CIN plans and the episode.
"""

from safeguard.returns.cin_census.checks import child, episodes, protection  # noqa: F401
