"""`kinchart share` as a script uses it, against a real `kinchart serve` for the views."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from server.errors import ExitCode
from server.shares import shl
from tests.fixtures.procs import KINCHART, Server, add_user, kinchart, kinchart_json


def _create(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KINCHART, "share", "create", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_share_create_list_log_revoke(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "KINCHART_BASE_URL": "https://kc.example.org"}
    for name in ("olga", "carol", "admin"):
        add_user(name, "a long enough password", *(["--admin"] if name == "admin" else []), env=env)
    assert kinchart("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env).returncode == 0
    assert kinchart("grant", "olga", "grandpa", "owner", env=env).returncode == 0
    assert kinchart("grant", "carol", "grandpa", "viewer", env=env).returncode == 0

    r = _create(env, "grandpa", "--user", "olga", "--label", "Dr. Patel", "--json")
    assert r.returncode == 0, r.stderr
    made = json.loads(r.stdout)
    assert set(made) == {"id", "url", "shlink", "expires_at"}
    assert made["url"].startswith("https://kc.example.org/s/")
    assert made["url"].endswith("#" + made["shlink"])
    payload = shl.decode(made["shlink"])
    assert payload["label"] == "Dr. Patel" and len(shl.unb64url(payload["key"])) == 32
    expires = datetime.fromisoformat(made["expires_at"])
    assert abs(expires - (datetime.now(UTC) + timedelta(days=7))) < timedelta(minutes=5)
    assert payload["exp"] == int(expires.timestamp()) and "flag" not in payload

    locked = _create(
        env, "grandpa", "--user", "olga", "--expires", "never", "--passcode-stdin", "--json",
        stdin="sesame-42\n",
    )  # fmt: skip
    assert locked.returncode == 0, locked.stderr
    second = json.loads(locked.stdout)
    assert second["expires_at"] is None and shl.decode(second["shlink"])["flag"] == "LP"

    # Refusals, with their exit codes and nothing on stdout.
    for args, code in (
        (("grandpa", "--user", "carol"), ExitCode.permission_denied),
        (("grandpa", "--user", "admin"), ExitCode.permission_denied),
        (("grandpa", "--user", "nobody"), ExitCode.not_found),
        (("nope", "--user", "olga"), ExitCode.not_found),
        (("grandpa", "--user", "olga", "--expires", "2001-01-01"), ExitCode.bad_input),
        (("grandpa", "--user", "olga", "--documents", "99999"), ExitCode.bad_input),
        (("grandpa", "--user", "olga", "--documents", "a,b"), ExitCode.bad_input),
    ):
        refused = _create(env, *args, "--json")
        assert refused.returncode == code, (args, refused.stderr)
        assert not refused.stdout.strip()

    # A real server answers the link; the view is counted and logged.
    server = Server({**env, "KINCHART_BASE_URL": ""}, tmp_path / "server.log")
    server.start()
    try:
        path = made["url"].split("#")[0].replace("https://kc.example.org", server.url)
        page = httpx.get(path, headers={"user-agent": "ShareCliTest/1"})
        assert page.status_code == 200 and "Grandpa Joe" in page.text
        listed = {
            r["id"]: r for r in kinchart_json("share", "list", "grandpa", "--user", "olga", env=env)
        }
        assert listed[made["id"]]["views"] == 1 and listed[second["id"]]["passcode"]
        log = kinchart_json("share", "log", str(made["id"]), "--user", "olga", env=env)
        assert [(v["what"], v["outcome"], v["user_agent"]) for v in log] == [
            ("page", "ok", "ShareCliTest/1")
        ]
        refused = kinchart("share", "log", str(made["id"]), "--user", "carol", "--json", env=env)
        assert refused.returncode == ExitCode.permission_denied and not refused.stdout.strip()
        revoked = kinchart("share", "revoke", str(made["id"]), "--user", "olga", env=env)
        assert revoked.returncode == 0, revoked.stderr
        assert httpx.get(path).status_code == 404
        table = kinchart("share", "list", "grandpa", "--user", "olga", env=env)
        assert "revoked" in table.stdout
    finally:
        server.stop()
