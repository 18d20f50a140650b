"""`kinchart export --format archive` and `kinchart import-archive` as a person moving to another
Kinchart runs them: a record read on one server, restored on a fresh one, the same facts."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from server.errors import ExitCode
from server.settings import Settings
from tests.conftest import CORPUS
from tests.fixtures.procs import add_user, kinchart, kinchart_json
from tests.server.shares.test_archive_import import other_settings  # noqa: F401

CCD = CORPUS / "ccda" / "hl7_examples__Documents__CCD__CCD_1__CCD.XML"


def _env_of(env: dict[str, str], s: Settings) -> dict[str, str]:
    return {**env, "KINCHART_DATA_DIR": str(s.data_dir), "KINCHART_INBOX_DIR": str(s.inbox_dir),
            "KINCHART_DATABASE_URL": s.database_url}  # fmt: skip


def _facts(rows: list[dict]) -> list[tuple[str, str, str, str]]:
    return sorted((r["kind"], r["name"], str(r.get("value") or ""), r["status"]) for r in rows)


def test_archive_moves_a_record_to_another_kinchart(
    env: dict[str, str],
    other_settings: Settings,  # noqa: F811
    tmp_path: Path,
) -> None:
    add_user("sam", "a long enough password", env=env)
    add_user("vic", "a long enough password", env=env)
    assert kinchart("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env).returncode == 0
    assert kinchart("grant", "sam", "grandpa", "caregiver", env=env).returncode == 0
    assert kinchart("grant", "vic", "grandpa", "viewer", env=env).returncode == 0
    run = kinchart("ingest", "--profile", "grandpa", str(CCD), env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    before = kinchart_json("facts", "--profile", "grandpa", "--user", "sam", env=env)
    assert before

    out = tmp_path / "grandpa.zip"
    run = kinchart("export", "grandpa", "--user", "sam", "--format", "archive", "--output",
                   str(out), env=env)  # fmt: skip
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(out) as z:
        assert z.read(f"grandpa/originals/{CCD.name}") == CCD.read_bytes()

    other = _env_of(env, other_settings)
    add_user("sam", "a long enough password", env=other)
    add_user("vic", "a long enough password", env=other)
    assert kinchart("profile", "add", "Joe", "--slug", "joe", env=other).returncode == 0
    assert kinchart("grant", "sam", "joe", "owner", env=other).returncode == 0
    assert kinchart("grant", "vic", "joe", "viewer", env=other).returncode == 0
    # A viewer may not add to the profile.
    run = kinchart("import-archive", str(out), "--profile", "joe", "--user", "vic", env=other)
    assert run.returncode == ExitCode.permission_denied, run.stderr
    assert kinchart_json("facts", "--profile", "joe", "--user", "sam", env=other) == []

    for _ in range(2):  # the second run adds nothing
        run = kinchart("import-archive", str(out), "--profile", "joe", "--user", "sam", env=other)
        assert run.returncode == 0, run.stderr
        after = kinchart_json("facts", "--profile", "joe", "--user", "sam", env=other)
        assert _facts(after) == _facts(before)
    assert "0 new documents, 1 already here" in " ".join(run.stderr.split())
    stored = other_settings.data_dir / "originals"
    sha = hashlib.sha256(CCD.read_bytes()).hexdigest()
    assert (stored / sha[:2] / sha).read_bytes() == CCD.read_bytes()

    # The workers read the imported document (for its pages and search): its restored facts
    # stay as they were, not duplicated nor overwritten.
    run = kinchart("ingest", "--profile", "joe", "--json", str(CCD), env=other)
    assert run.returncode == 0, run.stdout + run.stderr
    assert '"duplicate": true' in run.stdout and '"state": "ready"' in run.stdout, run.stdout
    after = kinchart_json("facts", "--profile", "joe", "--user", "sam", env=other)
    assert _facts(after) == _facts(before)
    run = kinchart("import-archive", str(out), "--profile", "joe", "--user", "sam", env=other)
    assert run.returncode == 0, run.stderr
    assert _facts(kinchart_json("facts", "--profile", "joe", "--user", "sam", env=other)) == (
        _facts(before)
    )

    # A changed archive is refused, with why.
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info.filename, data.replace(b"Grandpa", b"Grandma", 1))
    run = kinchart("import-archive", str(bad), "--profile", "joe", "--user", "sam", env=other)
    assert run.returncode == ExitCode.bad_input, run.stderr
    assert "checksum" in run.stderr and "Nothing was imported" in " ".join(run.stderr.split())
