"""`kinchart facts` as a user scripts it: a profile's facts with citations, per user, again."""

from __future__ import annotations

import json
from pathlib import Path

from server.errors import ExitCode
from tests.conftest import CORPUS
from tests.fixtures.facts import COLLECTED, report
from tests.fixtures.procs import add_user, kinchart, kinchart_json
from tests.ocr.facts.lab_pages import columns, digital_pdf

CCD = CORPUS / "ccda" / "hl7_examples__Documents__CCD__CCD_1__CCD.XML"


def _user(name: str, env: dict[str, str]) -> None:
    add_user(name, "a long enough password", env=env)


def test_facts_of_a_profile_with_citations(env: dict[str, str], tmp_path: Path) -> None:
    for name in ("sam", "vic"):
        _user(name, env)
    assert kinchart("profile", "add", "Grandpa Joe", "--slug", "grandpa", env=env).returncode == 0
    assert kinchart("profile", "add", "Kiddo", "--slug", "kid", env=env).returncode == 0
    assert kinchart("grant", "sam", "grandpa", "viewer", env=env).returncode == 0
    assert kinchart("grant", "vic", "kid", "owner", env=env).returncode == 0
    labs = digital_pdf(columns(report()), tmp_path / "labs.pdf")
    files = [str(labs)] + ([str(CCD)] if CCD.exists() else [])
    ingest = kinchart("ingest", "--profile", "grandpa", *files, env=env)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    docs = {d["original_name"]: d["id"] for d in kinchart_json("documents", env=env)}

    facts = kinchart_json("facts", "--profile", "grandpa", env=env)
    lab = {f["analyte"]: f for f in facts if f["citation"]["document"] == docs["labs.pdf"]}
    creatinine = lab["creatinine"]
    assert (creatinine["value"], creatinine["value_num"], creatinine["unit"]) == (
        "88",
        0.99546,
        "mg/dL",
    )
    assert creatinine["status"] == "extracted" and creatinine["date"] == COLLECTED.isoformat()
    cite = creatinine["citation"]
    assert cite["document"] == docs["labs.pdf"] and cite["page"] == 1
    assert len(cite["boxes"]) == 1 and len(cite["boxes"][0]) == 4
    assert cite["line"].startswith("Creatinine 88")
    assert lab["glucose"]["flag"] == "H" and lab["glucose"]["code"] == "2345-7"
    if CCD.exists():
        record = [f for f in facts if f["citation"]["document"] == docs[CCD.name]]
        assert {"lab", "medication", "allergy", "immunization"} <= {f["kind"] for f in record}
        assert all(f["citation"]["page"] is None and f["citation"]["locator"] for f in record)

    only = kinchart_json("facts", "--profile", "grandpa", "--kind", "lab", env=env)
    assert only == [f for f in facts if f["kind"] == "lab"]
    table = kinchart("facts", "--profile", "grandpa", "--kind", "lab", env=env)
    assert table.returncode == 0
    assert "Creatinine" in table.stdout and "extracted" in table.stdout
    assert "0.995" in table.stdout and "0.99546" not in table.stdout  # printed precision kept
    assert f"#{docs['labs.pdf']} p.1" in table.stdout

    # As a user: only profiles they have a role on.
    as_sam = kinchart_json("facts", "--profile", "grandpa", "--user", "sam", env=env)
    assert as_sam == facts
    for who, code in (("vic", ExitCode.permission_denied), ("nobody", ExitCode.not_found)):
        refused = kinchart("facts", "--profile", "grandpa", "--user", who, "--json", env=env)
        assert refused.returncode == code and not refused.stdout.strip(), who
        assert "Creatinine" not in refused.stderr
    assert kinchart_json("facts", "--profile", "kid", "--user", "vic", env=env) == []
    missing = kinchart("facts", "--profile", "nope", env=env)
    assert missing.returncode == ExitCode.not_found and "no profile" in missing.stderr
    assert kinchart("facts", env=env).returncode == 2  # needs --profile

    # Reading facts again: nothing is stale; --force reads every ready document again.
    again = kinchart("facts", "--reextract", env=env)
    assert again.returncode == 0 and "facts read for 0 documents" in again.stdout
    forced = kinchart("facts", "--reextract", "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert f"facts read for {len(files)} documents" in forced.stdout
    after = kinchart_json("facts", "--profile", "grandpa", env=env)
    assert [(f["name"], f["value"]) for f in after] == [(f["name"], f["value"]) for f in facts]
    assert json.dumps(after)  # plain JSON all the way
