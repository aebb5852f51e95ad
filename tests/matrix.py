"""What the URL x role permission matrix is made of.

Each app lists its URL names in `<app>/tests/permission_cases.py` as `CASES = {name: Case}`.
`tests/test_permission_matrix.py` checks that every URL pattern the portal has is listed
and that each role gets the expected status.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from conftest import ROLES

LOGIN = 302  # anonymous users are sent to log in


def statuses(default=None, **by_role):
    """The expected status per role: `default` for every role not named."""
    result = dict.fromkeys(ROLES, default)
    result.update(by_role)
    missing = [role for role, status in result.items() if status is None]
    if missing:
        raise ValueError(f"no expected status for {missing}")
    return result


# The usual shapes: a page any logged-in user may use, a school member's page, etc.
LOGGED_IN = statuses(200, anonymous=LOGIN)
SCHOOL_A_READ = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=200, admin=200)
SCHOOL_A_LEAD = statuses(404, anonymous=LOGIN, teacher_a=200, reviewer_a=403, admin=200)
PUBLIC = statuses(200)


@dataclass(frozen=True)
class Case:
    expect: dict
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: Callable = field(default=lambda world: {})
    # Where a 302 is expected for a logged-in role, the path it must lead to (optional).
    note: str = ""
