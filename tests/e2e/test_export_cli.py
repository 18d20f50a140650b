"""`kinchart export` as a person scripts it: the IPS, the whole record as FHIR and the printed
summary of a profile, only as a user who may see it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle

from server.errors import ExitCode
from server.shares.fhir import REVIEW_EXTENSION
from tests.conftest import CORPUS
from tests.fixtures.procs import add_user, kinchart, kinchart_json

CCD = CORPUS / "ccda" / "hl7_examples__Documents__CCD__CCD_1__CCD.XML"


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_export_ips_fhir_and_pdf(env: dict[str, str], tmp_path: Path) -> None:
    for name in ("sam", "vic"):
        add_user(name, "a long enough password", env=env)
    assert kinchart("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env).returncode == 0
    assert kinchart("profile", "add", "Kiddo", "--slug", "kid", env=env).returncode == 0
    assert kinchart("grant", "sam", "grandpa", "viewer", env=env).returncode == 0
    assert kinchart("grant", "vic", "kid", "owner", env=env).returncode == 0
    ingest = kinchart("ingest", "--profile", "grandpa", str(CCD), env=env)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    facts = kinchart_json("facts", "--profile", "grandpa", "--user", "sam", env=env)
    assert facts, "the CCD gives facts"

    ips_file = tmp_path / "ips.json"
    run = kinchart("export", "grandpa", "--user", "sam", "--format", "ips", "--output",
                   str(ips_file), env=env)  # fmt: skip
    assert run.returncode == 0, run.stderr
    ips = json.loads(ips_file.read_text())
    Bundle.model_validate(ips)
    assert ips["type"] == "document"
    assert ips["entry"][0]["resource"]["resourceType"] == "Composition"
    assert _resources(ips, "Patient")[0]["name"][0]["text"] == "Grandpa Joe"

    record_file = tmp_path / "record.json"
    run = kinchart("export", "grandpa", "--user", "sam", "--format", "fhir", "--output",
                   str(record_file), env=env)  # fmt: skip
    assert run.returncode == 0, run.stderr
    record = json.loads(record_file.read_text())
    Bundle.model_validate(record)
    assert record["type"] == "collection"
    # Every fact is there once, as its resource, with its review status.
    kinds = {"lab": "Observation", "vital": "Observation", "medication": "MedicationStatement",
             "allergy": "AllergyIntolerance", "immunization": "Immunization",
             "condition": "Condition"}  # fmt: skip
    for kind, resource in set(kinds.items()):
        expected = sum(1 for f in facts if kinds.get(f["kind"]) == resource)
        assert len(_resources(record, resource)) == expected, (kind, resource)
    for entry in record["entry"][1:]:
        res = entry["resource"]
        if res["resourceType"] != "DocumentReference":
            codes = [e["valueCode"] for e in res["extension"] if e["url"] == REVIEW_EXTENSION]
            assert codes == ["unreviewed"]  # nobody confirmed anything yet
    docs = _resources(record, "DocumentReference")
    assert len(docs) == 1 and docs[0]["content"][0]["attachment"]["title"] == CCD.name
    assert docs[0]["identifier"][0]["value"] == hashlib.sha256(CCD.read_bytes()).hexdigest()

    pdf = tmp_path / "summary.pdf"
    run = kinchart("export", "grandpa", "--user", "sam", "--format", "pdf", "--output",
                   str(pdf), env=env)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")

    # Someone without a role on the profile gets nothing, and no file is written.
    refused = tmp_path / "refused.json"
    run = kinchart("export", "grandpa", "--user", "vic", "--format", "fhir", "--output",
                   str(refused), env=env)  # fmt: skip
    assert run.returncode in (ExitCode.not_found, ExitCode.permission_denied), run.stderr
    assert not refused.exists() and run.stdout == ""
    # A folder that does not exist is a clear error.
    run = kinchart("export", "grandpa", "--user", "sam", "--format", "ips", "--output",
                   str(tmp_path / "nowhere" / "x.json"), env=env)  # fmt: skip
    assert run.returncode == ExitCode.bad_input
    assert "nowhere does not exist" in " ".join(run.stderr.split())
