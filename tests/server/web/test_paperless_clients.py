"""Real Paperless-ngx client libraries, unchanged, against a real `kinchart serve` (issue 17).

pypaperless 6.0.2 (Home Assistant's client) and easypaperless 0.7.1 need Python 3.13; they live
in their own environment, tests/clients/.venv (`./run.sh test` syncs it from
tests/clients/uv.lock). Each runs a script of tests/clients/ that prints what it saw as JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.make_docs import digital_pdf
from tests.fixtures.people import PASSWORD, login
from tests.fixtures.procs import Server, add_user, kinchart

CLIENTS = Path(__file__).resolve().parents[2] / "clients"
PYTHON = CLIENTS / ".venv" / "bin" / "python"
TITLE = "Letter from the clinic"


def _client_python() -> Path:
    """The clients' Python 3.13; the test fails (never skips) without it."""
    if not PYTHON.exists():
        pytest.fail(
            f"{PYTHON} is missing: the Paperless client libraries need their own Python 3.13 "
            "environment. `./run.sh test` makes it; by hand: uv sync --frozen --project "
            "tests/clients --python 3.13"
        )
    found = subprocess.run(
        [str(PYTHON), "-c", "import sys; print(sys.version_info >= (3, 13))"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.stdout.strip() != "True":
        pytest.fail(f"{PYTHON} is not Python 3.13 or newer: {found.stdout}{found.stderr}")
    return PYTHON


def _run(script: str, *args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [str(_client_python()), str(CLIENTS / script), *args],
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )
    assert proc.returncode == 0, f"{script} failed:\n{proc.stderr[-4000:]}"
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture
def server(env: dict[str, str], tmp_path: Path) -> Any:
    """A real server with an admin, bob (caregiver of dad) and erin (owner of kid)."""
    add_user("admin", PASSWORD, "--admin", env=env)
    for user, profile, role in (("bob", "dad", "caregiver"), ("erin", "kid", "owner")):
        add_user(user, PASSWORD, env=env)
        assert (
            kinchart("profile", "add", profile.title(), "--slug", profile, env=env).returncode == 0
        )
        assert kinchart("grant", user, profile, role, env=env).returncode == 0
    srv = Server(env, tmp_path / "server.log")
    srv.start()
    yield srv
    srv.stop()


def _pdf(tmp_path: Path) -> Path:
    return digital_pdf(
        tmp_path / "clinic-letter.pdf",
        [["Riverside Clinic", "Patient: Dad", "Glucose 99 mg/dL (70-99)", "Follow up in May"]],
    )


async def _revoke_on_the_account_page(url: str, username: str) -> str:
    """Log in as a person would, find the app's token on the account page, revoke it."""
    async with httpx.AsyncClient(base_url=url) as browser:
        await login(browser, username)
        page = (await browser.get("/account")).text
        assert "Paperless login" in page, "the app's token is listed on the account page"
        found = re.findall(r"/account/tokens/(\d+)/revoke", page)
        assert len(found) == 1, found
        r = await browser.post(f"/account/tokens/{found[0]}/revoke")
        assert r.status_code == 303
        return found[0]


async def _erin_sees_nothing_of_dad(url: str, doc_id: int) -> None:
    async with httpx.AsyncClient(base_url=url) as http:
        r = await http.post("/api/token/", json={"username": "erin", "password": PASSWORD})
        headers = {"Authorization": f"Token {r.json()['token']}"}
        listed = await http.get("/api/documents/", headers=headers)
        assert listed.status_code == 200 and listed.json()["all"] == []
        for path in ("/", "/download/?original=true", "/metadata/", "/thumb/"):
            r = await http.get(f"/api/documents/{doc_id}{path}", headers=headers)
            assert r.status_code == 404 and TITLE not in r.text, path


async def test_pypaperless_logs_in_uploads_follows_the_task_and_reads_the_document_back(
    server: Server, tmp_path: Path
) -> None:
    pdf = _pdf(tmp_path)
    seen = _run(
        "pypaperless_flow.py", "flow", server.url, "bob", PASSWORD, str(pdf), TITLE,
        "2024-03-05T09:30:00",
    )  # fmt: skip
    assert seen["host_version"] == "3.0.0" and seen["host_api_version"] == 10
    assert seen["token"].startswith("kc_")
    assert seen["statuses"][-1] == "success", seen["statuses"]
    assert set(seen["statuses"]) <= {"pending", "started", "success"}
    [doc_id] = seen["related_document_ids"]
    doc = seen["document"]
    assert doc["id"] == doc_id and doc["title"] == TITLE and doc["created"] == "2024-03-05"
    assert doc["original_file_name"] == "clinic-letter.pdf" and doc["page_count"] == 1
    assert "Glucose 99 mg/dL" in doc["content"] and doc["tags"] == []
    body = pdf.read_bytes()
    assert seen["metadata"] == {
        "original_checksum": hashlib.md5(body).hexdigest(),
        "original_size": len(body),
        "original_mime_type": "application/pdf",
    }
    assert seen["download_sha256"] == hashlib.sha256(body).hexdigest()
    assert seen["download_filename"] == "clinic-letter.pdf"
    assert seen["archive_starts"] == "%PDF-"
    assert seen["listed"] == [doc_id]
    assert "Lab report" in seen["document_types"] and seen["tags"] == []
    await _erin_sees_nothing_of_dad(server.url, doc_id)
    await _revoke_on_the_account_page(server.url, "bob")
    refused = _run("pypaperless_flow.py", "refused", server.url, seen["token"])
    assert refused == {"refused": True, "error": "InvalidTokenError"}


async def test_easypaperless_does_the_same_without_asking_for_an_api_version(
    server: Server, tmp_path: Path
) -> None:
    pdf = _pdf(tmp_path)
    seen = _run(
        "easypaperless_flow.py", "flow", server.url, "bob", PASSWORD, str(pdf), TITLE,
        "2024-03-05",
    )  # fmt: skip
    assert seen["server_version"] == "3.0.0" and seen["user"] == "bob"
    assert "add_document" in seen["permissions"] and seen["status_database"] == "OK"
    assert seen["status"] == "SUCCESS"
    doc_id = int(seen["related_document"])
    doc = seen["document"]
    assert doc["id"] == doc_id and doc["title"] == TITLE and doc["created"] == "2024-03-05"
    assert doc["original_file_name"] == "clinic-letter.pdf" and "Glucose" in doc["content"]
    body = pdf.read_bytes()
    assert doc["original_checksum"] == hashlib.md5(body).hexdigest()
    assert seen["download_sha256"] == hashlib.sha256(body).hexdigest()
    assert seen["thumbnail_bytes"] > 0
    assert seen["listed"] == [doc_id] and seen["count"] == 1 and seen["search"] == [doc_id]
    assert seen["tasks"] == [seen["task_id"]] and seen["tags"] == []
    await _erin_sees_nothing_of_dad(server.url, doc_id)
    await _revoke_on_the_account_page(server.url, "bob")
    refused = _run("easypaperless_flow.py", "refused", server.url, seen["token"])
    assert refused == {"refused": True, "error": "AuthenticationError"}
