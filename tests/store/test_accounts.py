"""Users, roles, invitations, sessions and sign-in attempts in the store, on both databases."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from koers.errors import ConflictError, NotFoundError, ValidationError
from koers.model import Study
from koers.store import Repository
from koers.store.accounts import Member, Membership

NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
HASH = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"


@pytest.fixture
def study_id(repo: Repository, corona: Study) -> int:
    return repo.add_study(corona)


def test_a_user_is_kept_without_showing_the_hash(repo: Repository) -> None:
    anna = repo.accounts.add_user("anna", HASH)
    assert (anna.name, anna.has_password, anna.local, anna.locked_until) == (
        "anna",
        True,
        False,
        None,
    )
    assert not hasattr(anna, "password_hash")
    assert repo.accounts.password_hash("anna") == HASH
    assert repo.accounts.user("anna") == anna == repo.accounts.user_by_id(anna.id)
    assert repo.accounts.user("nobody") is None
    assert repo.accounts.password_hash("nobody") is None


@pytest.mark.parametrize("name", ["", " anna", "an na", "a" * 65, "tab\there"])
def test_a_bad_user_name_is_refused(repo: Repository, name: str) -> None:
    with pytest.raises(ValidationError) as caught:
        repo.accounts.add_user(name, HASH)
    assert caught.value.problems[0].path == "name"
    assert repo.accounts.users() == []


def test_a_taken_name_is_refused(repo: Repository) -> None:
    repo.accounts.add_user("anna", HASH)
    with pytest.raises(ValidationError, match="already a user 'anna'"):
        repo.accounts.add_user("anna", None)
    assert [user.name for user in repo.accounts.users()] == ["anna"]


def test_roles_are_one_per_study_and_can_be_changed_and_revoked(
    repo: Repository, study_id: int, corona: Study
) -> None:
    other = repo.add_study(corona)
    anna = repo.accounts.add_user("anna", HASH)
    repo.accounts.add_user("bram", HASH)
    repo.accounts.grant("anna", study_id, "viewer")
    repo.accounts.grant("anna", study_id, "editor")  # in place of viewer
    repo.accounts.grant("anna", other, "owner")
    repo.accounts.grant("bram", study_id, "participant")
    assert repo.accounts.memberships(anna.id) == [
        Membership(study_id, "editor"),
        Membership(other, "owner"),
    ]
    assert repo.accounts.members(study_id) == [
        Member("anna", "editor"),
        Member("bram", "participant"),
    ]
    assert repo.accounts.revoke("anna", study_id) is True
    assert repo.accounts.revoke("anna", study_id) is False
    assert repo.accounts.role_of(anna.id, study_id) is None
    assert repo.accounts.role_of(anna.id, other) == "owner"


def test_granting_checks_user_study_and_role(repo: Repository, study_id: int) -> None:
    repo.accounts.add_user("anna", HASH)
    with pytest.raises(ValidationError, match="'admin' is not a role; give one of owner"):
        repo.accounts.grant("anna", study_id, "admin")
    with pytest.raises(NotFoundError, match="no user 'nobody'"):
        repo.accounts.grant("nobody", study_id, "viewer")
    with pytest.raises(NotFoundError, match="no study with id 999"):
        repo.accounts.grant("anna", 999, "viewer")


def test_deleting_a_study_removes_its_roles_and_invitations(
    repo: Repository, study_id: int
) -> None:
    anna = repo.accounts.add_user("anna", HASH)
    repo.accounts.grant("anna", study_id, "owner")
    repo.accounts.add_invitation("d" * 64, study_id, "viewer", expires=NOW, created_by="anna")
    repo.delete_study(study_id)
    assert repo.accounts.memberships(anna.id) == []
    assert repo.accounts.invitations(study_id) == []


def test_an_invitation_works_once_and_not_after_it_expired(repo: Repository, study_id: int) -> None:
    anna = repo.accounts.add_user("anna", HASH)
    bram = repo.accounts.add_user("bram", HASH)
    expires = NOW + dt.timedelta(days=7)
    repo.accounts.add_invitation("a" * 64, study_id, "participant", expires=expires, created_by="x")
    repo.accounts.add_invitation("b" * 64, study_id, "viewer", expires=expires, created_by="x")
    assert repo.accounts.accept_invitation("a" * 64, anna.id, NOW) == Membership(
        study_id, "participant"
    )
    with pytest.raises(ConflictError, match="used already"):
        repo.accounts.accept_invitation("a" * 64, bram.id, NOW)
    with pytest.raises(ConflictError, match="expired"):
        repo.accounts.accept_invitation("b" * 64, bram.id, expires)  # at the moment it expires
    with pytest.raises(NotFoundError, match="not valid"):
        repo.accounts.accept_invitation("c" * 64, bram.id, NOW)
    assert repo.accounts.role_of(bram.id, study_id) is None
    [used, unused] = repo.accounts.invitations(study_id)
    assert (used.used, unused.used) == (NOW, None)


def test_an_invitation_never_takes_a_higher_role_away(repo: Repository, study_id: int) -> None:
    anna = repo.accounts.add_user("anna", HASH)
    repo.accounts.grant("anna", study_id, "owner")
    repo.accounts.add_invitation(
        "a" * 64, study_id, "viewer", expires=NOW + dt.timedelta(days=1), created_by="x"
    )
    assert repo.accounts.accept_invitation("a" * 64, anna.id, NOW).role == "owner"
    assert repo.accounts.role_of(anna.id, study_id) == "owner"


def test_sessions_are_found_by_digest_until_they_expire(repo: Repository) -> None:
    anna = repo.accounts.add_user("anna", HASH)
    expires = NOW + dt.timedelta(hours=12)
    repo.accounts.add_session("s" * 64, anna.id, now=NOW, expires=expires)
    minute = dt.timedelta(minutes=1)
    assert repo.accounts.session_user("s" * 64, NOW + minute, touch_after=minute) == anna
    assert repo.accounts.session_user("s" * 64, expires, touch_after=minute) is None
    assert repo.accounts.session_user("t" * 64, NOW, touch_after=minute) is None
    assert repo.accounts.delete_expired_sessions(expires) == 1
    assert repo.accounts.session_user("s" * 64, NOW, touch_after=minute) is None


def test_a_new_password_ends_every_session_and_the_lock(repo: Repository) -> None:
    anna = repo.accounts.add_user("anna", HASH)
    repo.accounts.add_session("s" * 64, anna.id, now=NOW, expires=NOW + dt.timedelta(hours=1))
    repo.accounts.set_locked_until("anna", NOW + dt.timedelta(minutes=15))
    assert repo.accounts.user("anna").locked_until == NOW + dt.timedelta(minutes=15)  # type: ignore[union-attr]
    repo.accounts.set_password_hash("anna", HASH.replace("aGFzaA", "b3RoZXI"))
    assert repo.accounts.session_user("s" * 64, NOW, touch_after=dt.timedelta(0)) is None
    assert repo.accounts.user("anna").locked_until is None  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        repo.accounts.set_password_hash("nobody", HASH)


def test_failures_count_since_the_last_success_within_the_window(repo: Repository) -> None:
    minute = dt.timedelta(minutes=1)
    for offset in (0, 1, 2):
        repo.accounts.add_attempt("anna", NOW + offset * minute, succeeded=False)
    repo.accounts.add_attempt("anna", NOW + 3 * minute, succeeded=True)
    for offset in (4, 5):
        repo.accounts.add_attempt("anna", NOW + offset * minute, succeeded=False)
    repo.accounts.add_attempt("bram", NOW + 5 * minute, succeeded=False)
    # Failures at minutes 4 and 5 follow the success at 3: two. Since minute 4.5: one.
    assert repo.accounts.failures_since("anna", NOW - minute) == 2
    assert repo.accounts.failures_since("anna", NOW + 4.5 * minute) == 1
    repo.accounts.clear_failures("anna")
    assert repo.accounts.failures_since("anna", NOW - minute) == 0
    assert repo.accounts.failures_since("bram", NOW - minute) == 1


def test_a_deleted_user_takes_roles_and_sessions_along(repo: Repository, study_id: int) -> None:
    anna = repo.accounts.add_user("anna", HASH)
    repo.accounts.grant("anna", study_id, "editor")
    repo.accounts.add_session("s" * 64, anna.id, now=NOW, expires=NOW + dt.timedelta(hours=1))
    with repo._engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM users WHERE name = 'anna'"))
    assert repo.accounts.members(study_id) == []
    assert repo.accounts.session_user("s" * 64, NOW, touch_after=dt.timedelta(0)) is None
