"""`kinchart search` and `kinchart reindex`, run as a household's admin would, end to end."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from server.errors import ExitCode
from tests.fixtures.make_docs import digital_pdf
from tests.fixtures.procs import add_user, kinchart, kinchart_json


def _add_user(name: str, env: dict[str, str], *flags: str) -> None:
    add_user(name, "long enough password", *flags, env=env)


def _ok(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    r = kinchart(*args, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


@pytest.fixture
def household_env(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    _add_user("ann", env, "--admin")
    _add_user("sam", env)
    _ok("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env)
    _ok("profile", "add", "Kiddo", "--slug", "kiddo", env=env)
    _ok("grant", "ann", "grandpa", "owner", env=env)
    _ok("grant", "sam", "kiddo", "owner", env=env)
    rx = digital_pdf(
        tmp_path / "rx.pdf",
        [["Prescription record 2021-06-01"], ["Rx Metformin 500 mg tablet twice daily"]],
    )
    shot = digital_pdf(tmp_path / "shot.pdf", [["Immunization record", "Amoxicillin allergy"]])
    _ok("ingest", "--profile", "grandpa", str(rx), env=env)  # a real worker reads and indexes
    _ok("ingest", "--profile", "kiddo", str(shot), env=env)
    return env


def _search(env: dict[str, str], *args: str) -> Any:
    return kinchart_json("search", *args, env=env)


def test_search_as_a_user_and_reindex(household_env: dict[str, str]) -> None:
    env = household_env
    found = _search(env, "metfromin", "--user", "ann")
    assert found["total"] == 1
    (hit,) = found["hits"]
    assert hit["profile"] == "grandpa" and hit["page"] == 2 and hit["name"] == "rx.pdf"
    assert "<mark>Metformin</mark>" in hit["snippet"] and hit["terms"] == ["Metformin"]
    assert hit["doc_type"] == "medication" and hit["date"] == "2021-06-01"
    assert found["facets"] == {
        "profile": {"grandpa": 1},
        "doc_type": {"medication": 1},
        "year": {"2021": 1},
    }
    assert _search(env, "metformin", "--user", "sam")["total"] == 0
    assert _search(env, "amox", "--user", "sam")["hits"][0]["profile"] == "kiddo"
    everything = _search(env, "record", "--all")
    assert {h["profile"] for h in everything["hits"]} == {"grandpa", "kiddo"}
    only = _search(env, "record", "--all", "--profile", "kiddo")
    assert [h["profile"] for h in only["hits"]] == ["kiddo"]
    text = _ok("search", "metformin", "--user", "ann", env=env).stdout
    assert "1 matching pages" in text and "rx.pdf" in text and "Metformin" in text

    r = _ok("reindex", env=env)
    assert "search index rebuilt: 2 documents (tantivy)" in r.stdout
    shutil.rmtree(Path(env["KINCHART_DATA_DIR"]) / "search")
    # The next process to search finds the index gone and builds it from the database.
    assert _search(env, "metformin", "--user", "ann")["total"] == 1


def test_search_needs_a_user_or_all(env: dict[str, str]) -> None:
    for args in ([], ["--user", "ann", "--all"]):
        r = kinchart("search", "metformin", *args, env=env)
        assert r.returncode == 2 and "--user NAME" in r.stderr
    r = kinchart("search", "metformin", "--user", "nobody", env=env)
    assert r.returncode == ExitCode.not_found and "no user called nobody" in r.stderr
