"""Each exit code of the README's table, from the real `kinchart` command on a real database."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.errors import ExitCode
from tests.fixtures.procs import add_user, kinchart


def _code(*args: str, env: dict[str, str], says: str = "") -> int:
    r = kinchart(*args, env=env)
    assert says in r.stderr, r.stderr
    return r.returncode


def test_ok_bad_input_not_found_and_permission(env: dict[str, str]) -> None:
    assert _code("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env) == ExitCode.ok
    add_user("vic", "a long enough password", env=env)
    add_user("dee", "a long enough password", env=env)
    assert _code("user", "disable", "dee", env=env) == ExitCode.ok

    assert _code("profile", "add", "X", "--dob", "05/02/1941", env=env) == ExitCode.bad_input
    assert _code("retry", env=env, says="give a document ID") == ExitCode.bad_input  # click's
    bad_setting = {**env, "KINCHART_PORT": "0"}
    assert _code("status", env=bad_setting, says="KINCHART_PORT") == ExitCode.bad_input

    assert _code("text", "99999", env=env, says="no document 99999") == ExitCode.not_found
    assert _code("source", "remove", "7", env=env, says="no source 7") == ExitCode.not_found
    assert _code("facts", "--profile", "nope", env=env, says="no profile") == ExitCode.not_found
    assert _code("grant", "nobody", "grandpa", "viewer", env=env) == ExitCode.not_found

    refused = _code("facts", "--profile", "grandpa", "--user", "vic", env=env, says="no role")
    assert refused == ExitCode.permission_denied
    disabled = _code("search", "x", "--user", "dee", env=env, says="disabled")
    assert disabled == ExitCode.permission_denied


@pytest.mark.nodb
def test_database_unavailable(env: dict[str, str], tmp_path: Path) -> None:
    unreachable = {**env, "KINCHART_DATABASE_URL": "postgresql://kinchart@127.0.0.1:1/kinchart"}
    says = "Cannot connect to PostgreSQL"
    assert _code("status", env=unreachable, says=says) == ExitCode.unavailable
    (tmp_path / "a-folder.sqlite3").mkdir()
    unopenable = {**env, "KINCHART_DATABASE_URL": f"sqlite:///{tmp_path / 'a-folder.sqlite3'}"}
    assert _code("user", "list", env=unopenable, says="Cannot open") == ExitCode.unavailable
