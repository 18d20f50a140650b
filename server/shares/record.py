"""The whole record of a profile as one FHIR R4 Bundle (type collection): what a person takes
with them to another system (`kinchart export --format fhir`).

Unlike the IPS, it holds every fact a person has not rejected, including those the views hold
back (low-confidence ones waiting in review, those from a document naming someone else), each
with its review status (server/shares/fhir.py) and, when held, the extension `HELD_EXTENSION`;
and a DocumentReference per read document (its file name, type, date, size, SHA-256).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from server.db.tables import Document, Profile
from server.errors import NotFound
from server.health.clinician import Entry, Person
from server.health.labs import reference_band
from server.health.records import FactRow, profile_documents, profile_facts
from server.shares import fhir

HELD_EXTENSION = "urn:kinchart:fhir:StructureDefinition:held-for-review"
SHA256_SYSTEM = "urn:kinchart:sha256"


def entry_of(fact: FactRow) -> Entry:
    """A fact as the mapping takes it, outside any summary."""
    numeric = fact.kind in ("lab", "vital")
    return Entry(
        fact=fact,
        kind=fact.kind,
        title=fact.name,
        detail=str(fact.get("reaction") or fact.get("dose") or "") if not numeric else "",
        date=fact.when,
        confirmed=not fact.unreviewed,
        source=fact.doc_name or "entered by hand",
        citation=None,
        code=fact.code or str(fact.get("icd10") or ""),
        value=fact.display if numeric else "",
        flag=fact.flag if fact.flagged else "",
        reference=fact.reference_text if numeric else "",
        band=reference_band(fact) if numeric else None,
    )


async def record_bundle(
    profile_id: int, *, now: datetime | None = None, facts: list[FactRow] | None = None
) -> dict[str, Any]:
    """Every fact and read document of a profile (`facts`: the facts as
    `profile_facts(profile_id, held=True)` reads them, when already read). The caller has
    checked access to it."""
    profile = await Profile.select().where(Profile.id == profile_id).first()
    if profile is None:
        raise NotFound("No such profile.")
    moment = now or datetime.now(UTC)
    dob = profile.get("date_of_birth")
    dob = dob if isinstance(dob, date) or dob is None else date.fromisoformat(str(dob))
    person = Person(str(profile["display_name"]), dob, None, moment.date())
    patient_url = f"urn:uuid:{uuid.uuid4()}"
    entries: list[dict[str, Any]] = [
        {"fullUrl": patient_url, "resource": fhir.patient(patient_url[9:], person)}
    ]
    if facts is None:
        facts = await profile_facts(profile_id, held=True)
    documents = await _documents(profile_id)
    ids = _uuids(len(facts) + len(documents) + 1)
    for fact in facts:
        url = f"urn:uuid:{next(ids)}"
        made = fhir.resource(entry_of(fact), url[9:], patient_url)
        if made is None:
            continue
        if fact.held:
            made.setdefault("extension", []).append({"url": HELD_EXTENSION, "valueBoolean": True})
        entries.append({"fullUrl": url, "resource": made})
    for doc in documents:
        url = f"urn:uuid:{next(ids)}"
        entries.append({"fullUrl": url, "resource": _document(doc, url[9:], patient_url)})
    return {
        "resourceType": "Bundle",
        "id": str(next(ids)),
        "type": "collection",
        "timestamp": moment.isoformat(timespec="seconds"),
        "entry": entries,
    }


def _uuids(n: int) -> Iterator[uuid.UUID]:
    """`n` random (version 4) UUIDs from one read of the system's randomness: uuid4() reads
    it once per UUID, a system call each, which was a tenth of a large record's bundle."""
    raw = os.urandom(16 * n)
    return (uuid.UUID(bytes=raw[i : i + 16], version=4) for i in range(0, 16 * n, 16))


async def _documents(profile_id: int) -> list[dict[str, Any]]:
    ids = [d["id"] for d in await profile_documents(profile_id)]
    if not ids:
        return []
    return list(
        await Document.select(
            Document.id, Document.original_name, Document.mime, Document.size,
            Document.sha256, Document.doc_type, Document.doc_date, Document.created_at,
        ).where(Document.id.is_in(ids)).order_by(Document.id)
    )  # fmt: skip


def _document(doc: dict[str, Any], resource_id: str, subject: str) -> dict[str, Any]:
    created = doc["created_at"]
    when = doc.get("doc_date") or (created.date() if isinstance(created, datetime) else None)
    attachment: dict[str, Any] = {
        "contentType": doc["mime"] or "application/octet-stream",
        "title": doc["original_name"],
        "size": int(doc["size"] or 0),
    }
    out: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "id": resource_id,
        "identifier": [{"system": SHA256_SYSTEM, "value": doc["sha256"]}],
        "status": "current",
        "subject": {"reference": subject},
        "description": doc["original_name"],
        "content": [{"attachment": attachment}],
    }
    if doc.get("doc_type"):
        out["type"] = fhir.concept(str(doc["doc_type"]))
    if isinstance(created, datetime):
        stamp = created if created.tzinfo else created.replace(tzinfo=UTC)
        out["date"] = stamp.isoformat(timespec="seconds")
    if when:
        out["context"] = {"period": {"start": str(when)}}
    return out
