"""The permission table of the roles, written out in full by hand."""

from __future__ import annotations

import pytest

from koers.model.roles import ACTIONS, ROLES, allowed, is_action, is_role

# The table of docs/security.md and koers.model.roles, row by row (1 = allowed):
#                 read judge edit facilitate manage_members view_audit delete
TABLE = {
    "owner":       (1, 1, 1, 1, 1, 1, 1),
    "facilitator": (1, 1, 1, 1, 0, 0, 0),
    "editor":      (1, 1, 1, 0, 0, 0, 0),
    "participant": (1, 1, 0, 0, 0, 0, 0),
    "viewer":      (1, 0, 0, 0, 0, 0, 0),
}  # fmt: skip


def test_the_roles_and_actions_are_the_documented_ones() -> None:
    assert ROLES == ("owner", "facilitator", "editor", "participant", "viewer")
    assert ACTIONS == (
        "read", "judge", "edit", "facilitate", "manage_members", "view_audit", "delete"
    )  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_do_what_the_table_says(role: str) -> None:
    assert tuple(int(allowed(role, action)) for action in ACTIONS) == TABLE[role]


@pytest.mark.parametrize("action", ACTIONS)
def test_strangers_and_unknown_roles_may_do_nothing(action: str) -> None:
    assert not allowed(None, action)
    assert not allowed("admin", action)
    assert not allowed("", action)


def test_an_unknown_action_is_allowed_to_no_one() -> None:
    assert not any(allowed(role, "fly") for role in ROLES)
    assert (is_role("viewer"), is_role("Viewer"), is_action("edit"), is_action("fly")) == (
        True,
        False,
        True,
        False,
    )
