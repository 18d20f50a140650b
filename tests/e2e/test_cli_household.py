"""Scripting the household from the command line, as a NAS owner would."""

from __future__ import annotations

import subprocess
from pathlib import Path

from server.errors import ExitCode
from tests.fixtures.make_docs import digital_pdf
from tests.fixtures.procs import KINCHART, kinchart, kinchart_json


def _with_stdin(
    args: list[str], stdin: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KINCHART, *args], input=stdin, env=env, capture_output=True, text=True, check=False
    )


def test_users_profiles_grants_and_ingest_for_a_profile(
    env: dict[str, str], tmp_path: Path
) -> None:
    r = _with_stdin(["user", "add", "ann", "--admin", "--password-stdin"], "long password 1\n", env)
    assert r.returncode == 0, r.stderr
    r = _with_stdin(["user", "add", "sam", "--password-stdin"], "short\n", env)
    assert r.returncode == 2 and "at least 10" in r.stderr
    assert (
        _with_stdin(["user", "add", "sam", "--password-stdin"], "long password 2\n", env).returncode
        == 0
    )
    assert (
        _with_stdin(["user", "add", "sam", "--password-stdin"], "long password 2\n", env).returncode
        == 2
    )
    users = {u["username"]: u for u in kinchart_json("user", "list", env=env)}
    assert users["ann"]["is_admin"] and not users["sam"]["is_admin"]

    assert (
        kinchart(
            "profile", "add", "Grandpa Joe", "--dob", "1941-05-02", "--slug", "grandpa", env=env
        ).returncode
        == 0
    )
    assert kinchart("profile", "add", "Kiddo", env=env).returncode == 0
    bad = kinchart("profile", "add", "Someone", "--dob", "05/02/1941", env=env)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
    assert kinchart("grant", "ann", "grandpa", "owner", env=env).returncode == 0
    assert kinchart("grant", "sam", "grandpa", "caregiver", env=env).returncode == 0
    nobody = kinchart("grant", "nobody", "grandpa", "viewer", env=env)
    assert nobody.returncode == ExitCode.not_found
    last_owner = kinchart("revoke", "ann", "grandpa", env=env)
    assert last_owner.returncode == 2 and "at least one owner" in last_owner.stderr
    profiles = {p["slug"]: p for p in kinchart_json("profile", "list", env=env)}
    assert profiles["grandpa"]["grants"] == {"ann": "owner", "sam": "caregiver"}
    assert profiles["grandpa"]["date_of_birth"] == "1941-05-02" and "kiddo" in profiles

    letter = digital_pdf(tmp_path / "letter.pdf", [["Cardiology follow-up", "Dear Grandpa"]])
    ing = kinchart("ingest", "--profile", "grandpa", str(letter), env=env)
    assert ing.returncode == 0, ing.stdout + ing.stderr
    nope = kinchart("ingest", "--profile", "nope", str(letter), env=env)
    assert nope.returncode == ExitCode.not_found
    (doc,) = kinchart_json("documents", env=env)
    assert doc["profile"] == "grandpa" and doc["state"] == "ready"

    assert kinchart("revoke", "sam", "grandpa", env=env).returncode == 0
    assert kinchart("user", "disable", "sam", env=env).returncode == 0
    users = {u["username"]: u for u in kinchart_json("user", "list", env=env)}
    assert users["sam"]["disabled"]
    r = _with_stdin(["user", "reset-password", "sam", "--password-stdin"], "a new long one\n", env)
    assert r.returncode == 0
