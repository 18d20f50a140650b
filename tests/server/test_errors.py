"""Every error a person can act on carries a message, an HTTP status and a CLI exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.access.policy import AccessDenied
from server.db.engine import DatabaseError
from server.db.migrate import MigrationFailed
from server.errors import ExitCode, KinchartError, NotFound
from server.facts.fields import FieldError
from server.people.auth import AuthBusy, AuthError
from server.people.household import HouseholdError, NotInHousehold
from server.search.contract import SearchError
from server.settings import SettingsError
from server.sources.config import SourceError
from server.store import StoreError
from server.web.api import ApiError

pytestmark = pytest.mark.nodb

README = Path(__file__).resolve().parents[2] / "README.md"


def test_a_subclass_keeps_the_message_it_was_given() -> None:
    exc = HouseholdError("A profile needs a name.")
    assert exc.user_message == str(exc) == "A profile needs a name."
    assert (exc.status, exc.exit_code) == (400, ExitCode.bad_input)
    assert KinchartError().user_message  # the base has words of its own


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (SettingsError("x"), 500, ExitCode.bad_input),
        (AuthError("x"), 400, ExitCode.bad_input),
        (AuthBusy("x"), 503, ExitCode.unavailable),
        (SourceError("x"), 400, ExitCode.bad_input),
        (FieldError("value", "x"), 400, ExitCode.bad_input),
        (NotInHousehold("x"), 404, ExitCode.not_found),
        (AccessDenied("x", 403), 403, ExitCode.permission_denied),
        (AccessDenied(), 404, ExitCode.permission_denied),
        (DatabaseError("x"), 503, ExitCode.unavailable),
        (MigrationFailed("2026-01-01", OSError("disk full")), 503, ExitCode.unavailable),
        (SearchError("x"), 503, ExitCode.unavailable),
        (StoreError("x", permanent=False), 503, ExitCode.unavailable),
        (ApiError(413, "too_large", "x"), 413, ExitCode.internal),
    ],
)
def test_each_error_has_its_status_and_exit_code(
    exc: KinchartError, status: int, code: ExitCode
) -> None:
    assert (exc.status, exc.exit_code) == (status, code)


def test_callers_still_catch_what_they_caught() -> None:
    assert isinstance(NotInHousehold("x"), HouseholdError)
    assert isinstance(NotInHousehold("x"), NotFound)
    assert isinstance(FieldError("unit", "x"), ValueError)
    assert FieldError("unit", "x").field == "unit"
    assert StoreError("x").permanent and ApiError(401, "auth", "x").code == "auth"


def test_exit_codes_are_distinct() -> None:
    assert len({int(c) for c in ExitCode}) == len(ExitCode)
    assert ExitCode.ok == 0 and ExitCode.bad_input == 2  # 2 is also click's usage error


def test_the_readme_lists_every_exit_code() -> None:
    table = README.read_text(encoding="utf-8").split("#### Exit codes", 1)[1].split("####")[0]
    for code in ExitCode:
        assert f"\n| {int(code)} |" in table, f"exit code {code!r} missing from the README"
