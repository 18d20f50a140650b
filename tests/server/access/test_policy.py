"""The rules alone: who may take a document from where it is, and file it where."""

from __future__ import annotations

import pytest

from server.access.policy import (
    CAREGIVER,
    OWNER,
    VIEWER,
    AccessDenied,
    Caller,
    check_move,
    may_file,
    require_admin,
)

HERE, THERE = 1, 2  # the profile a document is under, and another one


def _caller(role_here: str | None, role_there: str | None = None, admin: bool = False) -> Caller:
    roles = {pid: r for pid, r in ((HERE, role_here), (THERE, role_there)) if r}
    return Caller(user_id=7, username="u", is_admin=admin, roles=roles)


OWNER_, CAREGIVER_, VIEWER_ = _caller(OWNER, OWNER), _caller(CAREGIVER, CAREGIVER), _caller(VIEWER)
ADMIN = _caller(None, admin=True)  # an admin without a grant
STRANGER = _caller(None)


@pytest.mark.parametrize("caller", [OWNER_, CAREGIVER_], ids=["owner", "caregiver"])
def test_owners_and_caregivers_move_documents_between_profiles_they_may_upload_to(
    caller: Caller,
) -> None:
    check_move(caller, HERE)
    assert may_file(caller, HERE, THERE)
    assert not may_file(caller, HERE, 3), "not to a profile they have no role on"


def test_a_caregiver_here_cannot_file_where_they_only_view() -> None:
    caller = _caller(CAREGIVER, VIEWER)
    check_move(caller, HERE)
    assert not may_file(caller, HERE, THERE)


@pytest.mark.parametrize(
    "caller", [VIEWER_, ADMIN, STRANGER], ids=["viewer", "admin-without-grant", "stranger"]
)
def test_viewers_admins_without_a_grant_and_strangers_cannot_move_a_filed_document(
    caller: Caller,
) -> None:
    # (`document_for` has already answered 404 to those who may not even see it.)
    with pytest.raises(AccessDenied) as refused:
        check_move(caller, HERE)
    assert refused.value.status == 403
    assert not may_file(caller, HERE, THERE)


def test_only_an_admin_files_a_document_from_the_triage_queue_and_under_any_profile() -> None:
    check_move(ADMIN, None)
    assert may_file(ADMIN, None, THERE) and may_file(ADMIN, None, 99)
    for caller in (OWNER_, CAREGIVER_, VIEWER_, STRANGER):
        with pytest.raises(AccessDenied) as refused:
            check_move(caller, None)
        assert refused.value.status == 404
        assert may_file(caller, None, 99) is False


def test_admin_powers_do_not_reach_a_filed_document() -> None:
    admin_viewer = _caller(VIEWER, admin=True)
    with pytest.raises(AccessDenied):
        check_move(admin_viewer, HERE)
    assert not may_file(admin_viewer, HERE, THERE)


@pytest.mark.parametrize(
    "caller", [OWNER_, CAREGIVER_, VIEWER_, STRANGER], ids=["owner", "caregiver", "viewer", "none"]
)
def test_household_administration_is_for_admins(caller: Caller) -> None:
    require_admin(ADMIN)
    with pytest.raises(AccessDenied) as refused:
        require_admin(caller)
    assert refused.value.status == 403
