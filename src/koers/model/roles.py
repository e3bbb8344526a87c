"""Roles a person holds in a study, and what each role allows.

A person belongs to a study with exactly one role. The roles form a ladder: each role may do
everything the role below it may, and more.

==============  ====  =====  ====  ==========  ==============  ==========  ======
role            read  judge  edit  facilitate  manage_members  view_audit  delete
==============  ====  =====  ====  ==========  ==============  ==========  ======
owner           yes   yes    yes   yes         yes             yes         yes
facilitator     yes   yes    yes   yes         no              no          no
editor          yes   yes    yes   no          no              no          no
participant     yes   yes    no    no          no              no          no
viewer          yes   no     no    no          no              no          no
==============  ====  =====  ====  ==========  ==============  ==========  ======

``read``: see the study, its signals and its reports. ``judge``: enter one's own values in a
workshop round. ``edit``: change the study (descriptors, scenarios, judgements, strategy,
signals). ``facilitate``: open and close rounds, see every participant's values, adopt an
aggregate. ``manage_members``: invite people, change and revoke roles. ``view_audit``: read
and export the study's audit log. ``delete``: remove the study.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

__all__ = ["ACTIONS", "ROLES", "Action", "Role", "allowed", "is_action", "is_role"]

Role = Literal["owner", "facilitator", "editor", "participant", "viewer"]
Action = Literal["read", "judge", "edit", "facilitate", "manage_members", "view_audit", "delete"]

ROLES: Final[tuple[Role, ...]] = get_args(Role)
"""The roles, the one that may do most first."""

ACTIONS: Final[tuple[Action, ...]] = get_args(Action)

_LEAST: Final[dict[Action, Role]] = {
    "read": "viewer",
    "judge": "participant",
    "edit": "editor",
    "facilitate": "facilitator",
    "manage_members": "owner",
    "view_audit": "owner",
    "delete": "owner",
}
"""The lowest role on the ladder that may do each action."""


def is_role(text: str) -> bool:
    """Whether ``text`` names a role.

    >>> is_role("editor"), is_role("admin")
    (True, False)
    """
    return text in ROLES


def is_action(text: str) -> bool:
    """Whether ``text`` names an action."""
    return text in ACTIONS


def allowed(role: str | None, action: str) -> bool:
    """Whether a person with ``role`` in a study may do ``action`` there.

    ``None`` (no role: a stranger to the study) and unknown roles may do nothing; an unknown
    action is allowed to no one.

    >>> allowed("participant", "judge"), allowed("participant", "edit")
    (True, False)
    >>> allowed("owner", "view_audit"), allowed(None, "read"), allowed("viewer", "fly")
    (True, False, False)
    """
    if role is None or role not in ROLES or action not in _LEAST:
        return False
    least = _LEAST[action]
    return ROLES.index(role) <= ROLES.index(least)
