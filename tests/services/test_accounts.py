"""The accounts service: passwords, the lock-out, sessions, roles, invitations, local mode."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from koers.errors import ConflictError, KoersError, NotFoundError, ValidationError
from koers.services import accounts as service
from koers.services.accounts import Accounts, SignInRefused
from koers.services.studies import new_study
from koers.store import Repository

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"


class Clock:
    """A clock the test moves on by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    repository = Repository.open(database_url)
    try:
        yield repository
    finally:
        repository.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(repo: Repository, clock: Clock) -> Accounts:
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return Accounts(repo, hasher=cheap, clock=clock)


@pytest.fixture
def study_id(repo: Repository) -> int:
    return repo.add_study(new_study("corona-lokale-besturen"))


def test_the_password_is_stored_as_an_argon2id_hash_only(
    accounts: Accounts, repo: Repository
) -> None:
    accounts.create_user("anna", PASSWORD)
    stored = repo.accounts.password_hash("anna")
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert accounts.authenticate("anna", PASSWORD).name == "anna"


@pytest.mark.parametrize("password", ["short", "x" * 9, "x" * 1025])
def test_a_password_of_the_wrong_length_is_refused(accounts: Accounts, password: str) -> None:
    with pytest.raises(ValidationError, match="a password has 10 to 1024 characters"):
        accounts.create_user("anna", password)
    assert accounts.users() == []


def test_wrong_password_and_unknown_name_get_the_same_answer(accounts: Accounts) -> None:
    accounts.create_user("anna", PASSWORD)
    with pytest.raises(SignInRefused) as wrong:
        accounts.authenticate("anna", PASSWORD + "!")
    with pytest.raises(SignInRefused) as unknown:
        accounts.authenticate("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "the name or the password is wrong"
    assert wrong.value.locked_until is None is unknown.value.locked_until


def test_five_failures_in_fifteen_minutes_lock_for_fifteen_minutes(
    accounts: Accounts, clock: Clock
) -> None:
    accounts.create_user("anna", PASSWORD)
    for _ in range(4):
        with pytest.raises(SignInRefused):
            accounts.authenticate("anna", "wrong password")
        clock.advance(minutes=3)
    # Four failures at 10:00, 10:03, 10:06, 10:09; the fifth at 10:12 locks until 10:27.
    with pytest.raises(SignInRefused):
        accounts.authenticate("anna", "wrong password")
    with pytest.raises(SignInRefused, match="after 10:27 UTC") as locked:
        accounts.authenticate("anna", PASSWORD)  # the right password does not help now
    assert locked.value.locked_until == START + dt.timedelta(minutes=27)
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(SignInRefused, match="too many"):
        accounts.authenticate("anna", PASSWORD)
    clock.advance(seconds=1)  # 10:27: the lock is over
    assert accounts.authenticate("anna", PASSWORD).name == "anna"


def test_failures_spread_over_more_than_the_window_do_not_lock(
    accounts: Accounts, clock: Clock
) -> None:
    accounts.create_user("anna", PASSWORD)
    for _ in range(8):
        with pytest.raises(SignInRefused, match="wrong"):
            accounts.authenticate("anna", "wrong password")
        clock.advance(minutes=4)  # at most 4 failures in any 15 minutes
    assert accounts.authenticate("anna", PASSWORD).name == "anna"


def test_a_success_resets_the_count(accounts: Accounts) -> None:
    accounts.create_user("anna", PASSWORD)
    for _ in range(4):
        with pytest.raises(SignInRefused):
            accounts.authenticate("anna", "wrong password")
    accounts.authenticate("anna", PASSWORD)
    for _ in range(4):
        with pytest.raises(SignInRefused, match="wrong"):
            accounts.authenticate("anna", "wrong password")
    assert accounts.authenticate("anna", PASSWORD).name == "anna"


def test_an_unknown_name_is_locked_like_a_known_one(accounts: Accounts) -> None:
    for _ in range(5):
        with pytest.raises(SignInRefused, match="wrong"):
            accounts.authenticate("nobody", PASSWORD)
    with pytest.raises(SignInRefused, match="too many"):
        accounts.authenticate("nobody", PASSWORD)


def test_an_administrator_reset_lifts_the_lock_and_ends_sessions(accounts: Accounts) -> None:
    anna = accounts.create_user("anna", PASSWORD)
    token = accounts.start_session(anna)
    for _ in range(5):
        with pytest.raises(SignInRefused):
            accounts.authenticate("anna", "wrong password")
    accounts.set_password("anna", "a new long password", actor="admin")
    assert accounts.session_user(token) is None
    assert accounts.authenticate("anna", "a new long password").name == "anna"
    with pytest.raises(SignInRefused):
        accounts.authenticate("anna", PASSWORD)


def test_a_hash_with_old_parameters_is_replaced_at_sign_in(repo: Repository, clock: Clock) -> None:
    weak = Accounts(repo, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    weak.create_user("anna", PASSWORD)
    stronger = Accounts(repo, hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    stronger.authenticate("anna", PASSWORD)
    assert "m=16,t=2,p=1" in (repo.accounts.password_hash("anna") or "")


def test_a_session_token_is_random_stored_as_digest_and_expires(
    accounts: Accounts, repo: Repository, clock: Clock
) -> None:
    anna = accounts.create_user("anna", PASSWORD)
    token = accounts.start_session(anna)
    other = accounts.start_session(anna)
    assert token != other and len(token) >= 43  # 32 random bytes in base64
    with repo._engine.connect() as connection:
        kept = [row[0] for row in connection.exec_driver_sql("SELECT token_hash FROM sessions")]
    assert token not in kept and service.token_digest(token) in kept
    assert accounts.session_user(token) == anna
    assert accounts.session_user("forged") is None
    assert accounts.session_user("") is None
    accounts.end_session(other)
    assert accounts.session_user(other) is None
    clock.advance(hours=12)
    assert accounts.session_user(token) is None


def test_a_person_sees_only_the_studies_they_belong_to(
    accounts: Accounts, repo: Repository, study_id: int
) -> None:
    other = repo.add_study(new_study("corona-lokale-besturen", language="en"))
    repo.add_study(new_study("corona-lokale-besturen"))
    anna = accounts.create_user("anna", PASSWORD)
    bram = accounts.create_user("bram", PASSWORD)
    accounts.grant("anna", study_id, "owner")
    accounts.grant("anna", other, "viewer")
    assert sorted((s.study.id, s.role) for s in accounts.studies_of(anna)) == [
        (study_id, "owner"),
        (other, "viewer"),
    ]
    assert accounts.studies_of(bram) == []
    assert accounts.can(anna, study_id, "view_audit")
    assert accounts.can(anna, other, "read") and not accounts.can(anna, other, "edit")
    assert not accounts.can(bram, study_id, "read")
    assert not accounts.can(None, study_id, "read")


def test_an_invitation_link_gives_its_role_once(
    accounts: Accounts, study_id: int, clock: Clock
) -> None:
    token = accounts.invite(study_id, "participant", days=7, created_by="anna")
    assert service.invitation_path(token) == f"/invitations/{token}"
    bram = accounts.create_user("bram", PASSWORD)
    carla = accounts.create_user("carla", PASSWORD)
    assert accounts.accept_invitation(token, bram).role == "participant"
    assert accounts.role_of(bram, study_id) == "participant"
    with pytest.raises(ConflictError, match="used already"):
        accounts.accept_invitation(token, carla)
    late = accounts.invite(study_id, "viewer", days=1)
    clock.advance(days=1)
    with pytest.raises(ConflictError, match="expired"):
        accounts.accept_invitation(late, carla)
    with pytest.raises(NotFoundError):
        accounts.accept_invitation("x" * 300, carla)
    assert accounts.role_of(carla, study_id) is None


def test_invitations_check_role_and_days(accounts: Accounts, study_id: int) -> None:
    with pytest.raises(ValidationError, match="not a role"):
        accounts.invite(study_id, "admin")
    with pytest.raises(ValidationError, match="1 to 365 days"):
        accounts.invite(study_id, "viewer", days=0)
    with pytest.raises(NotFoundError):
        accounts.invite(999, "viewer")


def test_the_local_user_owns_the_study_and_has_no_password(
    accounts: Accounts, repo: Repository, study_id: int
) -> None:
    local = service.ensure_local_owner(repo, study_id)
    again = accounts.ensure_local_owner(study_id)
    assert local == again and local.local and not local.has_password
    assert accounts.role_of(local, study_id) == "owner"
    assert [user.name for user in accounts.users()] == ["local"]
    with pytest.raises(SignInRefused):
        accounts.authenticate("local", "")
    with pytest.raises(SignInRefused):
        accounts.authenticate("local", PASSWORD)


def test_a_user_called_local_is_not_taken_for_the_local_user(
    accounts: Accounts, study_id: int
) -> None:
    accounts.create_user("local", PASSWORD)
    with pytest.raises(KoersError, match="not the local user"):
        accounts.ensure_local_owner(study_id)


def test_the_audit_log_as_csv_neutralises_formulas(repo: Repository, study_id: int) -> None:
    repo.update_study(study_id, {"organisation": '=HYPERLINK("x")'}, version=1, actor="@anna")
    rows = list(csv.reader(io.StringIO(service.audit_csv(repo, study_id))))
    assert rows[0] == list(service.AUDIT_COLUMNS)
    last = dict(zip(rows[0], rows[-1], strict=True))
    assert (last["actor"], last["new"], last["field"]) == (
        "'@anna",
        '\'=HYPERLINK("x")',
        "organisation",
    )
    assert last["study_id"] == str(study_id)
    assert len(rows) == 3  # the header, the study added, the edit
